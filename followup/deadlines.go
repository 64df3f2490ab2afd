package followup

import (
	"time"

	"langnghe"
)

// Working days the law allows (DESIGN.md §2).
const (
	// ForwardDays: forward an opinion outside one's competence
	// (Decree 20/2008, art. 9).
	ForwardDays = 5
	// FirstNoticeDays: tell the resident whether the opinion was
	// accepted, needs time, was refused or forwarded (Law on Citizen
	// Reception 2013, art. 28).
	FirstNoticeDays = 10
)

// Deadlines are an opinion's due dates, each the end of a working day.
type Deadlines struct {
	ForwardBy     time.Time
	FirstNoticeBy time.Time
	// ResultBy is the category's service level from the opinion's
	// creation, or the date an extension set: the opinion's DueAt.
	ResultBy time.Time
}

// DeadlinesOf computes an opinion's due dates from when it was received.
func DeadlinesOf(o langnghe.Opinion, cal Calendar) Deadlines {
	return Deadlines{
		ForwardBy:     cal.AddWorkingDays(o.CreatedAt, ForwardDays),
		FirstNoticeBy: cal.AddWorkingDays(o.CreatedAt, FirstNoticeDays),
		ResultBy:      o.DueAt,
	}
}

// Overdue reports whether an open opinion's due date has passed at now.
// It is derived, never stored, so it cannot go stale.
func Overdue(o langnghe.Opinion, now time.Time) bool {
	return o.Status.Open() && !o.DueAt.IsZero() && now.After(o.DueAt)
}

// DueSoon reports whether an open opinion, not yet overdue, falls due by
// the end of the next working day after now.
func DueSoon(o langnghe.Opinion, now time.Time, cal Calendar) bool {
	if !o.Status.Open() || o.DueAt.IsZero() || Overdue(o, now) {
		return false
	}
	return !o.DueAt.After(cal.AddWorkingDays(now, 1))
}

// ExtendedDue reads a new due date an official typed as DD/MM/YYYY (an
// extension) as the end of that working day, 17:00 in tz.
func ExtendedDue(s string, tz *time.Location) (time.Time, error) {
	d, err := time.ParseInLocation("2/1/2006", s, tz)
	if err != nil {
		return time.Time{}, err
	}
	return d.Add(17 * time.Hour), nil
}
