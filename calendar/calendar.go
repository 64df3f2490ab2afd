// Package calendar counts working days: Monday to Friday in the local time
// zone, minus public holidays. Deadlines in Vietnamese administrative law
// are given in working days (ngày làm việc).
package calendar

import "time"

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
	t := from.In(c.loc)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.loc)
	for n := 0; n < days; {
		day = day.AddDate(0, 0, 1)
		if c.WorkingDay(day) {
			n++
		}
	}
	return time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, c.loc)
}
