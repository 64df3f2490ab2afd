package digest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"langnghe"
	"langnghe/report"
	"langnghe/wording"
)

// trSatisfaction is a word of the feedback points' index in the digest
// (the catalogue's digest.satisfaction.*).
func trSatisfaction(lang, key string) string { return wording.Text(lang, "digest.satisfaction."+key) }

// satisfaction renders the feedback points' index of the month so far:
// the index and its change from the previous month, or the count when too
// few visitors rated for an index. Counts and means only: no comment, no
// visitor.
func (d *contents) satisfaction(lang string, line func(string, ...any)) {
	if len(d.Satisfaction) == 0 {
		return
	}
	month, _ := time.Parse("2006-01", d.Satisfaction[0].Month)
	line("")
	line(trSatisfaction(lang, "satisfaction"), month.Format(langnghe.MonthLayout))
	for _, s := range d.Satisfaction {
		if s.Index == nil {
			line(trSatisfaction(lang, "too_few"), s.Name, s.Ratings, report.MinFeedbackRatings)
			continue
		}
		trend := ""
		if s.Trend != nil {
			switch {
			case *s.Trend > 0:
				trend = fmt.Sprintf(trSatisfaction(lang, "up"), decimal(lang, *s.Trend))
			case *s.Trend < 0:
				trend = fmt.Sprintf(trSatisfaction(lang, "down"), decimal(lang, -*s.Trend))
			default:
				trend = trSatisfaction(lang, "same")
			}
		}
		line(trSatisfaction(lang, "index")+"%s", s.Name, decimal(lang, *s.Index), s.Ratings, trend)
	}
}

// decimal writes x with one decimal, with a decimal comma in Vietnamese.
func decimal(lang string, x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	if lang == langnghe.LangVI {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
