package storage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// consent records r's answer to the announcements notice for area.
func consent(t *testing.T, db *storage.DB, r *langnghe.Resident, area string, granted bool) {
	t.Helper()
	inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
		return tx.RecordConsent(ctx, langnghe.Consent{ResidentID: r.ID, Purpose: langnghe.ConsentAnnouncements,
			NoticeVersion: "2026-12", Granted: granted, AreaCode: area})
	})
}

// announcement is r's copy of a campaign's announcement.
func announcement(r *langnghe.Resident) *langnghe.Outgoing {
	id := r.ID
	return &langnghe.Outgoing{Channel: r.Channel, ChatID: r.ChatID, ResidentID: &id,
		Message: langnghe.Message{Text: "THÔNG BÁO", Consent: langnghe.ConsentAnnouncements}}
}

// Recipients are the residents whose latest answer to the announcements
// notice is yes for one of the areas (never the contact consent); a
// campaign's announcement is queued to each once however often it is
// queued; a withdrawal drops what still waits, and the sender's check
// drops a message whose consent was withdrawn; reached counts what left.
func TestAnnouncements(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		c := newDialogue(t, db, "c_announceannounce")
		yes, no, elsewhere, later, contactOnly := newResident(t, db, "7001"), newResident(t, db, "7002"), newResident(t, db, "7003"),
			newResident(t, db, "7004"), newResident(t, db, "7005")
		consent(t, db, yes, "minh_thanh", true)
		consent(t, db, no, "long_hoa", false)
		consent(t, db, elsewhere, "dau_tieng", true)
		consent(t, db, later, "long_hoa", false)
		consent(t, db, later, "long_hoa", true) // the latest answer counts
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			return tx.RecordConsent(ctx, langnghe.Consent{ResidentID: contactOnly.ID, Purpose: langnghe.ConsentContact,
				NoticeVersion: "2026-01", Granted: true})
		})
		var cs []langnghe.Consent
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) (err error) {
			cs, err = tx.Consents(ctx, yes.ID)
			return err
		})
		if len(cs) != 1 || cs[0].AreaCode != "minh_thanh" || cs[0].Purpose != langnghe.ConsentAnnouncements {
			t.Fatalf("consents of a resident: %+v", cs)
		}

		recipients, err := db.AnnouncementRecipients(ctx, []string{"minh_thanh", "long_hoa"})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, r := range recipients {
			ids = append(ids, r.ResidentID)
		}
		if want := []int64{yes.ID, later.ID}; !slices.Equal(ids, want) {
			t.Fatalf("recipients %v, want %v", ids, want)
		}

		queue := func(rs ...*langnghe.Resident) int {
			var msgs []*langnghe.Outgoing
			for _, r := range rs {
				msgs = append(msgs, announcement(r))
			}
			var n int
			inTx(t, db, func(ctx context.Context, tx *storage.Tx) (err error) {
				n, err = tx.QueueAnnouncements(ctx, c.ID, msgs)
				return err
			})
			return n
		}
		if n := queue(yes, later); n != 2 {
			t.Fatalf("queued %d, want 2", n)
		}
		if n := queue(yes, later); n != 0 {
			t.Fatalf("queued %d again, want 0", n)
		}
		// A withdrawal drops the waiting announcement at once.
		consent(t, db, later, "", false)
		msgs, err := db.TakeChat(ctx, langnghe.ChannelTelegram, later.ChatID)
		if err != nil || len(msgs) != 0 {
			t.Fatalf("the withdrawn resident's chat still holds %d messages (%v)", len(msgs), err)
		}
		// Its row went with it (it never reached them), so one queued
		// again, as by an Announce that listed them before the withdrawal
		// committed, goes in: the sender's check is the last word.
		if n := queue(later); n != 1 {
			t.Errorf("queued %d again after the withdrawal dropped the first, want 1", n)
		}

		// The sender's check: the message needs the consent in force.
		claimed, err := db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, "test", 10, 10, time.Minute, time.Now())
		if err != nil || len(claimed) != 2 {
			t.Fatalf("claimed %d messages (%v), want 2", len(claimed), err)
		}
		for _, m := range claimed {
			if m.Message.Consent != langnghe.ConsentAnnouncements {
				t.Fatalf("the queued message lost its consent: %+v", m.Message)
			}
			dropped, _, err := db.DropWithdrawn(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			switch *m.ResidentID {
			case yes.ID:
				if dropped {
					t.Error("a resident who agreed had their announcement dropped")
				}
				if _, err := db.MarkSent(ctx, m.ID, time.Now()); err != nil {
					t.Fatal(err)
				}
			case later.ID:
				if !dropped {
					t.Error("an announcement after a withdrawal was not dropped")
				}
			}
		}
		reached, err := db.AnnouncementsReached(ctx, c.ID)
		if err != nil || reached != 1 {
			t.Errorf("reached %d (%v), want 1", reached, err)
		}

		// One that failed for good (the resident blocked the bot) left the
		// queue too, but reached nobody.
		c2 := newDialogue(t, db, "c_announcefailed00")
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			_, err := tx.QueueAnnouncements(ctx, c2.ID, []*langnghe.Outgoing{announcement(yes)})
			return err
		})
		claimed, err = db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, "test", 10, 10, time.Minute, time.Now())
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claimed %d messages (%v), want 1", len(claimed), err)
		}
		if err := db.FailOutgoing(ctx, claimed[0].ID, "Forbidden: bot was blocked by the user"); err != nil {
			t.Fatal(err)
		}
		if reached, err := db.AnnouncementsReached(ctx, c2.ID); err != nil || reached != 0 {
			t.Errorf("a failed announcement counts as reached: %d (%v), want 0", reached, err)
		}
	})
}
