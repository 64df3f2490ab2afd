package campaigns

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"langnghe"
	"langnghe/campaign/grouping"
	"langnghe/flows/vntext"
	"langnghe/storage"
)

// A dialogue's questions in groups: grouped when read, edited by the
// board.

// Groups returns a dialogue's question groups, the largest first, brought
// up to date with the questions that came since they were last read.
func (s *Service) Groups(ctx context.Context, by *langnghe.Official, campaignID int64) ([]*langnghe.QuestionGroup, error) {
	var groups []*langnghe.QuestionGroup
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		_, c, err := s.seen(ctx, tx, by, campaignID)
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
	groups, err := tx.QuestionGroups(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	ratings, err := tx.CampaignAnswerRatings(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if r, ok := ratings[g.ID]; ok {
			g.Ratings = &r
		}
	}
	return groups, nil
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

// edit runs an edit of the board's on the groups of a campaign (or of the
// campaign of groupID, when campaignID is 0): fn gets the unanswered groups as the grouping package takes them
// (with stored ids) and a model of their questions, and returns the groups
// after the edit; they are stored as they are (a group whose members are
// the newly split ones is new).
func (s *Service) edit(ctx context.Context, by *langnghe.Official, campaignID, groupID int64,
	fn func(m *grouping.Model, groups []grouping.Group, answered map[int64]*langnghe.QuestionGroup) ([]grouping.Group, error)) ([]*langnghe.QuestionGroup, error) {
	var saved []*langnghe.QuestionGroup
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		off, err := s.manager(ctx, tx, by)
		if err != nil {
			return err
		}
		if campaignID == 0 {
			if campaignID, err = campaignOfGroup(ctx, tx, groupID); err != nil {
				return err
			}
		}
		c, err := s.visible(ctx, tx, off, campaignID, true)
		if err != nil {
			return err
		}
		if c.Kind != langnghe.CampaignDialogue {
			return langnghe.Errorf(langnghe.EINVALID, "only a dialogue conference's questions are grouped")
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
	return langnghe.Errorf(langnghe.ECONFLICT, "question group %d is answered: its askers heard the answer, so it no longer changes", id)
}

// MergeGroups moves every question of the groups into the first; answered
// groups are final (ECONFLICT).
func (s *Service) MergeGroups(ctx context.Context, by *langnghe.Official, campaignID int64, groupIDs []int64) (*langnghe.QuestionGroup, error) {
	if len(groupIDs) == 0 {
		return nil, langnghe.Errorf(langnghe.EINVALID, "name at least two groups to merge")
	}
	groups, err := s.edit(ctx, by, campaignID, 0, func(m *grouping.Model, groups []grouping.Group, answered map[int64]*langnghe.QuestionGroup) ([]grouping.Group, error) {
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
func campaignOfGroup(ctx context.Context, tx *storage.Tx, groupID int64) (int64, error) {
	g, err := tx.QuestionGroup(ctx, groupID)
	if err != nil {
		return 0, err
	}
	return g.CampaignID, nil
}

// SplitGroup moves members out of a group into a new group, which it
// returns; answered groups are final (ECONFLICT).
func (s *Service) SplitGroup(ctx context.Context, by *langnghe.Official, groupID int64, members []int64) (*langnghe.QuestionGroup, error) {
	groups, err := s.edit(ctx, by, 0, groupID, func(m *grouping.Model, groups []grouping.Group, answered map[int64]*langnghe.QuestionGroup) ([]grouping.Group, error) {
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
	title = vntext.Normalize(title)
	if n := utf8.RuneCountInString(title); n == 0 || n > grouping.MaxGroupTitle {
		return langnghe.Errorf(langnghe.EINVALID, "a group's title has 1 to %d characters", grouping.MaxGroupTitle)
	}
	_, err := s.edit(ctx, by, 0, groupID, func(m *grouping.Model, groups []grouping.Group, answered map[int64]*langnghe.QuestionGroup) ([]grouping.Group, error) {
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
