// Package campaigns is the campaign service (langnghe.CampaignService):
// the board creates a campaign and its conversation is published at once,
// residents' responses are stored from their conversations, dialogue
// questions are grouped, the leaders' answers go to every asker, and
// results are computed without personal data.
//
// It is a package of its own, beside the pure package campaign (the
// generated flow, the results) and campaign/grouping, because it needs
// storage, the flow library and the classifier; those stay free of them,
// and imports point downward.
package campaigns

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"langnghe"
	"langnghe/campaign"
	"langnghe/flowlib"
	"langnghe/flows/classify"
	"langnghe/redact"
	"langnghe/storage"
)

// Classifier reads a dialogue question's category, as opinions' are read.
type Classifier interface {
	Classify(text string) classify.Result
}

// Calendar counts working days for a group's due date.
type Calendar interface {
	AddWorkingDays(from time.Time, days int) time.Time
}

// Options are the service's settings.
type Options struct {
	// TimeZone is where a campaign's days begin (LANGNGHE_TIMEZONE).
	TimeZone *time.Location
	// AnswerDays is how many working days after the conference an
	// unanswered group is due; 0 means DefaultAnswerDays.
	AnswerDays int
	// Now is the clock; tests set it.
	Now func() time.Time
	// OpinionPrefix starts the codes of opinions made from questions
	// (LANGNGHE_OPINION_PREFIX; DefaultOpinionPrefix when empty); Intake
	// routes them (QuestionToOpinion).
	OpinionPrefix string
	Intake        Intake
}

// DefaultOpinionPrefix is LANGNGHE_OPINION_PREFIX's default.
const DefaultOpinionPrefix = "DT"

// DefaultAnswerDays: the Law on Citizen Reception (2013, art. 28) gives
// ten working days to tell a resident what becomes of what they raised.
const DefaultAnswerDays = 10

// Service implements langnghe.CampaignService over storage.
type Service struct {
	db         *storage.DB
	library    *flowlib.Library
	catalogue  *langnghe.Catalogue
	classifier Classifier
	calendar   Calendar
	opts       Options
}

var _ langnghe.CampaignService = (*Service)(nil)

// New returns the service.
func New(db *storage.DB, lib *flowlib.Library, cat *langnghe.Catalogue, cl Classifier, cal Calendar, opts Options) *Service {
	opts.TimeZone, opts.Now = langnghe.Clock(opts.TimeZone, opts.Now)
	if opts.AnswerDays <= 0 {
		opts.AnswerDays = DefaultAnswerDays
	}
	if opts.OpinionPrefix == "" {
		opts.OpinionPrefix = DefaultOpinionPrefix
	}
	return &Service{db: db, library: lib, catalogue: cat, classifier: cl, calendar: cal, opts: opts}
}

// Operator is whoever runs the command line on the server: they own the
// machine, as for `langnghe officials revoke`, and act as an admin. Only
// this value is the operator; an official loaded from anywhere else never
// is.
var Operator = &langnghe.Official{Name: "cli", Role: langnghe.RoleAdmin}

// authorize reloads the official, so that a revocation or a change of
// units takes effect at once (Tx.Acting); the operator is not stored.
func (s *Service) authorize(ctx context.Context, tx *storage.Tx, by *langnghe.Official) (*langnghe.Official, error) {
	if by == Operator {
		return Operator, nil
	}
	return tx.Acting(ctx, by)
}

// manager is authorize for what only the board and admins do.
func (s *Service) manager(ctx context.Context, tx *storage.Tx, by *langnghe.Official) (*langnghe.Official, error) {
	off, err := s.authorize(ctx, tx, by)
	if err != nil {
		return nil, err
	}
	if !off.MayManageCampaigns() {
		return nil, langnghe.Errorf(langnghe.EFORBIDDEN, "only the board and admins manage campaigns")
	}
	return off, nil
}

// actor names the official in the flows' audit.
func actor(off *langnghe.Official) string {
	if off == Operator {
		return "cli"
	}
	return off.Actor()
}

func campaignNotFound(id any) error {
	return langnghe.Errorf(langnghe.ENOTFOUND, "campaign %v not found", id)
}

// visible loads the campaign when off may see it; ENOTFOUND, the same as
// for one that does not exist, when not. lock takes its row.
func (s *Service) visible(ctx context.Context, tx *storage.Tx, off *langnghe.Official, id int64, lock bool) (*langnghe.Campaign, error) {
	load := tx.Campaign
	if lock {
		load = tx.LockCampaign
	}
	c, err := load(ctx, id)
	if langnghe.ErrorCode(err) == langnghe.ENOTFOUND || (err == nil && !off.MaySeeCampaign(c)) {
		return nil, campaignNotFound(id)
	} else if err != nil {
		return nil, err
	}
	return s.local(c), nil
}

// seen authorizes by and loads the campaign with id if they may see it.
func (s *Service) seen(ctx context.Context, tx *storage.Tx, by *langnghe.Official, id int64) (*langnghe.Official, *langnghe.Campaign, error) {
	return s.loadFor(ctx, tx, by, s.authorize, id, false)
}

// managed authorizes by as one who manages campaigns and loads the
// campaign with id, its row locked, if they may see it.
func (s *Service) managed(ctx context.Context, tx *storage.Tx, by *langnghe.Official, id int64) (*langnghe.Official, *langnghe.Campaign, error) {
	return s.loadFor(ctx, tx, by, s.manager, id, true)
}

// loadFor checks by with authorize, then loads the campaign as visible does.
func (s *Service) loadFor(ctx context.Context, tx *storage.Tx, by *langnghe.Official,
	authorize func(context.Context, *storage.Tx, *langnghe.Official) (*langnghe.Official, error), id int64, lock bool) (*langnghe.Official, *langnghe.Campaign, error) {
	off, err := authorize(ctx, tx, by)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.visible(ctx, tx, off, id, lock)
	return off, c, err
}

// local gives c's days in the service's time zone, as the board set them.
func (s *Service) local(c *langnghe.Campaign) *langnghe.Campaign {
	c.Opens = c.Opens.In(s.opts.TimeZone)
	if !c.Closes.IsZero() {
		c.Closes = c.Closes.In(s.opts.TimeZone)
	}
	return c
}

// day is the day t names (in its own location), from midnight in the
// service's time zone; zero stays zero.
func (s *Service) day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, s.opts.TimeZone)
}

// check validates c against the catalogue and the stored units.
func (s *Service) check(ctx context.Context, tx *storage.Tx, c *langnghe.Campaign) error {
	c.Opens, c.Closes = s.day(c.Opens), s.day(c.Closes)
	// A conference gathers its questions before it: without a closing
	// date it takes them up to its own day, not for ever.
	if c.Kind == langnghe.CampaignDialogue && c.Closes.IsZero() && c.Conference != nil && !c.Conference.At.IsZero() {
		c.Closes = s.day(c.Conference.At.In(s.opts.TimeZone))
	}
	if err := c.Validate(s.catalogue); err != nil {
		return err
	}
	if c.Unit == "" {
		return nil
	}
	if _, err := tx.Unit(ctx, c.Unit); langnghe.ErrorCode(err) == langnghe.ENOTFOUND {
		return langnghe.Errorf(langnghe.EINVALID, "there is no unit %q", c.Unit)
	} else if err != nil {
		return err
	}
	return nil
}

// CreateCampaign validates c, gives it an id, a payload and its flow,
// published in the same transaction, so the deep link works at once.
func (s *Service) CreateCampaign(ctx context.Context, by *langnghe.Official, c *langnghe.Campaign) error {
	payload, err := langnghe.NewCampaignPayload()
	if err != nil {
		return err
	}
	created := *c
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		off, err := s.manager(ctx, tx, by)
		if err != nil {
			return err
		}
		created = *c
		created.ID, created.Payload, created.FlowID, created.CreatedBy = 0, payload, "", off.ID
		if err := s.check(ctx, tx, &created); err != nil {
			return err
		}
		if err := tx.CreateCampaign(ctx, &created); err != nil {
			return err
		}
		return s.publish(ctx, tx, off, &created)
	})
	if err != nil {
		return fmt.Errorf("create campaign %q: %w", c.Title, err)
	}
	*c = *s.local(&created)
	return nil
}

// publish generates c's flow and publishes it as the flow's next revision.
func (s *Service) publish(ctx context.Context, tx *storage.Tx, off *langnghe.Official, c *langnghe.Campaign) error {
	src, err := campaign.Flow(c, s.catalogue)
	if err != nil {
		return err
	}
	id, rev, _, err := s.library.Import(ctx, tx, actor(off), c.FlowID+".yaml", src, 0)
	if err != nil {
		return fmt.Errorf("save the conversation of campaign %d: %w", c.ID, err)
	}
	return s.library.Publish(ctx, tx, actor(off), id, rev)
}

// Campaign returns the campaign with id, if by may see it.
func (s *Service) Campaign(ctx context.Context, by *langnghe.Official, id int64) (*langnghe.Campaign, error) {
	var c *langnghe.Campaign
	err := s.db.InTx(ctx, func(tx *storage.Tx) (err error) {
		_, c, err = s.seen(ctx, tx, by, id)
		return err
	})
	return c, err
}

// CampaignByPayload finds the campaign a /start payload opens, closed or
// not.
func (s *Service) CampaignByPayload(ctx context.Context, payload string) (*langnghe.Campaign, error) {
	var c *langnghe.Campaign
	err := s.db.InTx(ctx, func(tx *storage.Tx) (err error) {
		c, err = s.Opened(ctx, tx, payload)
		return err
	})
	return c, err
}

// Opened is CampaignByPayload inside the caller's transaction: the
// conversation's, when a resident opens a deep link.
func (s *Service) Opened(ctx context.Context, tx *storage.Tx, payload string) (*langnghe.Campaign, error) {
	if !langnghe.IsCampaignPayload(payload) {
		return nil, campaignNotFound(payload)
	}
	c, err := tx.CampaignByPayload(ctx, payload)
	if langnghe.ErrorCode(err) == langnghe.ENOTFOUND {
		return nil, campaignNotFound(payload)
	} else if err != nil {
		return nil, err
	}
	return s.local(c), nil
}

// Campaigns lists the campaigns by may see, newest first.
func (s *Service) Campaigns(ctx context.Context, by *langnghe.Official) ([]*langnghe.Campaign, error) {
	var cs []*langnghe.Campaign
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		off, err := s.authorize(ctx, tx, by)
		if err != nil {
			return err
		}
		cs, err = tx.Campaigns(ctx, off.Scope())
		return err
	})
	for _, c := range cs {
		s.local(c)
	}
	return cs, err
}

// UpdateCampaign changes the title, theme, areas, unit, dates,
// conference, draft and, before the first response, the questions. The
// conversation is generated again and published when nobody edited it in
// the studio since it was generated; an edited one is left as the admin
// made it.
func (s *Service) UpdateCampaign(ctx context.Context, by *langnghe.Official, c *langnghe.Campaign) error {
	var updated *langnghe.Campaign
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		off, cur, err := s.managed(ctx, tx, by, c.ID)
		if err != nil {
			return err
		}
		next := *cur
		next.Title, next.Theme, next.Areas, next.Unit = c.Title, c.Theme, c.Areas, c.Unit
		next.Opens, next.Closes, next.Conference, next.Draft, next.Questions = c.Opens, c.Closes, c.Conference, c.Draft, c.Questions
		if err := s.check(ctx, tx, &next); err != nil {
			return err
		}
		if !sameQuestions(cur.Questions, next.Questions) {
			answered, err := tx.HasCampaignResponses(ctx, cur.ID)
			if err != nil {
				return err
			}
			if answered {
				return langnghe.Errorf(langnghe.ECONFLICT, "campaign %d has responses: its questions no longer change", cur.ID)
			}
		}
		generated, err := campaign.Flow(cur, s.catalogue)
		if err != nil {
			return err
		}
		_, published, err := tx.PublishedFlow(ctx, cur.FlowID)
		if err != nil && langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
			return err
		}
		if err := tx.UpdateCampaign(ctx, &next); err != nil {
			return err
		}
		if bytes.Equal(published, generated) {
			if err := s.publish(ctx, tx, off, &next); err != nil {
				return err
			}
		}
		updated = &next
		return nil
	})
	if err != nil {
		return fmt.Errorf("update campaign %d: %w", c.ID, err)
	}
	*c = *s.local(updated)
	return nil
}

func sameQuestions(a, b []langnghe.CampaignQuestion) bool {
	return slices.EqualFunc(a, b, func(x, y langnghe.CampaignQuestion) bool {
		return fmt.Sprint(x) == fmt.Sprint(y)
	})
}

// RecordResponse stores a response from a campaign's conversation.
func (s *Service) RecordResponse(ctx context.Context, r *langnghe.CampaignResponse) error {
	return s.db.InTx(ctx, func(tx *storage.Tx) error { return s.Record(ctx, tx, r) })
}

// Record is RecordResponse inside the conversation's transaction. The
// campaign is the one whose flow the response came through (or
// r.CampaignID); only the answers to its questions are kept
// (campaign.Answers), and a dialogue question gets its category. A
// campaign closed at r.CreatedAt takes no response (ECONFLICT). Grouping
// waits until someone reads the groups: it reads every question of the
// conference, so it is done once for many responses, and residents' turns
// never wait on each other for it.
func (s *Service) Record(ctx context.Context, tx *storage.Tx, r *langnghe.CampaignResponse) error {
	var (
		c   *langnghe.Campaign
		err error
	)
	if r.CampaignID != 0 {
		c, err = tx.Campaign(ctx, r.CampaignID)
	} else {
		c, err = tx.CampaignByFlow(ctx, r.FlowID)
	}
	if err != nil {
		return fmt.Errorf("the campaign of a response through flow %q: %w", r.FlowID, err)
	}
	c = s.local(c)
	if r.CreatedAt.IsZero() {
		r.CreatedAt = s.opts.Now()
	}
	if !c.OpenAt(r.CreatedAt) {
		return langnghe.Errorf(langnghe.ECONFLICT, "campaign %d takes no responses on %s", c.ID, r.CreatedAt.In(s.opts.TimeZone).Format(langnghe.DateLayout))
	}
	r.CampaignID = c.ID
	r.Answers = campaign.Answers(c, r.Answers)
	if err := maskOwnIdentifiers(ctx, tx, c, r); err != nil {
		return err
	}
	if q := r.Answers[langnghe.DialogueQuestionKey]; c.Kind == langnghe.CampaignDialogue && q != "" && s.classifier != nil {
		r.Category = s.classifier.Classify(q).Category
	}
	if r.Language == "" {
		r.Language = langnghe.LangVI
	}
	return tx.AddCampaignResponse(ctx, r)
}

// maskOwnIdentifiers masks, in a response's free-text answers, the
// resident's own name and phone and any identifier (redact.Text): a
// resident may sign a question ("Tôi là Nguyễn Văn An, số 0901…"), and
// the board, the results and the public results page read the words
// without who sent them.
func maskOwnIdentifiers(ctx context.Context, tx *storage.Tx, c *langnghe.Campaign, r *langnghe.CampaignResponse) error {
	var known []string
	if r.ResidentID != nil {
		res, err := tx.Resident(ctx, *r.ResidentID)
		if err != nil {
			return fmt.Errorf("the resident of a response to campaign %d: %w", c.ID, err)
		}
		known = []string{res.Name, res.Phone}
	}
	for _, q := range c.Asked() {
		if v, ok := r.Answers[q.Key]; ok && q.Kind == langnghe.QuestionText {
			r.Answers[q.Key] = redact.Text(v, known...)
		}
	}
	return nil
}
