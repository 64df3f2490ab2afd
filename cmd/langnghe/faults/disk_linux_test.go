package faults

import (
	"database/sql"
	"errors"
	"math"
	"net/http"
	"os"
	"os/exec"
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
// residents talk, and frees it again: /readyz must say not ready while
// writes fail, and ready once they work; nothing is lost.
//
// The disk is a 32 MB tmpfs of the test's own, filled with a file until
// the kernel answers ENOSPC, when the test may mount one (root). Otherwise
// the running process gets a file size limit (RLIMIT_FSIZE) at the size
// its database has: its files cannot grow past it (EFBIG), which is what
// a full disk does to them. Either way the log (-wal) is emptied first by
// a checkpoint, as after a restart, so that writes need new space at once.
func TestFullDiskSQLite(t *testing.T) {
	bin := langngheBinary(t)
	fake := telegramtest.NewServer()
	defer fake.Close()
	dir := smallDisk(t)
	path := filepath.Join(dir, "langnghe.db")
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

	truncateLog(t, path)
	fill, free := fillDisk(t, dir, p.cmd.Process.Pid, path)
	fullAt := time.Now()
	defer free()
	t.Logf("disk full: %s", fill)

	// Writes fail once the space the files had is used up.
	failedBefore := failedUpdates(addr)
	if !waitFor(60*time.Second, func() bool { return failedUpdates(addr) > failedBefore }) {
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

	free()
	freedAt := time.Now()
	if !waitFor(30*time.Second, func() bool { code, _ := httpGet("http://" + addr + "/readyz"); return code == http.StatusOK }) {
		t.Fatalf("/readyz not ready 30 s after the disk had room again")
	}
	t.Logf("ready again %s after the disk had room", time.Since(freedAt).Round(time.Millisecond))
	time.Sleep(3 * time.Second)
	texts, messages := ts.finish(t)
	settled(t, fake, dbURL, texts, messages)
}

// smallDisk returns a directory on a 32 MB tmpfs when the test may mount
// one, else a plain temporary directory. The tmpfs is unmounted at the
// end of the test, after the service and the checks let go of it.
func smallDisk(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() != 0 {
		return dir
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Logf("no tmpfs (%v: %s): a file size limit stands for the full disk", err, out)
		return dir
	}
	// Cleanups run last registered first: this one after the service's
	// stop and the checks' connections, registered later.
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
			_ = exec.Command("umount", "-l", dir).Run()
		}
	})
	return dir
}

// truncateLog checkpoints the database's write-ahead log into it and
// empties the log, as a restart leaves it.
func truncateLog(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range 50 {
		var busy, frames, done int
		if err := db.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
			t.Fatal(err)
		}
		if busy == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Log("the log could not be emptied while the service wrote; filling the disk anyway")
}

// fillDisk leaves no room for the service's files: on a tmpfs a filler
// file takes all free space; elsewhere process pid may not grow a file
// past the database's size. free gives the room back.
func fillDisk(t *testing.T, dir string, pid int, path string) (how string, free func()) {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err == nil && st.Type == 0x01021994 { // TMPFS_MAGIC
		filler := filepath.Join(dir, "filler")
		f, err := os.Create(filler)
		if err != nil {
			t.Fatal(err)
		}
		chunk := make([]byte, 64<<10)
		written := 0
		for {
			n, err := f.Write(chunk)
			written += n
			if errors.Is(err, syscall.ENOSPC) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		f.Close()
		freed := false
		return "tmpfs filled (" + strconv.Itoa(written>>20) + " MB filler, ENOSPC)", func() {
			if !freed {
				freed = true
				os.Remove(filler)
			}
		}
	}
	st2, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	setFileSizeLimit(t, pid, uint64(st2.Size()))
	lifted := false
	return "file size limit " + strconv.FormatInt(st2.Size(), 10) + " bytes (EFBIG)", func() {
		if !lifted {
			lifted = true
			setFileSizeLimit(t, pid, math.MaxUint64)
		}
	}
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
func failedUpdates(addr string) float64 {
	_, body := httpGet("http://" + addr + "/metrics")
	m := failedMetric.FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseFloat(m[1], 64)
	return n
}
