package storage_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// enqueue queues messages with texts to a Telegram chat and returns their ids.
func enqueue(t *testing.T, db *storage.DB, chat string, notBefore time.Time, texts ...string) []int64 {
	t.Helper()
	var ids []int64
	inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
		for _, text := range texts {
			m := &langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: chat, NotBefore: notBefore,
				Message: langnghe.Message{Text: text, Buttons: [][]langnghe.Button{{{Label: "Hủy", Data: "cancel"}}}}}
			if err := tx.Enqueue(ctx, m); err != nil {
				return err
			}
			ids = append(ids, m.ID)
		}
		return nil
	})
	return ids
}

func claimedIDs(ms []langnghe.Outgoing) []int64 {
	var ids []int64
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return ids
}

func TestClaimOutgoingHeadsOnly(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		// Enqueue's default not_before is the wall clock: claim a little later.
		now := time.Now().Add(time.Second).Truncate(time.Microsecond)
		a := enqueue(t, db, "chat-a", time.Time{}, "a1", "a2", "a3")
		b := enqueue(t, db, "chat-b", now.Add(time.Minute), "b1") // not yet due
		c := enqueue(t, db, "chat-c", time.Time{}, "c1")

		claim := func(now time.Time, lease time.Duration) []int64 {
			t.Helper()
			ms, err := db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, "sender", 10, 10, lease, now)
			if err != nil {
				t.Fatal(err)
			}
			return claimedIDs(ms)
		}
		check := func(step string, got []int64, want ...int64) {
			t.Helper()
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: claimed %v, want %v", step, got, want)
			}
		}
		lease := 30 * time.Second
		check("heads only", claim(now, lease), a[0], c[0])
		first, err := db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, "sender", 10, 10, lease, now.Add(time.Minute))
		if err != nil || len(first) != 3 {
			t.Fatalf("claim of every head = %v, %v", first, err)
		}
		if m := first[0]; m.Message.Text != "a1" || m.Message.Buttons[0][0].Data != "cancel" || m.ChatID != "chat-a" {
			t.Errorf("claimed message = %+v", m)
		}
		now = now.Add(2 * time.Minute) // every lease above has run out
		check("new round", claim(now, lease), a[0], b[0], c[0])
		check("live leases", claim(now.Add(10*time.Second), lease))
		if _, err := db.MarkSent(ctx, b[0], now); err != nil {
			t.Fatal(err)
		}
		check("after lease expiry", claim(now.Add(31*time.Second), lease), a[0], c[0])
		if _, err := db.MarkSent(ctx, a[0], now); err != nil {
			t.Fatal(err)
		}
		check("after MarkSent the next is the head", claim(now.Add(32*time.Second), lease), a[1])
		// A retried head stays the head and waits for its not_before.
		if err := db.RetryOutgoing(ctx, a[1], now.Add(time.Hour), "429 retry after 3600"); err != nil {
			t.Fatal(err)
		}
		check("during the retry wait", claim(now.Add(59*time.Minute), 10*time.Hour), c[0])
		retried, err := db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, "sender", 10, 10, lease, now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(retried) != 1 || retried[0].ID != a[1] || retried[0].Attempts != 1 || retried[0].LastError != "429 retry after 3600" {
			t.Errorf("claim after the retry wait = %+v", retried)
		}
		// A failed head moves to the dead letters and frees the chat.
		if err := db.FailOutgoing(ctx, a[1], "400 chat not found"); err != nil {
			t.Fatal(err)
		}
		check("after FailOutgoing", claim(now.Add(2*time.Hour), lease), a[2])
		_, markErr := db.MarkSent(ctx, a[0], now)
		for _, err := range []error{markErr, db.FailOutgoing(ctx, a[1], "x"), db.RetryOutgoing(ctx, a[1], now, "x")} {
			if code(err) != langnghe.ENOTFOUND {
				t.Errorf("acting on a removed message: %v, want not found", err)
			}
		}
		depth, oldest, err := db.OutboxStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if depth != 2 || oldest.IsZero() {
			t.Errorf("OutboxStats = %d, %v; want 2 waiting", depth, oldest)
		}
		totals, err := db.OutboxTotals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if totals.Sent != 2 || totals.Failed != 1 || !totals.LastSentAt.Equal(now) {
			t.Errorf("OutboxTotals = %+v", totals)
		}
		if _, err := db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, "", 10, 10, time.Second, now); code(err) != langnghe.EINVALID {
			t.Errorf("claim without owner: %v, want invalid", err)
		}
	})
}

// Two senders claim concurrently; a message is only ever leased while no
// other message of its chat is, and each chat's messages go out in order.
func TestClaimOutgoingConcurrentKeepsChatOrder(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		const chats, perChat = 12, 5
		want := map[string][]int64{}
		for c := range chats {
			chat := fmt.Sprintf("chat-%d", c)
			for i := range perChat {
				want[chat] = append(want[chat], enqueue(t, db, chat, time.Time{}, fmt.Sprintf("%s #%d", chat, i))...)
			}
		}
		var (
			mu       sync.Mutex
			inFlight = map[string]int64{}
			sent     = map[string][]int64{}
			total    int
			wg       sync.WaitGroup
		)
		for s := range 2 {
			owner := fmt.Sprintf("sender-%d", s)
			wg.Go(func() {
				for {
					mu.Lock()
					done := total == chats*perChat
					mu.Unlock()
					if done || t.Failed() {
						return
					}
					ms, err := db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, owner, 4, 4, time.Minute, time.Now())
					if err != nil {
						t.Error(err)
						return
					}
					for _, m := range ms {
						mu.Lock()
						if other, ok := inFlight[m.ChatID]; ok {
							t.Errorf("%s leased %d while %d of the same chat is in flight", owner, m.ID, other)
						}
						inFlight[m.ChatID] = m.ID
						mu.Unlock()
					}
					for _, m := range ms {
						mu.Lock()
						delete(inFlight, m.ChatID)
						sent[m.ChatID] = append(sent[m.ChatID], m.ID)
						total++
						mu.Unlock()
						if _, err := db.MarkSent(ctx, m.ID, time.Now()); err != nil {
							t.Error(err)
						}
					}
				}
			})
		}
		wg.Wait()
		for chat, ids := range want {
			if fmt.Sprint(sent[chat]) != fmt.Sprint(ids) {
				t.Errorf("%s delivered %v, want %v", chat, sent[chat], ids)
			}
		}
	})
}
