package bot

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// claimLog records which messages claims handed out.
type claimLog struct {
	Outbox
	mu      sync.Mutex
	calls   int
	claimed []int64
}

func (o *claimLog) ClaimOutgoing(ctx context.Context, channel, owner string, limit, bulk int, lease time.Duration, now time.Time) ([]langnghe.Outgoing, error) {
	msgs, err := o.Outbox.ClaimOutgoing(ctx, channel, owner, limit, bulk, lease, now)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls++
	for _, m := range msgs {
		o.claimed = append(o.claimed, m.ID)
	}
	return msgs, err
}

func (o *claimLog) wasClaimed(id int64) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Contains(o.claimed, id)
}

// TestSenderTakesHandedMessages runs the sender on the real outbox (both
// databases): what this process queues for a free chat is handed over at
// the commit and sent without a claim; what is queued behind a held
// message is claimed once that one is delivered; and when a held message is
// given back (a 5xx), the message held behind it is released and follows it
// in order.
func TestSenderTakesHandedMessages(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		fake := newFake(t)
		ctx := t.Context()
		client := fakeClient(t, ctx, fake)
		s := newSender(client, db, 1000, Limits{ChatInterval: 200 * time.Millisecond, ChatBurst: 1},
			Retry{Attempts: 5, Base: 50 * time.Millisecond, Max: 100 * time.Millisecond}, slog.New(slog.DiscardHandler))
		claims := &claimLog{Outbox: db}
		s.outbox = claims
		s.poll = 50 * time.Millisecond
		running(t, ctx, s)
		// The handoff is in place before the first claim.
		waitFor(t, 5*time.Second, func() bool {
			claims.mu.Lock()
			defer claims.mu.Unlock()
			return claims.calls > 0
		})

		queue := func(chat int64, texts ...string) []int64 {
			t.Helper()
			var ids []int64
			err := db.InTx(ctx, func(tx *storage.Tx) error {
				ids = ids[:0]
				var ms []*langnghe.Outgoing
				for _, text := range texts {
					ms = append(ms, &langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: fmt.Sprint(chat),
						Message: langnghe.Message{Text: text}})
				}
				if err := tx.SaveTurn(ctx, nil, ms); err != nil {
					return err
				}
				for _, m := range ms {
					ids = append(ids, m.ID)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return ids
		}
		expect := func(chat int64, texts ...string) {
			t.Helper()
			sent, err := fake.WaitSent(ctx, chat, len(texts))
			if err != nil {
				t.Fatalf("chat %d: %v", chat, err)
			}
			var got []string
			for _, m := range sent {
				got = append(got, m.Text)
			}
			if !slices.Equal(got, texts) {
				t.Errorf("chat %d got %q, want %q", chat, got, texts)
			}
		}

		// Handed over: no claim involved.
		free := queue(9101, "một", "hai")
		expect(9101, "một", "hai")
		for _, id := range free {
			if claims.wasClaimed(id) {
				t.Errorf("message %d was claimed; it was handed over", id)
			}
		}

		// Queued behind a held message: claimed after it, in order.
		held := queue(9102, "ba", "bốn")
		behind := queue(9102, "năm")
		expect(9102, "ba", "bốn", "năm")
		if claims.wasClaimed(held[0]) || claims.wasClaimed(held[1]) || !claims.wasClaimed(behind[0]) {
			t.Errorf("want only %d of %v and %v claimed", behind[0], held, behind)
		}

		// Given back: the head is retried and what was held behind it
		// follows it through claims.
		fake.FailNext("sendMessage", 1, 502, "")
		back := queue(9103, "sáu", "bảy")
		expect(9103, "sáu", "bảy")
		if !claims.wasClaimed(back[0]) || !claims.wasClaimed(back[1]) {
			t.Errorf("want both of %v claimed after the 502", back)
		}
		waitFor(t, 5*time.Second, func() bool {
			depth, _, err := db.OutboxStats(ctx)
			return err == nil && depth == 0 && s.stats.snapshot().Sent == 7
		})
		if st := s.stats.snapshot(); st.Retried != 1 {
			t.Errorf("stats %+v, want 1 retried", st)
		}
	})
}
