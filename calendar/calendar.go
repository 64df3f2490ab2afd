// Package calendar counts working days: Monday to Friday in the local time
// zone, minus public holidays. Deadlines in Vietnamese administrative law
// are given in working days (ngày làm việc).
//
// The holidays ship in holidays.yaml, embedded, which admins extend each
// year: Tết and the Hùng Kings' day follow the lunar calendar and the
// government moves days around them, so no rule can compute them.
package calendar

import (
	"bytes"
	_ "embed"
	"fmt"
	"time"

	"gopkg.in/yaml.v3"

	"langnghe"
)

//go:embed holidays.yaml
var defaultHolidays []byte

// Calendar is a working-day calendar. The zero value is not usable; use New.
type Calendar struct {
	loc      *time.Location
	holidays map[civilDate]bool
}

type civilDate struct {
	y int
	m time.Month
	d int
}

// New returns a calendar in loc with the given days off (only their local
// date counts).
func New(loc *time.Location, holidays ...time.Time) *Calendar {
	c := &Calendar{loc: loc, holidays: map[civilDate]bool{}}
	for _, h := range holidays {
		c.holidays[dateOf(h.In(loc))] = true
	}
	return c
}

// defaultDays are the embedded file's days off, parsed once; the file is
// checked by this package's tests, so a broken default never ships.
var defaultDays = mustParse(defaultHolidays)

func mustParse(data []byte) []time.Time {
	days, err := parse(data)
	if err != nil {
		panic(fmt.Sprintf("embedded holidays: %v", err))
	}
	return days
}

// Default returns the calendar of the embedded holidays file in loc.
func Default(loc *time.Location) *Calendar { return New(loc, defaultDays...) }

// DefaultFile returns the bytes of the embedded holidays file, for admins
// to export, edit and load back.
func DefaultFile() []byte { return bytes.Clone(defaultHolidays) }

// Parse returns the calendar of a holidays file (the format of
// holidays.yaml) in loc. Errors name the entry and are EINVALID: the file
// is admins' input.
func Parse(loc *time.Location, data []byte) (*Calendar, error) {
	days, err := parse(data)
	if err != nil {
		return nil, err
	}
	return New(loc, days...), nil
}

// holidayFile is the shape of holidays.yaml.
type holidayFile struct {
	Holidays []holidayEntry `yaml:"holidays"`
}

type holidayEntry struct {
	Name string `yaml:"name"`
	Date string `yaml:"date"`
	From string `yaml:"from"`
	To   string `yaml:"to"`

	line int // its place in the file, for messages
}

// UnmarshalYAML keeps the entry's line. yaml.v3 does not apply KnownFields
// inside a custom unmarshaler, so unknown fields are checked here.
func (h *holidayEntry) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			switch k := n.Content[i]; k.Value {
			case "name", "date", "from", "to":
			default:
				return fmt.Errorf("line %d: field %s not found in a holiday (name, date, from, to)", k.Line, k.Value)
			}
		}
	}
	type plain holidayEntry
	if err := n.Decode((*plain)(h)); err != nil {
		return err
	}
	h.line = n.Line
	return nil
}

// maxHolidayRun bounds one from–to entry: Tết, the longest, is about ten
// days; a longer run is a typing mistake in a year.
const maxHolidayRun = 31

// parse reads a holidays file into its days off, as noon UTC of each date
// so that any zone less than 12 hours from UTC keeps the date. Each error
// names the entry and its line.
func parse(data []byte) ([]time.Time, error) {
	var f holidayFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, langnghe.Errorf(langnghe.EINVALID, "holidays file: %v", err)
	}
	var out []time.Time
	for i, h := range f.Holidays {
		where := fmt.Sprintf("line %d: holiday %d (%s)", h.line, i+1, h.Name)
		if h.Name == "" {
			return nil, langnghe.Errorf(langnghe.EINVALID, "%s: needs a name", where)
		}
		from, to := h.Date, h.Date
		if h.Date == "" {
			from, to = h.From, h.To
		} else if h.From != "" || h.To != "" {
			return nil, langnghe.Errorf(langnghe.EINVALID, "%s: give either date or from and to, not both", where)
		}
		start, err := time.Parse(time.DateOnly, from)
		if err != nil {
			return nil, langnghe.Errorf(langnghe.EINVALID, "%s: date %q is not YYYY-MM-DD", where, from)
		}
		end, err := time.Parse(time.DateOnly, to)
		if err != nil {
			return nil, langnghe.Errorf(langnghe.EINVALID, "%s: date %q is not YYYY-MM-DD", where, to)
		}
		for _, d := range []time.Time{start, end} {
			if err := langnghe.CheckDate(d); err != nil {
				return nil, langnghe.Errorf(langnghe.EINVALID, "%s: %s", where, langnghe.ErrorMessage(err))
			}
		}
		if end.Before(start) || end.Sub(start) >= maxHolidayRun*24*time.Hour {
			return nil, langnghe.Errorf(langnghe.EINVALID, "%s: %s to %s is not a run of at most %d days", where, from, to, maxHolidayRun)
		}
		for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
			out = append(out, d.Add(12*time.Hour))
		}
	}
	return out, nil
}

func dateOf(t time.Time) civilDate {
	y, m, d := t.Date()
	return civilDate{y, m, d}
}

// WorkingDay reports whether t's local date is a working day.
func (c *Calendar) WorkingDay(t time.Time) bool {
	t = t.In(c.loc)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !c.holidays[dateOf(t)]
}

// AddWorkingDays returns the end of the days-th working day after from's
// date (from's own day does not count), at 23:59:59 local time, which is
// how a deadline "within N working days" is read.
func (c *Calendar) AddWorkingDays(from time.Time, days int) time.Time {
	day := langnghe.DayStart(from, c.loc)
	for n := 0; n < days; {
		day = day.AddDate(0, 0, 1)
		if c.WorkingDay(day) {
			n++
		}
	}
	return time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, c.loc)
}
