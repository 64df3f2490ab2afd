package console

import (
	"cmp"
	"math"
	"slices"

	"langnghe"
	"langnghe/flows/vntext"
	"langnghe/report"
)

// Charts are drawn on the server as inline SVG: no JavaScript, no library,
// readable by screen readers (role="img" with a title and a description;
// each bar has its own title with its exact figure, and the page shows the
// same figures in tables). The geometry is computed here; the template
// only writes it out.

// chart is one SVG chart.
type chart struct {
	// ID names the chart in the page (ids of its title and description).
	ID          string
	Title, Desc string
	// Kind is "bars" (horizontal, one per group), "columns" (vertical, one
	// per month) or "rates" (horizontal, 0–100%).
	Kind          string
	Width, Height int
	Bars          []bar
	// Axis is the baseline of a column chart.
	AxisX1, AxisX2, AxisY float64
}

// bar is one bar with its label and value.
type bar struct {
	Key, Label, Value string
	// Title is read out and shown on hover: the full label and value.
	Title      string
	X, Y, W, H float64
	// Track is the full-scale background of a rate (W of 100%).
	TrackW         float64
	LabelX, LabelY float64
	ValueX, ValueY float64
	// ShowLabel is false for the month labels skipped so they do not
	// overlap; ShowValue likewise for the values.
	ShowLabel, ShowValue bool
}

// Sizes, in the SVG's own units (it scales to the page's width). A bar
// chart writes each group's name above its bar, from the left edge, so
// that no name is ever cut however long it is or however narrow the
// screen; the chart is as wide as the longest bar and its figure.
const (
	chartWidth    = 640 // a column chart's
	barChartWidth = barLeft + barSpan + 72
	barLeft       = chartPad
	barSpan       = 360 // the longest bar
	labelHeight   = 16  // a group's name, above its bar
	rowHeight     = labelHeight + barHeight + 8
	barHeight     = 18
	chartPad      = 8
	// Column charts.
	columnsHeight = 240
	plotTop       = 24
	plotBottom    = 200
	plotLeft      = 16
	plotRight     = chartWidth - 16
	// maxColumnWidth keeps a short period's few columns slim.
	maxColumnWidth = 56
	maxLabelRunes  = 56
)

// charts draws the figures: received by category, area and unit (bars),
// by month (columns), and the on-time and satisfaction rates.
func charts(l Locale, f reportForm, fig *figures) []chart {
	period := f.From + " – " + f.To
	titles := map[langnghe.ReportDimension]string{
		langnghe.ReportCategory: "Opinions received by category",
		langnghe.ReportArea:     "Opinions received by area",
		langnghe.ReportUnit:     "Opinions received by unit",
		langnghe.ReportMonth:    "Opinions received by month",
	}
	var out []chart
	for _, g := range fig.Groups {
		title := l.T(titles[g.By])
		id := "chart-" + string(g.By)
		if g.By == langnghe.ReportMonth {
			out = append(out, columnChart(l, id, title, title+", "+period, g.Rows))
		} else {
			out = append(out, barChart(l, id, title, title+", "+period, g.Rows))
		}
	}
	rates := l.T("On-time and satisfaction rates")
	out = append(out, rateChart(l, "chart-rates", rates, rates+", "+period, []rate{
		{"on_time", l.T("On-time rate"), fig.Total.OnTimeRate()},
		{"satisfaction", l.T("Satisfaction rate"), fig.Total.SatisfactionRate},
	}))
	return out
}

// barChart draws one horizontal bar per row, the largest first.
func barChart(l Locale, id, title, desc string, rows []report.Row) chart {
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b report.Row) int { return cmp.Compare(b.Received, a.Received) })
	counts := make([]counted, len(rows))
	for i, r := range rows {
		counts[i] = counted{Key: r.Key, Name: r.Name, N: r.Received}
	}
	return countChart(l, id, title, desc, counts)
}

// counted is one bar of a count chart: what it counts and how many.
type counted struct {
	Key, Name string
	N         int
}

// countChart draws one horizontal bar per row, in the rows' order.
func countChart(l Locale, id, title, desc string, rows []counted) chart {
	top := 0
	for _, r := range rows {
		top = max(top, r.N)
	}
	c := chart{ID: id, Title: title, Desc: desc, Kind: "bars", Width: barChartWidth, Height: 2*chartPad + max(1, len(rows))*rowHeight}
	for i, r := range rows {
		y := float64(chartPad + i*rowHeight)
		w := scale(r.N, top, barSpan)
		value := l.Number(r.N)
		c.Bars = append(c.Bars, bar{
			Key: r.Key, Label: vntext.Clip(r.Name, maxLabelRunes), Value: value, Title: r.Name + ": " + value,
			X: barLeft, Y: y + labelHeight, W: w, H: barHeight,
			LabelX: barLeft, LabelY: y + labelHeight - 4, ValueX: barLeft + w + 6, ValueY: y + labelHeight + barHeight - 5,
			ShowLabel: true, ShowValue: true,
		})
	}
	return c
}

// columnChart draws one column per month, in order, labelling at most
// about twelve of them so the labels never overlap.
func columnChart(l Locale, id, title, desc string, rows []report.Row) chart {
	top := 0
	for _, r := range rows {
		top = max(top, r.Received)
	}
	c := chart{ID: id, Title: title, Desc: desc, Kind: "columns", Width: chartWidth, Height: columnsHeight,
		AxisX1: plotLeft, AxisX2: plotRight, AxisY: plotBottom}
	n := max(1, len(rows))
	slot := float64(plotRight-plotLeft) / float64(n)
	every := (n + 11) / 12
	w := min(slot*0.7, maxColumnWidth)
	for i, r := range rows {
		h := scale(r.Received, top, plotBottom-plotTop)
		x := plotLeft + float64(i)*slot
		value := l.Number(r.Received)
		c.Bars = append(c.Bars, bar{
			Key: r.Key, Label: r.Name, Value: value, Title: r.Name + ": " + value,
			X: x + (slot-w)/2, Y: plotBottom - h, W: w, H: h,
			LabelX: x + slot/2, LabelY: plotBottom + 18, ValueX: x + slot/2, ValueY: plotBottom - h - 5,
			ShowLabel: i%every == 0, ShowValue: n <= 24,
		})
	}
	return c
}

// rate is one bar of a rate chart; Rate is nil when there is nothing to
// measure (no answer, no rating).
type rate struct {
	Key, Label string
	Rate       *float64
}

// rateChart draws each rate as a bar over a 100% track.
func rateChart(l Locale, id, title, desc string, rates []rate) chart {
	c := chart{ID: id, Title: title, Desc: desc, Kind: "rates", Width: barChartWidth, Height: 2*chartPad + len(rates)*rowHeight}
	for i, r := range rates {
		y := float64(chartPad + i*rowHeight)
		w := 0.0
		if r.Rate != nil {
			w = math.Round(*r.Rate*barSpan*10) / 10
		}
		value := percent(l, r.Rate)
		c.Bars = append(c.Bars, bar{
			Key: r.Key, Label: r.Label, Value: value, Title: r.Label + ": " + value,
			X: barLeft, Y: y + labelHeight, W: w, H: barHeight, TrackW: barSpan,
			LabelX: barLeft, LabelY: y + labelHeight - 4, ValueX: barLeft + barSpan + 6, ValueY: y + labelHeight + barHeight - 5,
			ShowLabel: true, ShowValue: true,
		})
	}
	return c
}

// scale is v's length when top is span long, to a tenth of a unit; a bar
// of a non-zero value is always visible.
func scale(v, top int, span float64) float64 {
	if top == 0 || v == 0 {
		return 0
	}
	return max(1, math.Round(float64(v)/float64(top)*span*10)/10)
}
