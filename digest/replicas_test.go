package digest_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"langnghe/digest"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// replicas opens two handles on one migrated database, as two replicas of
// the service would: separate pools, one schema.
func replicas(t *testing.T, dialect string) (*storage.DB, *storage.DB) {
	t.Helper()
	var url string
	if dialect == storage.Postgres {
		url = storagetest.PostgresURL(t)
	} else {
		url = "sqlite:" + filepath.Join(t.TempDir(), "langnghe.db")
	}
	open := func() *storage.DB {
		ctx := context.Background()
		db, err := storage.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return db
	}
	return open(), open()
}

func eachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, d := range []string{storage.SQLite, storage.Postgres} {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

// TestExactlyOnceWithTwoReplicas races two replicas, each with two
// goroutines, at the scheduled minute of six successive days: every
// official gets one digest a period, and the digests the racers report
// sent add up to exactly that.
func TestExactlyOnceWithTwoReplicas(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		db1, db2 := replicas(t, dialect)
		seed(t, db1)
		c := newClock(local(2026, 11, 20, 7, 30))
		runners := []*digest.Runner{newRunner(db1, c), newRunner(db2, c), newRunner(db1, c), newRunner(db2, c)}
		for day := 20; day < 26; day++ {
			c.set(local(2026, 11, day, 7, 30))
			var (
				wg    sync.WaitGroup
				start = make(chan struct{})
				mu    sync.Mutex
				sent  int
			)
			for _, r := range runners {
				wg.Go(func() {
					<-start
					n, err := r.RunDue(context.Background())
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					sent += n
					mu.Unlock()
				})
			}
			close(start)
			wg.Wait()
			// Two daily digests every day, and the board's weekly one
			// (Mondays at 08:00) on the first day and every Tuesday at
			// 07:30, the first scheduled minute after it.
			want := 2
			if day == 20 || time.Date(2026, 11, day, 0, 0, 0, 0, hcm).Weekday() == time.Tuesday {
				want = 3
			}
			if sent != want {
				t.Errorf("day %d: the racers report %d digests sent, want %d", day, sent, want)
			}
			for _, chat := range []string{"501", "503"} {
				if got := take(t, db2, chat); len(got) != 1 {
					t.Errorf("day %d: chat %s got %d digests, want 1", day, chat, len(got))
				}
			}
			if got := take(t, db2, "502"); len(got) != want-2 {
				t.Errorf("day %d: the board got %d digests, want %d", day, len(got), want-2)
			}
		}
	})
}

// TestTwoLoops runs the replicas' real loops side by side while the clock
// walks through five scheduled minutes: each daily official gets five
// digests, no more.
func TestTwoLoops(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		db1, db2 := replicas(t, dialect)
		f := seed(t, db1)
		c := newClock(local(2026, 11, 23, 7, 30))
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for _, db := range []*storage.DB{db1, db2} {
			r := newRunner(db, c)
			wg.Go(func() { r.Loop(ctx, 5*time.Millisecond) })
		}
		for day := 23; day < 28; day++ {
			c.set(local(2026, 11, day, 7, 30))
			waitForRun(t, db1, f.unitOfficial.ID, "daily:2026-11-"+itoa(day))
			waitForRun(t, db1, f.noUnits.ID, "daily:2026-11-"+itoa(day))
			time.Sleep(30 * time.Millisecond) // both loops pass over the done period a few more times
		}
		cancel()
		wg.Wait()
		for chat, want := range map[string]int{"501": 5, "503": 5, "502": 2} {
			if got := take(t, db1, chat); len(got) != want {
				t.Errorf("chat %s got %d digests, want %d", chat, len(got), want)
			}
		}
	})
}

func itoa(d int) string { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC).Format("02") }

// waitForRun waits until the official's period has a run.
func waitForRun(t *testing.T, db *storage.DB, officialID int64, key string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, err := db.DigestRun(context.Background(), officialID, key)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no digest run %d/%s: %v", officialID, key, err)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestSentOnceAfterDowntime stops the service for three days: on recovery
// each official gets the latest missed digest once, covering everything
// since their last one, and no backlog.
func TestSentOnceAfterDowntime(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		seed(t, db)
		c := newClock(local(2026, 11, 24, 7, 31))
		if n := runDue(t, newRunner(db, c)); n != 3 {
			t.Fatalf("before the downtime: %d digests, want 3", n)
		}
		for _, chat := range []string{"501", "502", "503"} {
			take(t, db, chat)
		}

		// Down from Tuesday 07:31 to Friday 10:15; a new process starts.
		c.set(local(2026, 11, 27, 10, 15))
		r := newRunner(db, c)
		if n := runDue(t, r); n != 2 {
			t.Fatalf("on recovery: %d digests, want 2 (the daily ones; the board's week has had its digest)", n)
		}
		got := take(t, db, "501")
		if len(got) != 1 {
			t.Fatalf("unit official got %d digests on recovery, want 1", len(got))
		}
		for _, want := range []string{"— 27/11/2026", "Từ 24/11/2026 07:31 đến 27/11/2026 10:15", "Ý kiến mới: 3"} {
			if !strings.Contains(got[0], want) {
				t.Errorf("recovery digest lacks %q:\n%s", want, got[0])
			}
		}
		c.set(local(2026, 11, 27, 10, 16))
		if n := runDue(t, r); n != 0 {
			t.Errorf("a minute later: %d more digests, want none", n)
		}
		// The next scheduled minute brings the next one, from where the
		// recovery digest ended.
		c.set(local(2026, 11, 28, 7, 30))
		if n := runDue(t, r); n != 2 {
			t.Errorf("next morning: %d digests, want 2", n)
		}
		if got := take(t, db, "501"); len(got) != 1 || !strings.Contains(got[0], "Từ 27/11/2026 10:15 đến 28/11/2026 07:30") {
			t.Errorf("next morning's digests: %q", got)
		}
	})
}

// TestRestartAtTheScheduledMinute: a process that sent the digest at 07:30
// restarts within the minute; the new one sends nothing more.
func TestRestartAtTheScheduledMinute(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		before, after := replicas(t, dialect)
		seed(t, before)
		c := newClock(local(2026, 11, 27, 7, 30, 5))
		if n := runDue(t, newRunner(before, c)); n != 3 {
			t.Fatalf("first process: %d digests, want 3", n)
		}
		before.Close()
		c.set(local(2026, 11, 27, 7, 30, 40))
		if n := runDue(t, newRunner(after, c)); n != 0 {
			t.Errorf("restarted process: %d digests, want none", n)
		}
		if got := take(t, after, "501"); len(got) != 1 {
			t.Errorf("unit official got %d digests, want 1", len(got))
		}
	})
}
