package catalogue

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"langnghe"
)

func TestDefault(t *testing.T) {
	c := Default()
	want := []string{"land", "health", "admin_procedures", "environment", "construction", "infrastructure",
		"security", "social_policy", "education", "culture_sports", "policy_opinion", "other"}
	var got []string
	for _, cat := range c.Categories {
		got = append(got, cat.Code)
		for _, lang := range []string{langnghe.LangVI, langnghe.LangEN, langnghe.LangZH} {
			if cat.Names[lang] == "" {
				t.Errorf("category %s lacks a %s name", cat.Code, lang)
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("category codes = %v, want %v", got, want)
	}
	if sec, _ := c.Category("security"); sec.ServiceDays != 3 {
		t.Errorf("security service_days = %d, want 3", sec.ServiceDays)
	}
	for _, a := range c.Areas {
		if !a.Active && a.Code != "binh_duong" {
			if r, ok := c.Area(a.ReplacedBy); !ok || !r.Active {
				t.Errorf("former area %s is replaced by %q, want an active area", a.Code, a.ReplacedBy)
			}
		}
	}
	// Default hands out copies: changing one leaves the next intact.
	c.Categories[0].Names[langnghe.LangVI] = "changed"
	c.Areas[0].Aliases[0] = "changed"
	if again := Default(); again.Categories[0].Names[langnghe.LangVI] == "changed" || again.Areas[0].Aliases[0] == "changed" {
		t.Error("Default returned shared state")
	}
	if !bytes.Equal(DefaultFile(), defaultFile) {
		t.Error("DefaultFile differs from the embedded file")
	}
}

func TestParseErrors(t *testing.T) {
	const okCategory = "  - code: land\n    names: {vi: Đất đai}\n    service_days: 10\n"
	const okArea = "  - code: hcm\n    kind: city\n    names: {vi: TP HCM}\n    active: true\n"
	tests := []struct {
		name string
		yaml string
		want []string // every part must appear in the error
	}{
		{"empty file", "", []string{"empty"}},
		{"not YAML", "categories: [\n", []string{"line"}},
		{"unknown field", "categories:\n  - code: land\n    nmes: {vi: x}\n", []string{"line 3", "nmes"}},
		{"no categories", "areas:\n" + okArea, []string{"no categories"}},
		{"duplicate code", "categories:\n" + okCategory + okCategory, []string{`line 5: category "land": code is used twice`}},
		{"bad code", "categories:\n  - code: Đất\n    names: {vi: x}\n    service_days: 1\n", []string{"line 2", "code must be"}},
		{"missing code", "categories:\n  - names: {vi: x}\n    service_days: 1\n", []string{"line 2: category #1: code is missing"}},
		{"missing name", "categories:\n  - code: land\n    names: {en: Land}\n    service_days: 1\n", []string{`line 2: category "land": names.vi is missing`}},
		{"service days", "categories:\n" + okCategory + "  - code: health\n    names: {vi: Y tế}\n    service_days: 0\n",
			[]string{`line 5: category "health": service_days must be more than 0`}},
		{"empty keyword", "categories:\n  - code: land\n    names: {vi: x}\n    service_days: 1\n    keywords: [\"?!\"]\n",
			[]string{`line 2: category "land": keyword "?!"`}},
		{"missing parent", "categories:\n" + okCategory + "areas:\n" + okArea +
			"  - code: thanh_an\n    parent: binh\n    kind: commune\n    names: {vi: xã Thanh An}\n    active: true\n",
			[]string{`line 10: area "thanh_an": parent "binh" does not exist`}},
		{"missing kind", "categories:\n" + okCategory + "areas:\n  - code: hcm\n    names: {vi: x}\n",
			[]string{`line 6: area "hcm": kind is missing`}},
		{"duplicate area", "categories:\n" + okCategory + "areas:\n" + okArea + okArea,
			[]string{`line 10: area "hcm": code is used twice`}},
		{"parent cycle", "categories:\n" + okCategory + "areas:\n" +
			"  - code: a\n    parent: b\n    kind: commune\n    names: {vi: A}\n" +
			"  - code: b\n    parent: a\n    kind: commune\n    names: {vi: B}\n",
			[]string{`line 6: area "a": parent chain comes back to itself`, `line 10: area "b": parent chain`}},
		{"self parent", "categories:\n" + okCategory + "areas:\n  - code: a\n    parent: a\n    kind: commune\n    names: {vi: A}\n",
			[]string{`line 6: area "a": parent chain comes back to itself`}},
		{"replaced_by missing", "categories:\n" + okCategory + "areas:\n" +
			"  - code: old\n    kind: commune\n    names: {vi: A}\n    replaced_by: new\n",
			[]string{`line 6: area "old": replaced_by "new" does not exist`}},
		{"active replaced", "categories:\n" + okCategory + "areas:\n" + okArea +
			"  - code: old\n    kind: commune\n    names: {vi: A}\n    active: true\n    replaced_by: hcm\n",
			[]string{`line 10: area "old": an active area cannot be replaced_by`}},
		{"replacement cycle", "categories:\n" + okCategory + "areas:\n" +
			"  - code: a\n    kind: commune\n    names: {vi: A}\n    replaced_by: b\n" +
			"  - code: b\n    kind: commune\n    names: {vi: B}\n    replaced_by: a\n",
			[]string{`line 6: area "a": replaced_by chain comes back to itself`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("Parse succeeded with %+v, want an error", c)
			}
			if code := langnghe.ErrorCode(err); code != langnghe.EINVALID {
				t.Errorf("error code = %q, want %q (%v)", code, langnghe.EINVALID, err)
			}
			msg := langnghe.ErrorMessage(err)
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
		})
	}
}

func TestParseReportsAllProblems(t *testing.T) {
	_, err := Parse([]byte("categories:\n  - code: a\n    names: {vi: A}\n  - code: b\n    service_days: 2\n"))
	msg := langnghe.ErrorMessage(err)
	for _, w := range []string{`line 2: category "a": service_days`, `line 4: category "b": names.vi`} {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not mention %q", msg, w)
		}
	}
}

func codes(areas []langnghe.Area) []string {
	var out []string
	for _, a := range areas {
		out = append(out, a.Code)
	}
	return out
}

func TestMatchArea(t *testing.T) {
	c := Default()
	tests := []struct {
		text string
		want []string
	}{
		{"Thạnh An", []string{"thanh_an_can_gio", "former_thanh_an_can_gio"}},
		{"Thanh An", []string{"thanh_an", "thanh_an_can_gio", "former_thanh_an", "former_thanh_an_can_gio"}},
		{"thanh an", []string{"thanh_an", "thanh_an_can_gio", "former_thanh_an", "former_thanh_an_can_gio"}},
		{"xa thanh an", []string{"thanh_an", "thanh_an_can_gio", "former_thanh_an", "former_thanh_an_can_gio"}},
		{"xã Thanh An", []string{"thanh_an", "former_thanh_an"}},
		{"Thạnh An, Cần Giờ", []string{"thanh_an_can_gio"}},
		{"thanh an can gio", []string{"thanh_an_can_gio"}},
		{"Minh Thạnh", []string{"minh_thanh", "former_minh_thanh"}},
		{"xã Minh Tân", []string{"former_minh_tan"}},
		{"minh tan", []string{"former_minh_tan"}},
		{"Dầu Tiếng", []string{"dau_tieng", "former_dau_tieng_town"}},
		{"thị trấn Dầu Tiếng", []string{"former_dau_tieng_town"}},
		{"tt dau tieng", []string{"former_dau_tieng_town"}},
		{"xã dầu tiếng", []string{"dau_tieng"}},
		{"dau tien", []string{"dau_tieng", "former_dau_tieng_town"}}, // typo
		{"dautieng", []string{"dau_tieng", "former_dau_tieng_town"}}, // no space
		{"Thanh Tuyềnn", []string{"former_thanh_tuyen"}},             // typo with diacritics
		{"Định Hiệp", []string{"former_dinh_hiep"}},
		{"dinh hiep", []string{"former_dinh_hiep"}},
		{"p.Tây Nam", []string{"tay_nam"}},
		{"phuong tay nam", []string{"tay_nam"}},
		{"Tay Nam ward", []string{"tay_nam"}},
		{"Dau Tieng commune", []string{"dau_tieng", "former_dau_tieng_town"}},
		{"Long Hoà", []string{"long_hoa", "former_long_hoa"}},
		{"Sài Gòn", []string{"hcm"}},
		{"TP.HCM", []string{"hcm"}},
		{"ấp Bến Tranh, xã Minh Thạnh, TP HCM", []string{"minh_thanh", "former_minh_thanh"}},
		{"xã Định Thành, huyện Dầu Tiếng, tỉnh Bình Dương", []string{"former_dinh_thanh"}},
		{"Bình Dương", []string{"binh_duong"}},
		{"Hà Nội", nil},
		{"an", nil},
		{"", nil},
		{"\xff\x00", nil},
	}
	for _, tt := range tests {
		got := codes(MatchArea(c, tt.text))
		if !slices.Equal(got, tt.want) {
			t.Errorf("MatchArea(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestMatchAreaFormerKnowsReplacement(t *testing.T) {
	got := MatchArea(Default(), "xã Thanh Tuyền")
	if len(got) != 1 || got[0].Active || got[0].ReplacedBy != "thanh_an" {
		t.Fatalf("MatchArea(xã Thanh Tuyền) = %+v, want the former commune replaced by thanh_an", got)
	}
}

func TestMatchAreaNilAndHuge(t *testing.T) {
	if got := MatchArea(nil, "Thanh An"); got != nil {
		t.Errorf("MatchArea(nil) = %v", got)
	}
	huge := strings.Repeat("blah ", 100_000) + "Thạnh An"
	if got := MatchArea(Default(), huge); got != nil {
		t.Errorf("MatchArea looked past its word limit: %v", codes(got))
	}
}
