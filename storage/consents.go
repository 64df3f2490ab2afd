package storage

import (
	"context"
	"fmt"

	"langnghe"
)

// RecordConsent appends a resident's explicit answer to a versioned notice.
// Answers are never overwritten: the latest per purpose is in force, the
// earlier ones are the record of when consent was given or withdrawn.
func (tx *Tx) RecordConsent(ctx context.Context, c langnghe.Consent) error {
	if c.ResidentID == 0 || c.Purpose == "" || c.NoticeVersion == "" {
		return langnghe.Errorf(langnghe.EINVALID, "a consent needs a resident, a purpose and a notice version")
	}
	if c.At.IsZero() {
		c.At = now()
	}
	_, err := exec(ctx, tx.tx, `INSERT INTO consents (resident_id, purpose, notice_version, granted, at, area_code)
		VALUES (?, ?, ?, ?, ?, ?)`, c.ResidentID, c.Purpose, c.NoticeVersion, c.Granted, dbTime(c.At), c.AreaCode)
	if err != nil {
		return fmt.Errorf("record consent of resident %d to %q: %w", c.ResidentID, c.Purpose, err)
	}
	if c.Purpose == langnghe.ConsentAnnouncements && !c.Granted {
		// Withdrawal is immediate: announcements still waiting go with it
		// (the sender checks again those it holds already).
		return tx.dropAnnouncements(ctx, c.ResidentID)
	}
	return nil
}

// Consents returns the resident's recorded answers, oldest first, for
// "show my data" and for checking what is in force.
func (tx *Tx) Consents(ctx context.Context, residentID int64) ([]langnghe.Consent, error) {
	var out []langnghe.Consent
	err := selectAll(ctx, tx.tx, &out, `SELECT resident_id, purpose, notice_version, granted, at, area_code
		FROM consents WHERE resident_id = ? ORDER BY id`, residentID)
	if err != nil {
		return nil, fmt.Errorf("list consents of resident %d: %w", residentID, err)
	}
	return out, nil
}
