package campaigns

import (
	"context"

	"langnghe"
	"langnghe/campaign"
	"langnghe/storage"
)

// Results computes the campaign's figures, without personal data.
func (s *Service) Results(ctx context.Context, campaignID int64) (*langnghe.CampaignResults, error) {
	var res *langnghe.CampaignResults
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		c, err := tx.Campaign(ctx, campaignID)
		if langnghe.ErrorCode(err) == langnghe.ENOTFOUND {
			return campaignNotFound(campaignID)
		} else if err != nil {
			return err
		}
		c = s.local(c)
		groups, err := s.current(ctx, tx, c)
		if err != nil {
			return err
		}
		responses, err := tx.CampaignResponses(ctx, c.ID)
		if err != nil {
			return err
		}
		values := make([]langnghe.QuestionGroup, len(groups))
		for i, g := range groups {
			values[i] = *g
		}
		reached, err := tx.AnnouncementsReached(ctx, c.ID)
		if err != nil {
			return err
		}
		res, err = campaign.Results(c, responses, values, reached)
		return err
	})
	return res, err
}

// CampaignQuestions returns the responses to a campaign as by may see them
// (RevealResponse: nobody who responded, identifiers masked), oldest
// first: the console's question sheet.
func (s *Service) CampaignQuestions(ctx context.Context, by *langnghe.Official, campaignID int64) ([]langnghe.CampaignResponse, error) {
	var out []langnghe.CampaignResponse
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		off, c, err := s.seen(ctx, tx, by, campaignID)
		if err != nil {
			return err
		}
		if _, err := s.current(ctx, tx, c); err != nil {
			return err
		}
		responses, err := tx.CampaignResponses(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, r := range responses {
			out = append(out, off.RevealResponse(r))
		}
		return nil
	})
	return out, err
}
