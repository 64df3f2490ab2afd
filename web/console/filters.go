package console

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"langnghe"
)

// The filters the inbox, the reports and their exports share are read here,
// once: the same codes checked against the same catalogue and units, dates
// written the one way officials write them (DD/MM/YYYY, langnghe.ReadDate)
// in the viewer's time zone, and every mistake an EINVALID error whose
// message is in the viewer's language (a page shows it, an export answers
// 400 with it).

// filterForm is the shared filters as the official set them, kept as typed
// so that a mistake comes back with what was written. From and To are the
// first and the last day of the period.
type filterForm struct {
	Status, Category, Area, Unit, From, To string
}

func readFilterForm(q url.Values) filterForm {
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return filterForm{Status: get("status"), Category: get("category"), Area: get("area"), Unit: get("unit"),
		From: get("from"), To: get("to")}
}

// set adds the form's filters that are set to q.
func (f filterForm) set(q url.Values) {
	for k, v := range map[string]string{"status": f.Status, "category": f.Category, "area": f.Area, "unit": f.Unit,
		"from": f.From, "to": f.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
}

// filters is a filterForm read: codes that exist, and the period as the
// start of its first day (Since) and of the day after its last (Until);
// zero where the form left them empty.
type filters struct {
	Status       langnghe.Status
	Open, Closed bool
	Category     string
	Area         string
	Unit         string
	Since, Until time.Time
}

// invalid is a mistake in what the viewer wrote, in their language.
func invalid(l Locale, format string, args ...any) error {
	return langnghe.Errorf(langnghe.EINVALID, "%s", fmt.Sprintf(l.T(format), args...))
}

// unknownFilter says a filter names nothing there is; what is the filter
// in English (translated with the Locale).
func unknownFilter(l Locale, what, value string) error {
	return invalid(l, "There is no %s %q.", l.T(what), value)
}

// read checks the form against the catalogue and units; groups lets the
// status be "open" or "closed" (the inbox's) besides one status.
func (f filterForm) read(cat *langnghe.Catalogue, units []langnghe.Unit, groups bool, l Locale) (filters, error) {
	var out filters
	switch s := langnghe.Status(f.Status); {
	case f.Status == "":
	case groups && f.Status == "open":
		out.Open = true
	case groups && f.Status == "closed":
		out.Closed = true
	case knownStatus(s):
		out.Status = s
	default:
		return out, unknownFilter(l, "status", f.Status)
	}
	if f.Category != "" {
		if _, ok := cat.Category(f.Category); !ok {
			return out, unknownFilter(l, "category", f.Category)
		}
		out.Category = f.Category
	}
	if f.Area != "" {
		if _, ok := cat.Area(f.Area); !ok {
			return out, unknownFilter(l, "area", f.Area)
		}
		out.Area = f.Area
	}
	if f.Unit != "" {
		found := false
		for _, u := range units {
			found = found || u.Code == f.Unit
		}
		if !found {
			return out, unknownFilter(l, "unit", f.Unit)
		}
		out.Unit = f.Unit
	}
	var err error
	if out.Since, err = readDate(f.From, l); err != nil {
		return out, err
	}
	if out.Until, err = readDate(f.To, l); err != nil {
		return out, err
	}
	if !out.Until.IsZero() {
		out.Until = out.Until.AddDate(0, 0, 1) // "to" is the last day of the period
		if !out.Since.IsZero() && !out.Since.Before(out.Until) {
			return out, invalid(l, "The period ends before it starts.")
		}
	}
	return out, nil
}

// readDate reads a date the viewer wrote (langnghe.ReadDate) as the start
// of that day in their time zone; "" is the zero time.
func readDate(s string, l Locale) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := langnghe.ReadDate(s, l.TZ)
	if langnghe.ErrorCode(err) == langnghe.EINVALID {
		return time.Time{}, err // outside the years officials may enter, in both languages
	} else if err != nil {
		return time.Time{}, invalid(l, "%q is not a date DD/MM/YYYY.", s)
	}
	return d, nil
}

func knownStatus(s langnghe.Status) bool {
	for _, k := range langnghe.Statuses {
		if k == s {
			return true
		}
	}
	return false
}
