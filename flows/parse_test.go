package flows_test

import (
	"strings"
	"testing"

	"langnghe"
	"langnghe/flows"
	"langnghe/flows/catalogue"
)

// validFlow is the smallest flow file that loads; broken files below
// change one thing in it.
const validFlow = `id: tiny
base_language: vi
languages: [vi, en]
start: ask_name
nodes:
  - id: ask_name
    ask:
      kind: text
      key: name
      message: {vi: "Tên ông/bà?", en: "Your name?"}
      retry: {vi: "Xin nhập lại.", en: "Please type it again."}
    exits:
      ok: thanks
      retries_exhausted: thanks
  - id: thanks
    say:
      - {vi: "Cảm ơn {{.answers.name}}.", en: "Thank you {{.answers.name}}."}
`

func TestParseValid(t *testing.T) {
	def, problems, err := flows.Parse("tiny.yaml", []byte(validFlow), catalogue.Default())
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(problems) != 0 {
		t.Errorf("problems: %v", problems)
	}
	if def.ID != "tiny" || def.Nodes() != 2 || string(def.Source) != validFlow {
		t.Errorf("definition: id %q, %d nodes, source kept %v", def.ID, def.Nodes(), string(def.Source) == validFlow)
	}
}

// TestParseErrors has one broken file per kind of error, each checked for
// its message and its place.
func TestParseErrors(t *testing.T) {
	replace := func(old, new string) string {
		if !strings.Contains(validFlow, old) {
			t.Fatalf("test bug: %q not in the valid flow", old)
		}
		return strings.Replace(validFlow, old, new, 1)
	}
	tests := []struct {
		name, file string
		place      string // "line:column", "" for none
		node       string
		message    string
	}{
		{"yaml syntax", replace("start: ask_name", "start: [ask_name"), "", "", "did not find expected"},
		{"unknown field", replace("    exits:\n      ok: thanks", "    exit:\n      ok: thanks"), "12:5", "ask_name", `unknown field "exit"`},
		{"unknown field in ask", replace("key: name", "kee: name"), "9:7", "ask_name", `unknown field "kee"`},
		{"wrong type", replace("languages: [vi, en]", "languages: vi"), "3:12", "", "cannot unmarshal"},
		{"bad flow id", replace("id: tiny", "id: Tiny Flow"), "1:5", "", `flow id "Tiny Flow"`},
		{"duplicate node", replace("  - id: thanks", "  - id: ask_name"), "15:9", "ask_name", "duplicate node id; first defined at line 6"},
		{"unknown start", replace("start: ask_name", "start: ask_nmae"), "4:8", "", `start "ask_nmae" is not a node`},
		{"exit to nowhere", replace("ok: thanks", "ok: thank"), "13:11", "ask_name", `exit "ok" leads to unknown node "thank"`},
		{"unknown outcome", replace("ok: thanks", "okay: thanks"), "13:7", "ask_name", `exit "okay" is not an outcome`},
		{"outcome without exit", replace("      retries_exhausted: thanks\n", ""), "6:5", "ask_name", `outcome "retries_exhausted" has no exit`},
		{"unreachable node", validFlow + "  - id: orphan\n    say: [{vi: a, en: a}]\n", "18:9", "orphan", "unreachable"},
		{"router without default", replace("  - id: thanks\n", "  - id: route\n    router: {on: \"{{.name}}\", cases: [{empty: true, outcome: x}]}\n    exits: {x: thanks}\n  - id: thanks\n") + "", "16:13", "route", "a router needs a default outcome"},
		{"unknown category", replace("  - id: thanks\n", "  - id: route\n    router: {cases: [{category: lnd, outcome: x}], default: x}\n    next: thanks\n  - id: thanks\n"), "16:33", "route", `unknown category "lnd"`},
		{"unknown area", replace("  - id: thanks\n", "  - id: route\n    router: {cases: [{area: nowhere, outcome: x}], default: x}\n    next: thanks\n  - id: thanks\n"), "16:29", "route", `unknown area "nowhere"`},
		{"bad template", replace("Cảm ơn {{.answers.name}}.", "Cảm ơn {{.answers.name}."), "17:9", "thanks", "template in \"vi\""},
		{"unknown template field", replace("Cảm ơn {{.answers.name}}.", "Cảm ơn {{.nmae}}."), "17:9", "thanks", "unknown field .nmae"},
		{"forbidden template", replace("Cảm ơn {{.answers.name}}.", `{{range 1000000}}x{{end}}`), "17:9", "thanks", "range is not allowed"},
		{"missing retry", replace("      retry: {vi: \"Xin nhập lại.\", en: \"Please type it again.\"}\n", ""), "8:7", "ask_name", "the retry message (retry) is missing"},
		{"text too long", replace("Tên ông/bà?", strings.Repeat("a", flows.MaxTextLength+1)), "10:16", "ask_name", "the limit is 4096"},
		{"button data too long", replace("kind: text", "kind: choice\n      options: [{value: "+strings.Repeat("x", 41)+", label: {vi: X, en: X}}]"), "9:25", "ask_name", "so the button data fits 64 bytes"},
		{"unknown ask kind", replace("kind: text", "kind: essay"), "8:13", "ask_name", `unknown ask kind "essay"`},
		{"bad timeout", replace("key: name", "key: name\n      timeout: forever"), "10:16", "ask_name", `timeout "forever"`},
		{"two kinds in a node", replace("  - id: thanks\n", "  - id: thanks\n    enter: menu\n    switch_to: help\n"), "15:5", "thanks", "at most one of"},
		{"base language not declared", replace("base_language: vi", "base_language: fr"), "2:16", "", `base language "fr"`},
		{"second document", validFlow + "---\nid: other\n", "18:1", "", "one flow a file"},
		{"empty file", "", "1:1", "", "empty"},
		{"too many nodes", manyNodes(flows.MaxNodes + 1), "4:1", "", "the limit is 200"},
		{"file too large", validFlow + "#" + strings.Repeat("x", flows.MaxFileSize), "1:1", "", "the limit is 262144"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def, problems, err := flows.Parse("broken.yaml", []byte(tt.file), catalogue.Default())
			if def != nil || err == nil {
				t.Fatalf("Parse loaded a broken file")
			}
			if langnghe.ErrorCode(err) != langnghe.EINVALID {
				t.Errorf("error code %q, want %q", langnghe.ErrorCode(err), langnghe.EINVALID)
			}
			for _, p := range problems {
				if p.Severity != flows.SeverityError || !strings.Contains(p.Message, tt.message) {
					continue
				}
				place := ""
				if p.Line > 0 {
					place = itoa(p.Line) + ":" + itoa(p.Column)
				}
				if tt.place != "" && place != tt.place {
					t.Errorf("place %s, want %s (%s)", place, tt.place, p)
				}
				if p.Node != tt.node {
					t.Errorf("node %q, want %q (%s)", p.Node, tt.node, p)
				}
				if !strings.Contains(err.Error(), p.String()) {
					t.Errorf("the error does not list the problem %q:\n%v", p, err)
				}
				return
			}
			t.Errorf("no error containing %q; got:\n%s", tt.message, flows.FormatProblems(problems))
		})
	}
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return fmtInt(i/10) + string(rune('0'+i%10))
}

func manyNodes(n int) string {
	var b strings.Builder
	b.WriteString("id: many\nbase_language: vi\nstart: n0\nnodes:\n")
	for i := range n {
		b.WriteString("  - id: n" + fmtInt(i) + "\n")
		if i+1 < n {
			b.WriteString("    next: n" + fmtInt(i+1) + "\n")
		}
	}
	return b.String()
}

func TestParseWarnsMissingTranslations(t *testing.T) {
	file := strings.Replace(validFlow, `{vi: "Tên ông/bà?", en: "Your name?"}`, `{vi: "Tên ông/bà?"}`, 1)
	file = strings.Replace(file, "languages: [vi, en]", "languages: [vi, en, zh]", 1)
	def, problems, err := flows.Parse("tiny.yaml", []byte(file), nil)
	if err != nil || def == nil {
		t.Fatalf("Parse: %v", err)
	}
	perLang := map[string]int{}
	for _, p := range problems {
		if p.Severity != flows.SeverityWarning || p.Language == "" {
			t.Errorf("unexpected problem %s", p)
			continue
		}
		perLang[p.Language]++
	}
	// zh is missing from all three texts, en from the question only.
	if perLang["en"] != 1 || perLang["zh"] != 3 || perLang["vi"] != 0 {
		t.Errorf("missing translations per language = %v, want en:1 zh:3", perLang)
	}
}
