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
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"langnghe"
	"langnghe/campaign"
	"langnghe/campaign/grouping"
	"langnghe/flowlib"
	"langnghe/flows/classify"
	"langnghe/flows/vntext"
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
}

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
	if opts.TimeZone == nil {
		opts.TimeZone = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.AnswerDays <= 0 {
		opts.AnswerDays = DefaultAnswerDays
	}
	return &Service{db: db, library: lib, catalogue: cat, classifier: cl, calendar: cal, opts: opts}
}

// Operator is whoever runs the command line on the server: they own the
// machine, as for `langnghe officials revoke`, and act as an admin. Only
// this value is the operator; an official loaded from anywhere else never
// is.
var Operator = &langnghe.Official{Name: "cli", Role: langnghe.RoleAdmin}

func unauthorized() error {
	return langnghe.Errorf(langnghe.EUNAUTHORIZED, "only officials may do this").Vi("Chỉ cán bộ mới được làm việc này")
}

// authorize reloads the official, so that a revocation or a change of
// units takes effect at once.
func (s *Service) authorize(ctx context.Context, tx *storage.Tx, by *langnghe.Official) (*langnghe.Official, error) {
	if by == Operator {
		return Operator, nil
	}
	if by == nil || by.ID == 0 {
		return nil, unauthorized()
	}
	cur, err := tx.Official(ctx, by.ID)
	if langnghe.ErrorCode(err) == langnghe.ENOTFOUND {
		return nil, unauthorized()
	} else if err != nil {
		return nil, err
	}
	if !cur.Active() {
		return nil, langnghe.Errorf(langnghe.EUNAUTHORIZED, "your access as an official has been revoked").Vi("Quyền cán bộ của ông/bà đã bị thu hồi")
	}
	return cur, nil
}

// manager is authorize for what only the board and admins do.
func (s *Service) manager(ctx context.Context, tx *storage.Tx, by *langnghe.Official) (*langnghe.Official, error) {
	off, err := s.authorize(ctx, tx, by)
	if err != nil {
		return nil, err
	}
	if !off.SeesAll() {
		return nil, langnghe.Errorf(langnghe.EFORBIDDEN, "only the board and admins manage campaigns").
			Vi("Chỉ Ban Dân vận và quản trị viên mới được quản lý đợt lấy ý kiến")
	}
	return off, nil
}

// actor names the official in the flows' audit.
func actor(off *langnghe.Official) string {
	if off == Operator {
		return "cli"
	}
	return fmt.Sprintf("official:%d", off.ID)
}

func campaignNotFound(id any) error {
	return langnghe.Errorf(langnghe.ENOTFOUND, "campaign %v not found", id).Vi("Không tìm thấy đợt lấy ý kiến %v", id)
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
	if err := c.Validate(s.catalogue); err != nil {
		return err
	}
	if c.Unit == "" {
		return nil
	}
	if _, err := tx.Unit(ctx, c.Unit); langnghe.ErrorCode(err) == langnghe.ENOTFOUND {
		return langnghe.Errorf(langnghe.EINVALID, "there is no unit %q", c.Unit).Vi("Không có đơn vị %q", c.Unit)
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
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		off, err := s.authorize(ctx, tx, by)
		if err != nil {
			return err
		}
		c, err = s.visible(ctx, tx, off, id, false)
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
		off, err := s.manager(ctx, tx, by)
		if err != nil {
			return err
		}
		cur, err := s.visible(ctx, tx, off, c.ID, true)
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
				return langnghe.Errorf(langnghe.ECONFLICT, "campaign %d has responses: its questions no longer change", cur.ID).
					Vi("Đợt lấy ý kiến đã có người trả lời nên không thể sửa câu hỏi")
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
		return langnghe.Errorf(langnghe.ECONFLICT, "campaign %d takes no responses on %s", c.ID, r.CreatedAt.In(s.opts.TimeZone).Format("02/01/2006"))
	}
	r.CampaignID = c.ID
	r.Answers = campaign.Answers(c, r.Answers)
	if q := r.Answers[langnghe.DialogueQuestionKey]; c.Kind == langnghe.CampaignDialogue && q != "" && s.classifier != nil {
		r.Category = s.classifier.Classify(q).Category
	}
	if r.Language == "" {
		r.Language = langnghe.LangVI
	}
	return tx.AddCampaignResponse(ctx, r)
}

// Groups returns a dialogue's question groups, the largest first, brought
// up to date with the questions that came since they were last read.
func (s *Service) Groups(ctx context.Context, by *langnghe.Official, campaignID int64) ([]*langnghe.QuestionGroup, error) {
	var groups []*langnghe.QuestionGroup
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		off, err := s.authorize(ctx, tx, by)
		if err != nil {
			return err
		}
		c, err := s.visible(ctx, tx, off, campaignID, false)
		if err != nil {
			return err
		}
		groups, err = s.current(ctx, tx, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	sortGroups(groups)
	return groups, nil
}

func sortGroups(gs []*langnghe.QuestionGroup) {
	slices.SortStableFunc(gs, func(a, b *langnghe.QuestionGroup) int {
		return cmp.Or(cmp.Compare(len(b.Members), len(a.Members)), cmp.Compare(a.ID, b.ID))
	})
}

// current returns the campaign's groups, regrouped first when questions
// came since the last grouping.
func (s *Service) current(ctx context.Context, tx *storage.Tx, c *langnghe.Campaign) ([]*langnghe.QuestionGroup, error) {
	if c.Kind != langnghe.CampaignDialogue {
		return []*langnghe.QuestionGroup{}, nil
	}
	upto, err := tx.CampaignGroupedUpTo(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	last, err := tx.LastCampaignResponse(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if last > upto {
		// Another reader may be regrouping: the lock makes the second
		// wait, and then find nothing left to do.
		if _, err := tx.LockCampaign(ctx, c.ID); err != nil {
			return nil, err
		}
		if err := s.regroup(ctx, tx, c); err != nil {
			return nil, err
		}
	}
	return tx.QuestionGroups(ctx, c.ID)
}

// regroup groups the conference's questions again: the board's fixed
// groups keep their questions and names, new questions join them or form
// groups, and answered groups are final (their askers heard the answer to
// the questions the leaders read). A group that keeps most of its
// questions keeps its id, so the board's page does not renumber. The
// campaign's row must be locked.
func (s *Service) regroup(ctx context.Context, tx *storage.Tx, c *langnghe.Campaign) error {
	upto, err := tx.CampaignGroupedUpTo(ctx, c.ID)
	if err != nil {
		return err
	}
	responses, err := tx.CampaignResponses(ctx, c.ID)
	if err != nil {
		return err
	}
	last := int64(0)
	if n := len(responses); n > 0 {
		last = responses[n-1].ID
	}
	if last <= upto {
		return nil
	}
	old, err := tx.QuestionGroups(ctx, c.ID)
	if err != nil {
		return err
	}
	final := map[int64]bool{} // questions of answered groups
	var kept []grouping.Group
	var loose []*langnghe.QuestionGroup // unanswered groups the board did not edit
	for _, g := range old {
		switch {
		case g.Answer != nil:
			for _, m := range g.Members {
				final[m] = true
			}
		case g.Fixed:
			kept = append(kept, grouping.Group{ID: g.ID, Title: g.Title, Renamed: g.Renamed, Fixed: true, Category: g.Category, Members: g.Members})
		default:
			loose = append(loose, g)
		}
	}
	m, err := s.model(responses, func(id int64) bool { return !final[id] })
	if err != nil {
		return err
	}
	var groups []*langnghe.QuestionGroup
	for _, g := range m.Group(kept) {
		groups = append(groups, s.stored(c, g, old))
	}
	reuseIDs(groups, loose)
	return tx.SaveQuestionGroups(ctx, c.ID, groups, last)
}

// model reads the dialogue questions of responses that keep says to.
func (s *Service) model(responses []langnghe.CampaignResponse, keep func(id int64) bool) (*grouping.Model, error) {
	var qs []grouping.Question
	for _, r := range responses {
		if text := strings.TrimSpace(r.Answers[langnghe.DialogueQuestionKey]); text != "" && keep(r.ID) {
			qs = append(qs, grouping.Question{ID: r.ID, Text: text, Category: r.Category})
		}
	}
	return grouping.New(qs, grouping.Options{})
}

// stored turns a grouping's group into a stored one: a fixed group is the
// board's (its id is the stored id), any other is new until reuseIDs
// finds its earlier self. A new group is due AnswerDays working days
// after the conference.
func (s *Service) stored(c *langnghe.Campaign, g grouping.Group, old []*langnghe.QuestionGroup) *langnghe.QuestionGroup {
	out := &langnghe.QuestionGroup{CampaignID: c.ID, Title: g.Title, Renamed: g.Renamed, Fixed: g.Fixed, Category: g.Category,
		Members: g.Members, DueAt: s.due(c)}
	if g.Fixed {
		out.ID = g.ID
		for _, o := range old {
			if o.ID == g.ID && !o.DueAt.IsZero() {
				out.DueAt = o.DueAt
			}
		}
	}
	return out
}

// due is when a new group's answer is due.
func (s *Service) due(c *langnghe.Campaign) time.Time {
	if c.Conference == nil || s.calendar == nil {
		return time.Time{}
	}
	return s.calendar.AddWorkingDays(c.Conference.At, s.opts.AnswerDays)
}

// reuseIDs gives each new group (no ID) the id of the earlier unedited
// group it shares most questions with, each id once, the largest overlaps
// first; the earlier group's due date goes with it.
func reuseIDs(groups, earlier []*langnghe.QuestionGroup) {
	type pair struct {
		g, e    int
		overlap int
	}
	var pairs []pair
	for i, g := range groups {
		if g.ID != 0 {
			continue
		}
		for j, e := range earlier {
			n := 0
			for _, m := range g.Members {
				if slices.Contains(e.Members, m) {
					n++
				}
			}
			if n > 0 {
				pairs = append(pairs, pair{i, j, n})
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int {
		return cmp.Or(cmp.Compare(b.overlap, a.overlap), cmp.Compare(a.g, b.g), cmp.Compare(a.e, b.e))
	})
	used := map[int]bool{}
	for _, p := range pairs {
		if groups[p.g].ID != 0 || used[p.e] {
			continue
		}
		used[p.e] = true
		groups[p.g].ID = earlier[p.e].ID
		if d := earlier[p.e].DueAt; !d.IsZero() {
			groups[p.g].DueAt = d
		}
	}
}

// edit runs an edit of the board's on the groups of the campaign of a
// group: fn gets the unanswered groups as the grouping package takes them
// (with stored ids) and a model of their questions, and returns the groups
// after the edit; they are stored as they are (a group whose members are
// the newly split ones is new).
func (s *Service) edit(ctx context.Context, by *langnghe.Official, campaignID int64,
	fn func(m *grouping.Model, groups []grouping.Group, answered map[int64]*langnghe.QuestionGroup) ([]grouping.Group, error)) ([]*langnghe.QuestionGroup, error) {
	var saved []*langnghe.QuestionGroup
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		off, err := s.manager(ctx, tx, by)
		if err != nil {
			return err
		}
		c, err := s.visible(ctx, tx, off, campaignID, true)
		if err != nil {
			return err
		}
		if c.Kind != langnghe.CampaignDialogue {
			return langnghe.Errorf(langnghe.EINVALID, "only a dialogue conference's questions are grouped").
				Vi("Chỉ câu hỏi của hội nghị đối thoại mới được nhóm")
		}
		// The groups as the board saw them: no regrouping here, so the ids
		// it names stay (new questions are grouped at the next read, around
		// what the board fixed).
		old, err := tx.QuestionGroups(ctx, c.ID)
		if err != nil {
			return err
		}
		responses, err := tx.CampaignResponses(ctx, c.ID)
		if err != nil {
			return err
		}
		answered := map[int64]*langnghe.QuestionGroup{}
		inGroup := map[int64]bool{}
		var groups []grouping.Group
		for _, g := range old {
			if g.Answer != nil {
				answered[g.ID] = g
				continue
			}
			for _, m := range g.Members {
				inGroup[m] = true
			}
			groups = append(groups, grouping.Group{ID: g.ID, Title: g.Title, Renamed: g.Renamed, Fixed: g.Fixed, Category: g.Category, Members: g.Members})
		}
		m, err := s.model(responses, func(id int64) bool { return inGroup[id] })
		if err != nil {
			return err
		}
		after, err := fn(m, groups, answered)
		if err != nil {
			return err
		}
		byID := map[int64]*langnghe.QuestionGroup{}
		for _, g := range old {
			byID[g.ID] = g
		}
		used := map[int64]bool{}
		for _, g := range after {
			st := s.stored(c, g, old)
			st.ID = 0
			if e := byID[g.ID]; e != nil && e.Answer == nil && !used[e.ID] && overlaps(e.Members, g.Members) {
				st.ID, used[e.ID] = e.ID, true
				if !e.DueAt.IsZero() {
					st.DueAt = e.DueAt
				}
			}
			saved = append(saved, st)
		}
		upto, err := tx.CampaignGroupedUpTo(ctx, c.ID)
		if err != nil {
			return err
		}
		return tx.SaveQuestionGroups(ctx, c.ID, saved, upto)
	})
	if err != nil {
		return nil, err
	}
	sortGroups(saved)
	return saved, nil
}

func overlaps(a, b []int64) bool {
	return slices.ContainsFunc(a, func(x int64) bool { return slices.Contains(b, x) })
}

// answeredConflict refuses an edit of an answered group.
func answeredConflict(id int64) error {
	return langnghe.Errorf(langnghe.ECONFLICT, "question group %d is answered: its askers heard the answer, so it no longer changes", id).
		Vi("Nhóm câu hỏi %d đã được trả lời nên không thể thay đổi", id)
}

// MergeGroups moves every question of the groups into the first; answered
// groups are final (ECONFLICT).
func (s *Service) MergeGroups(ctx context.Context, by *langnghe.Official, campaignID int64, groupIDs []int64) (*langnghe.QuestionGroup, error) {
	if len(groupIDs) == 0 {
		return nil, langnghe.Errorf(langnghe.EINVALID, "name at least two groups to merge").Vi("Cần chọn ít nhất hai nhóm để gộp")
	}
	groups, err := s.edit(ctx, by, campaignID, func(m *grouping.Model, groups []grouping.Group, answered map[int64]*langnghe.QuestionGroup) ([]grouping.Group, error) {
		for _, id := range groupIDs {
			if answered[id] != nil {
				return nil, answeredConflict(id)
			}
		}
		return m.Merge(groups, groupIDs...)
	})
	if err != nil {
		return nil, fmt.Errorf("merge groups %v: %w", groupIDs, err)
	}
	return findGroup(groups, groupIDs[0])
}

func findGroup(groups []*langnghe.QuestionGroup, id int64) (*langnghe.QuestionGroup, error) {
	for _, g := range groups {
		if g.ID == id {
			return g, nil
		}
	}
	return nil, langnghe.Errorf(langnghe.ENOTFOUND, "question group %d not found", id)
}

// campaignOfGroup is the campaign a group belongs to (ENOTFOUND).
func (s *Service) campaignOfGroup(ctx context.Context, groupID int64) (int64, error) {
	g, err := s.db.QuestionGroup(ctx, groupID)
	if err != nil {
		return 0, err
	}
	return g.CampaignID, nil
}

// SplitGroup moves members out of a group into a new group, which it
// returns; answered groups are final (ECONFLICT).
func (s *Service) SplitGroup(ctx context.Context, by *langnghe.Official, groupID int64, members []int64) (*langnghe.QuestionGroup, error) {
	campaignID, err := s.campaignOfGroup(ctx, groupID)
	if err != nil {
		return nil, err
	}
	groups, err := s.edit(ctx, by, campaignID, func(m *grouping.Model, groups []grouping.Group, answered map[int64]*langnghe.QuestionGroup) ([]grouping.Group, error) {
		if answered[groupID] != nil {
			return nil, answeredConflict(groupID)
		}
		after, err := m.Split(groups, groupID, members)
		if err != nil {
			return nil, err
		}
		// The group split off is new: its grouping id is a question's.
		for i := range after {
			if slices.Equal(after[i].Members, slices.Sorted(slices.Values(members))) {
				after[i].ID = 0
			}
		}
		return after, nil
	})
	if err != nil {
		return nil, fmt.Errorf("split group %d: %w", groupID, err)
	}
	for _, g := range groups {
		if len(g.Members) > 0 && slices.Contains(members, g.Members[0]) {
			return g, nil
		}
	}
	return nil, fmt.Errorf("split group %d: the new group is missing", groupID)
}

// RenameGroup sets a group's title, which regrouping keeps.
func (s *Service) RenameGroup(ctx context.Context, by *langnghe.Official, groupID int64, title string) error {
	campaignID, err := s.campaignOfGroup(ctx, groupID)
	if err != nil {
		return err
	}
	title = vntext.Normalize(title)
	if n := utf8.RuneCountInString(title); n == 0 || n > grouping.MaxGroupTitle {
		return langnghe.Errorf(langnghe.EINVALID, "a group's title has 1 to %d characters", grouping.MaxGroupTitle).
			Vi("Tên nhóm dài từ 1 đến %d ký tự", grouping.MaxGroupTitle)
	}
	_, err = s.edit(ctx, by, campaignID, func(m *grouping.Model, groups []grouping.Group, answered map[int64]*langnghe.QuestionGroup) ([]grouping.Group, error) {
		if answered[groupID] != nil {
			return nil, answeredConflict(groupID)
		}
		return m.Rename(groups, groupID, title)
	})
	if err != nil {
		return fmt.Errorf("rename group %d: %w", groupID, err)
	}
	return nil
}

// Limits on an answer the board records.
const (
	MaxAnswer     = 3000
	MaxAnsweredBy = 300
)

// AnswerGroup records the leaders' answer to a group and queues it, in the
// same transaction, to every asker in their language, once each (see
// storage's QueueDeliveries). The board, admins, and the officials of the
// campaign's unit may; a group answered already is ECONFLICT.
func (s *Service) AnswerGroup(ctx context.Context, by *langnghe.Official, groupID int64, a langnghe.GroupAnswer) error {
	a.Text, a.AnsweredBy = strings.TrimSpace(vntext.Normalize(a.Text)), strings.TrimSpace(vntext.Normalize(a.AnsweredBy))
	if n := utf8.RuneCountInString(a.Text); n == 0 || n > MaxAnswer {
		return langnghe.Errorf(langnghe.EINVALID, "an answer has 1 to %d characters", MaxAnswer).Vi("Nội dung trả lời dài từ 1 đến %d ký tự", MaxAnswer)
	}
	if utf8.RuneCountInString(a.AnsweredBy) > MaxAnsweredBy {
		return langnghe.Errorf(langnghe.EINVALID, "who answered has at most %d characters", MaxAnsweredBy).Vi("Tên người trả lời tối đa %d ký tự", MaxAnsweredBy)
	}
	campaignID, err := s.campaignOfGroup(ctx, groupID)
	if err != nil {
		return err
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		off, err := s.authorize(ctx, tx, by)
		if err != nil {
			return err
		}
		c, err := s.visible(ctx, tx, off, campaignID, true)
		if err != nil {
			return err
		}
		a.RecordedBy = off.ID
		if a.At.IsZero() {
			a.At = s.opts.Now()
		}
		if err := tx.AnswerQuestionGroup(ctx, groupID, a); err != nil {
			return err
		}
		return s.deliver(ctx, tx, c, groupID, a)
	})
	if err != nil {
		return fmt.Errorf("answer group %d: %w", groupID, err)
	}
	return nil
}

// deliver queues the answer to each asker of the group who has not had it.
// The announcements' lower lane will take these messages too; today they
// queue as any message does.
func (s *Service) deliver(ctx context.Context, tx *storage.Tx, c *langnghe.Campaign, groupID int64, a langnghe.GroupAnswer) error {
	askers, err := tx.GroupAskers(ctx, groupID)
	if err != nil {
		return err
	}
	msgs := make([]*langnghe.Outgoing, 0, len(askers))
	for _, asker := range askers {
		id := asker.ResidentID
		msgs = append(msgs, &langnghe.Outgoing{Channel: asker.Channel, ChatID: asker.ChatID, ResidentID: &id,
			Message: langnghe.Message{Text: answerText(c, asker, a, s.opts.TimeZone)}})
	}
	_, err = tx.QueueDeliveries(ctx, groupID, msgs)
	return err
}

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
		// reached stays 0 until announcements say how many residents
		// they reached.
		res, err = campaign.Results(c, responses, values, 0)
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
		off, err := s.authorize(ctx, tx, by)
		if err != nil {
			return err
		}
		c, err := s.visible(ctx, tx, off, campaignID, false)
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
