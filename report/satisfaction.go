package report

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"langnghe"
)

// The satisfaction index of units' feedback points (điểm lấy ý kiến): a
// visitor rates the staff's attitude, the time taken and the result from
// 1 to 5. Per unit and calendar month (in the service's time zone), the
// index is the mean of the visitors' scores, each the mean of their
// ratings with 1 as 0 and 5 as 100 (langnghe.FeedbackRating.Score),
// rounded to one decimal: 100 is every visitor giving 5 to everything.
// A month with fewer than MinFeedbackRatings visitors has no index (a
// handful of visits says little, and may point at one visitor); the
// count is still shown. The trend is the change from the previous month's
// index, when both months have one.

// MinFeedbackRatings is the fewest visitors' ratings a unit's month needs
// for its index to be shown.
const MinFeedbackRatings = 5

// SatisfactionIndex is one unit's index for one month.
type SatisfactionIndex struct {
	Unit  string `json:"unit"`
	Name  string `json:"name"`
	Month string `json:"month"` // "2026-03"
	// Ratings counts the visitors who rated in the month.
	Ratings int `json:"ratings"`
	// Index is from 0 to 100; nil with fewer than MinFeedbackRatings
	// ratings.
	Index *float64 `json:"index"`
	// Attitude, Time and Result are the mean ratings (1 to 5) of each
	// question, nil when the index is hidden.
	Attitude *float64 `json:"attitude"`
	Time     *float64 `json:"time"`
	Result   *float64 `json:"result"`
	// PreviousIndex is the previous month's index and Trend the change
	// from it (Index - PreviousIndex); nil when either month has none.
	PreviousRatings int      `json:"previous_ratings"`
	PreviousIndex   *float64 `json:"previous_index"`
	Trend           *float64 `json:"trend"`
}

// Hidden reports whether the month had ratings too few for an index.
func (s SatisfactionIndex) Hidden() bool { return s.Index == nil }

// monthSums adds up one unit's month.
type monthSums struct {
	n                 int
	score             float64
	att, time, res    int
	nAtt, nTime, nRes int
}

func (m *monthSums) add(f langnghe.FeedbackRating) {
	score, ok := f.Score()
	if !ok {
		return
	}
	m.n++
	m.score += score
	for _, p := range []struct {
		v      int
		sum, n *int
	}{{f.Attitude, &m.att, &m.nAtt}, {f.Time, &m.time, &m.nTime}, {f.Result, &m.res, &m.nRes}} {
		if p.v > 0 {
			*p.sum += p.v
			*p.n++
		}
	}
}

// index is the month's index, nil below MinFeedbackRatings.
func (m monthSums) index() *float64 {
	if m.n < MinFeedbackRatings {
		return nil
	}
	return round1(m.score / float64(m.n))
}

func mean(sum, n int) *float64 {
	if n == 0 {
		return nil
	}
	return round1(float64(sum) / float64(n))
}

func round1(x float64) *float64 {
	r := math.Round(x*10) / 10
	return &r
}

// monthStart is the first instant of t's month in loc.
func monthStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
}

// FeedbackSource gives the ratings at feedback points (langnghe.ReportService
// has it; the digest needs nothing else of it).
type FeedbackSource interface {
	FeedbackRatings(ctx context.Context, q langnghe.ReportQuery) ([]langnghe.FeedbackRating, error)
}

// Satisfaction computes the index of every unit whose feedback point was
// rated in the calendar months q's period touches (each month whole, so a
// month's figure does not depend on the period asked), narrowed by q's
// Unit and Scope; q's category, area and status do not apply to feedback
// points. Rows are by unit name, then month; a unit with no rating in a
// month has no row for it.
func Satisfaction(ctx context.Context, src FeedbackSource, q Query, opts Options) ([]SatisfactionIndex, error) {
	sq, err := q.instants(opts.location())
	if err != nil {
		return nil, err
	}
	loc := opts.location()
	first := monthStart(sq.From, loc)
	end := monthStart(sq.To.Add(-time.Nanosecond), loc).AddDate(0, 1, 0)
	if months := (end.Year()-first.Year())*12 + int(end.Month()-first.Month()); months > langnghe.MaxReportMonths {
		return nil, langnghe.Errorf(langnghe.EINVALID, "a satisfaction index covers at most %d months; choose a shorter period", langnghe.MaxReportMonths)
	}
	// One month more before, for the first month's trend.
	ratings, err := src.FeedbackRatings(ctx, langnghe.ReportQuery{From: first.AddDate(0, -1, 0), To: end, TimeZone: loc,
		Unit: q.Unit, Scope: q.Scope})
	if err != nil {
		return nil, fmt.Errorf("satisfaction index from %s: %w", first.Format(langnghe.MonthLayout), err)
	}
	type key struct{ unit, month string }
	sums := map[key]*monthSums{}
	for _, f := range ratings {
		k := key{f.Unit, f.At.In(loc).Format("2006-01")}
		if sums[k] == nil {
			sums[k] = &monthSums{}
		}
		sums[k].add(f)
	}
	n := namer{opts: opts}
	var out []SatisfactionIndex
	for k, m := range sums {
		month, _ := time.ParseInLocation("2006-01", k.month, loc)
		if month.Before(first) || m.n == 0 {
			continue
		}
		s := SatisfactionIndex{Unit: k.unit, Name: n.name(langnghe.ReportUnit, k.unit), Month: k.month, Ratings: m.n, Index: m.index()}
		if s.Index != nil {
			s.Attitude, s.Time, s.Result = mean(m.att, m.nAtt), mean(m.time, m.nTime), mean(m.res, m.nRes)
		}
		if prev := sums[key{k.unit, month.AddDate(0, -1, 0).Format("2006-01")}]; prev != nil {
			s.PreviousRatings, s.PreviousIndex = prev.n, prev.index()
			if s.Index != nil && s.PreviousIndex != nil {
				s.Trend = round1(*s.Index - *s.PreviousIndex)
			}
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b SatisfactionIndex) int {
		if a.Name != b.Name {
			return cmp.Compare(a.Name, b.Name)
		}
		if a.Unit != b.Unit {
			return cmp.Compare(a.Unit, b.Unit)
		}
		return cmp.Compare(a.Month, b.Month)
	})
	return out, nil
}
