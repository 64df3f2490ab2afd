package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"langnghe"
)

// RateCampaignAnswer records resident's rating of the answer to the group
// they were sent (their delivery row): it returns the rating that stands
// and whether this call recorded it. ENOTFOUND when the resident was never
// sent that group's answer, so forged button data rates nothing and says
// nothing of other groups.
func (tx *Tx) RateCampaignAnswer(ctx context.Context, groupID, residentID int64, rating string, at time.Time) (standing string, recorded bool, err error) {
	if rating != langnghe.RatingSatisfied && rating != langnghe.RatingNotSatisfied {
		return "", false, langnghe.Errorf(langnghe.EINVALID, "unknown rating %q", rating)
	}
	res, err := exec(ctx, tx.tx, `UPDATE campaign_deliveries SET rating = ?, rated_at = ?
		WHERE group_id = ? AND resident_id = ? AND rating = ''`, rating, dbTime(at), groupID, residentID)
	if err != nil {
		return "", false, fmt.Errorf("rate the answer to question group %d: %w", groupID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return "", false, fmt.Errorf("rate the answer to question group %d: %w", groupID, err)
	} else if n == 1 {
		tx.wrote = true
		return rating, true, nil
	}
	err = get(ctx, tx.tx, &standing, `SELECT rating FROM campaign_deliveries WHERE group_id = ? AND resident_id = ?`, groupID, residentID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, langnghe.Errorf(langnghe.ENOTFOUND, "no answer to question group %d was sent to resident %d", groupID, residentID)
	} else if err != nil {
		return "", false, fmt.Errorf("rate the answer to question group %d: %w", groupID, err)
	}
	return standing, false, nil
}

// CampaignAnswerRatings counts the askers' ratings of each answered group
// of the campaign that has any, by group id.
func (r reader) CampaignAnswerRatings(ctx context.Context, campaignID int64) (map[int64]langnghe.AnswerRatings, error) {
	var rows []struct {
		GroupID      int64 `db:"group_id"`
		Satisfied    int   `db:"satisfied"`
		NotSatisfied int   `db:"not_satisfied"`
	}
	err := selectAll(ctx, r.q, &rows, `SELECT d.group_id,
		COUNT(CASE WHEN d.rating = ? THEN 1 END) AS satisfied, COUNT(CASE WHEN d.rating = ? THEN 1 END) AS not_satisfied
		FROM campaign_deliveries d JOIN campaign_groups g ON g.id = d.group_id
		WHERE g.campaign_id = ? AND d.rating <> '' GROUP BY d.group_id`,
		langnghe.RatingSatisfied, langnghe.RatingNotSatisfied, campaignID)
	if err != nil {
		return nil, fmt.Errorf("ratings of campaign %d's answers: %w", campaignID, err)
	}
	out := make(map[int64]langnghe.AnswerRatings, len(rows))
	for _, row := range rows {
		out[row.GroupID] = langnghe.AnswerRatings{Satisfied: row.Satisfied, NotSatisfied: row.NotSatisfied}
	}
	return out, nil
}
