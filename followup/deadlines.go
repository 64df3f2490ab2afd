package followup

import (
	"time"

	"langnghe"
)

// Working days the law allows (the articles are named at each).
const (
	// ForwardDays: forward an opinion outside one's competence
	// (Decree 20/2008, art. 9); a denunciation too (Law on Denunciations
	// 2018, art. 24).
	ForwardDays = 5
	// FirstNoticeDays: tell the resident whether the opinion was
	// accepted, needs time, was refused or forwarded (Law on Citizen
	// Reception 2013, art. 28).
	FirstNoticeDays = 10
	// VerifyDays: classify a denunciation and verify the conditions for
	// accepting it (Law on Denunciations 2018, art. 24).
	VerifyDays = 7
)

// Days (calendar days; a period whose last day is a day off ends on the
// next working day, Civil Code 2015 art. 148) the law allows.
const (
	// AcceptDays: accept a complaint or refuse it, and tell the
	// complainant (Law on Complaints 2011, art. 27).
	AcceptDays = 10
	// ResolveDays: resolve a complaint the first time from its acceptance
	// (Law on Complaints 2011, art. 28), or a denunciation from its
	// acceptance (Law on Denunciations 2018, art. 30).
	ResolveDays = 30
)

// Deadlines are an opinion's due dates, each the end of a day, by its
// legal track: feedback has ForwardBy and FirstNoticeBy; a complaint
// AcceptBy and ResolveBy; a denunciation VerifyBy, ForwardBy and ResolveBy.
// The others are zero.
type Deadlines struct {
	ForwardBy     time.Time
	FirstNoticeBy time.Time
	// AcceptBy: a complaint's acceptance notice (art. 27);
	// VerifyBy: a denunciation's classification and verification
	// (art. 24).
	AcceptBy, VerifyBy time.Time
	// ResolveBy: a complaint's first resolution or a denunciation's, 30
	// days from acceptance. Until an official takes it (accepts it), that
	// is counted from the last day acceptance is allowed; once taken, it is
	// the opinion's DueAt.
	ResolveBy time.Time
	// ResultBy is the opinion's DueAt: for feedback the category's
	// service level from its creation or the date an extension set; for a
	// complaint or a denunciation the deadline of its current step (see
	// LegalDue).
	ResultBy time.Time
}

// DeadlinesOf computes an opinion's due dates from when it was received.
func DeadlinesOf(o langnghe.Opinion, cal Calendar) Deadlines {
	d := Deadlines{ResultBy: o.DueAt}
	switch o.LegalTrack {
	case langnghe.TrackComplaint:
		d.AcceptBy = AddDays(o.CreatedAt, AcceptDays, cal)
		d.ResolveBy = resolveBy(o, d.AcceptBy, cal)
	case langnghe.TrackDenunciation:
		d.VerifyBy = cal.AddWorkingDays(o.CreatedAt, VerifyDays)
		d.ForwardBy = cal.AddWorkingDays(o.CreatedAt, ForwardDays)
		d.ResolveBy = resolveBy(o, d.VerifyBy, cal)
	default:
		d.ForwardBy = cal.AddWorkingDays(o.CreatedAt, ForwardDays)
		d.FirstNoticeBy = cal.AddWorkingDays(o.CreatedAt, FirstNoticeDays)
	}
	return d
}

// resolveBy is 30 days from acceptance: the DueAt an official's take set
// (later than the first step's deadline), or else counted from that
// deadline, the latest acceptance the law allows.
func resolveBy(o langnghe.Opinion, firstStep time.Time, cal Calendar) time.Time {
	if o.DueAt.After(firstStep) {
		return o.DueAt
	}
	return AddDays(firstStep, ResolveDays, cal)
}

// LegalDue is the DueAt the law sets for a complaint or a denunciation
// received at created (ok false for feedback, whose DueAt is its
// category's service level). An opinion's DueAt is the deadline of the
// step it is at, so that "overdue" flags the step the law says is late:
// a complaint must be accepted within 10 days (art. 27) and a denunciation
// classified and verified within 7 working days (art. 24) — both are
// feedback's service level no more. Taking it (TakenDue) is the acceptance,
// and moves DueAt to the resolution, 30 days on.
func LegalDue(track langnghe.LegalTrack, created time.Time, cal Calendar) (time.Time, bool) {
	switch track {
	case langnghe.TrackComplaint:
		return AddDays(created, AcceptDays, cal), true
	case langnghe.TrackDenunciation:
		return cal.AddWorkingDays(created, VerifyDays), true
	}
	return time.Time{}, false
}

// TakenDue is the DueAt of a complaint or a denunciation an official takes
// (accepts) at now: the resolution, 30 days on (Law on Complaints 2011,
// art. 28; Law on Denunciations 2018, art. 30), or its current DueAt when
// that is later (an extension). ok is false for feedback.
func TakenDue(o langnghe.Opinion, now time.Time, cal Calendar) (time.Time, bool) {
	if o.LegalTrack != langnghe.TrackComplaint && o.LegalTrack != langnghe.TrackDenunciation {
		return time.Time{}, false
	}
	due := AddDays(now, ResolveDays, cal)
	if o.DueAt.After(due) {
		due = o.DueAt
	}
	return due, true
}

// AddDays is the end of the day days calendar days after from, in the
// calendar's time zone; when that day is not a working day, the end of the
// next working day (Civil Code 2015, art. 148).
func AddDays(from time.Time, days int, cal Calendar) time.Time {
	d := cal.AddWorkingDays(from, 0).AddDate(0, 0, days) // the end of from's day, in the calendar's zone
	for i := 0; i < 60 && !cal.WorkingDay(d); i++ {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// Overdue reports whether an open opinion's due date has passed at now.
// It is derived, never stored, so it cannot go stale.
func Overdue(o langnghe.Opinion, now time.Time) bool {
	return o.Status.Open() && !o.DueAt.IsZero() && now.After(o.DueAt)
}

// DueSoonDays is how many working days ahead "due soon" looks: an open
// opinion due by the end of the second working day after today is due
// soon (the console's strip and filter, the digests).
const DueSoonDays = 2

// DueSoonBy is the end of the due-soon window at now: the end of the
// DueSoonDays-th working day after now's date, on the service's calendar.
// An open opinion due in [now, DueSoonBy] is due soon; one due before now
// is overdue. The one definition every reader uses.
func DueSoonBy(now time.Time, cal interface {
	AddWorkingDays(from time.Time, days int) time.Time
}) time.Time {
	return cal.AddWorkingDays(now, DueSoonDays)
}

// DueSoon reports whether an open opinion, not yet overdue, falls due by
// DueSoonBy(now).
func DueSoon(o langnghe.Opinion, now time.Time, cal Calendar) bool {
	if !o.Status.Open() || o.DueAt.IsZero() || Overdue(o, now) {
		return false
	}
	return !o.DueAt.After(DueSoonBy(now, cal))
}

// ExtendedDue reads a new due date an official typed as DD/MM/YYYY (an
// extension) as the end of that working day, 17:00 in tz. What is not a
// date is a *time.ParseError; a date outside the years officials may enter
// (langnghe.CheckDate) an application error that says which are.
func ExtendedDue(s string, tz *time.Location) (time.Time, error) {
	d, err := langnghe.ReadDate(s, tz)
	if err != nil {
		return time.Time{}, err
	}
	return d.Add(17 * time.Hour), nil
}
