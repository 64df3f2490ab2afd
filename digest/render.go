package digest

import (
	"fmt"
	"strings"
	"time"

	"langnghe"
	"langnghe/followup"
	"langnghe/report"
	"langnghe/wording"
)

// Limits that keep a digest readable and well under Telegram's 4096
// characters: the largest groups of new opinions, the oldest open ones.
const (
	newLines    = 10
	oldestItems = 5
)

// contents is one official's digest: what it covers and its figures.
type contents struct {
	Period    Period
	Frequency string // langnghe.DigestDaily or DigestWeekly
	// Scope is the official's: every opinion for the board and admins,
	// otherwise their units' only.
	Scope        langnghe.Scope
	Since, Until time.Time
	Figures      *langnghe.DigestFigures
	// Satisfaction is the monthly index of the feedback points in the
	// scope, for the month so far.
	Satisfaction []report.SatisfactionIndex
}

// names turns codes into the names an official reads.
type names struct {
	catalogue *langnghe.Catalogue
	units     map[string]langnghe.Unit
}

func (n names) category(code, lang string) string {
	if c, ok := n.catalogue.Category(code); ok {
		return c.Name(lang)
	}
	return code
}

func (n names) area(code, lang string) string {
	if code == "" {
		return wording.Text(lang, "digest.no_area")
	}
	return areaName(n.catalogue, code, lang)
}

func (n names) unit(code, lang string) string {
	if code == "" {
		return wording.Text(lang, "digest.no_unit")
	}
	if u, ok := n.units[code]; ok && u.Name(lang) != "" {
		return u.Name(lang)
	}
	return code
}

// text renders the digest as plain text in lang, times in loc. It names
// opinions by code, category, area and unit only: never a resident's name,
// phone, identifier or words, which the figures do not even carry.
func (d *contents) text(lang string, loc *time.Location, n names) string {
	if !wording.Supported(lang) {
		lang = langnghe.LangVI
	}
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }

	line("%s — %s", wording.Text(lang, "digest."+d.Frequency), d.Period.At.In(loc).Format(langnghe.DateLayout))
	scope := wording.Text(lang, "digest.all")
	switch {
	case d.Scope.Empty():
		scope = wording.Text(lang, "digest.none")
	case !d.Scope.All:
		list := make([]string, len(d.Scope.Units))
		for i, u := range d.Scope.Units {
			list[i] = n.unit(u, lang)
		}
		scope = strings.Join(list, ", ")
	}
	line("%s: %s", wording.Text(lang, "digest.scope"), scope)
	line(wording.Text(lang, "digest.window"), d.Since.In(loc).Format(langnghe.DateTimeLayout), d.Until.In(loc).Format(langnghe.DateTimeLayout))
	b.WriteString("\n")

	f := d.Figures
	total := 0
	for _, c := range f.New {
		total += c.N
	}
	line(wording.Text(lang, "digest.new"), total)
	for i, c := range f.New {
		if i == newLines {
			rest := 0
			for _, r := range f.New[i:] {
				rest += r.N
			}
			line(wording.Text(lang, "digest.more"), len(f.New)-i, rest)
			break
		}
		line("• %s — %s: %d", n.category(c.Category, lang), n.area(c.Area, lang), c.N)
	}
	b.WriteString("\n")
	line(wording.Text(lang, "digest.deadlines"), f.Overdue, followup.DueSoonDays, f.DueSoon)
	line(wording.Text(lang, "digest.answered"), f.Answered, f.Satisfied, f.NotSatisfied)
	d.satisfaction(lang, line)
	b.WriteString("\n")
	line("%s", wording.Text(lang, "digest.oldest"))
	if len(f.Oldest) == 0 {
		line("%s", wording.Text(lang, "digest.none"))
	}
	for _, it := range f.Oldest {
		age := int(d.Until.Sub(it.CreatedAt).Hours() / 24)
		due := ""
		if it.DueAt != nil {
			if it.DueAt.Before(d.Until) {
				due = ", " + wording.Text(lang, "digest.overdue")
			} else {
				due = ", " + fmt.Sprintf(wording.Text(lang, "digest.due"), it.DueAt.In(loc).Format(langnghe.DayMonthLayout))
			}
		}
		unit := ""
		if d.Scope.All || len(d.Scope.Units) > 1 {
			unit = ", " + n.unit(it.Unit, lang)
		}
		line("• %s — %s, %s%s — %s%s", it.Code, n.category(it.Category, lang), n.area(it.Area, lang),
			unit, fmt.Sprintf(wording.Text(lang, "digest.age"), age), due)
	}
	if len(f.Oldest) > 0 {
		line("%s", wording.Text(lang, "digest.view_prompt"))
	}
	return strings.TrimRight(b.String(), "\n")
}
