package officedesk

import (
	"context"
	"fmt"
	"strings"
	"time"

	"langnghe"
	"langnghe/flows"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/wording"
)

// Officials' commands, Vietnamese first with English aliases. The channel
// passes unknown commands through under their own name; /trogiup, /help,
// /start and /menu arrive as the engine's global names.
//
//	/xem CODE                       (/view)      an opinion and its history
//	/danhsach                       (/open)      open opinions in scope
//	/quahan                         (/overdue)   overdue opinions in scope
//	/nhan CODE                      (/take)      take it (in progress)
//	/chuyen CODE UNIT               (/forward)   forward to a unit
//	/giahan CODE DD/MM/YYYY REASON  (/extend)    new due date with a reason
//	/traloi CODE ANSWER             (/answer)    answer the resident
//	/dong CODE                      (/close)
//	/tuchoi CODE REASON             (/reject)
//	/huongdan CODE REASON           (/redirect)  guide to the formal route
//	/trung CODE ORIGINAL            (/duplicate)
//	/ghichu CODE NOTE               (/note)      internal note
//	/thongbao on|off                (/notify)    notifications of new opinions
//	/dangnhap                       (/signin)    a one-time link to the web console
type command int

const (
	cmdHelp command = iota
	cmdView
	cmdOpen
	cmdOverdue
	cmdNotify
	cmdSignIn
)

var commandNames = map[string]command{
	flows.CommandHelp: cmdHelp, flows.CommandStart: cmdHelp, flows.CommandMenu: cmdHelp,
	"xem": cmdView, "view": cmdView,
	"danhsach": cmdOpen, "open": cmdOpen,
	"quahan": cmdOverdue, "overdue": cmdOverdue,
	"thongbao": cmdNotify, "notify": cmdNotify,
	"dangnhap": cmdSignIn, "signin": cmdSignIn,
}

// actionCommands maps command names to lifecycle actions; actCommand reads
// their arguments.
var actionCommands = map[string]followup.ActionKind{
	"nhan": followup.ActTake, "take": followup.ActTake,
	"chuyen": followup.ActForward, "forward": followup.ActForward,
	"giahan": followup.ActExtend, "extend": followup.ActExtend,
	"traloi": followup.ActAnswer, "answer": followup.ActAnswer,
	"dong": followup.ActClose, "close": followup.ActClose,
	"tuchoi": followup.ActReject, "reject": followup.ActReject,
	"huongdan": followup.ActRedirect, "redirect": followup.ActRedirect,
	"trung": followup.ActDuplicate, "duplicate": followup.ActDuplicate,
	"ghichu": followup.ActNote, "note": followup.ActNote,
}

// desk is one official's input being applied inside its transaction.
type desk struct {
	*Desk
	ctx      context.Context
	tx       *storage.Tx
	in       langnghe.Inbound
	official *langnghe.Official
}

func (c *desk) lang() string {
	if c.official.Language != "" {
		return c.official.Language
	}
	return officialLanguage(c.in.LanguageCode)
}

func (c *desk) say(k textKey, args ...any) string { return fmt.Sprintf(say(c.lang(), k), args...) }

// reply queues a message to the official.
func (c *desk) reply(m langnghe.Message) error {
	return enqueue(c.ctx, c.tx, c.in.Channel, c.in.ChatID, nil, m)
}

func (c *desk) replyText(text string) error { return c.reply(langnghe.Message{Text: text}) }

// handle applies the official's input. Application errors (a code outside
// their scope, a transition the lifecycle forbids) become a reply, so the
// update commits; anything else rolls it back to be retried.
func (c *desk) handle() error {
	err := c.dispatch()
	if err == nil || langnghe.ErrorCode(err) == langnghe.EINTERNAL {
		return err
	}
	return c.replyText("⚠️ " + langnghe.ErrorMessageIn(err, c.lang()))
}

func (c *desk) dispatch() error {
	in := c.in.Input
	switch in.Kind {
	case langnghe.InputButton:
		return c.button(in.Data)
	case langnghe.InputCommand:
		if payload := strings.TrimSpace(in.Text); in.Command == flows.CommandStart && langnghe.IsCampaignPayload(payload) {
			return c.campaignLink(payload)
		}
		return c.command(in.Command, in.Text)
	case langnghe.InputText:
		if replying(c.in) {
			return c.replied(in.Text)
		}
		return c.plain(in.Text)
	case langnghe.InputAttachment, langnghe.InputLocation, langnghe.InputContact:
		// Never dropped silently: what they sent goes nowhere, and they
		// are told so.
		return c.replyText(c.say(msgTextOnly) + "\n\n" + c.say(msgReplyToAnswer))
	}
	return c.replyText(c.say(msgHelp))
}

func (c *desk) command(name, args string) error {
	if kind, ok := actionCommands[name]; ok {
		return c.actCommand(kind, args)
	}
	cmd, ok := commandNames[name]
	if !ok {
		return c.replyText(c.say(msgUnknownCommand, name) + "\n\n" + c.say(msgHelp))
	}
	switch cmd {
	case cmdView:
		code := firstWord(args)
		if code == "" {
			return c.replyText(c.say(msgUsage, c.usage(cmdViewUsage)))
		}
		return c.view(code)
	case cmdOpen:
		return c.list(langnghe.OpinionFilter{Open: true, Limit: listLimit}, msgNoOpen)
	case cmdOverdue:
		return c.list(langnghe.OpinionFilter{OverdueAt: c.opts.Now(), Limit: listLimit}, msgNoOverdue)
	case cmdNotify:
		return c.setNotify(args)
	case cmdSignIn:
		return c.signInLink()
	}
	return c.replyText(c.say(msgHelp))
}

// listLimit caps a list in one chat message.
const listLimit = 30

// actCommand parses "CODE [UNIT|DATE|ORIGINAL] [TEXT]" for kind and acts.
func (c *desk) actCommand(kind followup.ActionKind, args string) error {
	code, rest := cutWord(args)
	if code == "" {
		return c.replyText(c.say(msgUsage, c.usage(kind)))
	}
	// Status changes reach the resident by themselves; the follow-up core
	// decides which notes go with them (answers and reasons do, remarks not).
	a := followup.Action{Kind: kind}
	switch kind {
	case followup.ActForward:
		a.Unit, rest = cutWord(rest)
		a.Note = rest
	case followup.ActExtend:
		var date string
		date, a.Note = cutWord(rest)
		due, err := c.parseDate(date)
		if langnghe.ErrorCode(err) == langnghe.EINVALID {
			return err // a year no one means: handle says which dates are allowed
		} else if err != nil {
			return c.replyText(c.say(msgUsage, c.usage(kind)))
		}
		a.Due = due
	case followup.ActDuplicate:
		a.DuplicateOf, a.Note = cutWord(rest)
	default:
		a.Note = rest
	}
	return c.act(strings.ToUpper(code), a)
}

// Usages of commands that are not actions.
const (
	cmdViewUsage   followup.ActionKind = "view"
	cmdNotifyUsage followup.ActionKind = "notify"
)

// usage is a command's form in the official's language (desk.usage.*).
func (c *desk) usage(k followup.ActionKind) string {
	return say(c.lang(), textKey("desk.usage."+string(k)))
}

// parseDate reads DD/MM/YYYY as the end of that working day, local time:
// what is not such a date is a *time.ParseError, a date outside the years
// officials may enter an application error that says which are.
func (c *desk) parseDate(s string) (time.Time, error) {
	return followup.ExtendedDue(s, c.opts.TimeZone)
}

// act applies a to the opinion with code as Desk.Act does, and confirms
// it to the official: the change, the dates an extension moved, and what
// the resident was told, quoted as they read it (or that they were not
// told, and why).
func (c *desk) act(code string, a followup.Action) error {
	ch, t, err := c.Desk.act(c.ctx, c.tx, c.official, code, a)
	if err != nil {
		return err
	}
	if a.Kind == followup.ActAnswer {
		// Answered: a «Trả lời người dân» pressed earlier waits no more.
		if _, err := c.tx.DeleteAwaitingDrafts(c.ctx, c.official.ID); err != nil {
			return err
		}
	}
	lang := c.lang()
	var b strings.Builder
	switch {
	case a.Kind == followup.ActForward:
		b.WriteString(c.say(msgForwardedTo, ch.Opinion.Code, c.unitName(c.ctx, c.tx, ch.Opinion.Unit, lang)))
	case ch.From != ch.To || a.Kind == followup.ActExtend:
		b.WriteString(c.say(msgDone, ch.Opinion.Code, ch.From.Name(lang), ch.To.Name(lang)))
	default:
		b.WriteString(c.say(msgNoted, ch.Opinion.Code))
	}
	if a.Kind == followup.ActExtend && !ch.Opinion.DueAt.IsZero() {
		b.WriteString("\n" + c.say(msgDueChange, c.dayOrNone(t.PrevDue), c.day(ch.Opinion.DueAt)))
	}
	b.WriteString("\n\n")
	switch {
	case !ch.Public:
		b.WriteString(c.say(msgNotTold))
	case !t.Reached:
		b.WriteString(c.say(msgNoResident))
	default:
		in := ""
		if t.Lang != lang {
			if wording.Supported(t.Lang) {
				in = c.say(msgToldIn, say(lang, textKey("desk.language."+t.Lang)))
			}
		}
		b.WriteString(c.say(msgToldResident, in) + "\n" + quote(t.Text, lang))
		if t.Blocked {
			b.WriteString("\n\n" + c.say(msgResidentBlocked))
		}
	}
	return c.reply(langnghe.Message{Text: b.String(), Regarding: answering(ch.Opinion.Code)})
}

// quote puts a text in the quotation marks of lang.
func quote(s, lang string) string {
	if lang == langnghe.LangEN {
		return "“" + s + "”"
	}
	return "«" + s + "»"
}

// replied answers the resident: the official replied (Telegram's own
// reply) to a message of ours about one opinion (its notification, the
// answer prompt, the opinion shown, what was done to it). A reply to
// anything else is a plain message: asked which opinion it answers.
func (c *desk) replied(text string) error {
	code, err := replyRegards(c.ctx, c.tx, c.in, langnghe.ReplyAnswer)
	switch {
	case err != nil:
		return err
	case code == "":
		return c.plain(text)
	}
	if strings.TrimSpace(text) == "" {
		return c.replyText(c.say(msgUsage, c.usage(followup.ActAnswer)))
	}
	return c.act(code, followup.Action{Kind: followup.ActAnswer, Note: strings.TrimSpace(text)})
}

// view shows one opinion in scope, with its history.
func (c *desk) view(code string) error {
	o, events, err := c.core.Opinion(c.ctx, c.tx, c.official, strings.ToUpper(code))
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(c.describe(c.ctx, c.tx, o))
	if len(events) > 0 {
		b.WriteString("\n\n" + c.say(msgHistory))
		c.history(&b, o, events)
	}
	return c.reply(notice(o.Code, b.String(), c.lang()))
}

// list shows the opinions in scope that f keeps.
func (c *desk) list(f langnghe.OpinionFilter, empty textKey) error {
	ops, err := c.core.List(c.ctx, c.tx, c.official, f)
	if err != nil {
		return fmt.Errorf("list opinions for official %d: %w", c.official.ID, err)
	}
	if len(ops) == 0 {
		return c.replyText(c.say(empty))
	}
	var b strings.Builder
	now := c.opts.Now()
	for i, o := range ops {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s · %s · %s", o.Code, c.categoryName(o.Category), o.Status.Name(c.lang()))
		if !o.DueAt.IsZero() {
			fmt.Fprintf(&b, " · %s %s", c.say(msgDue), c.day(o.DueAt))
			if o.Status.Open() && o.DueAt.Before(now) {
				b.WriteString(" ⏰")
			}
		}
	}
	return c.replyText(b.String())
}

func (c *desk) setNotify(arg string) error {
	var on bool
	switch strings.ToLower(strings.TrimSpace(arg)) {
	case "on", "bat", "bật":
		on = true
	case "off", "tat", "tắt":
	default:
		return c.replyText(c.say(msgUsage, c.usage(cmdNotifyUsage)))
	}
	c.official.Notify = on
	if err := c.tx.SaveOfficialSettings(c.ctx, c.official); err != nil {
		return fmt.Errorf("set notifications of official %d: %w", c.official.ID, err)
	}
	if on {
		return c.replyText(c.say(msgNotifyOn))
	}
	return c.replyText(c.say(msgNotifyOff))
}

// signInTTL is how long a console sign-in link sent in the chat stays valid.
const signInTTL = 10 * time.Minute

// signInLink sends the official a one-time link to the web console. The
// link signs in whoever opens it, so it goes only to the official's own
// private chat, never to a group.
func (c *desk) signInLink() error {
	if c.opts.SignInLink == nil {
		return c.replyText(c.say(msgNoConsole))
	}
	if !c.in.Private {
		return c.replyText(c.say(msgSignInPrivate))
	}
	token, err := c.tx.CreateSignInToken(c.ctx, c.official.ID, c.opts.Now().Add(signInTTL))
	if err != nil {
		return fmt.Errorf("sign-in link for official %d: %w", c.official.ID, err)
	}
	return c.replyText(c.say(msgSignInLink, int(signInTTL/time.Minute), c.opts.SignInLink(token)))
}

func firstWord(s string) string { w, _ := cutWord(s); return w }

// cutWord splits s into its first word and the trimmed rest.
func cutWord(s string) (word, rest string) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " \t\n"); i >= 0 {
		return s[:i], strings.TrimSpace(s[i:])
	}
	return s, ""
}

func distinct(ss []string) []string {
	var out []string
	for _, s := range ss {
		dup := false
		for _, o := range out {
			dup = dup || o == s
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

// campaignLink answers an official who opened a campaign's deep link. The
// account is the desk's: everything it sends comes here, so a resident's
// campaign conversation could not go on in it, and an official's own
// rating of their unit's feedback point would skew its index. They are
// told so, and where the campaign is for them: the console.
func (c *desk) campaignLink(payload string) error {
	cp, err := c.tx.CampaignByPayload(c.ctx, payload)
	switch {
	case langnghe.ErrorCode(err) == langnghe.ENOTFOUND:
		return c.replyText(c.say(msgCampaignLinkUnknown))
	case err != nil:
		return fmt.Errorf("campaign of payload %s: %w", payload, err)
	}
	kind := strings.ToLower(cp.Kind.Name(c.lang()))
	return c.replyText(c.say(msgCampaignLink, kind, cp.Title))
}
