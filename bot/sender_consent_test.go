package bot

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// TestSenderChecksConsent runs the sender on the real outbox (both
// databases): a message that needs a consent (an announcement) goes to a
// resident whose consent is in force, and is dropped unsent, neither
// failed nor retried, for one who withdrew after it was queued; the
// chat's next message then goes as usual.
func TestSenderChecksConsent(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		fake := newFake(t)
		ctx := t.Context()
		client := fakeClient(t, ctx, fake)
		s := newSender(client, db, 1000, Limits{}, Retry{Attempts: 3, Base: 50 * time.Millisecond, Max: 100 * time.Millisecond},
			slog.New(slog.DiscardHandler))
		s.poll = 50 * time.Millisecond

		residents := map[int64]*langnghe.Resident{}
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			for chat, answers := range map[int64][]bool{9201: {true}, 9202: {true, false}} {
				r := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: fmt.Sprint(chat), ChatID: fmt.Sprint(chat), Language: "vi"}
				if err := tx.SaveResident(ctx, r); err != nil {
					return err
				}
				residents[chat] = r
				for _, granted := range answers {
					if err := tx.RecordConsent(ctx, langnghe.Consent{ResidentID: r.ID, Purpose: langnghe.ConsentAnnouncements,
						NoticeVersion: "2026-12", Granted: granted, AreaCode: "minh_thanh"}); err != nil {
						return err
					}
				}
			}
			// Queued as they would be had the withdrawal come after them
			// (the storage then drops what waits; here nothing did).
			var ms []*langnghe.Outgoing
			for _, chat := range []int64{9201, 9202} {
				id := residents[chat].ID
				ms = append(ms, &langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: fmt.Sprint(chat), ResidentID: &id,
					Message: langnghe.Message{Text: "THÔNG BÁO", Consent: langnghe.ConsentAnnouncements}},
					&langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: fmt.Sprint(chat), ResidentID: &id,
						Message: langnghe.Message{Text: "trả lời"}})
			}
			return tx.SaveTurn(ctx, nil, ms)
		})
		if err != nil {
			t.Fatal(err)
		}

		running(t, ctx, s)
		waitCtx, done := context.WithTimeout(ctx, 10*time.Second)
		defer done()
		if _, err := fake.WaitSent(waitCtx, 9201, 2); err != nil {
			t.Fatal(err)
		}
		got, err := fake.WaitSent(waitCtx, 9202, 1)
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, 5*time.Second, func() bool {
			depth, _, err := db.OutboxStats(ctx)
			return err == nil && depth == 0
		})
		if got = fake.Sent(9202); len(got) != 1 || got[0].Text != "trả lời" {
			t.Errorf("the resident who withdrew received %d messages: %+v", len(got), got)
		}
		if st := s.stats.snapshot(); st.Withdrawn != 1 || st.Failed != 0 || st.Sent != 3 {
			t.Errorf("stats %+v, want 3 sent, 1 withdrawn, none failed", st)
		}
	})
}
