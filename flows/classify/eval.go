package classify

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"langnghe"
)

// ReadLabelled reads "category<TAB>track<TAB>text" lines, the dev set's
// format; blank lines and lines starting with # are skipped.
func ReadLabelled(r io.Reader) ([]Labelled, error) {
	var out []Labelled
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 || parts[0] == "" || strings.TrimSpace(parts[2]) == "" {
			return nil, langnghe.Errorf(langnghe.EINVALID, "line %d: want category<TAB>track<TAB>text", n)
		}
		track := langnghe.LegalTrack(parts[1])
		if !track.Valid() {
			return nil, langnghe.Errorf(langnghe.EINVALID, "line %d: unknown legal track %q", n, parts[1])
		}
		out = append(out, Labelled{Category: parts[0], Track: track, Text: parts[2]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read labelled messages: %w", err)
	}
	return out, nil
}

// CategoryStats counts one category's results.
type CategoryStats struct {
	Category  string `json:"category"`
	Labelled  int    `json:"labelled"`  // rows with this category
	Correct   int    `json:"correct"`   // of those, classified as it
	Predicted int    `json:"predicted"` // rows classified as it
}

// Recall is the share of this category's rows classified correctly.
func (s CategoryStats) Recall() float64 { return ratio(s.Correct, s.Labelled) }

// Precision is the share of rows classified as this category that were.
func (s CategoryStats) Precision() float64 { return ratio(s.Correct, s.Predicted) }

// Miss is a row the classifier got wrong.
type Miss struct {
	Labelled
	Got Result
}

// Report sums up a classifier's answers on labelled rows.
type Report struct {
	Rows            int             `json:"rows"`
	CategoryCorrect int             `json:"category_correct"`
	TrackCorrect    int             `json:"track_correct"`
	Sure            int             `json:"sure"`         // rows with a sure result
	SureCorrect     int             `json:"sure_correct"` // of those, the right category
	InAlternatives  int             `json:"in_alternatives"`
	PerCategory     []CategoryStats `json:"per_category"`
	Misses          []Miss          `json:"-"`
}

// Accuracy is the share of rows whose top category is right.
func (r Report) Accuracy() float64 { return ratio(r.CategoryCorrect, r.Rows) }

// TrackAccuracy is the share of rows whose legal track is right.
func (r Report) TrackAccuracy() float64 { return ratio(r.TrackCorrect, r.Rows) }

// SureAccuracy is the accuracy of the results the flow would not question.
func (r Report) SureAccuracy() float64 { return ratio(r.SureCorrect, r.Sure) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Evaluate classifies every row and compares with its labels.
func Evaluate(c *Classifier, rows []Labelled) Report {
	stats := map[string]*CategoryStats{}
	stat := func(code string) *CategoryStats {
		if s, ok := stats[code]; ok {
			return s
		}
		s := &CategoryStats{Category: code}
		stats[code] = s
		return s
	}
	var r Report
	for _, row := range rows {
		got := c.Classify(row.Text)
		r.Rows++
		stat(row.Category).Labelled++
		stat(got.Category).Predicted++
		right := got.Category == row.Category
		if right {
			r.CategoryCorrect++
			stat(row.Category).Correct++
		} else {
			for _, alt := range got.Alternatives {
				if alt.Category == row.Category {
					r.InAlternatives++
				}
			}
		}
		if got.Track == row.Track {
			r.TrackCorrect++
		}
		if got.Sure() {
			r.Sure++
			if right {
				r.SureCorrect++
			}
		}
		if !right || got.Track != row.Track {
			r.Misses = append(r.Misses, Miss{Labelled: row, Got: got})
		}
	}
	for _, s := range stats {
		r.PerCategory = append(r.PerCategory, *s)
	}
	slices.SortFunc(r.PerCategory, func(a, b CategoryStats) int { return strings.Compare(a.Category, b.Category) })
	return r
}

// String renders the report as a plain-text table for a terminal.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rows %d  category accuracy %.1f%%  track accuracy %.1f%%\n",
		r.Rows, 100*r.Accuracy(), 100*r.TrackAccuracy())
	fmt.Fprintf(&b, "sure %d (%.1f%%), right when sure %.1f%%; wrong but among alternatives %d\n",
		r.Sure, 100*ratio(r.Sure, r.Rows), 100*r.SureAccuracy(), r.InAlternatives)
	fmt.Fprintf(&b, "%-18s %8s %8s %9s %7s %9s\n", "category", "labelled", "correct", "predicted", "recall", "precision")
	for _, s := range r.PerCategory {
		fmt.Fprintf(&b, "%-18s %8d %8d %9d %6.1f%% %8.1f%%\n",
			s.Category, s.Labelled, s.Correct, s.Predicted, 100*s.Recall(), 100*s.Precision())
	}
	return b.String()
}
