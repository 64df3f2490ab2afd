package studio

import (
	"strings"
	"testing"

	"langnghe"
	"langnghe/flows/catalogue"
)

// setKeywords changes only the keywords' text, whatever way the file
// writes them, and refuses a layout it cannot edit safely.
func TestSetKeywordsEditsOnlyTheKeywords(t *testing.T) {
	const head = "# the catalogue\nversion: \"1\"\ncategories:\n"
	const tail = "\n# areas follow\nareas:\n  - {code: hcm, kind: city, names: {vi: TP.HCM}, active: true}\n"
	tests := []struct {
		name, category, file string
		want                 string
		kws                  []string
	}{
		{"a flow list followed by another category", "land", "" +
			"  - code: land # stable\n    names: {vi: Đất đai}\n    keywords: [\"sổ đỏ\", \"a, b\", 'it''s']\n" +
			"    service_days: 10\n\n  # health next\n  - code: health\n    names: {vi: Y tế}\n    service_days: 5\n    keywords: [y tế]\n",
			"" +
				"  - code: land # stable\n    names: {vi: Đất đai}\n    keywords: [sổ đỏ, \"a, b\", \"it's\", \"[x]\", \"{y}\", \"null\", \"#1\", \"x: y\", yes]\n" +
				"    service_days: 10\n\n  # health next\n  - code: health\n    names: {vi: Y tế}\n    service_days: 5\n    keywords: [y tế]\n",
			[]string{"sổ đỏ", "a, b", "it's", "[x]", "{y}", "null", "#1", "x: y", "yes"}},
		{"a block list at the end of the categories", "health", "" +
			"  - code: land\n    names: {vi: Đất đai}\n    service_days: 10\n  - code: health\n    names: {vi: Y tế}\n    service_days: 5\n    keywords:\n    - y tế\n    - bệnh viện\n",
			"" +
				"  - code: land\n    names: {vi: Đất đai}\n    service_days: 10\n  - code: health\n    names: {vi: Y tế}\n    service_days: 5\n    keywords: [trạm y tế]\n",
			[]string{"trạm y tế"}},
		{"no keywords yet", "land", "" +
			"  - code: land\n    names:\n      vi: Đất đai\n    service_days: 10\n  - code: health\n    names: {vi: Y tế}\n    service_days: 5\n",
			"" +
				"  - code: land\n    names:\n      vi: Đất đai\n    service_days: 10\n    keywords: [đất]\n  - code: health\n    names: {vi: Y tế}\n    service_days: 5\n",
			[]string{"đất"}},
		{"emptied", "land", "  - code: land\n    names: {vi: Đất đai}\n    keywords: [a, b]\n    service_days: 10\n",
			"  - code: land\n    names: {vi: Đất đai}\n    keywords: []\n    service_days: 10\n", []string{}},
	}
	for _, tc := range tests {
		got, err := setKeywords([]byte(head+tc.file+tail), tc.category, tc.kws)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if string(got) != head+tc.want+tail {
			t.Errorf("%s:\n%s\nwant:\n%s", tc.name, got, head+tc.want+tail)
		}
	}

	long := make([]string, 40)
	for i := range long {
		long[i] = "từ khóa dài số " + strings.Repeat("x", i%7)
	}
	got, err := setKeywords(catalogue.DefaultFile(), "education", long)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(got), "\n") {
		if n := len([]rune(line)); n > 120 && strings.Contains(line, "từ khóa dài") {
			t.Errorf("a wrapped keyword line is %d characters long: %q", n, line)
		}
	}
	cat, err := catalogue.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if ed, _ := cat.Category("education"); len(ed.Keywords) != 40 {
		t.Errorf("education has %d keywords, want 40", len(ed.Keywords))
	}

	oneLine := head + "  - {code: land, names: {vi: Đất đai}, service_days: 10, keywords: [a]}\n" + tail
	if _, err := setKeywords([]byte(oneLine), "land", []string{"b"}); langnghe.ErrorCode(err) != langnghe.EINVALID {
		t.Errorf("a category on one line: %v, want a refusal", err)
	}
	if _, err := setKeywords([]byte(head+"  - code: land\n    names: {vi: Đất}\n    service_days: 1\n"+tail), "health", []string{"b"}); langnghe.ErrorCode(err) != langnghe.EINVALID {
		t.Errorf("an unknown category: %v, want a refusal", err)
	}
}

// Each parser's message becomes problems with places: the line it names,
// the column where that line's content starts.
func TestProblemsOfParserMessages(t *testing.T) {
	src := []byte("a: 1\ncategories:\n  - code: x\n    service_days: 0\n")
	tests := []struct {
		msg  string
		want []problem
	}{
		{"catalogue: line 3: category \"x\": service_days must be more than 0; line 3: category \"x\": names.vi is missing",
			[]problem{{3, 5, `category "x": service_days must be more than 0`, "  - code: x"}, {3, 5, `category "x": names.vi is missing`, "  - code: x"}}},
		{"catalogue: no categories; line 4: bad", []problem{{0, 0, "no categories", ""}, {4, 5, "bad", "    service_days: 0"}}},
		{"units file: yaml: unmarshal errors:\n  line 2: field x not found\n  line 9, column 3: beyond the end",
			[]problem{{2, 1, "field x not found", "categories:"}, {9, 3, "beyond the end", ""}}},
		{"the rules need a catch-all", []problem{{0, 0, "the rules need a catch-all", ""}}},
	}
	for _, tc := range tests {
		got, err := problemsOf(langnghe.Errorf(langnghe.EINVALID, "%s", tc.msg), src)
		if err != nil || len(got) != len(tc.want) {
			t.Errorf("%q: %+v %v", tc.msg, got, err)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q: problem %d = %+v, want %+v", tc.msg, i, got[i], tc.want[i])
			}
		}
	}
	if _, err := problemsOf(langnghe.Errorf(langnghe.EINTERNAL, "disk full"), src); err == nil {
		t.Error("an internal error became problems")
	}
}
