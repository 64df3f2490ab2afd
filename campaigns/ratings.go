package campaigns

import (
	"context"

	"langnghe"
	"langnghe/storage"
	"langnghe/wording"
)

// The rating buttons that come with the leaders' answer (deliver): an
// asker taps 👍 Hài lòng or 👎 Chưa hài lòng; the rating is kept per asker
// and group, on the row that records the answer was sent to them, and the
// board reads the counts on the campaign's page and results.

// answerButtons are the rating buttons of the answer to group, in lang.
func answerButtons(groupID int64, lang string) [][]langnghe.Button {
	return [][]langnghe.Button{{
		{Label: ratingText(lang, "satisfied"), Data: langnghe.CampaignRatingData(groupID, langnghe.RatingSatisfied)},
		{Label: ratingText(lang, "not_satisfied"), Data: langnghe.CampaignRatingData(groupID, langnghe.RatingNotSatisfied)},
	}}
}

// ratingText is a word of the rating, in the catalogue's
// campaign.rating.*: the buttons (satisfied, not_satisfied), what the
// resident is told of a press (thanks, sorry; already, with what stands:
// stands_satisfied, stands_not_satisfied; unknown).
func ratingText(lang, key string) string { return wording.Text(lang, "campaign.rating."+key) }

// RateAnswer applies a press of an answer's rating button (data starts
// with langnghe.CampaignRatingPrefix) by the resident, inside the
// update's transaction, and returns what to tell them in lang. Only a
// resident the group's answer was sent to can rate it, once; malformed or
// forged data, or a group whose answer they were not sent, records nothing
// and is told plainly, without an error, so the update commits.
func (s *Service) RateAnswer(ctx context.Context, tx *storage.Tx, residentID int64, lang, data string) (langnghe.Message, error) {
	groupID, rating, ok := langnghe.ParseCampaignRating(data)
	if !ok || residentID == 0 {
		return langnghe.Message{Text: ratingText(lang, "unknown")}, nil
	}
	standing, recorded, err := tx.RateCampaignAnswer(ctx, groupID, residentID, rating, s.opts.Now())
	switch {
	case langnghe.ErrorCode(err) == langnghe.ENOTFOUND:
		return langnghe.Message{Text: ratingText(lang, "unknown")}, nil
	case err != nil:
		return langnghe.Message{}, err
	case !recorded:
		stand := ratingText(lang, "stands_not_satisfied")
		if standing == langnghe.RatingSatisfied {
			stand = ratingText(lang, "stands_satisfied")
		}
		return langnghe.Message{Text: wording.Text(lang, "campaign.rating.already", stand)}, nil
	case rating == langnghe.RatingSatisfied:
		return langnghe.Message{Text: ratingText(lang, "thanks")}, nil
	}
	return langnghe.Message{Text: ratingText(lang, "sorry")}, nil
}
