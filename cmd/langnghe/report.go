package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"langnghe"
	"langnghe/config"
	"langnghe/digest"
	"langnghe/report"
	"langnghe/storage"
)

const reportUsage = "usage: langnghe report --from YYYY-MM-DD --to YYYY-MM-DD [--by category|area|unit|status|month] [--format table|csv|json] [--lang vi|en]"

// reportCmd prints the period figures of the opinions received from
// --from to --to (local dates, both included).
func reportCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	from := fs.String("from", "", "first day, YYYY-MM-DD")
	to := fs.String("to", "", "last day, YYYY-MM-DD (included)")
	by := fs.String("by", "", "rows by category, area, unit, status or month (default: the total only)")
	format := fs.String("format", "table", "table, csv or json")
	lang := fs.String("lang", langnghe.LangVI, "language of the names: vi or en")
	if err := fs.Parse(args); err != nil {
		return usageError{fmt.Sprintf("%v\n%s", err, reportUsage)}
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		return usageError{reportUsage}
	}
	q := report.Query{}
	var err error
	if q.From, err = report.ParseDate(*from, cfg.TimeZone); err != nil {
		return err
	}
	if q.To, err = report.ParseDate(*to, cfg.TimeZone); err != nil {
		return err
	}
	if q.By, err = report.ParseDimension(*by); err != nil {
		return err
	}
	f, err := report.ParseFormat(*format)
	if err != nil {
		return err
	}
	db, set, err := openWithSettings(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	units, err := db.Units(ctx)
	if err != nil {
		return err
	}
	opts := report.Options{TimeZone: cfg.TimeZone, Catalogue: set.catalogue, Units: units, Language: *lang}
	r, err := report.Build(ctx, db, q, opts)
	if err != nil {
		return err
	}
	if r.FeedbackPoints, err = report.Satisfaction(ctx, db, q, opts); err != nil {
		return err
	}
	return r.Write(stdout, f)
}

const digestUsage = "usage: langnghe digest run | langnghe digest preview --official ID"

// digestCmd runs the digests due now once (what every replica's loop does
// every 30 s), or prints an official's digest without sending it.
func digestCmd(ctx context.Context, cfg *config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{digestUsage}
	}
	fs := flag.NewFlagSet("digest "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	officialID := fs.Int64("official", 0, "the official's id (langnghe officials list)")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return usageError{digestUsage}
	}
	db, set, err := openWithSettings(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	runner := newDigests(db, set.catalogue, set.calendar, cfg, newLogger(cfg, stderr))
	switch args[0] {
	case "run":
		n, err := runner.RunDue(ctx)
		fmt.Fprintf(stdout, "%d digests queued\n", n)
		return err
	case "preview":
		if *officialID <= 0 {
			return usageError{digestUsage}
		}
		o, err := officialByID(ctx, db, *officialID)
		if err != nil {
			return err
		}
		text, err := runner.Preview(ctx, o)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, text)
		return nil
	}
	return usageError{digestUsage}
}

// newDigests builds the digest runner the loop in serve and the CLI share.
func newDigests(db *storage.DB, cat *langnghe.Catalogue, cal digest.Calendar, cfg *config.Config, log *slog.Logger) *digest.Runner {
	return digest.New(db, cat, cal, digest.Options{TimeZone: cfg.TimeZone, Log: log})
}

func officialByID(ctx context.Context, db *storage.DB, id int64) (*langnghe.Official, error) {
	officials, err := db.Officials(ctx)
	if err != nil {
		return nil, err
	}
	for i := range officials {
		if officials[i].ID == id {
			return &officials[i], nil
		}
	}
	return nil, langnghe.Errorf(langnghe.ENOTFOUND, "official %s not found (see langnghe officials list)", strconv.FormatInt(id, 10))
}

// digestInterval is how often each replica looks for due digests: a digest
// goes out within this long of its scheduled minute.
const digestInterval = 30 * time.Second

// runDigests is serve's digest loop.
func (a *app) runDigests(ctx context.Context) error {
	return newDigests(a.db, a.catalogue, a.calendar, a.cfg, a.log).Loop(ctx, digestInterval)
}
