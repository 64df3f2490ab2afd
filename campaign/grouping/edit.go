package grouping

import (
	"slices"
	"unicode/utf8"

	"langnghe"
	"langnghe/flows/vntext"
)

// The board's edits. Each returns the groups after it, sorted as Group
// sorts them; the groups it touched are Fixed, so a later Group keeps
// them. groups is not changed.

// Merge puts every question of the groups with ids into the first of
// them, which keeps its id (and its title, if the board wrote it).
func (m *Model) Merge(groups []Group, ids ...int64) ([]Group, error) {
	if len(ids) < 2 {
		return nil, langnghe.Errorf(langnghe.EINVALID, "name at least two groups to merge")
	}
	into := find(groups, ids[0])
	if into < 0 {
		return nil, notFound(ids[0])
	}
	merged := groups[into]
	out := []Group{}
	gone := map[int64]bool{}
	for _, id := range ids[1:] {
		i := find(groups, id)
		switch {
		case i < 0:
			return nil, notFound(id)
		case i == into || gone[id]:
			return nil, langnghe.Errorf(langnghe.EINVALID, "group %d is named twice", id)
		}
		gone[id] = true
		merged.Members = append(slices.Clone(merged.Members), groups[i].Members...)
	}
	for _, g := range groups {
		if g.ID != merged.ID && !gone[g.ID] {
			out = append(out, g)
		}
	}
	out = append(out, m.remake(merged))
	sortGroups(out)
	return out, nil
}

// Split moves members out of the group with id into a new group, whose id
// is its smallest question id. Both are then fixed.
func (m *Model) Split(groups []Group, id int64, members []int64) ([]Group, error) {
	i := find(groups, id)
	if i < 0 {
		return nil, notFound(id)
	}
	g := groups[i]
	if len(members) == 0 || len(members) >= len(g.Members) {
		return nil, langnghe.Errorf(langnghe.EINVALID, "choose some of the group's questions, not none or all, to split off")
	}
	var rest, moved []int64
	for _, q := range g.Members {
		if slices.Contains(members, q) {
			moved = append(moved, q)
		} else {
			rest = append(rest, q)
		}
	}
	if len(moved) != len(slices.Compact(slices.Sorted(slices.Values(members)))) {
		return nil, langnghe.Errorf(langnghe.EINVALID, "some of the questions to split off are not in group %d", id)
	}
	out := slices.Delete(slices.Clone(groups), i, i+1)
	kept := g
	kept.Members = rest
	out = append(out, m.remake(kept), m.remake(Group{ID: slices.Min(moved), Members: moved}))
	sortGroups(out)
	return out, nil
}

// MaxGroupTitle is the longest title the board may write.
const MaxGroupTitle = 200

// Rename sets the title of the group with id: regrouping keeps it.
func (m *Model) Rename(groups []Group, id int64, title string) ([]Group, error) {
	i := find(groups, id)
	if i < 0 {
		return nil, notFound(id)
	}
	title = vntext.Normalize(title)
	if n := utf8.RuneCountInString(title); n == 0 || n > MaxGroupTitle {
		return nil, langnghe.Errorf(langnghe.EINVALID, "a group's title has 1 to %d characters", MaxGroupTitle)
	}
	out := slices.Clone(groups)
	out[i].Title, out[i].Renamed, out[i].Fixed = title, true, true
	return out, nil
}

// remake recomputes g's title (unless renamed), category and terms for
// its members, fixed.
func (m *Model) remake(g Group) Group {
	var idx []int
	for _, id := range g.Members {
		if i, ok := m.index[id]; ok {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		g.Fixed = true
		return g
	}
	from := g
	from.Fixed = true
	return m.group(idx, &from)
}

func find(groups []Group, id int64) int {
	return slices.IndexFunc(groups, func(g Group) bool { return g.ID == id })
}

func notFound(id int64) error {
	return langnghe.Errorf(langnghe.ENOTFOUND, "there is no group %d", id)
}
