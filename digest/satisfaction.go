package digest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"langnghe"
	"langnghe/report"
)

// satisfactionTexts are the words of the feedback points' index in the
// digest; Vietnamese is the fallback.
var satisfactionTexts = map[string]map[string]string{
	langnghe.LangVI: {
		"satisfaction": "Chỉ số hài lòng tại điểm lấy ý kiến, tháng %s (thang 0–100):",
		"index":        "• %s: %s (%d lượt đánh giá)",
		"too_few":      "• %s: %d lượt đánh giá, chưa đủ %d lượt để tính chỉ số",
		"up":           ", tăng %s so với tháng trước",
		"down":         ", giảm %s so với tháng trước",
		"same":         ", không đổi so với tháng trước",
	},
	langnghe.LangEN: {
		"satisfaction": "Satisfaction index at feedback points, %s (0–100):",
		"index":        "• %s: %s (%d ratings)",
		"too_few":      "• %s: %d ratings, fewer than the %d an index needs",
		"up":           ", up %s from the previous month",
		"down":         ", down %s from the previous month",
		"same":         ", unchanged from the previous month",
	},
}

func trSatisfaction(lang, key string) string {
	if t, ok := satisfactionTexts[lang]; ok {
		return t[key]
	}
	return satisfactionTexts[langnghe.LangVI][key]
}

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
	line(trSatisfaction(lang, "satisfaction"), month.Format("01/2006"))
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
	if lang != langnghe.LangEN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
