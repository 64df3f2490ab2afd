package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// A lease ends with its holder on PostgreSQL: while the sender that
// claimed a message holds its lock, nobody else claims the message; once
// its connection is gone (the process died) another sender claims it at
// once, long before the lease runs out. An owner that never took a lock
// (an older replica) keeps its timed lease. On SQLite leases stay timed.
func TestLeaseEndsWithItsHolder(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Now().Add(time.Second).Truncate(time.Microsecond) // after the messages are queued
		claim := func(owner string) []int64 {
			t.Helper()
			ms, err := db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, owner, 10, 10, time.Minute, now)
			if err != nil {
				t.Fatal(err)
			}
			return claimedIDs(ms)
		}
		a := langnghe.HeldOwner("a")
		holding, stop := context.WithCancel(ctx)
		held, done := make(chan struct{}), make(chan error, 1)
		go func() { done <- db.HoldLeases(holding, a, func() { close(held) }) }()
		<-held
		mine := enqueue(t, db, "chat-a", time.Time{}, "a1")
		if got := claim(a); fmt.Sprint(got) != fmt.Sprint(mine) {
			t.Fatalf("a claimed %v, want %v", got, mine)
		}
		old := enqueue(t, db, "chat-old", time.Time{}, "o1")
		if got := claim("old-replica"); fmt.Sprint(got) != fmt.Sprint(old) {
			t.Fatalf("the old replica claimed %v, want %v", got, old)
		}
		if got := claim(langnghe.HeldOwner("b")); len(got) != 0 {
			t.Fatalf("b claimed %v while a and the old replica held their leases", got)
		}

		stop() // a's process ends, and its session with it
		if err := <-done; err != nil {
			t.Fatalf("HoldLeases: %v", err)
		}
		want := mine
		if db.Dialect() == storage.SQLite {
			want = nil // timed leases only
		}
		// The server ends the session a moment after the connection closes.
		got := claim(langnghe.HeldOwner("b"))
		for deadline := time.Now().Add(5 * time.Second); len(got) == 0 && len(want) > 0 && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
			got = claim(langnghe.HeldOwner("b"))
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("after a's end, b claimed %v, want %v (the old replica's lease runs on)", got, want)
		}
	})
}

// Flood control and a stopping sender postpone a message without counting
// an attempt; a failure counts one.
func TestPostponeCountsNoAttempt(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Now().Add(time.Second).Truncate(time.Microsecond) // after the messages are queued
		id := enqueue(t, db, "chat-p", time.Time{}, "p1")[0]
		attempts := func(at time.Time) int {
			t.Helper()
			ms, err := db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, "s", 10, 10, time.Second, at)
			if err != nil || len(ms) != 1 {
				t.Fatalf("claim: %v, %v", ms, err)
			}
			return ms[0].Attempts
		}
		if n := attempts(now); n != 0 {
			t.Fatalf("attempts %d", n)
		}
		for range 3 {
			if err := db.PostponeOutgoing(ctx, id, now, "429"); err != nil {
				t.Fatal(err)
			}
		}
		if n := attempts(now); n != 0 {
			t.Errorf("after 3 postponements, attempts %d, want 0", n)
		}
		if err := db.RetryOutgoing(ctx, id, now, "502"); err != nil {
			t.Fatal(err)
		}
		if n := attempts(now); n != 1 {
			t.Errorf("after a retry, attempts %d, want 1", n)
		}
		if err := db.PostponeOutgoing(ctx, 1<<40, now, "x"); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
			t.Errorf("postponing a message that is gone: %v, want ENOTFOUND", err)
		}
	})
}

// A database that takes writes is ready.
func TestReadyWhenTheDatabaseWrites(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		for range 2 { // the second answer may come from the probe's cache
			if err := db.Ready(context.Background()); err != nil {
				t.Fatalf("Ready: %v", err)
			}
		}
	})
}
