package storage

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"langnghe"
)

// latestAnnouncementsConsent is true for a consents row c that is the
// resident's latest answer to the announcements notice.
const latestAnnouncementsConsent = `c.id = (SELECT MAX(l.id) FROM consents l WHERE l.resident_id = c.resident_id AND l.purpose = c.purpose)`

// AnnouncementRecipients lists the residents whose latest answer to the
// announcements notice is yes, for one of areas, who have not blocked the
// bot, by id. Silence is not consent: a resident never asked is not listed.
func (r reader) AnnouncementRecipients(ctx context.Context, areas []string) ([]langnghe.AnnouncementRecipient, error) {
	if len(areas) == 0 {
		return nil, nil // sqlx.In rejects empty lists
	}
	query, args, err := sqlx.In(`SELECT c.resident_id, r.channel, r.chat_id, r.language, c.area_code
		FROM consents c JOIN residents r ON r.id = c.resident_id
		WHERE c.purpose = ? AND c.granted = ? AND c.area_code IN (?) AND r.blocked = ? AND r.chat_id <> ''
		AND `+latestAnnouncementsConsent+`
		ORDER BY c.resident_id`, langnghe.ConsentAnnouncements, true, areas, false)
	if err != nil {
		return nil, fmt.Errorf("announcement recipients: %w", err)
	}
	var out []langnghe.AnnouncementRecipient
	if err := selectAll(ctx, r.q, &out, query, args...); err != nil {
		return nil, fmt.Errorf("announcement recipients: %w", err)
	}
	return out, nil
}

// QueueAnnouncements queues each message (to a resident: ResidentID set)
// as that resident's copy of the campaign's announcement, unless they have
// one: the row and the queued message commit together, so a resident is
// sent a campaign's announcement once however often this runs, across
// restarts and replicas. It returns how many were queued.
func (tx *Tx) QueueAnnouncements(ctx context.Context, campaignID int64, msgs []*langnghe.Outgoing) (int, error) {
	return tx.queueOnce(ctx, onceLedger{table: "campaign_announcements", key: "campaign_id",
		what: fmt.Sprintf("announcement of campaign %d", campaignID)}, campaignID, msgs)
}

// AnnouncementsReached counts the residents the campaign's announcement
// reached: queued to them, no longer waiting in the outbox, and not among
// the dead letters (a resident who blocked the bot). (One withdrawn before
// it went was dropped with its row.)
func (r reader) AnnouncementsReached(ctx context.Context, campaignID int64) (int, error) {
	var n int
	err := get(ctx, r.q, &n, `SELECT COUNT(*) FROM campaign_announcements a WHERE a.campaign_id = ?
		AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = a.outbox_id)
		AND NOT EXISTS (SELECT 1 FROM outbox_dead d WHERE d.id = a.outbox_id)`, campaignID)
	if err != nil {
		return 0, fmt.Errorf("residents campaign %d's announcement reached: %w", campaignID, err)
	}
	return n, nil
}

// dropAnnouncements removes the resident's announcements still waiting in
// the outbox, with their rows: they were never sent, so they do not count
// as reached, and an announcement after a new consent may go.
func (tx *Tx) dropAnnouncements(ctx context.Context, residentID int64) error {
	var waiting []int64
	err := selectAll(ctx, tx.tx, &waiting, `DELETE FROM campaign_announcements WHERE resident_id = ?
		AND outbox_id IN (SELECT id FROM outbox) RETURNING outbox_id`, residentID)
	if err != nil {
		return fmt.Errorf("drop the announcements waiting for resident %d: %w", residentID, err)
	}
	if len(waiting) == 0 {
		return nil
	}
	query, args, err := sqlx.In(`DELETE FROM outbox WHERE id IN (?)`, waiting)
	if err == nil {
		_, err = exec(ctx, tx.tx, query, args...)
	}
	if err != nil {
		return fmt.Errorf("drop the announcements waiting for resident %d: %w", residentID, err)
	}
	return nil
}

// DropWithdrawn removes m from the outbox when the consent it needs
// (Message.Consent) is no longer in force for its resident: the sender
// asks just before sending, so a resident who withdrew after the message
// was queued, or handed to the sender, never gets it. dropped reports
// whether it was removed; next, as MarkSent's, that the chat's next
// message is now its head and unleased.
func (db *DB) DropWithdrawn(ctx context.Context, m langnghe.Outgoing) (dropped, next bool, err error) {
	if m.Message.Consent == "" {
		return false, false, nil
	}
	err = db.inTx(ctx, db.out, func(tx *Tx) error {
		if m.ResidentID != nil {
			var granted []bool
			if err := selectAll(ctx, tx.tx, &granted, `SELECT c.granted FROM consents c WHERE c.resident_id = ? AND c.purpose = ?
				AND `+latestAnnouncementsConsent, *m.ResidentID, m.Message.Consent); err != nil {
				return fmt.Errorf("consent of resident %d to %q: %w", *m.ResidentID, m.Message.Consent, err)
			}
			if len(granted) == 1 && granted[0] {
				return nil
			}
		}
		dropped = true
		if _, err := exec(ctx, tx.tx, `DELETE FROM campaign_announcements WHERE outbox_id = ?`, m.ID); err != nil {
			return fmt.Errorf("drop withdrawn message %d: %w", m.ID, err)
		}
		res, err := exec(ctx, tx.tx, `DELETE FROM outbox WHERE id = ?`, m.ID)
		if err := oneRow(res, err, "outgoing message %d", m.ID); err != nil {
			return err
		}
		return get(ctx, tx.tx, &next, `SELECT EXISTS (SELECT 1 FROM outbox WHERE channel = ? AND chat_id = ? AND lease_until IS NULL)`,
			m.Channel, m.ChatID)
	})
	if err != nil {
		return false, false, err
	}
	return dropped, next, nil
}
