package storage_test

import (
	"context"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// Expired sign-in tokens and sessions are purged; live ones stay usable.
func TestPurgeConsole(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		var liveToken, liveSession string
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			o := &langnghe.Official{Name: "Hoa", Role: langnghe.RoleBoard, Channel: "telegram", ExternalID: "7", ChatID: "7"}
			if err := tx.CreateOfficial(ctx, o); err != nil {
				return err
			}
			if _, err := tx.CreateSignInToken(ctx, o.ID, now.Add(-time.Minute)); err != nil {
				return err
			}
			if _, _, err := tx.CreateConsoleSession(ctx, o.ID, now.Add(-time.Hour)); err != nil {
				return err
			}
			var err error
			if liveToken, err = tx.CreateSignInToken(ctx, o.ID, now.Add(10*time.Minute)); err != nil {
				return err
			}
			liveSession, _, err = tx.CreateConsoleSession(ctx, o.ID, now.Add(12*time.Hour))
			return err
		})
		tokens, sessions, err := db.PurgeConsole(context.Background(), now)
		if err != nil {
			t.Fatalf("purge: %v", err)
		}
		if tokens != 1 || sessions != 1 {
			t.Fatalf("purged %d tokens and %d sessions, want the 1 expired of each", tokens, sessions)
		}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			if _, err := tx.ConsoleSession(ctx, liveSession, now); err != nil {
				t.Errorf("live session after purge: %v", err)
			}
			if _, err := tx.UseSignInToken(ctx, liveToken, now); err != nil {
				t.Errorf("live token after purge: %v", err)
			}
			return nil
		})
	})
}
