package grouping_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"langnghe"
	"langnghe/campaign/grouping"
)

// A conference's first questions, and the grouping the board should see:
// the same issue in other words, with or without diacritics, together;
// different issues apart, even when they share the river, the land or
// the certificate.
var small = []grouping.Question{
	{ID: 1, Text: "Khi nào xã nạo vét lòng sông Thị Tính? Sông bị bồi lắng cạn quá rồi."},
	{ID: 2, Text: "bao gio nao vet song thi tinh vay a"},
	{ID: 3, Text: "Bờ sông Thị Tính đoạn ấp Bến Súc sạt lở mạnh, khi nào làm kè?"},
	{ID: 4, Text: "Đất bán ngập ven sông có được cấp sổ đỏ không?"},
	{ID: 5, Text: "sat lo bo song gan nha toi, xin xa cho xay ke chong sat lo"},
	{ID: 6, Text: "dat ban ngap co duoc cap giay chung nhan quyen su dung dat khong"},
	{ID: 7, Text: "Đề nghị nạo vét sông Thị Tính vì bùn bồi lấp lòng sông."},
	{ID: 8, Text: "Đường vào ấp Hòa Thuận hư hỏng nặng, ổ gà nhiều, khi nào sửa?"},
	{ID: 9, Text: "duong ap 3 xuong cap, o ga nhieu, bao gio sua"},
	{ID: 10, Text: "Xe tải chở cát quá tải chạy ngày đêm."},
	{ID: 11, Text: "Thủ tục cấp sổ đỏ lần đầu cần những giấy tờ gì?"},
	{ID: 12, Text: "xe tai qua tai chay vao duong ap ban dem"},
	{ID: 13, Text: "lam so do lan dau can giay to gi"},
	{ID: 14, Text: "Chó thả rông cắn trẻ em, đề nghị phạt chủ nuôi."},
}

func newModel(t *testing.T, qs []grouping.Question) *grouping.Model {
	t.Helper()
	m, err := grouping.New(qs, grouping.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// layout writes groups as "1 2 7 | 3 5 | ...", largest first.
func layout(groups []grouping.Group) string {
	var parts []string
	for _, g := range groups {
		var ids []string
		for _, id := range g.Members {
			ids = append(ids, fmt.Sprint(id))
		}
		parts = append(parts, strings.Join(ids, " "))
	}
	return strings.Join(parts, " | ")
}

func TestGroupSmallSet(t *testing.T) {
	m := newModel(t, small)
	groups := m.Group(nil)
	if got, want := layout(groups), "1 2 7 | 3 5 | 4 6 | 8 9 | 10 12 | 11 13 | 14"; got != want {
		for _, g := range groups {
			t.Logf("%d %q %v", g.ID, g.Title, g.Terms)
		}
		t.Fatalf("groups\n got %s\nwant %s", got, want)
	}
	// Titles are the most representative question, written with
	// diacritics; ids are the smallest member.
	want := map[int64]string{
		1: "Khi nào xã nạo vét lòng sông Thị Tính? Sông bị bồi lắng cạn quá rồi.",
		3: "Bờ sông Thị Tính đoạn ấp Bến Súc sạt lở mạnh, khi nào làm kè?",
		4: "Đất bán ngập ven sông có được cấp sổ đỏ không?",
		8: "Đường vào ấp Hòa Thuận hư hỏng nặng, ổ gà nhiều, khi nào sửa?",
	}
	for _, g := range groups {
		if w, ok := want[g.ID]; ok && g.Title != w {
			t.Errorf("group %d title %q, want %q", g.ID, g.Title, w)
		}
	}
	// What a group shares says why it is one: the dredging, the silt.
	if terms := strings.Join(groups[0].Terms, ", "); !strings.Contains(terms, "nạo vét") {
		t.Errorf("the dredging group shares %q", terms)
	}
}

// The same questions in any order give the same groups, titles and terms.
func TestGroupDeterministic(t *testing.T) {
	want := newModel(t, small).Group(nil)
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		qs := slices.Clone(small)
		r.Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })
		got := newModel(t, qs).Group(nil)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("order changed the grouping:\n%v\n%v", got, want)
		}
	}
}

func TestExplain(t *testing.T) {
	m := newModel(t, small)
	e, ok := m.Explain(2, 7)
	if !ok || !e.Alike() {
		t.Fatalf("2 and 7: %v %v", e, ok)
	}
	// The two ask about dredging, one without diacritics: the shared term
	// is named as each wrote it.
	if len(e.Shared) == 0 || e.Shared[0].Words != "nao vet" || e.Shared[0].Other != "nạo vét" {
		t.Errorf("shared %+v", e.Shared)
	}
	if s := e.String(); !strings.HasPrefix(s, "similarity ") || !strings.Contains(s, "≥ 0.30") || !strings.Contains(s, "«nao vet» (nạo vét)") {
		t.Errorf("String = %q", s)
	}
	// Sand trucks and a dredged river share the river at most: not alike.
	if e, _ := m.Explain(10, 1); e.Alike() {
		t.Errorf("10 and 1 alike: %v", e)
	}
	why, ok := m.Why(m.Group(nil), 9)
	if !ok || why.B != 8 {
		t.Errorf("Why 9 = %v %v, want its likeness to 8", why, ok)
	}
	if _, ok := m.Why(m.Group(nil), 14); ok {
		t.Error("a question alone has no why")
	}
	if _, ok := m.Explain(1, 99); ok {
		t.Error("explained an unknown question")
	}
}

func TestBoardEdits(t *testing.T) {
	m := newModel(t, small)
	groups := m.Group(nil)

	// Merge the road and the trucks: one group, fixed, the first's id.
	merged, err := m.Merge(groups, 8, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := layout(merged), "8 9 10 12 | 1 2 7 | 3 5 | 4 6 | 11 13 | 14"; got != want {
		t.Fatalf("after merge %s, want %s", got, want)
	}
	if g := merged[0]; g.ID != 8 || !g.Fixed || g.Renamed {
		t.Errorf("merged group %+v", g)
	}
	// Split 2 off the dredging group: both parts fixed.
	split, err := m.Split(merged, 1, []int64{2})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := layout(split), "8 9 10 12 | 1 7 | 3 5 | 4 6 | 11 13 | 2 | 14"; got != want {
		t.Fatalf("after split %s, want %s", got, want)
	}
	// Rename the roads group.
	renamed, err := m.Rename(split, 8, "  Đường giao thông nông thôn: sửa chữa, xe quá tải  ")
	if err != nil {
		t.Fatal(err)
	}
	if g := renamed[0]; g.Title != "Đường giao thông nông thôn: sửa chữa, xe quá tải" || !g.Renamed || !g.Fixed {
		t.Errorf("renamed %+v", g)
	}
	// The board's edits were on the groups given: those are unchanged.
	if layout(groups) != "1 2 7 | 3 5 | 4 6 | 8 9 | 10 12 | 11 13 | 14" {
		t.Error("an edit changed the groups it was given")
	}

	// More questions arrive and the conference is grouped again with the
	// edited groups kept: a new road question joins the renamed group,
	// which keeps its title; 2 stays split from 1 and 7 though it reads
	// like them, and a new dredging question joins one of them.
	more := append(slices.Clone(small),
		grouping.Question{ID: 15, Text: "Đường ấp Hòa Thuận ổ gà nhiều, xe tải cày nát, khi nào sửa chữa?"},
		grouping.Question{ID: 16, Text: "nao vet long song thi tinh bi boi lang"},
		grouping.Question{ID: 17, Text: "Hàng xóm lấn ranh đất, xã hòa giải chưa xong."},
	)
	var kept []grouping.Group
	for _, g := range renamed {
		if g.Fixed {
			kept = append(kept, g)
		}
	}
	again := newModel(t, more).Group(kept)
	got := layout(again)
	t.Logf("regrouped: %s", got)
	if !strings.Contains(got, "8 9 10 12 15") || strings.Contains(got, "1 2") || strings.Contains(got, "2 7") || !strings.HasSuffix(got, "| 17") {
		t.Errorf("regrouped %s", got)
	}
	for _, g := range again {
		if g.ID == 8 && g.Title != "Đường giao thông nông thôn: sửa chữa, xe quá tải" {
			t.Errorf("the renamed group lost its title: %q", g.Title)
		}
		if slices.Contains(g.Members, 16) && !slices.Contains(g.Members, 1) && !slices.Contains(g.Members, 2) {
			t.Errorf("the new dredging question joined neither dredging group: %s", got)
		}
	}

	// Refusals, in both languages.
	for _, tt := range []struct {
		err  error
		code string
	}{
		{func() error { _, err := m.Merge(groups, 1); return err }(), langnghe.EINVALID},
		{func() error { _, err := m.Merge(groups, 1, 99); return err }(), langnghe.ENOTFOUND},
		{func() error { _, err := m.Merge(groups, 1, 1); return err }(), langnghe.EINVALID},
		{func() error { _, err := m.Split(groups, 1, []int64{1, 2, 7}); return err }(), langnghe.EINVALID},
		{func() error { _, err := m.Split(groups, 1, []int64{3}); return err }(), langnghe.EINVALID},
		{func() error { _, err := m.Rename(groups, 1, " "); return err }(), langnghe.EINVALID},
		{func() error { _, err := m.Rename(groups, 42, "x"); return err }(), langnghe.ENOTFOUND},
	} {
		if langnghe.ErrorCode(tt.err) != tt.code || langnghe.ErrorMessageIn(tt.err, langnghe.LangVI) == langnghe.ErrorMessage(tt.err) {
			t.Errorf("%v: want %s with a Vietnamese message", tt.err, tt.code)
		}
	}
}

// A title hides what identifies the asker and stays short.
func TestTitle(t *testing.T) {
	long := "Tôi là Nguyễn Văn A, số điện thoại 0912 345 678, xin hỏi " + strings.Repeat("đất bán ngập ven sông có được cấp sổ đỏ không ", 6)
	m := newModel(t, []grouping.Question{{ID: 1, Text: long}})
	g := m.Group(nil)[0]
	if strings.Contains(g.Title, "345") || len([]rune(g.Title)) > grouping.MaxTitle || !strings.HasSuffix(g.Title, "…") {
		t.Errorf("title %q (%d characters)", g.Title, len([]rune(g.Title)))
	}
	if _, err := grouping.New([]grouping.Question{{ID: 1}, {ID: 1}}, grouping.Options{}); langnghe.ErrorCode(err) != langnghe.EINVALID {
		t.Errorf("duplicate ids: %v", err)
	}
}
