package campaigns

import (
	"context"
	"fmt"

	"langnghe"
	"langnghe/storage"
)

// The rating buttons that come with the leaders' answer (deliver): an
// asker taps 👍 Hài lòng or 👎 Chưa hài lòng; the rating is kept per asker
// and group, on the row that records the answer was sent to them, and the
// board reads the counts on the campaign's page and results.

// answerButtons are the rating buttons of the answer to group, in lang.
func answerButtons(groupID int64, lang string) [][]langnghe.Button {
	w := ratingWords(lang)
	return [][]langnghe.Button{{
		{Label: w.satisfied, Data: langnghe.CampaignRatingData(groupID, langnghe.RatingSatisfied)},
		{Label: w.notSatisfied, Data: langnghe.CampaignRatingData(groupID, langnghe.RatingNotSatisfied)},
	}}
}

// ratingTexts are the buttons and what the resident is told of a press.
type ratingText struct {
	satisfied, notSatisfied string // the buttons
	thanks, sorry           string // a rating recorded: satisfied, not
	already                 string // a second press: what stands (%s)
	unknown                 string // data of no answer sent to them
	standSatisfied          string
	standNotSatisfied       string
}

var ratingTexts = map[string]ratingText{
	langnghe.LangVI: {satisfied: "👍 Hài lòng", notSatisfied: "👎 Chưa hài lòng",
		thanks:         "Xin cảm ơn ông/bà đã đánh giá câu trả lời. Ý kiến của ông/bà giúp chúng tôi làm tốt hơn.",
		sorry:          "Chúng tôi đã ghi nhận ông/bà chưa hài lòng với câu trả lời và sẽ báo lại Ban tổ chức. Nếu vấn đề cần được giải quyết riêng, ông/bà có thể gõ /menu để gửi ý kiến phản ánh.",
		already:        "Ông/bà đã đánh giá câu trả lời này: %s. Mỗi câu trả lời chỉ được đánh giá một lần.",
		unknown:        "Không tìm thấy câu trả lời này để đánh giá. Khi cần, ông/bà gõ /menu.",
		standSatisfied: "hài lòng", standNotSatisfied: "chưa hài lòng"},
	langnghe.LangEN: {satisfied: "👍 Satisfied", notSatisfied: "👎 Not satisfied",
		thanks:         "Thank you for rating the answer. Your view helps us do better.",
		sorry:          "We have recorded that the answer does not satisfy you and will tell the organisers. If the matter needs its own follow-up, type /menu to send it as an opinion.",
		already:        "You have rated this answer already: %s. Each answer can be rated once.",
		unknown:        "This answer could not be found to rate. Whenever you need, type /menu.",
		standSatisfied: "satisfied", standNotSatisfied: "not satisfied"},
	langnghe.LangZH: {satisfied: "👍 满意", notSatisfied: "👎 不满意",
		thanks:         "感谢您对答复的评价。您的意见帮助我们做得更好。",
		sorry:          "我们已记录您对答复不满意，并将转告主办方。如该问题需要单独处理，请输入 /menu 提交意见。",
		already:        "您已评价过此答复：%s。每个答复只能评价一次。",
		unknown:        "找不到要评价的答复。需要时请输入 /menu。",
		standSatisfied: "满意", standNotSatisfied: "不满意"},
}

func ratingWords(lang string) ratingText {
	if w, ok := ratingTexts[lang]; ok {
		return w
	}
	return ratingTexts[langnghe.LangVI]
}

// RateAnswer applies a press of an answer's rating button (data starts
// with langnghe.CampaignRatingPrefix) by the resident, inside the
// update's transaction, and returns what to tell them in lang. Only a
// resident the group's answer was sent to can rate it, once; malformed or
// forged data, or a group whose answer they were not sent, records nothing
// and is told plainly, without an error, so the update commits.
func (s *Service) RateAnswer(ctx context.Context, tx *storage.Tx, residentID int64, lang, data string) (langnghe.Message, error) {
	w := ratingWords(lang)
	groupID, rating, ok := langnghe.ParseCampaignRating(data)
	if !ok || residentID == 0 {
		return langnghe.Message{Text: w.unknown}, nil
	}
	standing, recorded, err := tx.RateCampaignAnswer(ctx, groupID, residentID, rating, s.opts.Now())
	switch {
	case langnghe.ErrorCode(err) == langnghe.ENOTFOUND:
		return langnghe.Message{Text: w.unknown}, nil
	case err != nil:
		return langnghe.Message{}, err
	case !recorded:
		stand := w.standNotSatisfied
		if standing == langnghe.RatingSatisfied {
			stand = w.standSatisfied
		}
		return langnghe.Message{Text: fmt.Sprintf(w.already, stand)}, nil
	case rating == langnghe.RatingSatisfied:
		return langnghe.Message{Text: w.thanks}, nil
	}
	return langnghe.Message{Text: w.sorry}, nil
}
