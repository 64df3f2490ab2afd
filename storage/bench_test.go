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

// BenchmarkUpdatePath measures one resident input as the update path runs
// it: mark the update and lock the chat, load the resident and the
// session, save the session with a reply, commit.
func BenchmarkUpdatePath(b *testing.B) {
	for _, open := range []struct {
		name string
		db   func(testing.TB) *storage.DB
	}{{storage.SQLite, storagetest.SQLite}, {storage.Postgres, storagetest.Postgres}} {
		b.Run(open.name, func(b *testing.B) {
			db := open.db(b)
			ctx := context.Background()
			r := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: "1", ChatID: "1"}
			if err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.SaveResident(ctx, r) }); err != nil {
				b.Fatal(err)
			}
			data := []byte(`{"node":"ask_area","answers":{"category":"land"}}`)
			b.ResetTimer()
			for i := range b.N {
				err := db.InTx(ctx, func(tx *storage.Tx) error {
					if _, err := tx.BeginUpdate(ctx, "telegram", fmt.Sprint(i), "1"); err != nil {
						return err
					}
					if _, err := tx.ResidentState(ctx, "telegram", "1"); err != nil {
						return err
					}
					timeout := time.Now().Add(time.Hour)
					return tx.SaveTurn(ctx, &langnghe.StoredSession{ResidentID: r.ID, FlowID: "report", Revision: 1, Data: data, TimeoutAt: &timeout},
						[]*langnghe.Outgoing{{Channel: "telegram", ChatID: "1", ResidentID: &r.ID, Message: langnghe.Message{Text: "Bạn ở xã nào?"}}})
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkClaimAndSend measures delivering one queued message: a sender
// claims up to 30 chat heads at a time from a queue spread over 200 chats and
// marks each sent. ns/op is per message.
func BenchmarkClaimAndSend(b *testing.B) {
	for _, open := range []struct {
		name string
		db   func(testing.TB) *storage.DB
	}{{storage.SQLite, storagetest.SQLite}, {storage.Postgres, storagetest.Postgres}} {
		b.Run(open.name, func(b *testing.B) {
			db := open.db(b)
			ctx := context.Background()
			err := db.InTx(ctx, func(tx *storage.Tx) error {
				for i := range b.N {
					m := &langnghe.Outgoing{Channel: "telegram", ChatID: fmt.Sprint(i % 200), Message: langnghe.Message{Text: "x"}}
					if err := tx.Enqueue(ctx, m); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for sent := 0; sent < b.N; {
				ms, err := db.ClaimOutgoing(ctx, "telegram", "bench", 30, 30, time.Minute, time.Now())
				if err != nil {
					b.Fatal(err)
				}
				for _, m := range ms {
					if _, err := db.MarkSent(ctx, m.ID, time.Now()); err != nil {
						b.Fatal(err)
					}
				}
				sent += len(ms)
			}
		})
	}
}
