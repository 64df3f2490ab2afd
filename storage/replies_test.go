package storage_test

import (
	"context"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// TestReplyTargets: a delivery marked sent with the id it was sent as is
// found by that id in its own chat only; a delivery recorded twice (sent
// again after its lease ran out) is found under both ids; a chat's targets
// older than a year go when a new one is recorded there; deleting a
// resident's data forgets their chat's targets and keeps the officials'.
func TestReplyTargets(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Microsecond)
		target := func(chat, id, code, reply string) langnghe.ReplyTarget {
			return langnghe.ReplyTarget{Channel: langnghe.ChannelTelegram, ChatID: chat, MessageID: id,
				Regarding: langnghe.Regarding{Opinion: code, Reply: reply}}
		}
		lookup := func(chat, id string) (langnghe.Regarding, error) {
			var r langnghe.Regarding
			err := db.InTx(ctx, func(tx *storage.Tx) error {
				var err error
				r, err = tx.ReplyTarget(ctx, langnghe.ChannelTelegram, chat, id)
				return err
			})
			return r, err
		}
		want := func(chat, id string, w langnghe.Regarding) {
			t.Helper()
			got, err := lookup(chat, id)
			if err != nil || got != w {
				t.Errorf("reply to %s/%s: %+v, %v; want %+v", chat, id, got, err, w)
			}
		}
		none := func(chat, id string) {
			t.Helper()
			if got, err := lookup(chat, id); code(err) != langnghe.ENOTFOUND {
				t.Errorf("reply to %s/%s: %+v, %v; want not found", chat, id, got, err)
			}
		}

		official := enqueue(t, db, "8100", now, "Ý kiến mới DT-2026-000001", "Ý kiến mới DT-2026-000002", "thường")
		if _, err := db.MarkSent(ctx, official[0], now, target("8100", "41", "DT-2026-000001", langnghe.ReplyAnswer)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.MarkSent(ctx, official[1], now, target("8100", "42", "DT-2026-000002", langnghe.ReplyAnswer)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.MarkSent(ctx, official[2], now); err != nil {
			t.Fatal(err)
		}
		want("8100", "41", langnghe.Regarding{Opinion: "DT-2026-000001", Reply: langnghe.ReplyAnswer})
		want("8100", "42", langnghe.Regarding{Opinion: "DT-2026-000002", Reply: langnghe.ReplyAnswer})
		none("8100", "43") // the plain message
		none("8101", "41") // another chat's message 41
		// Sent again: the second delivery's MarkSent finds the row gone
		// and still records the id it was sent as.
		if _, err := db.MarkSent(ctx, official[0], now, target("8100", "44", "DT-2026-000001", langnghe.ReplyAnswer)); code(err) != langnghe.ENOTFOUND {
			t.Fatalf("marking a sent message again: %v, want not found", err)
		}
		want("8100", "41", langnghe.Regarding{Opinion: "DT-2026-000001", Reply: langnghe.ReplyAnswer})
		want("8100", "44", langnghe.Regarding{Opinion: "DT-2026-000001", Reply: langnghe.ReplyAnswer})

		// A year and a day on, the chat's old targets go with a new one.
		later := now.Add(366 * 24 * time.Hour)
		id := enqueue(t, db, "8100", later, "Ý kiến mới DT-2026-000003")[0]
		if _, err := db.MarkSent(ctx, id, later, target("8100", "90", "DT-2026-000003", langnghe.ReplyAnswer)); err != nil {
			t.Fatal(err)
		}
		none("8100", "41")
		want("8100", "90", langnghe.Regarding{Opinion: "DT-2026-000003", Reply: langnghe.ReplyAnswer})

		// A resident's question, and an official's notice of their opinion.
		r := newResident(t, db, "8200")
		id = enqueue(t, db, r.ChatID, now, "❓ Vì sao?")[0]
		if _, err := db.MarkSent(ctx, id, now, target(r.ChatID, "7", "DT-2026-000004", langnghe.ReplyReason)); err != nil {
			t.Fatal(err)
		}
		id = enqueue(t, db, "8100", now, "Ý kiến DT-2026-000004 mở lại")[0]
		if _, err := db.MarkSent(ctx, id, now, target("8100", "91", "DT-2026-000004", langnghe.ReplyAnswer)); err != nil {
			t.Fatal(err)
		}
		want(r.ChatID, "7", langnghe.Regarding{Opinion: "DT-2026-000004", Reply: langnghe.ReplyReason})
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.DeleteResidentData(ctx, r.ID) })
		none(r.ChatID, "7")
		want("8100", "91", langnghe.Regarding{Opinion: "DT-2026-000004", Reply: langnghe.ReplyAnswer})
	})
}
