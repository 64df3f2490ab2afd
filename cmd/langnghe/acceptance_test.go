package main

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"langnghe/bot/telegramtest"
)

// Helpers shared by the acceptance tests of the invariants that only show
// under load: crash safety (crash_test.go), replicas (replicas_test.go) and
// Telegram's limits (limits_test.go).

// goroutineTB lets a resident run in a goroutine of its own. t.Fatalf may
// only be called from the test's goroutine; here Fatalf marks the test
// failed and ends just the resident's goroutine, which is what a failed
// resident should do while the others carry on.
type goroutineTB struct{ testing.TB }

func (g goroutineTB) Fatalf(format string, args ...any) {
	g.TB.Helper()
	g.TB.Errorf(format, args...)
	runtime.Goexit()
}

func (g goroutineTB) Fatal(args ...any) {
	g.TB.Helper()
	g.TB.Error(args...)
	runtime.Goexit()
}

// crowd is many residents talking to the bot at once, each in a goroutine.
type crowd struct {
	wg    sync.WaitGroup
	mu    sync.Mutex
	codes map[int64]string // the opinion code each resident was shown
}

// startCrowd starts n residents with ids from firstID on; each walks
// through walk (e.g. sendOpinionVI) and records the code it returns. Each
// waits up to patience for a reply.
func startCrowd(t *testing.T, fake *telegramtest.Server, firstID int64, n int, patience time.Duration, walk func(r *resident) string) *crowd {
	c := &crowd{codes: make(map[int64]string)}
	for i := range n {
		id := firstID + int64(i)
		r := &resident{t: goroutineTB{t}, fake: fake, patience: patience,
			user: telegramtest.User{ID: id, FirstName: "Lan", LanguageCode: "vi"}}
		c.wg.Go(func() {
			code := walk(r)
			c.mu.Lock()
			c.codes[id] = code
			c.mu.Unlock()
		})
	}
	return c
}

// wait waits for every resident to finish (or fail) and returns the codes
// shown, by resident id.
func (c *crowd) wait() map[int64]string {
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.codes
}

// waitFor polls cond until it holds or timeout passes; it reports whether
// it held. Tests wait on conditions, never on a fixed sleep alone.
func waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sqlDB opens the service's database directly, for checks that need SQL
// the storage package does not offer (processed_updates, outbox_dead).
// Queries must be plain (no arguments), so they run on both databases.
func sqlDB(t *testing.T, dbURL string) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if strings.HasPrefix(dbURL, "postgres") {
		// pool_max_conns is langnghe's, not lib/pq's.
		u := must(url.Parse(dbURL))
		q := u.Query()
		q.Del("pool_max_conns")
		u.RawQuery = q.Encode()
		db, err = sql.Open("postgres", u.String())
	} else {
		db, err = sql.Open("sqlite", strings.TrimPrefix(dbURL, "sqlite:")+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	}
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(2) // the test server's connections are shared
	t.Cleanup(func() { db.Close() })
	return db
}

// count runs a COUNT query.
func count(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// processedUpdates returns the Telegram update ids recorded as applied
// (session timeouts, recorded under other ids, left out), and the ids
// recorded more than once, which the primary key should make impossible.
func processedUpdates(t *testing.T, db *sql.DB) (ids map[int]bool, twice []int) {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT update_id FROM processed_updates WHERE source = 'telegram'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ids = make(map[int]bool)
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		id, err := strconv.Atoi(raw)
		if err != nil {
			continue // "timeout:..." inputs are not Telegram updates
		}
		if ids[id] {
			twice = append(twice, id)
		}
		ids[id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids, twice
}

// opinionsByResident returns the codes of the stored opinions, by the
// Telegram user id of their resident.
func opinionsByResident(t *testing.T, db *sql.DB) map[int64][]string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(),
		`SELECT r.external_id, o.code FROM opinions o JOIN residents r ON r.id = o.resident_id ORDER BY o.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := make(map[int64][]string)
	for rows.Next() {
		var user, code string
		if err := rows.Scan(&user, &code); err != nil {
			t.Fatal(err)
		}
		id, err := strconv.ParseInt(user, 10, 64)
		if err != nil {
			t.Fatalf("resident external id %q: %v", user, err)
		}
		out[id] = append(out[id], code)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// transcript is what a resident read, opinion codes replaced by a marker
// so that residents' transcripts compare, and a message delivered twice in
// a row (a crash between Telegram's answer and MarkSent: at-least-once
// delivery) kept once. A second application of an update shows instead as
// a message the flow would not send, or as a second opinion.
func transcript(msgs []telegramtest.Message) (texts []string, redelivered int) {
	for _, m := range msgs {
		text := opinionCode.ReplaceAllString(m.Text, "<code>")
		if len(texts) > 0 && texts[len(texts)-1] == text {
			redelivered++
			continue
		}
		texts = append(texts, text)
	}
	return texts, redelivered
}

// diffTranscripts describes the first difference between two transcripts.
func diffTranscripts(want, got []string) string {
	for i := range max(len(want), len(got)) {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			return fmt.Sprintf("message %d: want %q, got %q (lengths %d, %d)", i+1, w, g, len(want), len(got))
		}
	}
	return ""
}

// The real binary, built once per test run.
var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
)

// langngheBinary builds ./cmd/langnghe into a temporary directory that
// lives as long as the test binary (the OS cleans it; tests must not
// remove what other tests still run).
func langngheBinary(t *testing.T) string {
	t.Helper()
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "langnghe-bin-")
		if err != nil {
			binaryErr = err
			return
		}
		binaryPath = filepath.Join(dir, "langnghe")
		out, err := exec.Command("go", "build", "-o", binaryPath, ".").CombinedOutput()
		if err != nil {
			binaryErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath
}

// processEnv is the environment of the real binary serving on addr, on
// dbURL, against fake, sending as fast as the fake takes.
func processEnv(fake *telegramtest.Server, dbURL, addr string) map[string]string {
	return map[string]string{
		"LANGNGHE_DATABASE_URL":          dbURL,
		"LANGNGHE_TELEGRAM_TOKEN":        fake.Token(),
		"LANGNGHE_TELEGRAM_API_ENDPOINT": fake.Endpoint(),
		"LANGNGHE_HTTP_ADDR":             addr,
		"LANGNGHE_SEND_RATE":             "1000",
		"LANGNGHE_LOG_LEVEL":             "info",
	}
}

// process is one run of the real binary.
type process struct {
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{} // closed when the process has exited; then err is set
	err  error
}

// startProcess runs `langnghe serve` with env (the test's environment is
// inherited without its own LANGNGHE_ variables) and waits until it is
// ready on addr.
func startProcess(t *testing.T, bin, addr string, env map[string]string) *process {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LANGNGHE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(env)) {
		cmd.Env = append(cmd.Env, k+"="+env[k])
	}
	p := &process{cmd: cmd, logs: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1) // for waitReady: an early exit fails at once
	go func() {
		p.err = cmd.Wait()
		exited <- p.err
		close(p.done)
	}()
	t.Cleanup(func() {
		p.stop(t)
		if t.Failed() {
			t.Logf("log of langnghe (pid %d):\n%s", cmd.Process.Pid, p.logs.String())
		}
	})
	waitReady(t, "http://"+addr+"/readyz", exited)
	return p
}

// kill ends the process with SIGKILL: no deferred code, no graceful stop.
func (p *process) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill langnghe: %v", err)
	}
	<-p.done
}

// stop asks the process to stop (SIGTERM) and waits for it; it does
// nothing when the process has already exited.
func (p *process) stop(t *testing.T) {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("langnghe stopped with %v", p.err)
		}
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Error("langnghe did not stop within 20s of SIGTERM")
	}
}
