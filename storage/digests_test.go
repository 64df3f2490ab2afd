package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// TestClaimDigestRunWaitsForTheWinner holds the first claim's transaction
// open while a second claims the same period: the second must wait, then
// lose, and its message must go with its rolled-back transaction.
func TestClaimDigestRunWaitsForTheWinner(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		o := &langnghe.Official{Role: langnghe.RoleBoard, Channel: langnghe.ChannelTelegram, ExternalID: "7", ChatID: "7"}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.CreateOfficial(ctx, o) })
		run := func() langnghe.DigestRun {
			return langnghe.DigestRun{OfficialID: o.ID, PeriodKey: "daily:2026-11-27", ScheduledAt: at, Since: at.Add(-24 * time.Hour), Until: at}
		}
		claim := func(hold <-chan struct{}) (bool, error) {
			var claimed bool
			err := db.InTx(ctx, func(tx *storage.Tx) error {
				m := &langnghe.Outgoing{Channel: o.Channel, ChatID: o.ChatID, Message: langnghe.Message{Text: "digest"}}
				if err := tx.Enqueue(ctx, m); err != nil {
					return err
				}
				r := run()
				r.OutboxID = m.ID
				var err error
				if claimed, err = tx.ClaimDigestRun(ctx, &r); err != nil {
					return err
				}
				if hold != nil {
					<-hold
				}
				if !claimed {
					return errLost
				}
				return nil
			})
			if errors.Is(err, errLost) {
				err = nil
			}
			return claimed, err
		}

		hold := make(chan struct{})
		first := make(chan bool)
		go func() {
			claimed, err := claim(hold)
			if err != nil {
				t.Error(err)
			}
			first <- claimed
		}()
		// Let the first transaction insert its row, then race it.
		time.Sleep(50 * time.Millisecond)
		second := make(chan bool)
		go func() {
			claimed, err := claim(nil)
			if err != nil {
				t.Error(err)
			}
			second <- claimed
		}()
		time.Sleep(50 * time.Millisecond)
		close(hold)
		if !<-first {
			t.Error("the first claim lost")
		}
		if <-second {
			t.Error("the second claim of the same period won")
		}
		got, err := db.TakeChat(ctx, o.Channel, o.ChatID)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := db.DigestRun(ctx, o.ID, "daily:2026-11-27")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || stored.OutboxID != got[0].ID {
			t.Errorf("queued %d digests (run names message %d), want the winner's one", len(got), stored.OutboxID)
		}
		if !stored.Until.Equal(at) || !stored.ScheduledAt.Equal(at) {
			t.Errorf("stored run %+v lost its times", stored)
		}
		last, err := db.LastDigestRun(ctx, o.ID)
		if err != nil || last.PeriodKey != "daily:2026-11-27" {
			t.Errorf("LastDigestRun = %+v, %v", last, err)
		}
	})
}

// errLost rolls back the transaction that lost the claim.
var errLost = errors.New("lost the claim")
