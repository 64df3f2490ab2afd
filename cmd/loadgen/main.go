// Command loadgen measures the langnghe service under load: simulated
// residents walk the default "send an opinion" flow through an in-process
// fake Telegram Bot API (bot/telegramtest), against the real binary built
// from ./cmd/langnghe, and loadgen prints updates/s, replies/s, the latency
// from an update to the bot's first reply after it and to the last message
// of its turn (p50/p95/p99), errors and the service's memory.
//
// Usage, from the module's directory:
//
//	go run ./cmd/loadgen -residents 500 -duration 30s -rate 1000 -mode webhook -db postgres
//
// Each resident is new (a fresh Telegram user and chat) and walks one of two
// journeys in turn (script.go): /start, the concern typed at the language
// picker, the consent, the place, "không có ảnh", then either a shared phone
// number (every turn one message) or, having declined the consent, straight
// to the summary (one turn of two messages); and sends. Then it starts again
// as another new resident. Between the bot's answer and its next input a
// resident thinks for -think to 1.5 × -think (random), and residents arrive
// spread over one think time.
//
// With -rate 0 every resident goes as fast as the bot answers (closed loop).
// With -rate R, inputs leave on a fixed schedule of R a second shared by
// all residents (open loop); a slot comes to the next resident ready for
// it, so -residents must be large enough for R (about R × the time one
// input takes, think time included); the report shows the rate reached.
//
// The service's sender paces each private chat as Telegram asks (a short
// burst, then one message a second), so the last message of a turn, and
// any message that follows the previous turn's within a second, can wait
// for the chat's pace rather than for the service: the time to the last
// message of a turn is what a resident waits for. -chat-limits makes the
// fake enforce Telegram's per-chat limit too (three at once, then one a
// second; a 429 beyond it counts as an error).
//
// The run stops by itself after -duration or -updates inputs; replies to
// inputs already sent are awaited (each within -timeout). Only 127.0.0.1 is
// contacted. loadgen exits 1 when the run saw errors.
package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"syscall"
	"time"

	"langnghe/bot"
	"langnghe/bot/telegramtest"
)

// options are the command-line settings.
type options struct {
	residents int
	duration  time.Duration
	warmup    time.Duration
	rate      float64
	updates   int64
	mode      string
	db        string
	pgAdmin   string
	think     time.Duration
	timeout   time.Duration
	binary    string
	logPath   string
	profile   string
	// chatLimits makes the fake refuse (429) what goes beyond Telegram's
	// limit for a private chat.
	chatLimits bool
	// sendRate is the service's LANGNGHE_SEND_RATE; globalLimit makes the
	// fake refuse (429) what goes beyond that many messages in a second.
	sendRate    int
	globalLimit int
	// bulk is how many bulk-lane messages are queued before the residents
	// start.
	bulk int
}

// defaultSendRate is the service's send rate unless -send-rate says.
const defaultSendRate = 3000

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.residents, "residents", 500, "residents walking the flow at once")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "how long to send inputs and measure, after the warm-up")
	fs.DurationVar(&o.warmup, "warmup", 5*time.Second, "how long residents run before measuring starts (caches, connections)")
	fs.Float64Var(&o.rate, "rate", 0, "inputs a second over all residents; 0 = as fast as the bot answers")
	fs.Int64Var(&o.updates, "updates", 0, "stop after this many inputs; 0 = no limit")
	fs.StringVar(&o.mode, "mode", "webhook", "how the service receives updates: webhook or polling")
	fs.StringVar(&o.db, "db", "sqlite", "sqlite (a fresh file), postgres (a throwaway database on -pg-admin), or a database URL to use as it is")
	fs.StringVar(&o.pgAdmin, "pg-admin", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL server where -db postgres creates and drops its database")
	fs.DurationVar(&o.think, "think", time.Second, "a resident's least pause between the bot's answer and the next input (up to 1.5× that)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "longest wait for one reply before it counts as an error")
	fs.StringVar(&o.binary, "binary", "", "a langnghe binary to run; empty = go build ./cmd/langnghe")
	fs.StringVar(&o.logPath, "log", "", "keep the service's log in this file; empty = discard it after the run")
	fs.StringVar(&o.profile, "cpuprofile", "", "write a CPU profile of the load generator itself (residents and the fake Bot API) over the measured window to this file")
	fs.BoolVar(&o.chatLimits, "chat-limits", false, "the fake answers 429 beyond three messages at once, then one a second, to a private chat (Telegram's limit)")
	fs.IntVar(&o.sendRate, "send-rate", defaultSendRate, "the service's LANGNGHE_SEND_RATE, messages a second overall (Telegram's is 30)")
	fs.IntVar(&o.globalLimit, "global-limit", 0, "the fake answers 429 beyond this many messages in any second overall; 0 = no limit")
	fs.IntVar(&o.bulk, "bulk", 0, "queue this many messages in the outbox's bulk lane (one per chat, as a campaign's answers) before the residents start")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	case o.mode != "webhook" && o.mode != "polling":
		return o, fmt.Errorf("-mode %q: want webhook or polling", o.mode)
	case o.residents < 1:
		return o, errors.New("-residents must be at least 1")
	case o.duration <= 0 && o.updates <= 0:
		return o, errors.New("give a positive -duration or -updates, so the run ends")
	case o.sendRate < 1 || o.sendRate > 10000 || o.globalLimit < 0 || o.bulk < 0:
		return o, errors.New("-send-rate must be from 1 to 10000; -global-limit and -bulk cannot be negative")
	case o.rate < 0 || o.timeout <= 0 || o.think < 0 || o.warmup < 0:
		return o, errors.New("-rate, -think, -warmup and -timeout cannot be negative; -timeout must be positive")
	}
	return o, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	} else if err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: %v\n", err)
		os.Exit(2)
	}
	r, err := run(ctx, o, os.Stderr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: %v\n", err)
		os.Exit(1)
	}
	r.print(os.Stdout)
	if r.Errors() > 0 {
		os.Exit(1)
	}
}

// run sets up the fake, the database and the service, drives the residents
// and reports. progress receives what is being done.
func run(ctx context.Context, o options, progress io.Writer) (rep *report, err error) {
	dir, err := os.MkdirTemp("", "loadgen-")
	if err != nil {
		return nil, fmt.Errorf("work directory: %w", err)
	}
	defer os.RemoveAll(dir)

	bin := o.binary
	if bin == "" {
		fmt.Fprintln(progress, "loadgen: building ./cmd/langnghe")
		if bin, err = buildService(ctx, dir); err != nil {
			return nil, err
		}
	}
	db, err := prepareDatabase(ctx, o.db, o.pgAdmin, dir)
	if err != nil {
		return nil, err
	}
	if db.drop != nil {
		defer func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			err = errors.Join(err, db.drop(ctx))
		}()
	}

	fakeOptions := []telegramtest.Option{
		telegramtest.WithRetention(64, 1024), // a walk is under 10 messages; the press looks up the last keyboard
		telegramtest.WithMaxPending(1_000_000),
	}
	var limits telegramtest.Limits
	if o.chatLimits {
		limits.PerChat, limits.PerChatBurst = 1, 3
	}
	limits.Global = o.globalLimit
	if limits != (telegramtest.Limits{}) {
		fakeOptions = append(fakeOptions, telegramtest.WithLimits(limits))
	}
	fake := telegramtest.NewServer(fakeOptions...)
	defer fake.Close()

	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	env := map[string]string{
		"LANGNGHE_DATABASE_URL":          db.url,
		"LANGNGHE_TELEGRAM_TOKEN":        fake.Token(),
		"LANGNGHE_TELEGRAM_API_ENDPOINT": fake.Endpoint(),
		"LANGNGHE_TELEGRAM_MODE":         o.mode,
		"LANGNGHE_HTTP_ADDR":             addr,
		"LANGNGHE_SEND_RATE":             strconv.Itoa(cmp.Or(o.sendRate, defaultSendRate)), // by default well above what the flow needs at the offered rates: the fake's limits are off, and the pacing must not be what is measured
		"LANGNGHE_LOG_LEVEL":             "warn",
	}
	if o.mode == "webhook" {
		env["LANGNGHE_WEBHOOK_URL"] = "http://" + addr + "/telegram/webhook"
		env["LANGNGHE_WEBHOOK_SECRET"] = randomSecret()
	}
	fmt.Fprintf(progress, "loadgen: starting the service (%s, %s) on %s\n", o.mode, db.dialect, addr)
	logPath := o.logPath
	if logPath == "" {
		logPath = filepath.Join(dir, "service.log")
	}
	svc, err := startService(bin, addr, logPath, env)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, svc.stop()) }()
	if err := svc.waitReady(ctx); err != nil {
		return nil, err
	}
	if err := waitConnected(ctx, fake, o.mode); err != nil {
		return nil, fmt.Errorf("%w; the service's log:\n%s", err, svc.logTail())
	}
	if o.bulk > 0 {
		fmt.Fprintf(progress, "loadgen: queueing %d bulk messages\n", o.bulk)
		if err := queueBulk(ctx, db.url, o.bulk); err != nil {
			return nil, err
		}
	}

	fmt.Fprintf(progress, "loadgen: %d residents, %s warm-up, %s measured\n", o.residents, o.warmup, o.duration)
	rep = &report{Mode: o.mode, Database: db.dialect, Residents: o.residents, Rate: o.rate, Think: o.think,
		SendRate: float64(cmp.Or(o.sendRate, defaultSendRate)), Bulk: o.bulk}
	d := &driver{fake: fake, think: o.think, timeout: o.timeout, maxInputs: o.updates, stats: &stats{},
		measureFrom: time.Now().Add(o.warmup)}
	if o.rate > 0 {
		d.pacer = newPacer(o.rate)
	}
	issue, stopIssuing := context.WithCancel(ctx)
	if o.duration > 0 {
		issue, stopIssuing = context.WithDeadline(ctx, d.measureFrom.Add(o.duration))
	}
	defer stopIssuing()
	driven := make(chan struct{})
	go func() {
		defer close(driven)
		d.run(issue, ctx, o.residents)
	}()

	// The window: from the end of the warm-up to the end of sending.
	before, err := svc.metrics(ctx) // service counters are totals since start
	if err == nil && bot.Sleep(issue, time.Until(d.measureFrom)) == nil {
		before, err = svc.metrics(ctx)
	}
	if err != nil {
		return nil, err
	}
	serviceCPU, err := svc.cpu()
	if err != nil {
		return nil, err
	}
	ownCPUBefore := ownCPU()
	repliesBefore := fake.Calls("sendMessage")
	bulkBefore := bulkSent(fake, o.bulk)
	stopProfile, err := startProfile(o.profile)
	if err != nil {
		return nil, err
	}
	select {
	case <-issue.Done():
	case <-driven:
	}
	if err := stopProfile(); err != nil {
		return nil, err
	}
	rep.Window = time.Since(d.measureFrom)
	rep.Replies = fake.Calls("sendMessage") - repliesBefore
	rep.BulkSent = bulkSent(fake, o.bulk) - bulkBefore
	rep.LoadgenCPU = ownCPU() - ownCPUBefore
	if rep.ServiceCPU, err = svc.cpu(); err != nil {
		return nil, err
	}
	rep.ServiceCPU -= serviceCPU
	after, err := svc.metrics(ctx)
	if err != nil {
		return nil, err
	}
	stopIssuing()
	<-driven
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	delta := func(name string) float64 { return after[name] - before[name] }

	rep.Sent, rep.Walks = d.stats.sent.Load(), d.stats.walks.Load()
	rep.Latency = summarise(d.stats.latencies)
	var all []time.Duration
	rep.Turns = map[int]latency{}
	for n, ds := range d.stats.turns {
		rep.Turns[n] = summarise(ds)
		all = append(all, ds...)
	}
	rep.Turn = summarise(all)
	rep.Timeouts, rep.Unexpected = d.stats.timeouts, d.stats.unexpected
	if d.stats.lastErr != nil {
		rep.LastError = d.stats.lastErr.Error()
	}
	// Failures count from the start, warm-up included: errors are errors.
	rep.Applied = delta(`langnghe_updates_total{result="applied"}`)
	rep.Failed = after[`langnghe_updates_total{result="failed"}`]
	rep.Duplicates = delta(`langnghe_updates_total{result="duplicate"}`)
	rep.RepliesFailed = after[`langnghe_replies_total{outcome="failed"}`]
	rep.Retried = after[`langnghe_replies_total{outcome="retried"}`]
	rep.OutboxDepth = after[`langnghe_outbox_depth`]
	rep.Rejected429 = fake.Rejected429()
	if rep.PeakRSS, rep.RSS, err = svc.memory(); err != nil {
		return nil, err
	}
	return rep, nil
}

// waitConnected waits until the service talks to the fake: its webhook is
// set, or it polls.
func waitConnected(ctx context.Context, fake *telegramtest.Server, mode string) error {
	method := "getUpdates"
	if mode == "webhook" {
		method = "setWebhook"
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for fake.Calls(method) == 0 {
		if bot.Sleep(ctx, 20*time.Millisecond) != nil {
			return fmt.Errorf("the service did not call %s within 30s", method)
		}
	}
	return nil
}

func randomSecret() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// startProfile starts a CPU profile into path (none when path is empty)
// and returns what ends it.
func startProfile(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}
