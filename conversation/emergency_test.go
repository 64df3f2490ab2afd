package conversation_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
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

// TestEmergencyStoredAndAlerted: a resident's emergency is stored with who
// reported it, the desk is told of it after the resident's numbers were
// queued (so they leave first), and without a desk it is stored all the
// same.
func TestEmergencyStoredAndAlerted(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		cat := catalogue.Default()
		cl, err := classify.New(cat)
		if err != nil {
			t.Fatal(err)
		}
		lib := flowlib.New(cat)
		if _, err := lib.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		desk := &recordingDesk{}
		service := func(d conversation.Desk) *conversation.Service {
			return conversation.New(db, lib, cat, cl, calendar.New(time.UTC), conversation.Options{OpinionPrefix: "DT", Desk: d},
				slog.New(slog.NewTextHandler(io.Discard, nil)))
		}
		at := time.Date(2026, 3, 14, 7, 5, 0, 0, time.UTC)
		say := func(svc *conversation.Service, user, update, text string) {
			t.Helper()
			err := svc.Handle(ctx, langnghe.Inbound{Channel: langnghe.ChannelTelegram, UpdateID: update, UserID: user,
				ChatID: user, Private: true, Input: langnghe.Input{Kind: langnghe.InputText, Text: text, At: at}})
			if err != nil {
				t.Fatal(err)
			}
		}
		unacknowledged := func() []langnghe.Emergency {
			t.Helper()
			var list []langnghe.Emergency
			err := db.InTx(ctx, func(tx *storage.Tx) (err error) {
				list, _, err = tx.UnacknowledgedEmergencies(ctx, nil, 10)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return list
		}

		say(service(desk), "501", "u1", "cháy nhà rồi cứu với")
		replies, err := db.TakeChat(ctx, langnghe.ChannelTelegram, "501")
		if err != nil {
			t.Fatal(err)
		}
		alerts, err := db.TakeChat(ctx, langnghe.ChannelTelegram, "alerts")
		if err != nil {
			t.Fatal(err)
		}
		if len(replies) == 0 || !strings.Contains(replies[0].Message.Text, "114") {
			t.Fatalf("the resident's first reply is not the fire number: %+v", replies)
		}
		if len(alerts) != 1 || alerts[0].ID < replies[0].ID {
			t.Errorf("the alert (%+v) was queued before the resident's numbers (id %d)", alerts, replies[0].ID)
		}
		list := unacknowledged()
		if len(list) != 1 || len(desk.emergencies) != 1 {
			t.Fatalf("stored %+v, desk told of %+v", list, desk.emergencies)
		}
		e := list[0]
		if e.ID != desk.emergencies[0].ID || e.Kind != langnghe.EmergencyFire || e.ResidentID == nil ||
			e.Channel != langnghe.ChannelTelegram || !strings.Contains(e.Text, "cháy nhà") || !e.At.Equal(at) {
			t.Errorf("stored %+v; the desk saw %+v", e, desk.emergencies[0])
		}

		say(service(nil), "502", "u2", "có người đuối nước ở hồ, cứu với")
		if list := unacknowledged(); len(list) != 2 || !strings.Contains(list[0].Text, "đuối nước") || list[0].ResidentID == nil {
			t.Errorf("without a desk: %+v", list)
		}
	})
}
