package digest

import (
	"fmt"
	"strings"
	"time"

	"langnghe"
	"langnghe/followup"
	"langnghe/report"
)

// Limits that keep a digest readable and well under Telegram's 4096
// characters: the largest groups of new opinions, the oldest open ones.
const (
	newLines    = 10
	oldestItems = 5
)

// texts are the digest's words in the languages officials use; Vietnamese
// is the fallback.
var texts = map[string]map[string]string{
	langnghe.LangVI: {
		"daily":       "Bản tin ý kiến hằng ngày",
		"weekly":      "Bản tin ý kiến hằng tuần",
		"scope":       "Phạm vi",
		"all":         "toàn bộ các đơn vị",
		"window":      "Từ %s đến %s",
		"new":         "Ý kiến mới: %d",
		"more":        "• và %d nhóm khác: %d ý kiến",
		"none":        "(không có)",
		"no_area":     "chưa rõ địa bàn",
		"deadlines":   "Quá hạn: %d · Sắp đến hạn (trong %d ngày làm việc): %d",
		"answered":    "Đã trả lời: %d · Hài lòng: %d · Chưa hài lòng: %d",
		"oldest":      "Ý kiến đang mở lâu nhất:",
		"age":         "%d ngày",
		"overdue":     "quá hạn",
		"due":         "hạn %s",
		"no_unit":     "chưa giao đơn vị",
		"view_prompt": "Xem chi tiết: /xem MÃ",
	},
	langnghe.LangEN: {
		"daily":       "Daily opinions digest",
		"weekly":      "Weekly opinions digest",
		"scope":       "Scope",
		"all":         "all units",
		"window":      "From %s to %s",
		"new":         "New opinions: %d",
		"more":        "• and %d more groups: %d opinions",
		"none":        "(none)",
		"no_area":     "area unknown",
		"deadlines":   "Overdue: %d · Due soon (within %d working days): %d",
		"answered":    "Answered: %d · Satisfied: %d · Not satisfied: %d",
		"oldest":      "Oldest open opinions:",
		"age":         "%d days",
		"overdue":     "overdue",
		"due":         "due %s",
		"no_unit":     "no unit yet",
		"view_prompt": "Details: /view CODE",
	},
}

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
		return tr(lang, "no_area")
	}
	return areaName(n.catalogue, code, lang)
}

func (n names) unit(code, lang string) string {
	if code == "" {
		return tr(lang, "no_unit")
	}
	if u, ok := n.units[code]; ok && u.Name(lang) != "" {
		return u.Name(lang)
	}
	return code
}

func tr(lang, key string) string {
	if t, ok := texts[lang]; ok {
		return t[key]
	}
	return texts[langnghe.LangVI][key]
}

// text renders the digest as plain text in lang, times in loc. It names
// opinions by code, category, area and unit only: never a resident's name,
// phone, identifier or words, which the figures do not even carry.
func (d *contents) text(lang string, loc *time.Location, n names) string {
	if _, ok := texts[lang]; !ok {
		lang = langnghe.LangVI
	}
	const stamp = "02/01/2006 15:04"
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }

	line("%s — %s", tr(lang, d.Frequency), d.Period.At.In(loc).Format(langnghe.DateLayout))
	scope := tr(lang, "all")
	switch {
	case d.Scope.Empty():
		scope = tr(lang, "none")
	case !d.Scope.All:
		list := make([]string, len(d.Scope.Units))
		for i, u := range d.Scope.Units {
			list[i] = n.unit(u, lang)
		}
		scope = strings.Join(list, ", ")
	}
	line("%s: %s", tr(lang, "scope"), scope)
	line(tr(lang, "window"), d.Since.In(loc).Format(stamp), d.Until.In(loc).Format(stamp))
	b.WriteString("\n")

	f := d.Figures
	total := 0
	for _, c := range f.New {
		total += c.N
	}
	line(tr(lang, "new"), total)
	for i, c := range f.New {
		if i == newLines {
			rest := 0
			for _, r := range f.New[i:] {
				rest += r.N
			}
			line(tr(lang, "more"), len(f.New)-i, rest)
			break
		}
		line("• %s — %s: %d", n.category(c.Category, lang), n.area(c.Area, lang), c.N)
	}
	b.WriteString("\n")
	line(tr(lang, "deadlines"), f.Overdue, followup.DueSoonDays, f.DueSoon)
	line(tr(lang, "answered"), f.Answered, f.Satisfied, f.NotSatisfied)
	d.satisfaction(lang, line)
	b.WriteString("\n")
	line("%s", tr(lang, "oldest"))
	if len(f.Oldest) == 0 {
		line("%s", tr(lang, "none"))
	}
	for _, it := range f.Oldest {
		age := int(d.Until.Sub(it.CreatedAt).Hours() / 24)
		due := ""
		if it.DueAt != nil {
			if it.DueAt.Before(d.Until) {
				due = ", " + tr(lang, "overdue")
			} else {
				due = ", " + fmt.Sprintf(tr(lang, "due"), it.DueAt.In(loc).Format(langnghe.DayMonthLayout))
			}
		}
		unit := ""
		if d.Scope.All || len(d.Scope.Units) > 1 {
			unit = ", " + n.unit(it.Unit, lang)
		}
		line("• %s — %s, %s%s — %s%s", it.Code, n.category(it.Category, lang), n.area(it.Area, lang),
			unit, fmt.Sprintf(tr(lang, "age"), age), due)
	}
	if len(f.Oldest) > 0 {
		line("%s", tr(lang, "view_prompt"))
	}
	return strings.TrimRight(b.String(), "\n")
}
