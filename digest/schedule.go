package digest

import (
	"fmt"
	"time"

	"langnghe"
)

// Period is one scheduled occurrence of an official's digest.
type Period struct {
	// Key names the period, unique per official: "daily:2026-11-27" or
	// "weekly:2026-W48" (ISO week). A key is a day or a week rather than a
	// time, so an official who moves their digest from 07:30 to 08:00 does
	// not get a second one the same day.
	Key string
	// At is the scheduled time.
	At time.Time
	// Length is a day or a week: the window of a first digest.
	Length time.Duration
}

// Latest returns the official's latest scheduled digest at or before now,
// in loc. ok is false when the official takes no digest, or when that
// occurrence came before they joined (a new official's first digest is the
// next scheduled one, not one made up for a time they were not there).
// A digest missed while the service was down is simply still the latest
// occurrence: it is sent once on recovery, and older missed ones never.
func Latest(o *langnghe.Official, now time.Time, loc *time.Location) (p Period, ok bool, err error) {
	if o.Digest != langnghe.DigestDaily && o.Digest != langnghe.DigestWeekly {
		return Period{}, false, nil
	}
	clock, err := time.Parse("15:04", o.DigestTime)
	if err != nil {
		return Period{}, false, langnghe.Errorf(langnghe.EINVALID, "official %d: digest time %q is not HH:MM", o.ID, o.DigestTime)
	}
	local := now.In(loc)
	at := time.Date(local.Year(), local.Month(), local.Day(), clock.Hour(), clock.Minute(), 0, 0, loc)
	if o.Digest == langnghe.DigestDaily {
		if at.After(local) {
			at = at.AddDate(0, 0, -1)
		}
		p = Period{Key: "daily:" + at.Format(time.DateOnly), At: at, Length: 24 * time.Hour}
	} else {
		if o.DigestWeekday < time.Sunday || o.DigestWeekday > time.Saturday {
			return Period{}, false, langnghe.Errorf(langnghe.EINVALID, "official %d: digest weekday %d is not 0–6", o.ID, o.DigestWeekday)
		}
		at = at.AddDate(0, 0, -((int(at.Weekday()) - int(o.DigestWeekday) + 7) % 7))
		if at.After(local) {
			at = at.AddDate(0, 0, -7)
		}
		year, week := at.ISOWeek()
		p = Period{Key: fmt.Sprintf("weekly:%d-W%02d", year, week), At: at, Length: 7 * 24 * time.Hour}
	}
	if at.Before(o.CreatedAt) {
		return Period{}, false, nil
	}
	return p, true, nil
}
