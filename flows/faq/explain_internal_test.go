package faq

import (
	"os"
	"sort"
	"testing"
)

// TestExplain shows how a text is read and the entries it scores highest
// on, for whoever edits the matcher or the default file:
//
//	FAQ_EXPLAIN='làm sổ đỏ ở đâu?' go test ./flows/faq -run TestExplain -v
func TestExplain(t *testing.T) {
	text := os.Getenv("FAQ_EXPLAIN")
	if text == "" {
		t.Skip()
	}
	f := Default()
	a := analyse(text)
	t.Logf("question=%v grievance=%v words=%d features=%v", a.question, a.grievance, a.words, a.features)
	type r struct {
		id         string
		score, anc float64
		hits       []string
	}
	var rs []r
	for _, e := range f.entries {
		x := r{id: e.id}
		for feat, m := range a.features {
			if e.features[feat] {
				x.score += f.weight[feat] * m
				x.anc = max(x.anc, f.weight[feat])
				x.hits = append(x.hits, feat)
			}
		}
		rs = append(rs, x)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].score > rs[j].score })
	for _, x := range rs[:4] {
		t.Logf("%s %.2f anchor %.2f %v", x.id, x.score, x.anc, x.hits)
	}
}
