// Package grouping puts near-identical residents' questions into groups,
// so that two hundred questions for a dialogue conference read as a few
// dozen issues the leaders answer once: the same issue in other words,
// with or without diacritics, falls into one group.
//
// A question is read as its terms (content words folded, concepts for the
// usual synonyms and phrases: text.go), weighted
// by how rare they are among the conference's questions (tf-idf), so the
// theme every question shares ("sông Thị Tính") weighs little. Two
// questions are as similar as the cosine of their weights; groups form by
// average linkage down to Threshold. Everything is deterministic: the same
// questions give the same groups, in the same order, with the same titles.
//
// Known weakness: a question whose telling words no other question uses is
// judged by the words it does share, so in a small set a lone question
// can join a group on one common word ("xe rác" beside two questions on
// bins). Counting those unshared words against it, fully or in part,
// lowered precision and recall on the labelled sets, so they are left
// out; the board splits such a question off.
//
// The board's merges, splits and renames make groups Fixed: regrouping
// (when more questions arrive) keeps a fixed group's questions together
// and apart from other fixed groups, and only adds new questions to it.
package grouping

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"langnghe"
	"langnghe/flows/vntext"
	"langnghe/redact"
)

// Question is one question to group.
type Question struct {
	ID   int64
	Text string
	// Category is the classifier's category of the question (opinions'
	// categories), or "": questions of different categories must be
	// closer to be grouped.
	Category string
}

// Group is a set of questions about one issue.
type Group struct {
	// ID is the group's smallest question id, or the id the board's edit
	// gave it: it stays as questions are added.
	ID    int64  `json:"id"`
	Title string `json:"title"`
	// Renamed: the board wrote the title. Fixed: the board edited the
	// group; its questions stay together.
	Renamed  bool   `json:"renamed,omitempty"`
	Fixed    bool   `json:"fixed,omitempty"`
	Category string `json:"category,omitempty"`
	// Members are the question ids, ascending.
	Members []int64 `json:"members"`
	// Terms are what its questions share, the most telling first, as they
	// wrote it: why it is one group.
	Terms []string `json:"terms,omitempty"`
}

// DefaultThreshold is the similarity at and above which questions are
// grouped (average linkage). It was chosen on the labelled questions in
// testdata (TestLabelledSet prints the figures).
const DefaultThreshold = 0.3

// MaxTitle is the longest title, in characters.
const MaxTitle = 160

// Options tune a Model; the zero value takes the defaults.
type Options struct {
	Threshold float64 // 0: DefaultThreshold
	// CategoryFactor, when set, scales the similarity of two questions
	// the classifier put in different categories. By default categories
	// only name a group's theme: on the labelled set a factor of 0.8 cost
	// both precision and recall, as the classifier often files two
	// wordings of one issue apart (land and environment for "đất bán
	// ngập").
	CategoryFactor float64
}

// Model is a set of questions read for grouping. It is read-only once
// made, so safe for concurrent use.
type Model struct {
	threshold      float64
	categoryFactor float64
	qs             []Question // by id
	index          map[int64]int
	vecs           []map[string]float64 // unit tf-idf vectors
	written        []map[string]string  // per question: term key → as written
	sim            []float32            // n×n
}

// New reads qs (ids must be distinct; the order does not matter).
func New(qs []Question, opts Options) (*Model, error) {
	m := &Model{threshold: cmp.Or(opts.Threshold, DefaultThreshold), categoryFactor: cmp.Or(opts.CategoryFactor, 1),
		qs: slices.Clone(qs), index: map[int64]int{}}
	slices.SortFunc(m.qs, func(a, b Question) int { return cmp.Compare(a.ID, b.ID) })
	for i, q := range m.qs {
		if _, dup := m.index[q.ID]; dup {
			return nil, langnghe.Errorf(langnghe.EINVALID, "question %d is given twice", q.ID)
		}
		m.index[q.ID] = i
	}
	n := len(m.qs)
	df := map[string]int{}
	tfs := make([]map[string]float64, n)
	m.written = make([]map[string]string, n)
	for i, q := range m.qs {
		tf, wr := map[string]float64{}, map[string]string{}
		for _, t := range terms(q.Text) {
			tf[t.key]++
			if _, ok := wr[t.key]; !ok {
				wr[t.key] = t.written
			}
		}
		for k := range tf {
			df[k]++
		}
		tfs[i], m.written[i] = tf, wr
	}
	m.vecs = make([]map[string]float64, n)
	for i, tf := range tfs {
		v, norm := map[string]float64{}, 0.0
		for k, c := range tf {
			// A word said twice is not twice the issue: damped tf. Rare
			// terms count most; a term no other question has is left
			// out, as it can make the question like none and would only
			// dilute what it shares.
			w := (1 + math.Log(c)) * math.Log(float64(n+1)/float64(df[k]))
			if df[k] > 1 && w > 0 {
				v[k] = w
				norm += w * w
			}
		}
		norm = math.Sqrt(norm)
		for k := range v {
			v[k] /= norm
		}
		m.vecs[i] = v
	}
	m.sim = make([]float32, n*n)
	for i := range n {
		for j := i + 1; j < n; j++ {
			s := float32(m.similarity(i, j))
			m.sim[i*n+j], m.sim[j*n+i] = s, s
		}
	}
	return m, nil
}

func (m *Model) similarity(i, j int) float64 {
	a, b := m.vecs[i], m.vecs[j]
	if len(a) > len(b) {
		a, b = b, a
	}
	s := 0.0
	for k, w := range a {
		s += w * b[k]
	}
	return s * m.factor(i, j)
}

// factor scales the similarity of questions i and j for their categories.
func (m *Model) factor(i, j int) float64 {
	ci, cj := m.qs[i].Category, m.qs[j].Category
	if ci != "" && cj != "" && ci != cj {
		return m.categoryFactor
	}
	return 1
}

// Similarity is how alike the questions with ids a and b read, from 0 to
// 1; ok is false when either is not in the model.
func (m *Model) Similarity(a, b int64) (float64, bool) {
	i, ok1 := m.index[a]
	j, ok2 := m.index[b]
	if !ok1 || !ok2 {
		return 0, false
	}
	if i == j {
		return 1, true
	}
	return float64(m.sim[i*len(m.qs)+j]), true
}

// Group groups the model's questions. kept are the groups the board
// edited (Fixed), from an earlier grouping: each stays one group with its
// questions (those still in the model), its id and, if renamed, its
// title; new questions may join it. Other groups of an earlier grouping
// need not be passed: they form again. Groups come largest first, then
// by id.
func (m *Model) Group(kept []Group) []Group {
	n := len(m.qs)
	// Clusters start as the kept groups, then each other question alone.
	type cluster struct {
		members []int // question indexes
		fixed   *Group
	}
	var cs []cluster
	taken := make([]bool, n)
	for _, g := range kept {
		if !g.Fixed {
			continue
		}
		c := cluster{fixed: &g}
		for _, id := range g.Members {
			if i, ok := m.index[id]; ok && !taken[i] {
				taken[i] = true
				c.members = append(c.members, i)
			}
		}
		if len(c.members) > 0 {
			cs = append(cs, c)
		}
	}
	for i := range n {
		if !taken[i] {
			cs = append(cs, cluster{members: []int{i}})
		}
	}
	// Average linkage between clusters, merged best first while the best
	// reaches the threshold; two fixed groups never merge.
	k := len(cs)
	link := make([]float64, k*k)
	for a := range k {
		for b := a + 1; b < k; b++ {
			s := 0.0
			for _, i := range cs[a].members {
				for _, j := range cs[b].members {
					s += float64(m.sim[i*n+j])
				}
			}
			s /= float64(len(cs[a].members) * len(cs[b].members))
			link[a*k+b], link[b*k+a] = s, s
		}
	}
	alive := make([]bool, k)
	for a := range alive {
		alive[a] = true
	}
	allowed := func(a, b int) bool {
		return a != b && alive[a] && alive[b] && (cs[a].fixed == nil || cs[b].fixed == nil)
	}
	// best[a] is a's most similar allowed partner (-1: none); ties go to
	// the lower index, so the result does not depend on anything but the
	// questions.
	best := make([]int, k)
	rescan := func(a int) {
		best[a] = -1
		for b := range k {
			if allowed(a, b) && (best[a] < 0 || link[a*k+b] > link[a*k+best[a]]) {
				best[a] = b
			}
		}
	}
	for a := range k {
		rescan(a)
	}
	for {
		a := -1
		for x := range k {
			if alive[x] && best[x] >= 0 && (a < 0 || link[x*k+best[x]] > link[a*k+best[a]]) {
				a = x
			}
		}
		if a < 0 || link[a*k+best[a]] < m.threshold {
			break
		}
		b := best[a]
		if b < a {
			a, b = b, a
		}
		na, nb := float64(len(cs[a].members)), float64(len(cs[b].members))
		for x := range k {
			if alive[x] && x != a && x != b {
				s := (na*link[a*k+x] + nb*link[b*k+x]) / (na + nb)
				link[a*k+x], link[x*k+a] = s, s
			}
		}
		cs[a].members = append(cs[a].members, cs[b].members...)
		if cs[a].fixed == nil {
			cs[a].fixed = cs[b].fixed
		}
		alive[b] = false
		for x := range k {
			switch {
			case !alive[x]:
			case x == a || best[x] == a || best[x] == b || (cs[a].fixed != nil && cs[x].fixed != nil):
				rescan(x)
			case allowed(x, a) && (link[x*k+a] > link[x*k+best[x]] || link[x*k+a] == link[x*k+best[x]] && a < best[x]):
				best[x] = a
			}
		}
	}
	var groups []Group
	for a := range k {
		if alive[a] {
			groups = append(groups, m.group(cs[a].members, cs[a].fixed))
		}
	}
	sortGroups(groups)
	return groups
}

func sortGroups(gs []Group) {
	slices.SortFunc(gs, func(a, b Group) int {
		return cmp.Or(cmp.Compare(len(b.Members), len(a.Members)), cmp.Compare(a.ID, b.ID))
	})
}

// group makes the Group of members (question indexes), carrying over what
// the board set on from.
func (m *Model) group(members []int, from *Group) Group {
	slices.Sort(members)
	g := Group{ID: m.qs[members[0]].ID}
	for _, i := range members {
		g.Members = append(g.Members, m.qs[i].ID)
	}
	if from != nil {
		g.ID, g.Fixed = from.ID, true
		if from.Renamed {
			g.Title, g.Renamed = from.Title, true
		}
	}
	if !g.Renamed {
		g.Title = title(m.qs[m.representative(members)].Text)
	}
	g.Category = m.category(members)
	g.Terms = m.shared(members)
	return g
}

// representative is the member most like the others, preferring one
// written with diacritics and of a readable length: the group's title.
func (m *Model) representative(members []int) int {
	n := len(m.qs)
	best, bestScore := members[0], math.Inf(-1)
	for _, i := range members {
		s := 0.0
		for _, j := range members {
			if i != j {
				s += float64(m.sim[i*n+j])
			}
		}
		if len(members) > 1 {
			s /= float64(len(members) - 1)
		}
		text := m.qs[i].Text
		if hasDiacritics(text) {
			s += 0.1
		}
		if r := utf8.RuneCountInString(text); r > MaxTitle || r < 15 {
			s -= 0.1
		}
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	return best
}

// title is a question as a group's title: one line, identifiers a resident
// may have typed (a phone number, an e-mail) hidden, at most MaxTitle
// characters cut at a word.
func title(text string) string {
	t := redact.Text(vntext.Normalize(text))
	if utf8.RuneCountInString(t) <= MaxTitle {
		return t
	}
	r := []rune(t)[:MaxTitle-1]
	if i := strings.LastIndex(string(r), " "); i > MaxTitle/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

// category is the members' most common category ("" when none has one).
func (m *Model) category(members []int) string {
	count := map[string]int{}
	for _, i := range members {
		if c := m.qs[i].Category; c != "" {
			count[c]++
		}
	}
	best := ""
	for c, n := range count {
		if n > count[best] || n == count[best] && c < best {
			best = c
		}
	}
	return best
}

// MaxTerms is how many shared terms a group shows.
const MaxTerms = 5

// shared lists the terms at least two members have, by their summed
// weight, as written (with diacritics when a member wrote them so).
func (m *Model) shared(members []int) []string {
	if len(members) < 2 {
		return nil
	}
	weight, count, written := map[string]float64{}, map[string]int{}, map[string]string{}
	for _, i := range members {
		for k, w := range m.vecs[i] {
			weight[k] += w
			count[k]++
			if wr := m.written[i][k]; written[k] == "" || !hasDiacritics(written[k]) && hasDiacritics(wr) {
				written[k] = wr
			}
		}
	}
	var keys []string
	for k, c := range count {
		if c >= 2 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(weight[b], weight[a]), strings.Compare(a, b)) })
	var out []string
	seen := map[string]bool{}
	for _, k := range keys {
		if w := written[k]; !seen[w] && !coveredBy(w, out) {
			seen[w] = true
			out = append(out, w)
		}
		if len(out) == MaxTerms {
			break
		}
	}
	return out
}

// coveredBy reports whether w is a word of a term already listed: "nạo
// vét" says "nạo" already.
func coveredBy(w string, listed []string) bool {
	for _, l := range listed {
		if slices.Contains(strings.Fields(l), w) || strings.Contains(" "+l+" ", " "+w+" ") {
			return true
		}
	}
	return false
}

// Explanation says why two questions are or are not grouped.
type Explanation struct {
	A, B       int64
	Similarity float64
	Threshold  float64
	// Shared are the terms both have, the largest share of the similarity
	// first, as A wrote them.
	Shared []SharedTerm
	// CategoryA and CategoryB are the questions' categories; Factor is
	// what their difference scaled the similarity by (1: not at all).
	CategoryA, CategoryB string
	Factor               float64
}

// SharedTerm is a term two questions share and its share of their
// similarity.
type SharedTerm struct {
	Words string  // as the first question wrote it
	Other string  // as the second wrote it
	Share float64 // its part of the similarity
}

// Alike reports whether the two read alike enough to be grouped by
// themselves.
func (e Explanation) Alike() bool { return e.Similarity >= e.Threshold }

// String says it in a line: similarity 0.52 ≥ 0.30: «nạo vét» (nao vet)
// 0.31, «sông thị tính» 0.08.
func (e Explanation) String() string {
	var b strings.Builder
	op := "≥"
	if !e.Alike() {
		op = "<"
	}
	fmt.Fprintf(&b, "similarity %.2f %s %.2f", e.Similarity, op, e.Threshold)
	for i, t := range e.Shared {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "«%s»", t.Words)
		if t.Other != t.Words {
			fmt.Fprintf(&b, " (%s)", t.Other)
		}
		fmt.Fprintf(&b, " %.2f", t.Share)
	}
	if e.Factor != 1 {
		fmt.Fprintf(&b, "; categories %s and %s (×%.1f)", e.CategoryA, e.CategoryB, e.Factor)
	}
	return b.String()
}

// Explain says why the questions with ids a and b are (or are not) alike;
// ok is false when either is not in the model.
func (m *Model) Explain(a, b int64) (Explanation, bool) {
	i, ok1 := m.index[a]
	j, ok2 := m.index[b]
	if !ok1 || !ok2 {
		return Explanation{}, false
	}
	e := Explanation{A: a, B: b, Threshold: m.threshold, CategoryA: m.qs[i].Category, CategoryB: m.qs[j].Category, Factor: m.factor(i, j)}
	e.Similarity, _ = m.Similarity(a, b)
	for k, w := range m.vecs[i] {
		if v, ok := m.vecs[j][k]; ok {
			e.Shared = append(e.Shared, SharedTerm{Words: m.written[i][k], Other: m.written[j][k], Share: w * v * e.Factor})
		}
	}
	slices.SortFunc(e.Shared, func(x, y SharedTerm) int {
		return cmp.Or(cmp.Compare(y.Share, x.Share), strings.Compare(x.Words, y.Words))
	})
	return e, true
}

// Why explains why question id is in its group: the member it reads most
// like, with what they share. ok is false for a question alone in its
// group or not in groups.
func (m *Model) Why(groups []Group, id int64) (Explanation, bool) {
	for _, g := range groups {
		if !slices.Contains(g.Members, id) {
			continue
		}
		var best Explanation
		found := false
		for _, other := range g.Members {
			if other == id {
				continue
			}
			if e, ok := m.Explain(id, other); ok && (!found || e.Similarity > best.Similarity) {
				best, found = e, true
			}
		}
		return best, found
	}
	return Explanation{}, false
}
