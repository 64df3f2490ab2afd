package console

import (
	"time"

	"langnghe/report"
)

// The feedback points' satisfaction index on the reports page
// (report.Satisfaction): per unit and month, the index with its trend, or
// the count when too few visitors rated.

// satisfactionRow is one unit's month at its feedback point, formatted.
type satisfactionRow struct {
	Unit, Name, Month, Ratings string
	// Index is "" when too few visitors rated; Trend is "" without one,
	// Up/Down say its direction.
	Index, Attitude, Time, Result, Trend string
	Up, Down                             bool
}

// viewSatisfaction formats the index rows for the viewer's locale.
func viewSatisfaction(l Locale, rows []report.SatisfactionIndex) []satisfactionRow {
	var out []satisfactionRow
	for _, s := range rows {
		month, _ := time.Parse("2006-01", s.Month)
		row := satisfactionRow{Unit: s.Unit, Name: s.Name, Month: month.Format("01/2006"), Ratings: l.Number(s.Ratings)}
		if s.Index != nil {
			row.Index = decimal(l, *s.Index, 1)
			row.Attitude, row.Time, row.Result = optDecimal(l, s.Attitude), optDecimal(l, s.Time), optDecimal(l, s.Result)
		}
		if s.Trend != nil {
			row.Trend = decimal(l, *s.Trend, 1)
			row.Up, row.Down = *s.Trend > 0, *s.Trend < 0
			if row.Up {
				row.Trend = "+" + row.Trend
			}
		}
		out = append(out, row)
	}
	return out
}
