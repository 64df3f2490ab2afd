package officedesk

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"langnghe"
	"langnghe/wording"
)

// What the desk says. Officials read Vietnamese or English; residents also
// Chinese, like the flows. A missing translation falls back to Vietnamese.
//
// One voice: the service speaks as «chúng tôi» ("we") and addresses a
// resident as «ông/bà», an official as «đồng chí»; a resident hears which
// office did what and on which day, never an official's name. Vietnamese
// texts hold no English words (commands are Vietnamese: /thongbao bật|tắt).
//
// textKey names a text of the desk in the catalogue (wording/*/desk.yaml).
type textKey string

const (
	msgHelp             textKey = "desk.help"
	msgInviteInvalid    textKey = "desk.invite_invalid"
	msgWelcomeOfficial  textKey = "desk.welcome_official"
	msgUnknownCommand   textKey = "desk.unknown_command"
	msgUsage            textKey = "desk.usage"
	msgDone             textKey = "desk.done"
	msgDueChange        textKey = "desk.due_change"
	msgForwardedTo      textKey = "desk.forwarded_to"
	msgNoted            textKey = "desk.noted"
	msgToldResident     textKey = "desk.told_resident"
	msgToldIn           textKey = "desk.told_in"
	msgNotTold          textKey = "desk.not_told"
	msgNoResident       textKey = "desk.no_resident"
	msgResidentBlocked  textKey = "desk.resident_blocked"
	msgHistory          textKey = "desk.history"
	msgNoOpen           textKey = "desk.no_open"
	msgNoOverdue        textKey = "desk.no_overdue"
	msgDue              textKey = "desk.due"
	msgDueBy            textKey = "desk.due_by"
	msgReceivedAt       textKey = "desk.received_at"
	msgMap              textKey = "desk.map"
	msgFiles            textKey = "desk.files"
	msgNotifyOn         textKey = "desk.notify_on"
	msgNotifyOff        textKey = "desk.notify_off"
	msgSignInLink       textKey = "desk.sign_in_link"
	msgSignInPrivate    textKey = "desk.sign_in_private"
	msgNoConsole        textKey = "desk.no_console"
	msgStaleButton      textKey = "desk.stale_button"
	msgChooseUnit       textKey = "desk.choose_unit"
	msgAnswerPrompt     textKey = "desk.answer_prompt"
	msgWhichOpinion     textKey = "desk.which_opinion"
	msgNoOpenToAnswer   textKey = "desk.no_open_to_answer"
	msgTextOnly         textKey = "desk.text_only"
	msgCancelled        textKey = "desk.cancelled"
	msgNothingToCancel  textKey = "desk.nothing_to_cancel"
	msgDiscarded        textKey = "desk.discarded"
	msgDraftGone        textKey = "desk.draft_gone"
	msgNewOpinion       textKey = "desk.new_opinion"
	msgForwardedOpinion textKey = "desk.forwarded_opinion"
	msgForwardedBy      textKey = "desk.forwarded_by"
	msgForwardNote      textKey = "desk.forward_note"
	msgAlreadyOfficial  textKey = "desk.already_official"
	// With the campaign's kind and title.
	msgCampaignLink        textKey = "desk.campaign_link"
	msgCampaignLinkUnknown textKey = "desk.campaign_link_unknown"
	msgReplyToAnswer       textKey = "desk.reply_to_answer"
	msgCategory            textKey = "desk.category"
	msgArea                textKey = "desk.area"
	msgUnit                textKey = "desk.unit"
	msgContact             textKey = "desk.contact"
	msgAnonymous           textKey = "desk.anonymous"
	msgConfidential        textKey = "desk.confidential"
	msgUnitReopened        textKey = "desk.unit_reopened"
	msgEarlierAnswer       textKey = "desk.earlier_answer"
	msgPrevDue             textKey = "desk.prev_due"
	msgReasonGiven         textKey = "desk.reason_given"
	msgNoReasonYet         textKey = "desk.no_reason_yet"
	msgUnitReason          textKey = "desk.unit_reason"
	btnTake                textKey = "desk.button.take"
	btnForward             textKey = "desk.button.forward"
	btnAnswer              textKey = "desk.button.answer"
	btnCancel              textKey = "desk.button.cancel"
	btnDiscard             textKey = "desk.button.discard"

	// Residents' texts: what happened to their opinion, which office did
	// it, and when ({code}, {date}, {unit}, {Unit} at a sentence's start,
	// {due}, {prev}, {note}, {orig}).
	updTaken            textKey = "desk.update.taken"
	updForwarded        textKey = "desk.update.forwarded"
	updExtended         textKey = "desk.update.extended"
	updExtendedPrev     textKey = "desk.update.extended_prev"
	updAnswered         textKey = "desk.update.answered"
	updClosed           textKey = "desk.update.closed"
	updRejected         textKey = "desk.update.rejected"
	updRedirected       textKey = "desk.update.redirected"
	updDuplicate        textKey = "desk.update.duplicate"
	updNote             textKey = "desk.update.note"
	updOther            textKey = "desk.update.other"
	updWillAnswer       textKey = "desk.update.will_answer"
	updWillTell         textKey = "desk.update.will_tell"
	updMoreInfo         textKey = "desk.update.more_info"
	updReason           textKey = "desk.update.reason"
	updThanks           textKey = "desk.update.thanks"
	updReopened         textKey = "desk.update.reopened"
	updReopenedDue      textKey = "desk.update.reopened_due"
	updReopenedNoDue    textKey = "desk.update.reopened_no_due"
	msgRateQuestion     textKey = "desk.rate_question"
	msgReasonQuestion   textKey = "desk.reason_question"
	msgReasonThanks     textKey = "desk.reason_thanks"
	msgThanksSatisfied  textKey = "desk.thanks_satisfied"
	msgAlreadySatisfied textKey = "desk.already_satisfied"
	msgAlreadyReopened  textKey = "desk.already_reopened"
	msgStaleRating      textKey = "desk.stale_rating"
	msgCannotRate       textKey = "desk.cannot_rate"
	btnSatisfied        textKey = "desk.button.satisfied"
	btnNotSatisfied     textKey = "desk.button.not_satisfied"
	btnReasonUnresolved textKey = "desk.button.reason_unresolved"
	btnReasonUnclear    textKey = "desk.button.reason_unclear"
	btnReasonLate       textKey = "desk.button.reason_late"

	// The unit a resident is told of before one is assigned.
	msgUnitInCharge textKey = "desk.unit_in_charge"

	// What the official an opinion is given to reads.
	msgAssigned   textKey = "desk.assigned"
	msgAssignNote textKey = "desk.assign_note"
	// Before the place as the resident wrote it, in the opinion's area.
	msgResidentWrote textKey = "desk.resident_wrote"
)

// reasonTexts are the reasons a resident picks from (see reasons); the
// Vietnamese text is what the unit reads.
var reasonTexts = map[string]textKey{
	"unresolved": btnReasonUnresolved,
	"unclear":    btnReasonUnclear,
	"late":       btnReasonLate,
}

// reasonMark is in the "why not satisfied?" question in every language,
// so a reply to it is recognised as the reason.
const reasonMark = "❓"

func isReasonQuestion(text string) bool { return strings.Contains(text, reasonMark) }

func say(lang string, k textKey) string { return wording.Text(lang, string(k)) }

// fill replaces the {name} placeholders of s with vars; {Unit} is {unit}
// with a capital first letter, for the start of a sentence.
func fill(s string, vars map[string]string) string {
	if u, ok := vars["unit"]; ok {
		vars["Unit"] = capitalize(u)
	}
	pairs := make([]string, 0, 2*len(vars))
	for k, v := range vars {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// dayIn writes a date as a reader of lang writes it, in tz: 05/03/2026,
// 5 March 2026, 2026年3月5日.
func dayIn(t time.Time, lang string, tz *time.Location) string {
	t = t.In(tz)
	switch lang {
	case langnghe.LangEN:
		return t.Format("2 January 2006")
	case langnghe.LangZH:
		return t.Format("2006年1月2日")
	}
	return t.Format("02/01/2006")
}

// unitIn is a unit's name as a sentence of lang names it: "the Medical
// Centre" in English; "" (no unit known yet) is the office in charge.
func unitIn(name, lang string) string {
	switch {
	case name == "":
		return say(lang, msgUnitInCharge)
	case lang == langnghe.LangEN:
		if len(name) > 4 && strings.EqualFold(name[:4], "the ") {
			name = name[4:]
		}
		return "the " + name
	}
	return name
}
