package langnghe

import (
	"maps"
	"slices"
	"strings"

	"langnghe/redact"
)

// The one gate: what an official may see of an opinion. Every reader of
// opinions for officials goes through it — the follow-up core (inbox,
// opinion page, /xem, /danhsach), notifications of new and forwarded
// opinions, exports, reports and digests — so that the rules below exist
// once:
//
//   - Scope: the board and admins see every opinion, routed or not; a unit
//     official sees the opinions routed to their units, nothing else (an
//     unrouted opinion is the board's to triage). A revoked official sees
//     nothing.
//   - Nobody sees the resident's internal id; nobody sees an anonymous
//     resident's contact (they are reached through the bot).
//   - A denunciation's author is confidential (Law on Denunciations 2018,
//     art. 9): their name, phone, shared location, files, identifying
//     answers, and their name, phone or any other identifier in their text
//     or in the history, are shown only to an official holding the explicit
//     permission SeesDenouncers. Board and admin roles do not imply it.
//     Everyone else reads Concealed.

// Concealed is what an official without the permission reads in place of
// a denouncer's identity.
const Concealed = "Bảo mật"

// Scope is the opinions an official may see, by the unit they are routed
// to. One rule everywhere (storage filters, reports, digests): All covers
// every opinion, routed or not; otherwise the scope covers the opinions
// routed to one of Units, and nothing when Units is empty. The zero Scope
// covers nothing.
type Scope struct {
	All   bool
	Units []string
}

// Scope is the opinions off may see: all for the board and admins, their
// units' for a unit official, none for a revoked or missing official.
func (off *Official) Scope() Scope {
	switch {
	case off == nil || off.RevokedAt != nil:
		return Scope{}
	case off.SeesAll():
		return Scope{All: true}
	}
	units := make([]string, 0, len(off.Units))
	for _, u := range off.Units {
		if u != "" && !slices.Contains(units, u) {
			units = append(units, u)
		}
	}
	return Scope{Units: units}
}

// Covers reports whether an opinion routed to unit ("" for none yet) is
// within s.
func (s Scope) Covers(unit string) bool {
	return s.All || (unit != "" && slices.Contains(s.Units, unit))
}

// Empty reports whether s covers nothing at all.
func (s Scope) Empty() bool { return !s.All && len(s.Units) == 0 }

// Intersect is what both s and t cover.
func (s Scope) Intersect(t Scope) Scope {
	switch {
	case s.All:
		return Scope{All: t.All, Units: slices.Clone(t.Units)}
	case t.All:
		return Scope{Units: slices.Clone(s.Units)}
	}
	out := Scope{Units: []string{}}
	for _, u := range s.Units {
		if t.Covers(u) && !slices.Contains(out.Units, u) {
			out.Units = append(out.Units, u)
		}
	}
	return out
}

// MaySee reports whether off may see opinion o at all: the board and
// admins see every one, a unit official those routed to their units;
// nobody sees an unrouted one without seeing all.
func (off *Official) MaySee(o *Opinion) bool {
	return o != nil && off.Scope().Covers(o.Unit)
}

// Confidential reports whether the identity of o's author is protected by
// law: a denunciation's (Law on Denunciations 2018, art. 9).
func (o *Opinion) Confidential() bool { return o.LegalTrack == TrackDenunciation }

// MayIdentify reports whether off may see who wrote o: anyone who may see
// an ordinary opinion (its contact still hidden when the resident chose
// to stay anonymous), only an active official with SeesDenouncers for a
// denunciation. Files a resident sent count as identifying: a photo's
// metadata can name the place and the phone it came from.
func (off *Official) MayIdentify(o *Opinion) bool {
	return !o.Confidential() || (off != nil && off.RevokedAt == nil && off.SeesDenouncers)
}

// identifyingAnswers are the answer keys of the default flows that hold
// who the resident is or where they were: never shown for an anonymous
// resident's contact, nor of a denunciation without the permission.
var identifyingAnswers = []string{"phone", "name", "contact", "contact_name", "location", "photo", "attachment", "file"}

// Reveal returns o as off may see it. It never adds anything: the
// resident's internal id is always removed; an anonymous resident's contact
// is removed; a denunciation's author (contact, location, files' ids and
// names, identifying answers, their name and phone and any other
// identifier in the text) is replaced by Concealed (in the text
// redact.Mark) unless off MayIdentify them. It does not check the
// scope: call MaySee first. o itself is not changed.
func (off *Official) Reveal(o Opinion) Opinion {
	out := o
	out.ResidentID = nil
	out.Answers = maps.Clone(o.Answers)
	out.Attachments = slices.Clone(o.Attachments)
	if o.Anonymous {
		out.ContactName, out.ContactPhone = "", ""
		for _, k := range []string{"phone", "name", "contact", "contact_name"} {
			delete(out.Answers, k)
		}
	}
	if off.MayIdentify(&o) {
		return out
	}
	out.ContactName, out.ContactPhone, out.Location = Concealed, "", nil
	for i, a := range out.Attachments {
		out.Attachments[i] = Attachment{Kind: a.Kind, MIME: a.MIME}
	}
	out.Text = conceal(o.Text, &o)
	out.PlaceText = conceal(o.PlaceText, &o) // "nhà ông Nguyễn Văn Tố, ấp 3"
	for k, v := range out.Answers {
		if slices.Contains(identifyingAnswers, k) || fileAnswer(v, o.Attachments) {
			delete(out.Answers, k)
			continue
		}
		out.Answers[k] = conceal(v, &o)
	}
	if len(out.Answers) == 0 {
		out.Answers = nil
	}
	return out
}

// RevealNote returns a free text about o (a note of its history, a
// resident's reason) as off may read it: o's author's name and phone
// quoted in it read Concealed unless off MayIdentify them. o is the
// opinion as stored, not as revealed (which has lost what to look for).
func (off *Official) RevealNote(o *Opinion, note string) string {
	if off.MayIdentify(o) {
		return note
	}
	return conceal(note, o)
}

// ExportsContacts reports whether off's bulk exports (the opinion lists of
// the reports page) carry residents' contact columns at all: for the board
// and admins only. Each row still shows only what Reveal leaves.
func (off *Official) ExportsContacts() bool {
	return off != nil && off.RevokedAt == nil && off.SeesAll()
}

// fileAnswer reports whether an answer names one of the files (the
// engine records "photo:FILEID").
func fileAnswer(v string, files []Attachment) bool {
	for _, a := range files {
		if a.FileID != "" && strings.Contains(v, a.FileID) {
			return true
		}
	}
	return false
}

// conceal hides in s what could identify o's author: their name and phone
// however written, and any other phone number, e-mail address, Telegram
// user name or citizen ID number (the one redaction, package redact). A
// denouncer may name themselves in their own words; an official without
// the permission reads the rest of what they wrote.
func conceal(s string, o *Opinion) string {
	return redact.Text(s, o.ContactName, o.ContactPhone)
}

// Campaigns go through the same gate. The board and admins see every
// campaign; a unit official the campaigns of their units (a feedback
// point's unit, the unit organising a dialogue or a consultation).
// Residents' responses never show who responded, and a text answer's
// identifiers (a phone number, an e-mail address, an ID number) read
// masked for everyone: questions are read out at the conference and
// printed for the leaders, and no contact purpose covers them.

// MayManageCampaigns reports whether off may create and change campaigns
// and work on their question groups: the board and admins. The console
// offers it and the campaigns service enforces it, by this one rule.
func (off *Official) MayManageCampaigns() bool { return off != nil && off.SeesAll() }

// MaySeeCampaign reports whether off may see c and its responses.
func (off *Official) MaySeeCampaign(c *Campaign) bool {
	return c != nil && off.Scope().Covers(c.Unit)
}

// RevealResponse returns r as off may see it: without the resident's
// internal id, text answers with identifiers masked (redact.Mark). It
// does not check the scope: call MaySeeCampaign first.
func (off *Official) RevealResponse(r CampaignResponse) CampaignResponse {
	out := r
	out.ResidentID = nil
	out.Answers = make(map[string]string, len(r.Answers))
	for k, v := range r.Answers {
		if slices.Contains(identifyingAnswers, k) {
			continue
		}
		out.Answers[k] = redact.Text(v)
	}
	return out
}
