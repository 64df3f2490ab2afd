package conversation_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/conversation"
	"langnghe/flowlib"
	"langnghe/flows/catalogue"
	"langnghe/flows/classify"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// recordingDesk takes the inputs of the users in officials and records
// every call; fail makes the next call fail.
type recordingDesk struct {
	officials map[string]bool
	official  []string // update ids the desk took as an official's
	resident  []int64  // resident ids it was shown
	// emergencies are the emergencies it was told of, as they were then.
	emergencies []langnghe.Emergency
	fail        error
}

func (d *recordingDesk) Official(ctx context.Context, tx *storage.Tx, in langnghe.Inbound) (bool, error) {
	if d.fail != nil {
		return false, d.fail
	}
	if !d.officials[in.UserID] {
		return false, nil
	}
	d.official = append(d.official, in.UpdateID)
	return true, tx.Enqueue(ctx, &langnghe.Outgoing{Channel: in.Channel, ChatID: in.ChatID, Message: langnghe.Message{Text: "desk"}})
}

func (d *recordingDesk) Resident(ctx context.Context, tx *storage.Tx, r *langnghe.Resident, in langnghe.Inbound) (bool, error) {
	d.resident = append(d.resident, r.ID)
	return false, nil
}

func (d *recordingDesk) OpinionCreated(context.Context, *storage.Tx, *langnghe.Opinion) error {
	return nil
}

// EmergencyReported records e and queues an alert to the chat "alerts".
func (d *recordingDesk) EmergencyReported(ctx context.Context, tx *storage.Tx, e *langnghe.Emergency) error {
	d.emergencies = append(d.emergencies, *e)
	return tx.Enqueue(ctx, &langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: "alerts", Message: langnghe.Message{Text: "alert"}})
}

// TestDeskHook: an official's input goes to the desk in the update's
// transaction (once, however often the update comes, and never making them
// a resident); a resident's goes past the desk to the conversation; a desk
// failure applies nothing, so the channel retries the update.
func TestDeskHook(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		desk := &recordingDesk{officials: map[string]bool{"900": true}}
		cat := catalogue.Default()
		cl, err := classify.New(cat)
		if err != nil {
			t.Fatal(err)
		}
		lib := flowlib.New(cat)
		if _, err := lib.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		svc := conversation.New(db, lib, cat, cl, calendar.New(time.UTC), conversation.Options{OpinionPrefix: "DT", Desk: desk},
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		in := func(user, update string) langnghe.Inbound {
			return langnghe.Inbound{Channel: langnghe.ChannelTelegram, UpdateID: update, UserID: user, ChatID: user,
				Private: true, Input: langnghe.Input{Kind: langnghe.InputCommand, Command: "xem", Text: "DT-2026-000001"}}
		}

		for range 2 {
			if err := svc.Handle(ctx, in("900", "u1")); err != nil {
				t.Fatal(err)
			}
		}
		if len(desk.official) != 1 || len(desk.resident) != 0 {
			t.Fatalf("desk calls: official %v, resident %v; want the official's update once", desk.official, desk.resident)
		}
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			_, err := tx.ResidentByExternal(ctx, langnghe.ChannelTelegram, "900")
			return err
		})
		if langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
			t.Fatalf("the official became a resident (err %v)", err)
		}

		if err := svc.Handle(ctx, in("901", "u2")); err != nil {
			t.Fatal(err)
		}
		if len(desk.official) != 1 || len(desk.resident) != 1 {
			t.Fatalf("a resident's input: official %v, resident %v", desk.official, desk.resident)
		}

		desk.fail = errors.New("database hiccup")
		if err := svc.Handle(ctx, in("900", "u3")); err == nil {
			t.Fatal("a desk failure was reported as applied")
		}
		desk.fail = nil
		if err := svc.Handle(ctx, in("900", "u3")); err != nil {
			t.Fatal(err)
		}
		if len(desk.official) != 2 {
			t.Fatalf("the retried update was not applied: %v", desk.official)
		}
	})
}
