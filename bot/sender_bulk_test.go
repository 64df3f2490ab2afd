package bot

import (
	"fmt"
	"log/slog"
	"maps"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// TestSenderBulkToBlockedChat runs a bulk send on the real outbox (both
// databases) against the fake Bot API, where one resident blocked the bot:
// the first message to them gets Telegram's 403 once and is given up, not
// retried; their other bulk messages are dropped unsent, as failed with the
// reason, and so is one queued after; everyone else gets theirs.
func TestSenderBulkToBlockedChat(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		fake := newFake(t)
		const chats, blocked = 10, int64(8100)
		fake.Block(blocked)
		ctx := t.Context()
		resident := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: fmt.Sprint(blocked),
			ChatID: fmt.Sprint(blocked), Language: langnghe.LangVI}
		bulk := func(chat int64, text string) *langnghe.Outgoing {
			return &langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: fmt.Sprint(chat), Lane: langnghe.LaneBulk,
				Message: langnghe.Message{Text: text}}
		}
		var toBlocked []*langnghe.Outgoing
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			if err := tx.SaveResident(ctx, resident); err != nil {
				return err
			}
			for c := range int64(chats) {
				if err := tx.Enqueue(ctx, bulk(8000+c, "Trả lời chung")); err != nil {
					return err
				}
			}
			for i := range 3 {
				m := bulk(blocked, fmt.Sprintf("Trả lời %d", i))
				if err := tx.Enqueue(ctx, m); err != nil {
					return err
				}
				toBlocked = append(toBlocked, m)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("enqueue: %v", err)
		}
		client := fakeClient(t, ctx, fake)
		s := newSender(client, db, 100, Limits{}, Retry{Base: 20 * time.Millisecond}, slog.New(slog.DiscardHandler))
		s.poll = 20 * time.Millisecond
		running(t, ctx, s)
		waitFor(t, 30*time.Second, func() bool {
			depth, _, err := db.OutboxStats(ctx)
			return err == nil && depth == 0
		})
		late := bulk(blocked, "Trả lời sau")
		if err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.Enqueue(ctx, late) }); err != nil {
			t.Fatal(err)
		}

		for c := range int64(chats) {
			if n := len(fake.Sent(8000 + c)); n != 1 {
				t.Errorf("chat %d got %d messages, want 1", 8000+c, n)
			}
		}
		if n := len(fake.Sent(blocked)); n != 0 {
			t.Errorf("the blocked chat got %d messages", n)
		}
		if n := fake.Calls("sendMessage"); n != chats+1 {
			t.Errorf("%d sendMessage calls, want %d: one for each chat, one 403 for the blocked one", n, chats+1)
		}
		dead, err := db.DeadLetters(ctx, langnghe.ChannelTelegram, fmt.Sprint(blocked))
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]string{toBlocked[0].ID: "Forbidden: bot was blocked by the user",
			toBlocked[1].ID: storage.BlockedBulkReason, toBlocked[2].ID: storage.BlockedBulkReason, late.ID: storage.BlockedBulkReason}
		got := map[int64]string{}
		for id, reason := range dead {
			got[id] = reason
			if id == toBlocked[0].ID && strings.Contains(reason, "blocked by the user") {
				got[id] = "Forbidden: bot was blocked by the user"
			}
		}
		if !maps.Equal(got, want) {
			t.Errorf("dead letters %v, want %v", dead, want)
		}
		if st := s.stats.snapshot(); st.Retried != 0 {
			t.Errorf("%d retries, want none", st.Retried)
		}
	})
}
