package campaigns

import (
	"context"
	"fmt"
	"strings"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/wording"
)

// A dialogue question that is really a concern for a unit ("the drain in
// front of my house is blocked") is turned into an ordinary opinion with
// its follow-up: the board chooses the category and the area, the opinion
// is filed as the chat files one (the next code, the category's due date,
// routing to the unit and its officials' notification through Intake),
// the question keeps the opinion's code, and the resident is told it.

// Intake routes a new opinion to its unit and tells the unit's officials
// (officedesk.Desk), in the caller's transaction.
type Intake interface {
	OpinionCreated(ctx context.Context, tx *storage.Tx, o *langnghe.Opinion) error
}

// QuestionToOpinion turns the question (response) responseID of the
// dialogue campaignID into an opinion of category in area ("": the area
// the resident gave) and returns it. The board and admins may
// (EFORBIDDEN); a question turned already is ECONFLICT, one whose
// resident deleted their data EINVALID. The opinion carries the
// resident's name and phone only when their latest contact consent allows
// it; otherwise it is anonymous to the unit and still reaches the
// resident through the bot.
func (s *Service) QuestionToOpinion(ctx context.Context, by *langnghe.Official, campaignID, responseID int64, category, area string) (*langnghe.Opinion, error) {
	cat, ok := s.catalogue.Category(category)
	if !ok {
		return nil, langnghe.Errorf(langnghe.EINVALID, "choose the opinion's category")
	}
	if area != "" {
		if _, ok := s.catalogue.Area(area); !ok {
			return nil, langnghe.Errorf(langnghe.EINVALID, "there is no area %q", area)
		}
	}
	var o *langnghe.Opinion
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		off, c, err := s.managed(ctx, tx, by, campaignID)
		if err != nil {
			return err
		}
		r, err := tx.CampaignResponse(ctx, responseID)
		if langnghe.ErrorCode(err) == langnghe.ENOTFOUND || (err == nil && r.CampaignID != c.ID) {
			return langnghe.Errorf(langnghe.ENOTFOUND, "campaign %d has no question %d", c.ID, responseID)
		} else if err != nil {
			return err
		}
		text := strings.TrimSpace(r.Answers[langnghe.DialogueQuestionKey])
		switch {
		case c.Kind != langnghe.CampaignDialogue || text == "":
			return langnghe.Errorf(langnghe.EINVALID, "only a dialogue conference's question becomes an opinion")
		case r.OpinionCode != "":
			return langnghe.Errorf(langnghe.ECONFLICT, "this question is opinion %s already", r.OpinionCode)
		case r.ResidentID == nil:
			return langnghe.Errorf(langnghe.EINVALID, "the resident who asked has deleted their data: the question cannot be followed up with them")
		}
		res, err := tx.Resident(ctx, *r.ResidentID)
		if err != nil {
			return fmt.Errorf("the resident of question %d: %w", r.ID, err)
		}
		o, err = s.file(ctx, tx, off, c, r, res, cat, area, text)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("turn question %d into an opinion: %w", responseID, err)
	}
	return o, nil
}

// file stores the opinion of question r as the chat stores one, links the
// question to it, routes it and tells the resident its code.
func (s *Service) file(ctx context.Context, tx *storage.Tx, off *langnghe.Official, c *langnghe.Campaign, r langnghe.CampaignResponse,
	res *langnghe.Resident, cat langnghe.Category, area, text string) (*langnghe.Opinion, error) {
	now := s.opts.Now()
	code, err := tx.NextOpinionCode(ctx, s.opts.OpinionPrefix, now.In(s.opts.TimeZone).Year())
	if err != nil {
		return nil, err
	}
	if area == "" {
		area = r.AreaCode
	}
	lang := res.Language
	if lang == "" {
		lang = r.Language
	}
	o := &langnghe.Opinion{Code: code, ResidentID: &res.ID, Anonymous: true, Category: cat.Code, LegalTrack: langnghe.TrackFeedback,
		AreaCode: area, Text: text, Language: lang, Channel: res.Channel, Status: langnghe.StatusReceived, Confidence: 1,
		FlowID: r.FlowID, FlowRevision: r.FlowRevision, CreatedAt: now}
	if s.calendar != nil && cat.ServiceDays > 0 {
		o.DueAt = s.calendar.AddWorkingDays(now, cat.ServiceDays)
	}
	consented, err := contactConsent(ctx, tx, res.ID)
	if err != nil {
		return nil, err
	}
	if consented && res.Phone != "" {
		o.Anonymous, o.ContactName, o.ContactPhone = false, res.Name, res.Phone
	}
	if err := tx.CreateOpinion(ctx, o); err != nil {
		return nil, fmt.Errorf("create opinion %s: %w", code, err)
	}
	if err := tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{OpinionID: o.ID, Actor: actor(off), At: now,
		Note: wording.Text(langnghe.LangVI, "campaign.turned.note", strings.ToLower(c.Kind.Name(langnghe.LangVI)), c.Title, r.ID)}); err != nil {
		return nil, err
	}
	if err := tx.LinkResponseOpinion(ctx, r.ID, code); err != nil {
		return nil, err
	}
	if s.opts.Intake != nil {
		if err := s.opts.Intake.OpinionCreated(ctx, tx, o); err != nil {
			return nil, fmt.Errorf("route opinion %s: %w", code, err)
		}
	}
	if res.ChatID != "" && !res.Blocked {
		id := res.ID
		if err := tx.Enqueue(ctx, &langnghe.Outgoing{Channel: res.Channel, ChatID: res.ChatID, ResidentID: &id,
			Message: langnghe.Message{Text: turnedText(c, r, o, s.opts.TimeZone)}}); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// contactConsent is the resident's latest answer to the contact consent:
// with it, the handling unit may see their name and phone.
func contactConsent(ctx context.Context, tx *storage.Tx, residentID int64) (bool, error) {
	cs, err := tx.Consents(ctx, residentID)
	if err != nil {
		return false, fmt.Errorf("consents of resident %d: %w", residentID, err)
	}
	return langnghe.ContactGiven(cs), nil
}

func turnedText(c *langnghe.Campaign, r langnghe.CampaignResponse, o *langnghe.Opinion, loc *time.Location) string {
	lang := o.Language
	if !wording.Supported(lang) {
		lang = langnghe.LangVI
	}
	due := ""
	if !o.DueAt.IsZero() {
		due = wording.Text(lang, "campaign.turned.due", o.DueAt.In(loc).Format(langnghe.DateLayout))
	}
	q := ""
	if quoted := quote(r.Answers[langnghe.DialogueQuestionKey]); quoted != "" {
		q = wording.Text(lang, "campaign.turned.quote", quoted)
	}
	kind := c.Kind.Name(lang)
	if lang != langnghe.LangZH {
		kind = strings.ToLower(kind)
	}
	return wording.Text(lang, "campaign.turned", kind, c.Title, q, o.Code, due)
}
