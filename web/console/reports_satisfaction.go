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

// optDecimal is decimal with one decimal, "–" when there is no figure.
func optDecimal(l Locale, x *float64) string {
	if x == nil {
		return "–"
	}
	return decimal(l, *x, 1)
}

func init() {
	AddVietnamese(map[string]string{
		"Satisfaction index at feedback points": "Chỉ số hài lòng tại điểm lấy ý kiến",
		"Month":                                 "Tháng",
		"Ratings":                               "Lượt đánh giá",
		"Index (0–100)":                         "Chỉ số (0–100)",
		"Attitude":                              "Thái độ",
		"Time taken":                            "Thời gian",
		"Result":                                "Kết quả",
		"Change from the previous month":        "So với tháng trước",
		"too few ratings":                       "chưa đủ lượt đánh giá",
		"A visitor rates the staff's attitude, the time taken and the result from 1 to 5 at the unit's feedback point. The index is the mean of the visitors' ratings, 1 as 0 and 5 as 100, per unit and calendar month; it is shown once a month has %s ratings or more.": "Người dân đánh giá thái độ phục vụ, thời gian và kết quả giải quyết công việc từ 1 đến 5 tại điểm lấy ý kiến của đơn vị. Chỉ số là trung bình các đánh giá, quy đổi 1 thành 0 và 5 thành 100, tính theo đơn vị và theo tháng; chỉ số được hiển thị khi tháng có từ %s lượt đánh giá trở lên.",
	})
}
