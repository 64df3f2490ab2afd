package storage_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

func TestDeleteResidentData(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := newResident(t, db, "7001")
		keep := newResident(t, db, "7002")
		o := newOpinion(t, db, r, "land")
		kept := newOpinion(t, db, keep, "land")
		var photo, draft, keptPhoto int64
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) (err error) {
			for _, p := range []*int64{&photo, &draft} {
				if *p, err = tx.SaveAttachment(ctx, &langnghe.StoredAttachment{ResidentID: &r.ID, Name: "p.jpg", Data: []byte("jpeg")}); err != nil {
					return err
				}
			}
			if keptPhoto, err = tx.SaveAttachment(ctx, &langnghe.StoredAttachment{ResidentID: &keep.ID, Name: "k.jpg", Data: []byte("jpeg")}); err != nil {
				return err
			}
			if err := tx.LinkAttachments(ctx, o.ID, []int64{photo}); err != nil {
				return err
			}
			if err := tx.RecordConsent(ctx, langnghe.Consent{ResidentID: r.ID, Purpose: "contact", NoticeVersion: "1", Granted: true}); err != nil {
				return err
			}
			if err := tx.SaveSession(ctx, &langnghe.StoredSession{ResidentID: r.ID, FlowID: "report", Data: []byte("{}")}); err != nil {
				return err
			}
			return tx.Enqueue(ctx, &langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: r.ChatID, ResidentID: &r.ID,
				Message: langnghe.Message{Text: "Cảm ơn"}})
		})
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.DeleteResidentData(ctx, r.ID) })

		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			got, err := tx.Resident(ctx, r.ID)
			if err != nil {
				return err
			}
			if got.Name != "" || got.Phone != "" || got.ExternalID != "7001" || got.ChatID != "7001" {
				t.Errorf("resident after deletion = %+v", got)
			}
			if cs, err := tx.Consents(ctx, r.ID); err != nil || len(cs) != 0 {
				t.Errorf("consents after deletion = %v, %v", cs, err)
			}
			if _, err := tx.Session(ctx, r.ID); code(err) != langnghe.ENOTFOUND {
				t.Errorf("session after deletion: %v", err)
			}
			mine, err := tx.OpinionsByResident(ctx, r.ID, 10)
			if err != nil || len(mine) != 0 {
				t.Errorf("opinions still linked: %v, %v", mine, err)
			}
			other, err := tx.Resident(ctx, keep.ID)
			if err != nil || other.Name == "" {
				t.Errorf("another resident lost data: %+v, %v", other, err)
			}
			return nil
		})
		got, err := db.Opinion(ctx, o.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.ResidentID != nil || got.ContactName != "" || got.ContactPhone != "" || got.Location != nil ||
			got.Attachments != nil || got.Text != o.Text || got.Category != "land" {
			t.Errorf("opinion after deletion = %+v", got)
		}
		events, err := db.OpinionEvents(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if last := events[len(events)-1]; last.Note != "personal data deleted" || last.Public || last.StatusTo != langnghe.StatusReceived {
			t.Errorf("last event = %+v", last)
		}
		for _, id := range []int64{photo, draft} {
			if _, err := db.Attachment(ctx, id); code(err) != langnghe.ENOTFOUND {
				t.Errorf("attachment %d after deletion: %v", id, err)
			}
		}
		if _, err := db.Attachment(ctx, keptPhoto); err != nil {
			t.Errorf("another resident's attachment: %v", err)
		}
		if depth, _, err := db.OutboxStats(ctx); err != nil || depth != 0 {
			t.Errorf("queued messages after deletion: %d, %v", depth, err)
		}
		keptNow, err := db.Opinion(ctx, kept.Code)
		if err != nil || keptNow.ResidentID == nil || keptNow.ContactName == "" {
			t.Errorf("another resident's opinion changed: %+v, %v", keptNow, err)
		}
		if err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.DeleteResidentData(ctx, r.ID+100) }); code(err) != langnghe.ENOTFOUND {
			t.Errorf("deleting a missing resident: %v, want not found", err)
		}
	})
}

// On PostgreSQL a second transaction locking the same chat waits until the
// first ends; another chat does not wait.
func TestChatLockSerialisesOnPostgres(t *testing.T) {
	t.Parallel()
	var seq atomic.Int64
	// BeginUpdate takes the chat's lock with the update's mark.
	lock := func(ctx context.Context, tx *storage.Tx, key string) error {
		fresh, err := tx.BeginUpdate(ctx, "telegram", fmt.Sprint(seq.Add(1)), key)
		if err == nil && !fresh {
			err = fmt.Errorf("a new update id was taken for a duplicate")
		}
		return err
	}
	db := storagetest.Postgres(t)
	ctx := context.Background()
	locked := make(chan struct{})
	release := make(chan struct{})
	firstDone := make(chan error, 1)
	go func() {
		firstDone <- db.InTx(ctx, func(tx *storage.Tx) error {
			if err := lock(ctx, tx, "telegram:42"); err != nil {
				return err
			}
			close(locked)
			<-release
			return nil
		})
	}()
	<-locked
	// Another chat is not held up.
	if err := db.InTx(ctx, func(tx *storage.Tx) error { return lock(ctx, tx, "telegram:43") }); err != nil {
		t.Fatal(err)
	}
	secondDone := make(chan error, 1)
	go func() {
		secondDone <- db.InTx(ctx, func(tx *storage.Tx) error { return lock(ctx, tx, "telegram:42") })
	}()
	// Wait until PostgreSQL reports the second transaction waiting on an
	// advisory lock: only then is "it has not finished" meaningful.
	waitFor(t, func() bool {
		waiting, err := db.WaitingAdvisoryLocks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return waiting == 1
	})
	select {
	case err := <-secondDone:
		t.Fatalf("second transaction finished while the first held the lock: %v", err)
	default:
	}
	close(release)
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	if err := <-secondDone; err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond until it holds; the deadline only guards against a hang.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
