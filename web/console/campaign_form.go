package console

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"langnghe"
	"langnghe/flows/vntext"
)

// The campaign form as the board filled it: every field kept as typed, so
// that a refused form comes back with what was written and the reasons.
// The board writes questions and options in Vietnamese; the keys the
// conversation and the results use (q1, dong_y) are made from them.

// newQuestionSlots are the empty questions a new consultation's form shows.
const newQuestionSlots = 3

type campaignForm struct {
	Kind, Title, Theme string
	Areas              []string
	Unit               string
	// Opens and Closes: YYYY-MM-DD (a date field) or DD/MM/YYYY.
	Opens, Closes string
	// A dialogue's conference: its date, time, place and hosts (one a line).
	ConfDate, ConfTime, Place, Hosts string
	// A consultation's draft and questions.
	Summary, Link string
	Questions     []questionForm
	// Problems are why the form was refused; Focus the field to show
	// first after «add a question».
	Problems []string
	Focus    string
}

// questionForm is one question of a consultation.
type questionForm struct {
	// Key is kept from the stored question (a hidden field); a new one
	// gets the next free q<n>.
	Key, Kind, Text string
	// Options are a choice's, one a line.
	Options  string
	Optional bool
}

func readCampaignForm(r *http.Request) *campaignForm {
	// Browsers send a text area's lines with CRLF.
	v := func(k string) string { return strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(k), "\r\n", "\n")) }
	f := &campaignForm{Kind: v("kind"), Title: oneLine(v("title")), Theme: v("theme"), Unit: v("unit"),
		Opens: v("opens"), Closes: v("closes"), ConfDate: v("conf_date"), ConfTime: v("conf_time"),
		Place: oneLine(v("place")), Hosts: v("hosts"), Summary: v("summary"), Link: v("link")}
	for _, a := range r.PostForm["areas"] {
		if a != "" && !slices.Contains(f.Areas, a) {
			f.Areas = append(f.Areas, a)
		}
	}
	n, _ := strconv.Atoi(r.PostFormValue("questions"))
	n = min(max(n, 0), langnghe.MaxCampaignQuestion)
	for i := range n {
		p := "q" + strconv.Itoa(i+1) + "_"
		f.Questions = append(f.Questions, questionForm{Key: v(p + "key"), Kind: v(p + "kind"), Text: v(p + "text"),
			Options: v(p + "options"), Optional: r.PostFormValue(p+"optional") != ""})
	}
	return f
}

// formOf fills the form with a stored campaign, to edit it.
func formOf(cp *langnghe.Campaign, tz *time.Location) *campaignForm {
	f := &campaignForm{Kind: string(cp.Kind), Title: cp.Title, Theme: cp.Theme, Areas: slices.Clone(cp.Areas), Unit: cp.Unit,
		Opens: isoDate(cp.Opens, tz), Closes: isoDate(cp.Closes, tz)}
	if cf := cp.Conference; cf != nil {
		f.ConfDate, f.ConfTime = isoDate(cf.At, tz), cf.At.In(tz).Format("15:04")
		f.Place, f.Hosts = cf.Place, strings.Join(cf.Hosts, "\n")
	}
	if d := cp.Draft; d != nil {
		f.Summary, f.Link = d.Summary, d.Link
	}
	for _, q := range cp.Questions {
		qf := questionForm{Key: q.Key, Kind: string(q.Kind), Text: q.Text.In(langnghe.LangVI), Optional: q.Optional}
		var labels []string
		for _, o := range q.Options {
			labels = append(labels, o.Label.In(langnghe.LangVI))
		}
		qf.Options = strings.Join(labels, "\n")
		f.Questions = append(f.Questions, qf)
	}
	if cp.Kind == langnghe.CampaignConsultation {
		f.Questions = append(f.Questions, questionForm{Kind: string(langnghe.QuestionChoice)})
	}
	return f
}

// isoDate is t's day in tz as a date field holds it, YYYY-MM-DD; the zero
// time is "".
func isoDate(t time.Time, tz *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(tz).Format(time.DateOnly)
}

// campaign is the campaign the form describes, on old's stored fields when
// editing, or what keeps the form from being one: dates and times that
// are not dates and times, in the viewer's words. Everything else is for
// Validate (and the service) to judge, all at once.
func (f *campaignForm) campaign(old *langnghe.Campaign, l Locale) (*langnghe.Campaign, []string) {
	cp := &langnghe.Campaign{}
	if old != nil {
		cp = new(*old)
	}
	var problems []string
	date := func(s, what string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := formDate(s, l.TZ)
		if err != nil {
			problems = append(problems, notADate(l, what, s))
		}
		return t
	}
	cp.Kind = langnghe.CampaignKind(f.Kind)
	cp.Title, cp.Theme, cp.Unit, cp.Areas = f.Title, f.Theme, f.Unit, slices.Clone(f.Areas)
	cp.Opens = date(f.Opens, "Opens on")
	if cp.Kind != langnghe.CampaignFeedbackPoint { // it never closes: the form hides the field
		cp.Closes = date(f.Closes, "Closes on")
	} else {
		cp.Closes = time.Time{}
	}
	cp.Conference, cp.Draft = nil, nil
	switch cp.Kind {
	case langnghe.CampaignDialogue:
		cf := &langnghe.Conference{Place: f.Place, Hosts: langnghe.SplitList(f.Hosts, "\n")}
		if day := date(f.ConfDate, "Conference date"); !day.IsZero() {
			at, err := time.Parse("15:04", strings.ReplaceAll(f.ConfTime, "h", ":"))
			if f.ConfTime == "" || err != nil {
				problems = append(problems, fmt.Sprintf(l.T("Conference time: %q is not a time; write it as HH:MM, e.g. 08:00."), f.ConfTime))
			}
			cf.At = atClock(day, at)
		}
		cp.Conference = cf
		cp.Questions = nil
	case langnghe.CampaignConsultation:
		cp.Draft = &langnghe.Draft{Summary: f.Summary, Link: f.Link}
		cp.Questions = f.questions(old)
	default:
		cp.Questions = nil
	}
	return cp, problems
}

// questions are the form's non-empty questions. A stored question keeps
// its key and, while its Vietnamese text is unchanged, its translations;
// options keep theirs the same way.
func (f *campaignForm) questions(old *langnghe.Campaign) []langnghe.CampaignQuestion {
	stored := map[string]langnghe.CampaignQuestion{}
	if old != nil {
		for _, q := range old.Questions {
			stored[q.Key] = q
		}
	}
	used := map[string]bool{}
	for _, qf := range f.Questions {
		used[qf.Key] = qf.Key != ""
	}
	var out []langnghe.CampaignQuestion
	next := 1
	for _, qf := range f.Questions {
		if qf.Text == "" && qf.Options == "" {
			continue // an empty slot
		}
		key := qf.Key
		if key == "" {
			for used["q"+strconv.Itoa(next)] {
				next++
			}
			key = "q" + strconv.Itoa(next)
			used[key] = true
		}
		prev := stored[key]
		q := langnghe.CampaignQuestion{Key: key, Kind: langnghe.QuestionKind(qf.Kind), Optional: qf.Optional,
			Text: keepTexts(prev.Text, qf.Text)}
		if q.Kind == langnghe.QuestionChoice {
			values := map[string]bool{}
			for _, label := range langnghe.SplitList(qf.Options, "\n") {
				o := langnghe.QuestionOption{Value: optionValue(label, values), Label: langnghe.Texts{langnghe.LangVI: label}}
				if po, ok := prev.Option(o.Value); ok {
					o.Label = keepTexts(po.Label, label)
				}
				q.Options = append(q.Options, o)
			}
		}
		out = append(out, q)
	}
	return out
}

// keepTexts is vi with old's translations when old's Vietnamese is vi.
func keepTexts(old langnghe.Texts, vi string) langnghe.Texts {
	if old != nil && old[langnghe.LangVI] == vi {
		return old
	}
	return langnghe.Texts{langnghe.LangVI: vi}
}

// optionValue makes an option's value from its label, «Đồng ý» → dong_y,
// distinct from the values taken.
func optionValue(label string, taken map[string]bool) string {
	var b strings.Builder
	for _, r := range vntext.Fold(label) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	v := strings.Trim(b.String(), "_")
	if len(v) > 24 {
		v = strings.TrimRight(v[:24], "_")
	}
	if v == "" || v == "skip" {
		v = "o" + v
	}
	base := v
	for i := 2; taken[v]; i++ {
		v = base + "_" + strconv.Itoa(i)
	}
	taken[v] = true
	return v
}

// notADate says that the field what (English; translated) holds s, which
// is not a date.
func notADate(l Locale, what, s string) string {
	return fmt.Sprintf(l.T("%s: %q is not a date; write it as DD/MM/YYYY, e.g. 20/05/2026."), l.T(what), s)
}

// atClock is day (the start of a day) at clock's hour and minute.
func atClock(day, clock time.Time) time.Time {
	return day.Add(time.Duration(clock.Hour())*time.Hour + time.Duration(clock.Minute())*time.Minute)
}

// formDate reads a date field: YYYY-MM-DD, or DD/MM/YYYY as officials
// type it where the browser has no date picker (langnghe.ReadDate).
func formDate(s string, tz *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, s, tz); err == nil {
		return t, nil
	}
	return langnghe.ReadDate(s, tz)
}

// oneLine is s on one line: a title or a place is written in a text area
// (which wraps on a phone), without line breaks.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
