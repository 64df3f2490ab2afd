// Package digest sends officials their daily or weekly digest: new opinions
// by category and area, overdue and due-soon ones, answers and satisfaction
// since the last digest, and the oldest open opinions by code.
//
// Each replica runs a Runner loop. A digest happens exactly once per
// official and period: the run is recorded in digest_runs, whose primary key
// is (official, period), in the same transaction that puts the message in
// the outbox, so of two replicas racing at the scheduled minute only one
// commits a message, and a replica restarted at that minute finds the run
// done. A unique row does this without a job queue: River (a queue library)
// would add a dependency, its own tables and a leader election for periodic
// jobs, and still need the per-official schedule computed here.
package digest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"langnghe"
	"langnghe/followup"
	"langnghe/report"
	"langnghe/storage"
)

// Calendar tells working days, for the due-soon window
// (followup.DueSoonBy, the console's too).
type Calendar interface {
	AddWorkingDays(from time.Time, days int) time.Time
}

// Store is what the runner needs of the database (storage.DB): the
// digests' figures and runs, the officials and units to name, and the
// transaction that queues a digest and claims its period
// (storage.Tx.ClaimDigestRun) together.
type Store interface {
	langnghe.DigestService
	// FeedbackRatings gives the ratings at units' feedback points, for
	// their monthly satisfaction index (report.Satisfaction).
	FeedbackRatings(ctx context.Context, q langnghe.ReportQuery) ([]langnghe.FeedbackRating, error)
	Officials(ctx context.Context) ([]langnghe.Official, error)
	Units(ctx context.Context) ([]langnghe.Unit, error)
	InTx(ctx context.Context, fn func(tx *storage.Tx) error) error
}

// Options tune a Runner.
type Options struct {
	// TimeZone is where digest times are read (Asia/Ho_Chi_Minh).
	TimeZone *time.Location
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Log receives the loop's errors; slog.Default when nil.
	Log *slog.Logger
}

// Runner composes digests and enqueues the due ones.
type Runner struct {
	db  Store
	cat *langnghe.Catalogue
	cal Calendar
	loc *time.Location
	now func() time.Time
	log *slog.Logger
}

// New returns a Runner over db.
func New(db Store, cat *langnghe.Catalogue, cal Calendar, opts Options) *Runner {
	r := &Runner{db: db, cat: cat, cal: cal, loc: opts.TimeZone, now: opts.Now, log: opts.Log}
	r.loc, r.now = langnghe.Clock(r.loc, r.now)
	if r.log == nil {
		r.log = slog.Default()
	}
	return r
}

// Loop runs RunDue every interval until ctx ends. Errors are logged and
// the loop goes on: a digest that failed is still due at the next tick.
func (r *Runner) Loop(ctx context.Context, interval time.Duration) error {
	run := func() error {
		if sent, err := r.RunDue(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn("digests", "err", err)
		} else if sent > 0 {
			r.log.Info("digests sent", "count", sent)
		}
		return nil
	}
	_ = run()
	return langnghe.Every(ctx, interval, run)
}

// RunDue enqueues the digest of every active official whose latest
// scheduled time has passed without a run, and returns how many this call
// enqueued. One official's failure does not stop the others; the errors
// are joined.
func (r *Runner) RunDue(ctx context.Context) (int, error) {
	officials, err := r.db.Officials(ctx)
	if err != nil {
		return 0, fmt.Errorf("digests: %w", err)
	}
	n, errs := 0, []error(nil)
	for i := range officials {
		o := &officials[i]
		if !o.Active() || o.ChatID == "" {
			continue
		}
		sent, err := r.runOne(ctx, o)
		if err != nil {
			errs = append(errs, fmt.Errorf("digest of official %d: %w", o.ID, err))
		} else if sent {
			n++
		}
		if ctx.Err() != nil {
			break
		}
	}
	return n, errors.Join(errs...)
}

// errTaken rolls back a transaction that lost the race for a period.
var errTaken = errors.New("digest period already taken")

// runOne enqueues o's digest when its latest period has no run yet.
func (r *Runner) runOne(ctx context.Context, o *langnghe.Official) (bool, error) {
	now := r.now()
	p, ok, err := Latest(o, now, r.loc)
	if err != nil || !ok {
		return false, err
	}
	// A cheap read first, so replicas do not compose digests already sent.
	if _, err := r.db.DigestRun(ctx, o.ID, p.Key); err == nil {
		return false, nil
	} else if langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
		return false, err
	}
	d, text, err := r.compose(ctx, o, p, now)
	if err != nil {
		return false, err
	}
	err = r.db.InTx(ctx, func(tx *storage.Tx) error {
		m := &langnghe.Outgoing{Channel: o.Channel, ChatID: o.ChatID, Message: langnghe.Message{Text: text}}
		if err := tx.Enqueue(ctx, m); err != nil {
			return err
		}
		claimed, err := tx.ClaimDigestRun(ctx, &langnghe.DigestRun{
			OfficialID: o.ID, PeriodKey: p.Key, ScheduledAt: p.At, Since: d.Since, Until: d.Until, OutboxID: m.ID,
		})
		if err != nil {
			return err
		}
		if !claimed {
			return errTaken // another replica's digest stands; drop ours
		}
		return nil
	})
	if errors.Is(err, errTaken) {
		return false, nil
	}
	return err == nil, err
}

// Preview composes o's digest for its latest period as of now (or, for an
// official who takes none, as a daily one ending now) without sending or
// recording it.
func (r *Runner) Preview(ctx context.Context, o *langnghe.Official) (string, error) {
	now := r.now()
	p, ok, err := Latest(o, now, r.loc)
	if err != nil {
		return "", err
	}
	if !ok {
		p = Period{Key: "preview", At: now, Length: 24 * time.Hour}
	}
	_, text, err := r.compose(ctx, o, p, now)
	return text, err
}

// compose gathers o's figures for period p up to now and renders them in
// o's language. The window starts where o's last digest ended, or one
// period back for a first digest.
func (r *Runner) compose(ctx context.Context, o *langnghe.Official, p Period, now time.Time) (*contents, string, error) {
	since := p.At.Add(-p.Length)
	if last, err := r.db.LastDigestRun(ctx, o.ID); err == nil {
		since = last.Until
	} else if langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
		return nil, "", err
	}
	freq := o.Digest
	if freq != langnghe.DigestWeekly {
		freq = langnghe.DigestDaily
	}
	// The gate's scope (a unit official without units sees nothing);
	// the figures carry no resident's identity at all.
	d := &contents{Period: p, Frequency: freq, Scope: o.Scope(), Since: since, Until: now}
	figures, err := r.db.DigestFigures(ctx, langnghe.DigestScope{
		Scope: d.Scope, Since: since, Until: now, DueSoonBy: followup.DueSoonBy(now, r.cal), Oldest: oldestItems,
	})
	if err != nil {
		return nil, "", err
	}
	d.Figures = figures
	units, err := r.db.Units(ctx)
	if err != nil {
		return nil, "", err
	}
	// The feedback points' index of the month so far, with its trend: for
	// the board every unit's, for a unit official their units'.
	d.Satisfaction, err = report.Satisfaction(ctx, r.db, report.Query{From: now, To: now, Scope: &d.Scope},
		report.Options{TimeZone: r.loc, Units: units, Language: o.Language})
	if err != nil {
		return nil, "", err
	}
	n := names{catalogue: r.cat, units: make(map[string]langnghe.Unit, len(units))}
	for _, u := range units {
		n.units[u.Code] = u
	}
	return d, d.text(o.Language, r.loc, n), nil
}
