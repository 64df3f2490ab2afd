package console_test

// TEMPORARY SCAFFOLD: an in-memory langnghe.CampaignService so the
// campaign pages can be tested before the storage's service lands (branch
// h16b). It is deleted once that service is merged; nothing else may use
// it.

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"langnghe"
	"langnghe/campaign"
	"langnghe/campaign/grouping"
	"langnghe/flows/catalogue"
	"langnghe/storage"
)

type scaffoldCampaigns struct {
	mu        sync.Mutex
	now       func() time.Time
	campaigns map[int64]*langnghe.Campaign
	responses []langnghe.CampaignResponse
	groups    map[int64][]grouping.Group
	answers   map[int64]*langnghe.GroupAnswer
	seq       int64
}

func newCampaignService(t *testing.T, db *storage.DB, now func() time.Time) *scaffoldCampaigns {
	return &scaffoldCampaigns{now: now, campaigns: map[int64]*langnghe.Campaign{}, groups: map[int64][]grouping.Group{},
		answers: map[int64]*langnghe.GroupAnswer{}}
}

func (s *scaffoldCampaigns) CreateCampaign(ctx context.Context, by *langnghe.Official, c *langnghe.Campaign) error {
	if !by.SeesAll() {
		return langnghe.Errorf(langnghe.EFORBIDDEN, "board only")
	}
	if err := c.Validate(catalogue.Default()); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	c.ID = s.seq
	p, _ := langnghe.NewCampaignPayload()
	c.Payload, c.FlowID, c.CreatedAt, c.UpdatedAt = p, langnghe.CampaignFlowID(c.ID), s.now(), s.now()
	cp := *c
	s.campaigns[c.ID] = &cp
	return nil
}

func (s *scaffoldCampaigns) Campaign(ctx context.Context, by *langnghe.Official, id int64) (*langnghe.Campaign, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.campaigns[id]
	if !ok || (!by.SeesAll() && !slices.Contains(by.Units, c.Unit)) {
		return nil, langnghe.Errorf(langnghe.ENOTFOUND, "no campaign %d", id)
	}
	cp := *c
	return &cp, nil
}

func (s *scaffoldCampaigns) CampaignByPayload(ctx context.Context, payload string) (*langnghe.Campaign, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.campaigns {
		if c.Payload == payload {
			cp := *c
			return &cp, nil
		}
	}
	return nil, langnghe.Errorf(langnghe.ENOTFOUND, "no campaign")
}

func (s *scaffoldCampaigns) Campaigns(ctx context.Context, by *langnghe.Official) ([]*langnghe.Campaign, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*langnghe.Campaign
	for _, c := range s.campaigns {
		if by.SeesAll() || slices.Contains(by.Units, c.Unit) {
			cp := *c
			out = append(out, &cp)
		}
	}
	slices.SortFunc(out, func(a, b *langnghe.Campaign) int { return cmp.Compare(b.ID, a.ID) })
	return out, nil
}

func (s *scaffoldCampaigns) UpdateCampaign(ctx context.Context, by *langnghe.Official, c *langnghe.Campaign) error {
	if !by.SeesAll() {
		return langnghe.Errorf(langnghe.EFORBIDDEN, "board only")
	}
	if err := c.Validate(catalogue.Default()); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := *c
	s.campaigns[c.ID] = &cp
	return nil
}

func (s *scaffoldCampaigns) RecordResponse(ctx context.Context, r *langnghe.CampaignResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	r.ID, r.CreatedAt = s.seq, s.now()
	s.responses = append(s.responses, *r)
	delete(s.groups, r.CampaignID)
	return nil
}

func (s *scaffoldCampaigns) model(id int64) (*grouping.Model, []grouping.Group) {
	var qs []grouping.Question
	for _, r := range s.responses {
		if r.CampaignID == id {
			qs = append(qs, grouping.Question{ID: r.ID, Text: r.Answers[langnghe.DialogueQuestionKey], Category: r.Category})
		}
	}
	m, _ := grouping.New(qs, grouping.Options{})
	if s.groups[id] == nil {
		s.groups[id] = m.Group(nil)
	}
	return m, s.groups[id]
}

func (s *scaffoldCampaigns) out(id int64, gs []grouping.Group) []*langnghe.QuestionGroup {
	c := s.campaigns[id]
	var out []*langnghe.QuestionGroup
	for _, g := range gs {
		qg := &langnghe.QuestionGroup{ID: g.ID, CampaignID: id, Title: g.Title, Renamed: g.Renamed, Category: g.Category,
			Members: g.Members, Answer: s.answers[g.ID]}
		if c.Conference != nil {
			qg.DueAt = c.Conference.At.AddDate(0, 0, 15)
		}
		out = append(out, qg)
	}
	return out
}

func (s *scaffoldCampaigns) Groups(ctx context.Context, by *langnghe.Official, id int64) ([]*langnghe.QuestionGroup, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, gs := s.model(id)
	return s.out(id, gs), nil
}

func (s *scaffoldCampaigns) groupCampaign(groupID int64) int64 {
	for id, gs := range s.groups {
		for _, g := range gs {
			if g.ID == groupID {
				return id
			}
		}
	}
	return 0
}

func (s *scaffoldCampaigns) MergeGroups(ctx context.Context, by *langnghe.Official, id int64, ids []int64) (*langnghe.QuestionGroup, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, gs := s.model(id)
	gs, err := m.Merge(gs, ids...)
	if err != nil {
		return nil, err
	}
	s.groups[id] = gs
	return &langnghe.QuestionGroup{ID: ids[0]}, nil
}

func (s *scaffoldCampaigns) SplitGroup(ctx context.Context, by *langnghe.Official, groupID int64, members []int64) (*langnghe.QuestionGroup, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.groupCampaign(groupID)
	m, gs := s.model(id)
	gs, err := m.Split(gs, groupID, members)
	if err != nil {
		return nil, err
	}
	s.groups[id] = gs
	return &langnghe.QuestionGroup{ID: slices.Min(members)}, nil
}

func (s *scaffoldCampaigns) RenameGroup(ctx context.Context, by *langnghe.Official, groupID int64, title string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.groupCampaign(groupID)
	m, gs := s.model(id)
	gs, err := m.Rename(gs, groupID, title)
	if err != nil {
		return err
	}
	s.groups[id] = gs
	return nil
}

func (s *scaffoldCampaigns) AnswerGroup(ctx context.Context, by *langnghe.Official, groupID int64, a langnghe.GroupAnswer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers[groupID] = &a
	return nil
}

func (s *scaffoldCampaigns) Results(ctx context.Context, id int64) (*langnghe.CampaignResults, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.campaigns[id]
	var rs []langnghe.CampaignResponse
	for _, r := range s.responses {
		if r.CampaignID == id {
			rs = append(rs, r)
		}
	}
	var groups []langnghe.QuestionGroup
	if c.Kind == langnghe.CampaignDialogue {
		_, gs := s.model(id)
		for _, g := range s.out(id, gs) {
			groups = append(groups, *g)
		}
	}
	return campaign.Results(c, rs, groups, 0)
}

func (s *scaffoldCampaigns) CampaignQuestions(ctx context.Context, by *langnghe.Official, id int64) ([]langnghe.CampaignResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var rs []langnghe.CampaignResponse
	for _, r := range s.responses {
		if r.CampaignID == id {
			rs = append(rs, r)
		}
	}
	return rs, nil
}
