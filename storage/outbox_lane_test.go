package storage_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// queue queues one message to chat in lane and returns its id.
func queue(t *testing.T, db *storage.DB, chat string, lane langnghe.Lane, text string) int64 {
	t.Helper()
	m := &langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: chat, Lane: lane, Message: langnghe.Message{Text: text}}
	inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.Enqueue(ctx, m) })
	return m.ID
}

// TestClaimLanes: a claim takes the normal lane's heads first and the bulk
// lane's within their own bound; a chat's bulk message waits while the chat
// has a normal one queued, a normal one does not wait for the chat's bulk
// ones, and each lane keeps its chat's order.
func TestClaimLanes(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		x1 := queue(t, db, "x", langnghe.LaneBulk, "x bulk 1")
		x2 := queue(t, db, "x", langnghe.LaneBulk, "x bulk 2")
		y1 := queue(t, db, "y", langnghe.LaneBulk, "y bulk")
		z1 := queue(t, db, "z", langnghe.LaneNormal, "z reply 1")
		z2 := queue(t, db, "z", langnghe.LaneNormal, "z reply 2")
		xr := queue(t, db, "x", langnghe.LaneNormal, "x reply") // the resident of x writes while x's bulk messages wait
		lanes := map[int64]langnghe.Lane{x1: langnghe.LaneBulk, x2: langnghe.LaneBulk, y1: langnghe.LaneBulk}

		now := time.Now().Add(time.Second)
		claim := func(step string, normal, bulk int, want ...int64) {
			t.Helper()
			ms, err := db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, "sender", normal, bulk, time.Minute, now)
			if err != nil {
				t.Fatal(err)
			}
			got := claimedIDs(ms)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: claimed %v, want %v", step, got, want)
			}
			for _, m := range ms {
				if wantLane := lanes[m.ID]; m.Lane != wantLane {
					t.Errorf("%s: message %d in lane %d, want %d", step, m.ID, m.Lane, wantLane)
				}
			}
		}
		sent := func(id int64) {
			t.Helper()
			if _, err := db.MarkSent(ctx, id, now); err != nil {
				t.Fatal(err)
			}
		}
		claim("one normal, no bulk: the oldest normal head", 1, 0, z1)
		// x's reply is its chat's normal head though x's bulk messages are
		// older; x's bulk head waits for it; y's goes.
		claim("the rest", 10, 10, y1, xr)
		claim("nothing more while the heads are leased", 10, 10)
		sent(xr)
		claim("x's reply sent: x's bulk head", 10, 10, x1)
		sent(z1)
		sent(x1)
		claim("then the next of each chat's lane", 10, 10, x2, z2)
	})
}

// TestBulkIsNotHandedOver: a bulk message waits for a claim (the handoff
// reports it queued), and a normal message to a chat with bulk messages
// waiting is handed over at once.
func TestBulkIsNotHandedOver(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		var log handoffLog
		stop := db.SetHandoff(log.handoff("me"))
		defer stop()
		queue(t, db, "h", langnghe.LaneBulk, "bulk")
		if taken, queued := log.reset(); len(taken) != 0 || queued != 1 {
			t.Errorf("a bulk message: handed over %v, queued %d; want none handed over, queued once", taken, queued)
		}
		reply := queue(t, db, "h", langnghe.LaneNormal, "reply")
		if taken, queued := log.reset(); !slices.Equal(slices.Concat(taken...), []int64{reply}) || queued != 0 {
			t.Errorf("a reply behind a bulk message: handed over %v, queued %d; want [%d], 0", taken, queued, reply)
		}
	})
}

// TestBulkToBlockedChats: when a chat blocked the bot, its queued bulk
// messages that no sender holds are dropped as failed with the reason, its
// normal ones stay; a bulk message queued to a resident who blocked the
// bot is dropped at once.
func TestBulkToBlockedChats(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		newResident(t, db, "501")
		held := queue(t, db, "501", langnghe.LaneBulk, "bulk being sent")
		now := time.Now().Add(time.Second)
		if ms, err := db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, "sender", 0, 1, time.Minute, now); err != nil || len(ms) != 1 {
			t.Fatalf("claim the bulk head: %v, %v", ms, err)
		}
		waiting := queue(t, db, "501", langnghe.LaneBulk, "bulk waiting")
		reply := queue(t, db, "501", langnghe.LaneNormal, "reply")
		other := queue(t, db, "502", langnghe.LaneBulk, "bulk to another chat")
		before, err := db.OutboxTotals(ctx)
		if err != nil {
			t.Fatal(err)
		}

		if err := db.MarkUnreachable(ctx, langnghe.ChannelTelegram, "501"); err != nil {
			t.Fatal(err)
		}
		dead, err := db.DeadLetters(ctx, langnghe.ChannelTelegram, "501")
		if err != nil {
			t.Fatal(err)
		}
		if want := map[int64]string{waiting: storage.BlockedBulkReason}; !maps.Equal(dead, want) {
			t.Errorf("dead letters of the blocked chat %v, want %v", dead, want)
		}
		// The held one is its sender's to settle; the reply and the other
		// chat's message stay queued.
		if err := db.FailOutgoing(ctx, held, "Forbidden: bot was blocked by the user"); err != nil {
			t.Fatal(err)
		}
		ms, err := db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, "sender", 10, 10, time.Minute, now)
		if err != nil {
			t.Fatal(err)
		}
		got := claimedIDs(ms)
		slices.Sort(got)
		if want := []int64{reply, other}; !slices.Equal(got, want) {
			t.Errorf("queued after the block: %v, want %v", got, want)
		}

		late := queue(t, db, "501", langnghe.LaneBulk, "bulk queued after the block")
		if dead, err = db.DeadLetters(ctx, langnghe.ChannelTelegram, "501"); err != nil {
			t.Fatal(err)
		}
		if dead[late] != storage.BlockedBulkReason {
			t.Errorf("a bulk message queued to a blocked resident: dead letter %q, want %q", dead[late], storage.BlockedBulkReason)
		}
		after, err := db.OutboxTotals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n := after.Failed - before.Failed; n != 3 {
			t.Errorf("%d more failed, want 3 (two dropped, one refused)", n)
		}
	})
}

// TestBulkSendInOneTransaction: a bulk send queues to many thousands of
// chats in one transaction (PostgreSQL's lock table once ran out at
// 20,000, one queue lock per chat), and claims take it by their bulk bound.
func TestBulkSendInOneTransaction(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		const n = 20_000
		msgs := make([]*langnghe.Outgoing, n)
		for i := range msgs {
			msgs[i] = &langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: fmt.Sprint(9_000_000 + i), Lane: langnghe.LaneBulk,
				Message: langnghe.Message{Text: "Thông báo"}}
		}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			for page := range slices.Chunk(msgs, 500) {
				if err := tx.SaveTurn(ctx, nil, page); err != nil {
					return err
				}
			}
			return nil
		})
		if depth, _, err := db.OutboxStats(ctx); err != nil || depth != n {
			t.Fatalf("queued %d (%v), want %d", depth, err, n)
		}
		if _, oldest, err := db.OutboxStats(ctx); err != nil || !oldest.IsZero() {
			t.Errorf("oldest reply %v (%v), want none: bulk messages are not late replies", oldest, err)
		}
		ms, err := db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, "sender", 10, 60, time.Minute, time.Now().Add(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := claimedIDs(ms), claimedIDs(derefs(msgs[:60])); !slices.Equal(got, want) {
			t.Errorf("claimed %d messages %v..., want the first 60", len(got), got[:min(len(got), 3)])
		}
	})
}

func derefs(ms []*langnghe.Outgoing) []langnghe.Outgoing {
	out := make([]langnghe.Outgoing, len(ms))
	for i, m := range ms {
		out[i] = *m
	}
	return out
}
