package faults

import (
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"langnghe/bot/telegramtest"
)

// TestFullDiskSQLite fills the disk under an SQLite service while
// residents talk: from the moment its files can no longer grow (a file
// size limit, RLIMIT_FSIZE, set on the running process at the size of its
// largest file: space already taken can be rewritten, nothing more) until
// space is back, /readyz must say not ready while writes fail, and ready
// again after; nothing is lost.
func TestFullDiskSQLite(t *testing.T) {
	bin := langngheBinary(t)
	fake := telegramtest.NewServer()
	defer fake.Close()
	path := filepath.Join(t.TempDir(), "langnghe.db")
	dbURL := "sqlite:" + path
	addr := freeAddr(t)
	p := startProcess(t, bin, addr, map[string]string{
		"LANGNGHE_DATABASE_URL":          dbURL,
		"LANGNGHE_TELEGRAM_TOKEN":        fake.Token(),
		"LANGNGHE_TELEGRAM_API_ENDPOINT": fake.Endpoint(),
		"LANGNGHE_HTTP_ADDR":             addr,
		"LANGNGHE_SEND_RATE":             "1000",
		"LANGNGHE_FLOOD_LIMIT":           "600",
		"LANGNGHE_LOG_LEVEL":             "info",
	})
	publishFlow(t, dbURL, echoFlow)
	ts := startTalking(fake, 50001, 20, 200*time.Millisecond, 120*time.Second)
	time.Sleep(3 * time.Second)

	var largest int64
	for _, f := range []string{path, path + "-wal"} {
		if st, err := os.Stat(f); err == nil {
			largest = max(largest, st.Size())
		}
	}
	pid := p.cmd.Process.Pid
	setFileSizeLimit(t, pid, uint64(largest))
	fullAt := time.Now()
	lifted := false
	lift := func() {
		if !lifted {
			lifted = true
			setFileSizeLimit(t, pid, math.MaxUint64)
		}
	}
	defer lift()

	// Writes fail once the space the files had is used up.
	failedBefore := failedUpdates(t, addr)
	if !waitFor(60*time.Second, func() bool { return failedUpdates(t, addr) > failedBefore }) {
		t.Fatalf("no write failed within 60 s of the disk filling up")
	}
	failingAt := time.Now()
	samples, ready := 0, 0
	for time.Since(failingAt) < 5*time.Second {
		code, _ := httpGet("http://" + addr + "/readyz")
		samples++
		if code == http.StatusOK {
			ready++
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("writes failed %s after the disk filled up; /readyz answered 200 in %d of %d samples while they failed",
		failingAt.Sub(fullAt).Round(time.Millisecond), ready, samples)
	if ready > 0 {
		t.Errorf("/readyz answered 200 in %d of %d samples while the disk was full", ready, samples)
	}

	lift()
	liftedAt := time.Now()
	if !waitFor(30*time.Second, func() bool { code, _ := httpGet("http://" + addr + "/readyz"); return code == http.StatusOK }) {
		t.Fatalf("/readyz not ready 30 s after the disk had room again")
	}
	t.Logf("ready again %s after the disk had room", time.Since(liftedAt).Round(time.Millisecond))
	time.Sleep(3 * time.Second)
	texts, replies := ts.finish(t)
	settled(t, fake, dbURL, texts, replies)
}

// setFileSizeLimit sets the soft RLIMIT_FSIZE of process pid: no file it
// writes may grow past limit bytes (math.MaxUint64: no limit). The process
// sees EFBIG, as it would see ENOSPC on a full disk; Go ignores SIGXFSZ.
func setFileSizeLimit(t *testing.T, pid int, limit uint64) {
	t.Helper()
	var old syscall.Rlimit
	if _, _, errno := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), syscall.RLIMIT_FSIZE,
		0, uintptr(unsafe.Pointer(&old)), 0, 0); errno != 0 {
		t.Fatalf("read the file size limit of %d: %v", pid, errno)
	}
	lim := syscall.Rlimit{Cur: min(limit, old.Max), Max: old.Max}
	if _, _, errno := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), syscall.RLIMIT_FSIZE,
		uintptr(unsafe.Pointer(&lim)), 0, 0, 0); errno != 0 {
		t.Fatalf("set the file size limit of %d: %v", pid, errno)
	}
}

var failedMetric = regexp.MustCompile(`(?m)^langnghe_updates_total\{result="failed"\} (\S+)$`)

// failedUpdates reads the service's count of inputs that failed to apply.
func failedUpdates(t *testing.T, addr string) float64 {
	t.Helper()
	_, body := httpGet("http://" + addr + "/metrics")
	m := failedMetric.FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseFloat(m[1], 64)
	return n
}
