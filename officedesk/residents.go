package officedesk

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"langnghe"
	"langnghe/flows/classify"
	"langnghe/flows/vntext"
	"langnghe/followup"
	"langnghe/storage"
)

// Reasons a resident may give for not being satisfied, besides their own
// words.
var reasons = []string{"unresolved", "unclear", "late"}

// reasonWindow is how long after pressing "not satisfied" the resident's
// next words, typed without replying to anything, are taken as the reason.
// A reply to the question is taken whenever it comes, while the opinion
// waits for it.
const reasonWindow = 30 * time.Minute

// Resident applies a resident's part of the follow-up: the rating buttons,
// the reason buttons, and the reason in their own words (a reply to the
// question, or the next text after the press). The follow-up core checks
// that the opinion is the resident's and waits for that rating or reason,
// so forged data rates nothing.
//
// The rating buttons cannot be taken off a message once pressed: the
// outbox only sends new messages (there is no editMessageReplyMarkup in
// bot/). So each press is answered with a new message, and the buttons go
// stale by their data instead: they carry the answer they rate
// (followup.AnswerStamp), a second press of either is told what was
// recorded, and "not satisfied" then "satisfied" never records
// "satisfied".
func (d *Desk) Resident(ctx context.Context, tx *storage.Tx, r *langnghe.Resident, in langnghe.Inbound) (bool, error) {
	lang := residentLanguage(r, in)
	switch {
	case in.Input.Kind == langnghe.InputButton && strings.HasPrefix(in.Input.Data, residentPrefix):
		err := d.rateButton(ctx, tx, r, lang, in.Input.Data)
		return true, d.settle(ctx, tx, r, lang, err)
	case in.Input.Kind != langnghe.InputText || strings.TrimSpace(in.Input.Text) == "":
		return false, nil
	case classify.DetectEmergency(in.Input.Text) != "":
		// Danger first: the conversation gives the numbers.
		return false, nil
	case replying(in):
		code, err := replyRegards(ctx, tx, in, langnghe.ReplyReason)
		if err != nil || code == "" {
			return false, err
		}
		err = d.giveReason(ctx, tx, r, lang, code, 0, strings.TrimSpace(in.Input.Text))
		return true, d.settle(ctx, tx, r, lang, err)
	default:
		code, pressed, err := tx.PendingReason(ctx, r.ID, d.opts.Now().Add(-reasonWindow))
		if err != nil || code == "" {
			return false, err
		}
		// Only words that follow the press directly: once the resident
		// has gone on in the conversation (the menu, a new opinion), what
		// they type belongs to it.
		if s, err := tx.Session(ctx, r.ID); err == nil && s.UpdatedAt.After(pressed) {
			return false, nil
		} else if err != nil && langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
			return false, err
		}
		err = d.giveReason(ctx, tx, r, lang, code, 0, strings.TrimSpace(in.Input.Text))
		return true, d.settle(ctx, tx, r, lang, err)
	}
}

// settle turns an application error into a reply to the resident, so the
// update commits; anything else rolls it back to be retried.
func (d *Desk) settle(ctx context.Context, tx *storage.Tx, r *langnghe.Resident, lang string, err error) error {
	if err == nil || langnghe.ErrorCode(err) == langnghe.EINTERNAL {
		return err
	}
	return d.tellOwn(ctx, tx, r, say(lang, msgCannotRate))
}

func (d *Desk) tellOwn(ctx context.Context, tx *storage.Tx, r *langnghe.Resident, text string) error {
	return enqueue(ctx, tx, r.Channel, r.ChatID, &r.ID, langnghe.Message{Text: text})
}

// ratingData is a rating button's data: r:s or r:n, the code and the
// answer it rates (base 36).
func ratingData(kind, code string, answer int64) string {
	return "r:" + kind + ":" + code + ":" + strconv.FormatInt(answer, 36)
}

// rateButton applies r:s:CODE[:ANSWER], r:n:CODE[:ANSWER] and
// r:x:CODE[:ANSWER]:WHY. Buttons sent before they carried the answer rate
// the latest one.
func (d *Desk) rateButton(ctx context.Context, tx *storage.Tx, r *langnghe.Resident, lang, data string) error {
	parts := strings.Split(data, ":")
	if len(parts) < 3 || len(parts) > 5 {
		return langnghe.Errorf(langnghe.EINVALID, "malformed rating button %q", data)
	}
	kind, code, rest := parts[1], parts[2], parts[3:]
	why := ""
	if kind == "x" {
		if len(rest) == 0 || !slices.Contains(reasons, rest[len(rest)-1]) {
			return langnghe.Errorf(langnghe.EINVALID, "unknown reason in %q", data)
		}
		why, rest = rest[len(rest)-1], rest[:len(rest)-1]
	}
	var answer int64
	if len(rest) == 1 {
		a, err := strconv.ParseInt(rest[0], 36, 64)
		if err != nil || a <= 0 {
			return langnghe.Errorf(langnghe.EINVALID, "malformed rating button %q", data)
		}
		answer = a
	} else if len(rest) > 1 {
		return langnghe.Errorf(langnghe.EINVALID, "malformed rating button %q", data)
	}
	switch kind {
	case "s":
		return d.rate(ctx, tx, r, lang, code, followup.Verdict{Satisfied: true, Answer: answer})
	case "n":
		return d.rate(ctx, tx, r, lang, code, followup.Verdict{Answer: answer})
	case "x":
		reason := say(langnghe.LangVI, reasonTexts[why]) // what the unit reads
		o, err := tx.Opinion(ctx, code)
		if err == nil && o.Status == langnghe.StatusAnswered && o.Rating == "" {
			// A reason button of a message from before the press
			// reopened by itself: the press and the reason at once.
			return d.rate(ctx, tx, r, lang, code, followup.Verdict{Answer: answer, Reason: reason})
		}
		return d.giveReason(ctx, tx, r, lang, code, answer, reason)
	}
	return langnghe.Errorf(langnghe.EINVALID, "unknown rating button %q", data)
}

// rate records the resident's verdict. "Not satisfied" reopens the
// opinion at once: the resident is told so with the new date and asked
// why, and the unit is told with the new date and the earlier answer. A
// press the core refuses (a second press, a button of an earlier answer)
// is told what stands.
func (d *Desk) rate(ctx context.Context, tx *storage.Tx, r *langnghe.Resident, lang, code string, v followup.Verdict) error {
	var prevDue time.Time
	if before, err := tx.Opinion(ctx, code); err == nil {
		prevDue = before.DueAt // told to the unit only once the core has accepted the press
	}
	ch, err := d.core.RateAnswer(ctx, tx, r.ID, code, v)
	if langnghe.ErrorCode(err) == langnghe.EINVALID {
		return d.explainRating(ctx, tx, r, lang, code, v.Answer)
	} else if err != nil {
		return err
	}
	o := &ch.Opinion
	if v.Satisfied {
		return d.tellOwn(ctx, tx, r, fill(say(lang, msgThanksSatisfied), map[string]string{"code": o.Code}))
	}
	unit := d.unitName(ctx, tx, o.Unit, lang)
	u := update{lang: lang, code: o.Code, from: ch.From, to: ch.To, status: d.opts.StatusName(ch.To, lang), unit: unit,
		at: d.opts.Now(), due: o.DueAt, tz: d.opts.TimeZone}
	m := u.message()
	stamp := followup.AnswerStamp(o)
	if v.Reason == "" {
		m.Text += "\n\n" + say(lang, msgReasonQuestion)
		m.Regarding = &langnghe.Regarding{Opinion: o.Code, Reply: langnghe.ReplyReason}
		for _, why := range reasons {
			bd, ok := data("r", "x", o.Code, strconv.FormatInt(stamp, 36), why)
			if !ok {
				continue
			}
			m.Buttons = append(m.Buttons, []langnghe.Button{{Label: say(lang, reasonTexts[why]), Data: bd}})
		}
	} else {
		m.Text += "\n\n" + fill(say(lang, msgReasonThanks), map[string]string{"code": o.Code, "unit": unitIn(unit, lang), "note": v.Reason})
	}
	if err := enqueue(ctx, tx, r.Channel, r.ChatID, &r.ID, m); err != nil {
		return err
	}
	return d.tellUnitReopened(ctx, tx, ch, prevDue, v.Reason)
}

// giveReason attaches the resident's reason to the opinion they reopened,
// thanks them naming the office it goes to, and tells the unit.
func (d *Desk) giveReason(ctx context.Context, tx *storage.Tx, r *langnghe.Resident, lang, code string, answer int64, reason string) error {
	ch, err := d.core.Reason(ctx, tx, r.ID, code, answer, reason)
	if langnghe.ErrorCode(err) == langnghe.EINVALID {
		return d.explainRating(ctx, tx, r, lang, code, answer)
	} else if err != nil {
		return err
	}
	o := &ch.Opinion
	unit := unitIn(d.unitName(ctx, tx, o.Unit, lang), lang)
	if err := d.tellOwn(ctx, tx, r, fill(say(lang, msgReasonThanks), map[string]string{"code": o.Code, "unit": unit, "note": ch.Note})); err != nil {
		return err
	}
	return d.eachWatcher(ctx, tx, o, func(w *langnghe.Official) langnghe.Message {
		text := fill(say(w.Language, msgUnitReason), map[string]string{"code": o.Code, "note": w.RevealNote(o, ch.Note),
			"due": d.dayOrNone(o.DueAt)})
		return notice(o.Code, text, w.Language)
	})
}

// explainRating tells a resident whose press or reason the core refused
// what stands: the answer it belonged to was followed by another, they
// were satisfied already, the opinion is reopened already; else that it
// cannot be rated.
func (d *Desk) explainRating(ctx context.Context, tx *storage.Tx, r *langnghe.Resident, lang, code string, answer int64) error {
	o, err := tx.Opinion(ctx, code)
	if langnghe.ErrorCode(err) == langnghe.ENOTFOUND || (err == nil && (o.ResidentID == nil || *o.ResidentID != r.ID)) {
		return d.tellOwn(ctx, tx, r, say(lang, msgCannotRate))
	} else if err != nil {
		return fmt.Errorf("opinion %s: %w", code, err)
	}
	vars := map[string]string{"code": o.Code}
	switch {
	case answer != 0 && o.AnsweredAt != nil && answer != followup.AnswerStamp(o):
		vars["date"] = dayIn(*o.AnsweredAt, lang, d.opts.TimeZone)
		return d.tellOwn(ctx, tx, r, fill(say(lang, msgStaleRating), vars))
	case o.Rating == langnghe.RatingSatisfied:
		return d.tellOwn(ctx, tx, r, fill(say(lang, msgAlreadySatisfied), vars))
	case o.Rating == langnghe.RatingNotSatisfied && o.Status.Open():
		next := say(lang, updWillTell)
		if !o.DueAt.IsZero() {
			vars["due"] = dayIn(o.DueAt, lang, d.opts.TimeZone)
			next = say(lang, updWillAnswer)
		}
		return d.tellOwn(ctx, tx, r, fill(say(lang, msgAlreadyReopened)+" "+next, vars))
	}
	return d.tellOwn(ctx, tx, r, say(lang, msgCannotRate))
}

// tellUnitReopened tells the officials watching the opinion's unit that
// the resident reopened it: when, the answer they were not satisfied with
// and its date, the new due date, the reason or that it was asked, and the
// opinion, each as the official may see it (the gate: followup's Opinion,
// RevealNote).
func (d *Desk) tellUnitReopened(ctx context.Context, tx *storage.Tx, ch *followup.Change, prevDue time.Time, reason string) error {
	o := &ch.Opinion
	return d.eachWatcher(ctx, tx, o, func(w *langnghe.Official) langnghe.Message {
		lang := w.Language
		seen, events, err := d.core.Opinion(ctx, tx, w, o.Code)
		if err != nil {
			d.log.WarnContext(ctx, "reopened opinion not readable by its watcher", "opinion", o.Code, "official", w.ID, "err", err)
			return langnghe.Message{}
		}
		vars := map[string]string{"code": o.Code, "date": d.day(d.opts.Now()), "answered": "?", "due": d.dayOrNone(o.DueAt)}
		answer := ""
		for _, e := range events {
			switch {
			case e.StatusTo == langnghe.StatusAnswered:
				vars["answered"], answer = d.day(e.At), e.Note
			case e.StatusTo == langnghe.StatusReopened:
				vars["date"] = d.day(e.At)
			}
		}
		var b strings.Builder
		b.WriteString(fill(say(lang, msgUnitReopened), vars))
		if !prevDue.IsZero() && !prevDue.Equal(o.DueAt) {
			b.WriteString(" " + fmt.Sprintf(say(lang, msgPrevDue), d.day(prevDue)))
		}
		if answer != "" {
			b.WriteString("\n\n" + fmt.Sprintf(say(lang, msgEarlierAnswer), vntext.Cut(answer, maxQuoted)))
		}
		if reason != "" {
			b.WriteString("\n\n" + fmt.Sprintf(say(lang, msgReasonGiven), w.RevealNote(o, reason)))
		} else {
			b.WriteString("\n\n" + say(lang, msgNoReasonYet))
		}
		b.WriteString("\n\n" + d.describeIn(ctx, tx, w, seen, lang))
		return notice(o.Code, b.String(), lang)
	})
}

// eachWatcher queues message(w) to every official watching o's unit who
// may see o; an empty message is skipped.
func (d *Desk) eachWatcher(ctx context.Context, tx *storage.Tx, o *langnghe.Opinion, message func(w *langnghe.Official) langnghe.Message) error {
	watchers, err := d.core.Watchers(ctx, tx, o.Unit)
	if err != nil {
		return fmt.Errorf("officials of unit %q: %w", o.Unit, err)
	}
	for i := range watchers {
		w := &watchers[i]
		if !w.MaySee(o) {
			continue
		}
		m := message(w)
		if m.Text == "" {
			continue
		}
		if err := enqueue(ctx, tx, w.Channel, w.ChatID, nil, m); err != nil {
			return fmt.Errorf("tell official %d about %s: %w", w.ID, o.Code, err)
		}
	}
	return nil
}

// told is what a resident was told of a change, for the confirmation to
// the official who made it.
type told struct {
	// Reached is false when there was nobody to tell (the resident's data
	// was deleted) or the change was internal.
	Reached bool
	Text    string
	Lang    string
	// Blocked: the resident had blocked the bot when it was queued, so
	// it may not reach them.
	Blocked bool
	// PrevDue is the due date before an extension.
	PrevDue time.Time
}

// tellResident pushes a public change to the opinion's resident, in their
// language, naming the office and the date (update). Anonymous residents
// are reached the same way: through the bot, by the resident id the unit
// never sees. An opinion whose resident asked for their data to be
// deleted has no one to tell. prevDue is the due date before an
// extension.
func (d *Desk) tellResident(ctx context.Context, tx *storage.Tx, ch *followup.Change, prevDue time.Time) (told, error) {
	o := ch.Opinion
	if o.ResidentID == nil {
		return told{}, nil
	}
	r, err := tx.Resident(ctx, *o.ResidentID)
	if err != nil {
		return told{}, fmt.Errorf("resident of %s: %w", o.Code, err)
	}
	if r.ChatID == "" {
		return told{}, nil
	}
	lang := r.Language
	if lang == "" {
		lang = o.Language
	}
	u := update{lang: lang, code: o.Code, from: ch.From, to: ch.To, status: d.opts.StatusName(ch.To, lang),
		unit: d.unitName(ctx, tx, o.Unit, lang),
		at:   d.opts.Now(), due: o.DueAt, prevDue: prevDue, note: ch.Note, orig: o.DuplicateOf,
		answer: followup.AnswerStamp(&o), tz: d.opts.TimeZone}
	m := u.message()
	if err := enqueue(ctx, tx, r.Channel, r.ChatID, &r.ID, m); err != nil {
		return told{}, err
	}
	return told{Reached: true, Text: m.Text, Lang: lang, Blocked: r.Blocked}, nil
}

// update is a change to a resident's opinion as they are told of it.
type update struct {
	lang, code string
	from, to   langnghe.Status
	// status is to in the resident's words (Options.StatusName).
	status string
	// unit is the office's name in lang ("" when none is known).
	unit string
	// at is when it happened; due the date they will hear back by (zero
	// when none); prevDue the due date an extension replaced.
	at, due, prevDue time.Time
	// note is what the resident may read (an answer, a reason); orig the
	// opinion a duplicate repeats; answer the answer's stamp the rating
	// buttons carry.
	note, orig string
	answer     int64
	tz         *time.Location
}

// message is the update in the resident's words: what happened, which
// office, when, and what comes next.
func (u update) message() langnghe.Message {
	tz := u.tz // the desk's zone: New fills it in
	vars := map[string]string{"code": u.code, "date": dayIn(u.at, u.lang, tz), "unit": unitIn(u.unit, u.lang),
		"note": u.note, "orig": u.orig, "status": u.status}
	if !u.due.IsZero() {
		vars["due"] = dayIn(u.due, u.lang, tz)
	}
	next := say(u.lang, updWillTell)
	if !u.due.IsZero() {
		next = say(u.lang, updWillAnswer)
	}
	moreInfo := ""
	if u.note != "" {
		moreInfo = "\n\n" + say(u.lang, updMoreInfo) + u.note
	}
	sep := " "
	if u.lang == langnghe.LangZH {
		sep = ""
	}
	var text string
	var rows [][]langnghe.Button
	switch {
	case u.to == u.from && u.to != langnghe.StatusForwarded && u.to != langnghe.StatusExtended:
		// No change of status (forwarded again and extended again are
		// changes): a public note.
		text = say(u.lang, updNote)
	case u.to == langnghe.StatusInProgress:
		text = say(u.lang, updTaken) + sep + next + moreInfo
	case u.to == langnghe.StatusForwarded:
		text = say(u.lang, updForwarded) + sep + next + moreInfo
	case u.to == langnghe.StatusExtended:
		prev := ""
		if !u.prevDue.IsZero() && !u.prevDue.Equal(u.due) {
			vars["prev"] = dayIn(u.prevDue, u.lang, tz)
			prev = fill(say(u.lang, updExtendedPrev), vars)
		}
		vars["prev"] = prev
		text = say(u.lang, updExtended)
		if u.note != "" {
			text += "\n" + say(u.lang, updReason) + u.note
		}
	case u.to == langnghe.StatusAnswered:
		text = say(u.lang, updAnswered) + "\n\n" + say(u.lang, msgRateQuestion)
		rows = [][]langnghe.Button{buttons(
			langnghe.Button{Label: say(u.lang, btnSatisfied), Data: ratingData("s", u.code, u.answer)},
			langnghe.Button{Label: say(u.lang, btnNotSatisfied), Data: ratingData("n", u.code, u.answer)},
		)}
	case u.to == langnghe.StatusClosed:
		text = say(u.lang, updClosed) + moreInfo + "\n\n" + say(u.lang, updThanks)
	case u.to == langnghe.StatusRejected:
		text = say(u.lang, updRejected)
		if u.note != "" {
			text += "\n" + say(u.lang, updReason) + u.note
		}
	case u.to == langnghe.StatusRedirected:
		text = say(u.lang, updRedirected)
	case u.to == langnghe.StatusDuplicate:
		text = say(u.lang, updDuplicate) + moreInfo
	case u.to == langnghe.StatusReopened:
		again := say(u.lang, updReopenedNoDue)
		if !u.due.IsZero() {
			again = say(u.lang, updReopenedDue)
		}
		text = say(u.lang, updReopened) + sep + again
	default:
		text = say(u.lang, updOther) + moreInfo
	}
	return langnghe.Message{Text: fill(text, vars), Buttons: rows}
}

// notification tells an official about a new opinion, as they may see it
// (describeIn).
func (d *Desk) notification(ctx context.Context, tx *storage.Tx, w *langnghe.Official, o *langnghe.Opinion) langnghe.Message {
	lang := w.Language
	text := say(lang, msgNewOpinion) + "\n" + d.describeIn(ctx, tx, w, o, lang) + "\n\n" + say(lang, msgReplyToAnswer)
	return notice(o.Code, text, lang)
}

func (c *desk) describe(ctx context.Context, tx *storage.Tx, o *langnghe.Opinion) string {
	return c.describeIn(ctx, tx, c.official, o, c.lang())
}

// describeIn is an opinion as the official viewer reads it. It always
// passes the gate (langnghe.Official.Reveal), whether o was revealed
// already or not: the resident's name and phone are shown only when they
// chose to be reachable by the unit, and a denouncer's only to an official
// with the permission (their shared location too: the map link is left
// out); everyone else reads «Bảo mật» under a confidential marker. Names
// read family name first.
func (d *Desk) describeIn(ctx context.Context, tx *storage.Tx, viewer *langnghe.Official, raw *langnghe.Opinion, lang string) string {
	seen := viewer.Reveal(*raw)
	o := &seen
	var b strings.Builder
	if o.Confidential() {
		b.WriteString(say(lang, msgConfidential) + "\n")
	}
	fmt.Fprintf(&b, "%s · %s\n", o.Code, o.Status.Name(lang))
	fmt.Fprintf(&b, "%s: %s", say(lang, msgCategory), d.categoryNameIn(o.Category, lang))
	if area := d.areaText(o, lang); area != "" {
		fmt.Fprintf(&b, " · %s: %s", say(lang, msgArea), area)
	}
	if unit := d.unitName(ctx, tx, o.Unit, lang); unit != "" {
		fmt.Fprintf(&b, "\n%s: %s", say(lang, msgUnit), unit)
	}
	if !o.CreatedAt.IsZero() {
		fmt.Fprintf(&b, "\n%s: %s", say(lang, msgReceivedAt), d.moment(o.CreatedAt))
	}
	if !o.DueAt.IsZero() {
		fmt.Fprintf(&b, "\n%s: %s", say(lang, msgDueBy), d.day(o.DueAt))
	}
	if o.Location != nil {
		fmt.Fprintf(&b, "\n%s: %s", say(lang, msgMap), mapLink(o.Location))
	}
	if n := len(o.Attachments); n > 0 {
		fmt.Fprintf(&b, "\n"+say(lang, msgFiles), n)
	}
	fmt.Fprintf(&b, "\n\n%s\n\n", o.Text)
	switch {
	case o.ContactName == langnghe.Concealed:
		fmt.Fprintf(&b, "%s: %s", say(lang, msgContact), langnghe.Concealed)
	case o.Anonymous || (o.ContactName == "" && o.ContactPhone == ""):
		b.WriteString(say(lang, msgAnonymous))
	default:
		fmt.Fprintf(&b, "%s: %s", say(lang, msgContact), strings.TrimSpace(FamilyNameFirst(o.ContactName)+" "+o.ContactPhone))
	}
	return b.String()
}

// mapLink opens a shared point in a map.
func mapLink(l *langnghe.Location) string {
	return "https://maps.google.com/?q=" + strconv.FormatFloat(l.Latitude, 'f', -1, 64) + "," +
		strconv.FormatFloat(l.Longitude, 'f', -1, 64)
}

// day is a date as officials read it, whatever their language: 05/03/2026.
func (d *Desk) day(t time.Time) string { return dayIn(t, langnghe.LangVI, d.opts.TimeZone) }

// moment is a date and its time as officials read them: 05/03/2026 14:05.
func (d *Desk) moment(t time.Time) string {
	return t.In(d.opts.TimeZone).Format(langnghe.DateTimeLayout)
}

// dayOrNone is a due date for officials, "—" when there is none.
func (d *Desk) dayOrNone(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return d.day(t)
}

// maxQuoted bounds an earlier answer quoted to officials, in characters.
const maxQuoted = 1500

func (c *desk) categoryName(code string) string { return c.categoryNameIn(code, c.lang()) }

func (d *Desk) categoryNameIn(code, lang string) string {
	if cat, ok := d.cat.Category(code); ok {
		return cat.Name(lang)
	}
	return code
}

// unitName is the unit's name in lang; the code when the unit is unknown.
func (d *Desk) unitName(ctx context.Context, tx *storage.Tx, code, lang string) string {
	if code == "" {
		return ""
	}
	u, err := tx.Unit(ctx, code)
	if err != nil {
		d.log.WarnContext(ctx, "unit name not found", "unit", code, "err", err)
		return code
	}
	return u.Name(lang)
}

func residentLanguage(r *langnghe.Resident, in langnghe.Inbound) string {
	if r.Language != "" {
		return r.Language
	}
	switch code := strings.ToLower(in.LanguageCode); {
	case strings.HasPrefix(code, "en"):
		return langnghe.LangEN
	case strings.HasPrefix(code, "zh"):
		return langnghe.LangZH
	}
	return langnghe.LangVI
}
