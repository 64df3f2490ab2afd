// Package faults runs the real langnghe binary against the fake Bot API
// and injects the faults operations meet: a PostgreSQL outage, a replica
// killed or stopped, Telegram failing at start or in a storm, a full disk.
// Each test measures how long residents' chats waited once the fault
// ended, and checks that nothing was lost or applied twice.
//
// The scenarios run for minutes, so they are a package of their own: the
// end-to-end tests of cmd/langnghe fill most of one test binary's default
// ten minutes already.
package faults

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/lib/pq"  // the checks read PostgreSQL directly
	_ "modernc.org/sqlite" // and SQLite

	"langnghe/flowlib"
	"langnghe/flows/catalogue"
	"langnghe/storage"
)

// The real binary, built once per test run.
var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
)

// langngheBinary builds langnghe into a temporary directory that lives as
// long as the test binary.
func langngheBinary(t *testing.T) string {
	t.Helper()
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "langnghe-faults-bin-")
		if err != nil {
			binaryErr = err
			return
		}
		binaryPath = filepath.Join(dir, "langnghe")
		out, err := exec.Command("go", "build", "-o", binaryPath, "langnghe/cmd/langnghe").CombinedOutput()
		if err != nil {
			binaryErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath
}

// process is one run of the real binary.
type process struct {
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{} // closed when the process has exited; then err is set
	err  error
}

// startProcess runs `langnghe serve` with env and waits until /readyz on
// addr answers 200.
func startProcess(t *testing.T, bin, addr string, env map[string]string) *process {
	t.Helper()
	p := launch(t, bin, env)
	waitProcessReady(t, p, addr, 30*time.Second)
	return p
}

// launch runs `langnghe serve` with env (the test's environment without
// its own LANGNGHE_ variables); it is stopped with SIGTERM at cleanup.
func launch(t *testing.T, bin string, env map[string]string) *process {
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
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.stop(t)
		if token := env["LANGNGHE_TELEGRAM_TOKEN"]; token != "" && strings.Contains(p.logs.String(), token) {
			t.Error("the bot token appeared in the service's logs")
		}
		if t.Failed() {
			t.Logf("log of langnghe (pid %d, last 16 KB):\n%s", cmd.Process.Pid, tail(p.logs.String(), 16<<10))
		}
	})
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

// stop asks the process to stop (SIGTERM) and waits for it; it fails the
// test unless the process exits cleanly within 20 s.
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

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitFor polls cond until it holds or timeout passes; it reports whether
// it held.
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

// sqlDB opens the service's database directly for checks; queries must
// be plain (no arguments), so they run on both databases.
func sqlDB(t *testing.T, dbURL string) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if strings.HasPrefix(dbURL, "postgres") {
		// pool_max_conns is langnghe's, not lib/pq's.
		u, perr := url.Parse(dbURL)
		if perr != nil {
			t.Fatal(perr)
		}
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
	db.SetMaxOpenConns(2)
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

// processedUpdates returns the Telegram update ids recorded as applied,
// and those recorded more than once.
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

// echoFlow replaces the welcome flow so that every reply names the input
// it answers and the one applied before it, which the flow only knows from
// the stored session: text N after P gets "nghe N sau P" then "xong N".
// An update applied twice, or two of a chat's applied out of order, shows
// as a reply the resident does not expect.
const echoFlow = `id: welcome
name: {vi: Tiếng vọng}
base_language: vi
languages: [vi]
start: ask_a
nodes:
  - id: ask_a
    ask:
      kind: text
      key: a
      message: {vi: "{{if .answers.b}}xong {{.answers.b}}{{else}}mời nói{{end}}"}
      retry: {vi: "nói lại"}
    next: echo_a
  - id: echo_a
    say:
      - vi: "nghe {{.answers.a}}{{if .answers.b}} sau {{.answers.b}}{{end}}"
    next: ask_b
  - id: ask_b
    ask:
      kind: text
      key: b
      message: {vi: "xong {{.answers.a}}"}
      retry: {vi: "nói lại"}
    next: echo_b
  - id: echo_b
    say:
      - vi: "nghe {{.answers.b}} sau {{.answers.a}}"
    next: ask_a
`

// publishFlow imports a flow file and publishes it, as an admin would.
func publishFlow(t *testing.T, dbURL, file string) {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lib := flowlib.New(catalogue.Default())
	id, rev, _, err := lib.Import(ctx, db, "test", "flow.yaml", []byte(file), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Publish(ctx, db, "test", id, rev); err != nil {
		t.Fatal(err)
	}
}
