package storage_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// handoffLog records what a handoff was given.
type handoffLog struct {
	mu     sync.Mutex
	taken  [][]int64
	queued int
}

func (l *handoffLog) handoff(owner string) *langnghe.Handoff {
	return &langnghe.Handoff{
		Channel: langnghe.ChannelTelegram, Owner: owner, Lease: time.Minute,
		Take: func(msgs []langnghe.Outgoing) {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.taken = append(l.taken, claimedIDs(msgs))
		},
		Queued: func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.queued++
		},
	}
}

func (l *handoffLog) reset() (taken [][]int64, queued int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	taken, queued = l.taken, l.queued
	l.taken, l.queued = nil, 0
	return taken, queued
}

func TestHandoffLeasesAChatsFirstMessagesOnly(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		var log handoffLog
		stop := db.SetHandoff(log.handoff("me"))
		defer stop()
		later := time.Now().Add(time.Hour)
		claimAll := func(at time.Time) []int64 {
			t.Helper()
			ms, err := db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, "other", 100, 100, time.Minute, at)
			if err != nil {
				t.Fatal(err)
			}
			return claimedIDs(ms)
		}

		// A turn's two replies to a chat with nothing queued: both are
		// leased and handed over together, after the commit.
		a := enqueue(t, db, "chat-a", time.Time{}, "a1", "a2")
		taken, queued := log.reset()
		if !slices.EqualFunc(taken, [][]int64{a}, slices.Equal) || queued != 0 {
			t.Fatalf("handed %v (queued %d), want %v", taken, queued, [][]int64{a})
		}
		if got := claimAll(time.Now().Add(time.Second)); len(got) != 0 {
			t.Errorf("claimed %v: handed messages are leased", got)
		}

		// The next turn of that chat queues behind a1: not leased, and the
		// handoff hears that a claim is needed.
		a3 := enqueue(t, db, "chat-a", time.Time{}, "a3")
		if taken, queued := log.reset(); len(taken) != 0 || queued != 1 {
			t.Errorf("queued behind a held message: handed %v, queued %d; want none handed, queued 1", taken, queued)
		}
		// Not yet due, or another channel: not leased either.
		b := enqueue(t, db, "chat-b", later, "b1")
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			return tx.Enqueue(ctx, &langnghe.Outgoing{Channel: "zalo", ChatID: "z", Message: langnghe.Message{Text: "z"}})
		})
		if taken, _ := log.reset(); len(taken) != 0 {
			t.Errorf("handed %v: a message not due yet or of another channel", taken)
		}
		// Rolled back: nothing handed.
		boom := errors.New("boom")
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			if err := tx.Enqueue(ctx, &langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: "chat-c", Message: langnghe.Message{Text: "c"}}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if taken, queued := log.reset(); len(taken) != 0 || queued != 0 {
			t.Errorf("a rolled-back transaction handed %v, queued %d", taken, queued)
		}

		// Delivering a1 says nothing waits unleased (a2 is held); a2 says
		// a3 does.
		for i, want := range []bool{false, true} {
			next, err := db.MarkSent(ctx, a[i], time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if next != want {
				t.Errorf("MarkSent(a%d) next = %v, want %v", i+1, next, want)
			}
		}
		if got := claimAll(later.Add(time.Second)); !slices.Equal(got, []int64{a3[0], b[0]}) {
			t.Errorf("claimed %v, want a3 and b1 %v", got, []int64{a3[0], b[0]})
		}

		// Released messages are claimable at once, and only the owner's are
		// released.
		d := enqueue(t, db, "chat-d", time.Time{}, "d1", "d2")
		log.reset()
		if err := db.ReleaseOutgoing(ctx, "someone else", d); err != nil {
			t.Fatal(err)
		}
		if got := claimAll(time.Now().Add(time.Second)); len(got) != 0 {
			t.Errorf("claimed %v after another owner's release", got)
		}
		if err := db.ReleaseOutgoing(ctx, "me", d); err != nil {
			t.Fatal(err)
		}
		if got := claimAll(time.Now().Add(time.Second)); !slices.Equal(got, d[:1]) {
			t.Errorf("claimed %v after the release, want the chat's head %v", got, d[:1])
		}

		// A stop ends only its own handoff.
		stopNext := db.SetHandoff(log.handoff("next"))
		stop()
		f := enqueue(t, db, "chat-f", time.Time{}, "f1")
		if taken, _ := log.reset(); !slices.EqualFunc(taken, [][]int64{f}, slices.Equal) {
			t.Errorf("handed %v after an earlier handoff's stop, want %v", taken, f)
		}
		// Without a handoff nothing is leased.
		stopNext()
		e := enqueue(t, db, "chat-e", time.Time{}, "e1")
		if got := claimAll(time.Now().Add(time.Second)); !slices.Equal(got, e) {
			t.Errorf("claimed %v without a handoff, want %v", got, e)
		}
	})
}
