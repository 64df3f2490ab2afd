package bot

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"langnghe"
	"langnghe/bot/telegramtest"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// storage.DB is the outbox the application gives the bot.
var _ Outbox = (*storage.DB)(nil)

// TestSenderWithStorageOutbox runs the sender on the real outbox (both
// databases): two senders, as two replicas would, share one queue under
// the fake's flood limits; every chat gets its replies once each, in order,
// and a blocked chat's reply ends in the dead letters.
func TestSenderWithStorageOutbox(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		fake := newFake(t, telegramtest.WithLimits(telegramtest.Limits{Global: 60, PerChat: 1, PerChatBurst: 3}))
		const chats, each, blocked = 20, 3, int64(6999)
		fake.Block(blocked)
		ctx := t.Context()
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			for i := range each {
				for c := range chats {
					m := &langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: fmt.Sprint(7000 + c),
						Message: langnghe.Message{Text: fmt.Sprintf("%d", i)}}
					if err := tx.Enqueue(ctx, m); err != nil {
						return err
					}
				}
			}
			return tx.Enqueue(ctx, &langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: fmt.Sprint(blocked),
				Message: langnghe.Message{Text: "không tới"}})
		})
		if err != nil {
			t.Fatalf("enqueue: %v", err)
		}
		client := fakeClient(t, ctx, fake)
		runCtx, cancel := context.WithCancel(ctx)
		stopped := make(chan struct{}, 2)
		for range 2 {
			s := newSender(client, db, 25, Limits{}, Retry{Base: 20 * time.Millisecond}, slog.New(slog.DiscardHandler))
			s.poll = 20 * time.Millisecond
			go func() {
				_ = s.Run(runCtx)
				stopped <- struct{}{}
			}()
		}
		defer func() {
			cancel()
			<-stopped
			<-stopped
		}()

		waitFor(t, 40*time.Second, func() bool {
			depth, _, err := db.OutboxStats(ctx)
			return err == nil && depth == 0
		})
		for c := range chats {
			sent := fake.Sent(int64(7000 + c))
			if len(sent) != each {
				t.Fatalf("chat %d got %d messages", 7000+c, len(sent))
			}
			for i, m := range sent {
				if m.Text != fmt.Sprint(i) {
					t.Errorf("chat %d message %d = %q (out of order)", 7000+c, i, m.Text)
				}
			}
		}
		if n := len(fake.Sent(blocked)); n != 0 {
			t.Errorf("blocked chat got %d messages", n)
		}
	})
}
