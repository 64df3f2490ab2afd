package langnghe

import (
	"maps"
	"slices"
	"strings"
	"unicode"
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
//     answers, and their name or phone quoted in the text, are shown only to
//     an official holding the explicit permission SeesDenouncers. Board and
//     admin roles do not imply it. Everyone else reads Concealed.

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
// names, identifying answers, their name and phone quoted in the text) is
// replaced by Concealed unless off MayIdentify them. It does not check the
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

// conceal replaces the author's phone (however it is written: spaces,
// dots, dashes, brackets, +84) and name (at least two letters' worth,
// whole words, any case) in s with Concealed.
func conceal(s string, o *Opinion) string {
	if s == "" {
		return s
	}
	if p := nationalDigits(o.ContactPhone); len(p) >= 6 {
		s = concealPhone(s, p)
	}
	if name := strings.TrimSpace(o.ContactName); len([]rune(name)) >= 4 && name != Concealed {
		s = concealWord(s, name)
	}
	return s
}

// nationalDigits is a phone's digits without the country code or the
// trunk 0: "+84 912 345 678" and "0912345678" are both "912345678".
func nationalDigits(phone string) string {
	var b strings.Builder
	for _, r := range phone {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９': // full-width digits
			b.WriteRune('0' + (r - '０'))
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "84") && len(d) >= 11:
		d = d[2:]
	case strings.HasPrefix(d, "0"):
		d = d[1:]
	}
	return d
}

// concealPhone replaces each run of digits and separators of s whose
// digits end with the national number p.
func concealPhone(s, p string) string {
	rs := []rune(s)
	var b strings.Builder
	for i := 0; i < len(rs); {
		if !phoneStart(rs[i]) && !(rs[i] == '(' && i+1 < len(rs) && isDigit(rs[i+1])) {
			b.WriteRune(rs[i])
			i++
			continue
		}
		j := i + 1
		for j < len(rs) && (phoneStart(rs[j]) || strings.ContainsRune(" .-()/", rs[j])) {
			j++
		}
		// Separators at the end belong to the text.
		for j > i && !isDigit(rs[j-1]) {
			j--
		}
		if j == i {
			b.WriteRune(rs[i])
			i++
			continue
		}
		if strings.Contains(nationalDigits(string(rs[i:j])), p) {
			b.WriteString(Concealed)
		} else {
			b.WriteString(string(rs[i:j]))
		}
		i = j
	}
	return b.String()
}

func isDigit(r rune) bool    { return (r >= '0' && r <= '9') || (r >= '０' && r <= '９') }
func phoneStart(r rune) bool { return isDigit(r) || r == '+' }

// concealWord replaces whole-word occurrences of name in s, any case.
func concealWord(s, name string) string {
	ls, ln := []rune(strings.ToLower(s)), []rune(strings.ToLower(name))
	rs := []rune(s)
	if len(ls) != len(rs) { // a case change that changed the length: leave s as is
		return s
	}
	var b strings.Builder
	for i := 0; i < len(rs); {
		if i+len(ln) <= len(ls) && string(ls[i:i+len(ln)]) == string(ln) &&
			(i == 0 || !wordRune(rs[i-1])) && (i+len(ln) == len(rs) || !wordRune(rs[i+len(ln)])) {
			b.WriteString(Concealed)
			i += len(ln)
			continue
		}
		b.WriteRune(rs[i])
		i++
	}
	return b.String()
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
