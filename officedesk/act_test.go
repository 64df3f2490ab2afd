package officedesk_test

import (
	"context"
	"strings"
	"testing"

	"langnghe"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// Desk.Act, the way the web console acts, tells the resident and the unit
// an opinion is forwarded to exactly as the chat commands do, and a refused
// action queues nothing.
func TestActTellsResidentAndNewUnit(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.official("land", "land_environment")
		w.official("health", "medical_centre")
		o := w.opinion(1, "land")
		w.take("land")
		officials, err := db.Officials(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var land *langnghe.Official
		for i := range officials {
			if officials[i].ExternalID == "land" {
				land = &officials[i]
			}
		}
		act := func(a followup.Action) (*followup.Change, error) {
			var ch *followup.Change
			err := db.InTx(ctx, func(tx *storage.Tx) (err error) {
				ch, err = w.desk.Act(ctx, tx, land, o.Code, a)
				return err
			})
			return ch, err
		}

		if _, err := act(followup.Action{Kind: followup.ActAnswer}); langnghe.ErrorCode(err) != langnghe.EINVALID {
			t.Fatalf("an answer without text: %v, want EINVALID", err)
		}
		if got := append(w.take("r1"), w.take("health")...); len(got) != 0 {
			t.Fatalf("a refused action queued %q", got)
		}

		ch, err := act(followup.Action{Kind: followup.ActForward, Unit: "medical_centre", Note: "thuộc y tế"})
		if err != nil || ch.To != langnghe.StatusForwarded {
			t.Fatalf("forward: %+v, %v", ch, err)
		}
		if got := w.take("health"); len(got) != 1 || !strings.Contains(got[0], "↪️") || !strings.Contains(got[0], o.Code) ||
			!strings.Contains(got[0], "Ghi chú kèm theo: thuộc y tế") || !strings.Contains(got[0], "Người chuyển: Cán bộ land, ngày ") {
			t.Errorf("the new unit's official was told %q", got)
		}
		if got := w.take("land"); len(got) != 0 {
			t.Errorf("the official who forwarded was told %q", got)
		}
		if got := w.take("r1"); len(got) != 1 || !strings.Contains(got[0], "forwarded") || strings.Contains(got[0], "thuộc y tế") {
			t.Errorf("the resident was told %q, want the new status without the internal note", got)
		}

		// The chat's command goes the same way: forwarding back tells the
		// land unit.
		if out := w.command("health", "chuyen", o.Code+" land_environment"); !contains(out, "→") {
			t.Fatalf("/chuyen said %q", out)
		}
		if got := w.take("land"); len(got) != 1 || !strings.Contains(got[0], o.Code) {
			t.Errorf("forwarding back in the chat told the land unit %q", got)
		}
		w.take("r1")

		ch, err = act(followup.Action{Kind: followup.ActAnswer, Note: "Đã sửa đường."})
		if err != nil || ch.To != langnghe.StatusAnswered {
			t.Fatalf("answer: %+v, %v", ch, err)
		}
		msgs, err := db.TakeChat(ctx, langnghe.ChannelTelegram, "r1")
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || !strings.Contains(msgs[0].Message.Text, "Đã sửa đường.") || len(msgs[0].Message.Buttons) == 0 {
			t.Errorf("the resident got %+v, want the answer with the rating buttons", msgs)
		}
	})
}
