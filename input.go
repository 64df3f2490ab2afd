package langnghe

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// What people type is read with the rules here, once for every place that
// takes it: the console, the officials' chat, Open311 and the CLI.

// The years a date officials enter may fall in: a new due date (an
// extension), a report's period, the inbox's. Anything else is a typo
// (31/12/9999 for 31/12/2025), and stored on SQLite as nanoseconds since
// 1970 a year after 2262 would overflow and come back as 1816.
const (
	FirstYear = 2000
	LastYear  = 2100
)

// CheckDate refuses a date an official entered outside the years
// FirstYear to LastYear (t's year in its own location), saying which dates
// are allowed, in English and Vietnamese.
func CheckDate(t time.Time) error {
	if y := t.Year(); y < FirstYear || y > LastYear {
		return Errorf(EINVALID, "%s is not an allowed date: enter a date from 01/01/%d to 31/12/%d", t.Format(DateLayout), FirstYear, LastYear)
	}
	return nil
}

// How dates are written to officials, and to residents who read
// Vietnamese, everywhere (the console, the chat, digests, exports' names
// aside): the day DD/MM/YYYY, which is also how officials write one
// (ReadDate), with the time after it; in a list of this year's items the
// day without its year; a month MM/YYYY.
const (
	DateLayout         = "02/01/2006"
	DateTimeLayout     = "02/01/2006 15:04"
	DayMonthLayout     = "02/01"
	DayMonthTimeLayout = "02/01 15:04"
	MonthLayout        = "01/2006"
)

// DateIn is t's day as a reader of lang writes it: DateLayout, and in
// Chinese 2026年3月5日.
func DateIn(t time.Time, lang string) string {
	if lang == LangZH {
		return t.Format("2006年1月2日")
	}
	return t.Format(DateLayout)
}

// ReadDate reads a date as officials write it, DD/MM/YYYY (one-digit days
// and months too), as the start of that day in tz. What is not such a date
// is a *time.ParseError; a date outside the years officials may enter is
// CheckDate's error.
func ReadDate(s string, tz *time.Location) (time.Time, error) {
	d, err := time.ParseInLocation("2/1/2006", s, tz)
	if err != nil {
		return time.Time{}, err
	}
	if err := CheckDate(d); err != nil {
		return time.Time{}, err
	}
	return d, nil
}

// DayStart is the start of t's day in loc: midnight local time, the one
// way a day's bounds are worked out (a report's period, today's
// emergencies, a deadline's working days).
func DayStart(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// Clock is a service's time zone and clock with the defaults filled in:
// UTC and time.Now where it was given none (the wiring gives the office's
// zone; tests give a clock of their own).
func Clock(tz *time.Location, now func() time.Time) (*time.Location, func() time.Time) {
	if tz == nil {
		tz = time.UTC
	}
	if now == nil {
		now = time.Now
	}
	return tz, now
}

// SplitList splits a list someone typed at sep (one item a line, a comma
// between codes), trimming each item and dropping the empty ones; nil when
// there is none.
func SplitList(s, sep string) []string {
	var out []string
	for _, item := range strings.Split(s, sep) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// decimal is a number written in decimal: an optional sign, digits with an
// optional point, an optional exponent. strconv.ParseFloat also takes
// NaN, Inf, hexadecimal (0x1p-2) and digit separators (1_0), which no one
// means as a coordinate.
var decimal = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$`)

// ParseCoordinates reads a latitude and a longitude in decimal degrees
// (WGS84), within ±90 and ±180. Only decimal numbers are taken: not NaN,
// infinities or hexadecimal floats.
func ParseCoordinates(lat, long string) (Location, bool) {
	la, ok1 := parseDecimal(lat)
	lo, ok2 := parseDecimal(long)
	if !ok1 || !ok2 || la < -90 || la > 90 || lo < -180 || lo > 180 {
		return Location{}, false
	}
	return Location{Latitude: la, Longitude: lo}, true
}

func parseDecimal(s string) (float64, bool) {
	if !decimal.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}
