package studio

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"langnghe/flows"
	"langnghe/flows/catalogue"
	"langnghe/flows/defaults"
	"langnghe/web/console"
)

var en = console.Locale{Lang: "en"}

// boxAt finds the box of node id in svg and returns its top-left corner.
func boxAt(t *testing.T, svg, id string) (x, y int) {
	t.Helper()
	m := regexp.MustCompile(`<title>` + regexp.QuoteMeta(id) + ` \(line \d+\)</title>(?:<text class="start"[^>]*>[^<]*</text>)?<rect x="(\d+)" y="(\d+)"`).FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no box for %s", id)
	}
	x, _ = strconv.Atoi(m[1])
	y, _ = strconv.Atoi(m[2])
	return x, y
}

func TestDiagramOfSendOpinion(t *testing.T) {
	g, problems := flows.GraphOf("send_opinion.yaml", defaults.Files()["send_opinion.yaml"], catalogue.Default())
	if g == nil || len(problems) != 0 {
		t.Fatalf("graph: %v", problems)
	}
	svg := string(diagramSVG(g, en))
	for _, n := range g.Nodes {
		if !strings.Contains(svg, `<text class="id" x=`) || !strings.Contains(svg, ">"+n.ID+"</text>") {
			t.Errorf("node %s is not drawn", n.ID)
		}
	}
	if strings.Contains(svg, "unreachable") || strings.Contains(svg, "missing") {
		t.Error("a valid flow is drawn with unreachable or missing nodes")
	}
	// Layers go down from the start.
	_, yDescribe := boxAt(t, svg, "described")
	_, yClassify := boxAt(t, svg, "classify")
	_, yArea := boxAt(t, svg, "area")
	_, ySubmit := boxAt(t, svg, "submit")
	if !(yDescribe < yClassify && yClassify < yArea && yArea < ySubmit) {
		t.Errorf("rows: described %d, classify %d, area %d, submit %d", yDescribe, yClassify, yArea, ySubmit)
	}
	if !strings.Contains(svg, "▼ start</text>") {
		t.Error("the start is not marked")
	}
	// Readable on a console page: the widest row fits the editor's width.
	m := regexp.MustCompile(`<svg [^>]*width="(\d+)" height="(\d+)"`).FindStringSubmatch(svg)
	if w, _ := strconv.Atoi(m[1]); w > 1400 {
		t.Errorf("the diagram is %d wide", w)
	}
	if !strings.Contains(svg, ">ok, retries_exhausted, skip</text>") {
		t.Error("outcomes of one arrow are not merged into one label")
	}
}

func TestDiagramMarksProblems(t *testing.T) {
	src := `id: tiny
languages: [vi]
start: a
nodes:
  - id: a
    ask:
      kind: choice
      message: hỏi
      retry: hỏi lại
      options: [{value: x, label: X}]
    exits: {x: b, retries_exhausted: gone, "<b>": b}
  - id: b
    switch_to: menu
  - id: lonely
    say: [một mình]
`
	g, problems := flows.GraphOf("tiny.yaml", []byte(src), nil)
	if g == nil || len(problems) == 0 {
		t.Fatalf("graph %v, problems %v", g, problems)
	}
	svg := string(diagramSVG(g, en))
	for _, want := range []string{
		`<g class="node say end unreachable" data-line="14">`,
		`<g class="node missing" data-line="0">`, ">gone</text>",
		`<g class="node flow" data-line="0">`, ">menu</text>",
		`class="edge broken"`,
		"&lt;b&gt;",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("the diagram lacks %s:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "<b>") {
		t.Error("an outcome's text reached the SVG unescaped")
	}
	if diagramSVG(nil, en) != "" {
		t.Error("no graph should draw nothing")
	}
}

// BenchmarkCheckAndDraw is the work of one check call besides the database:
// validating send_opinion, reading its shape and drawing it.
func BenchmarkCheckAndDraw(b *testing.B) {
	src := defaults.Files()["send_opinion.yaml"]
	cat := catalogue.Default()
	for b.Loop() {
		if _, _, err := flows.Parse("send_opinion.yaml", src, cat); err != nil {
			b.Fatal(err)
		}
		g, _ := flows.GraphOf("send_opinion.yaml", src, cat)
		if diagramSVG(g, en) == "" {
			b.Fatal("no diagram")
		}
	}
}
