package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"langnghe"
)

// Format is how a report is printed.
type Format string

// The formats.
const (
	Table Format = "table"
	CSV   Format = "csv"
	JSON  Format = "json"
)

// ParseFormat reads a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case Table, CSV, JSON:
		return f, nil
	}
	return "", langnghe.Errorf(langnghe.EINVALID, "unknown report format %q: use table, csv or json", s)
}

// Write prints r in format f: an aligned table for people, CSV for
// spreadsheets (rates as fractions, days with two decimals), JSON for
// programs. The table and JSON also give the emergencies reported in the
// period; the CSV has the opinions' rows alone, as before.
func (r *Report) Write(w io.Writer, f Format) error {
	switch f {
	case Table:
		return r.writeTable(w)
	case CSV:
		return r.writeCSV(w)
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return langnghe.Errorf(langnghe.EINVALID, "unknown report format %q: use table, csv or json", f)
}

var columns = []string{"received", "forwarded", "answered_on_time", "answered_late", "median_days_to_answer", "rated", "satisfied", "satisfaction_rate"}

func (r *Report) lines() []Row {
	return append(append([]Row(nil), r.Rows...), r.Total)
}

func (r *Report) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	by := string(r.By)
	if by == "" {
		by = "key"
	}
	if err := cw.Write(append([]string{by, "name"}, columns...)); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	for _, row := range r.lines() {
		rec := []string{row.Key, row.Name, strconv.Itoa(row.Received), strconv.Itoa(row.Forwarded),
			strconv.Itoa(row.AnsweredOnTime), strconv.Itoa(row.AnsweredLate), number(row.MedianDaysToAnswer, 2, ""),
			strconv.Itoa(row.Rated), strconv.Itoa(row.Satisfied), number(row.SatisfactionRate, 4, "")}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

func (r *Report) writeTable(w io.Writer) error {
	fmt.Fprintf(w, "Opinions received %s to %s\n\n", r.From, r.To)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	by := string(r.By)
	if by == "" {
		by = "period"
	}
	fmt.Fprintf(tw, "%s\tcode\treceived\tforwarded\ton time\tlate\tmedian days\tsatisfied\t\n", by)
	for _, row := range r.lines() {
		satisfied := "-"
		if row.SatisfactionRate != nil {
			satisfied = fmt.Sprintf("%.1f%% of %d", 100**row.SatisfactionRate, row.Rated)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t\n", row.Name, row.Key, row.Received, row.Forwarded,
			row.AnsweredOnTime, row.AnsweredLate, number(row.MedianDaysToAnswer, 1, "-"), satisfied)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	fmt.Fprintf(w, "\nEmergencies reported: %d\n", r.Emergencies)
	if len(r.EmergenciesBy) > 0 {
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "%s\tcode\temergencies\t\n", r.By)
		for _, e := range r.EmergenciesBy {
			fmt.Fprintf(tw, "%s\t%s\t%d\t\n", e.Name, e.Key, e.Count)
		}
		if err := tw.Flush(); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	return r.writeSatisfaction(w)
}

// writeSatisfaction prints the feedback points' monthly index, when the
// report has it.
func (r *Report) writeSatisfaction(w io.Writer) error {
	if len(r.FeedbackPoints) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nFeedback points' satisfaction index (0-100; shown from %d ratings a month)\n", MinFeedbackRatings)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "unit\tcode\tmonth\tratings\tindex\ttrend\t\n")
	for _, s := range r.FeedbackPoints {
		trend := number(s.Trend, 1, "-")
		if s.Trend != nil && *s.Trend > 0 {
			trend = "+" + trend
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t\n", s.Name, s.Unit, s.Month, s.Ratings, number(s.Index, 1, "too few"), trend)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// number formats an optional figure with prec decimals, or none when
// there is no figure (an empty CSV cell, a dash in a table).
func number(x *float64, prec int, none string) string {
	if x == nil {
		return none
	}
	return strconv.FormatFloat(*x, 'f', prec, 64)
}
