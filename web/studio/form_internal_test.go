package studio

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"langnghe/flows"
	"langnghe/flows/catalogue"
	"langnghe/flows/defaults"
)

// Writing a flow back without edits gives the file byte for byte: the form
// view changes only what the admin changed.
func TestFlowDocRoundTrip(t *testing.T) {
	for name, src := range defaults.Files() {
		d, err := parseFlowDoc(src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if changed, err := d.apply(url.Values{}); changed || err != nil {
			t.Fatalf("%s: an empty form changed %v (%v)", name, changed, err)
		}
		out, err := d.encode()
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != string(src) {
			t.Errorf("%s changed on the way back:\n%s", name, firstDifference(string(src), string(out)))
		}
	}
}

func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "lengths differ: " + strconv.Itoa(len(al)) + " and " + strconv.Itoa(len(bl)) + " lines"
}

func TestFlowDocEdits(t *testing.T) {
	src := defaults.Files()["send_opinion.yaml"]
	d, err := parseFlowDoc(src)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{
		// A text in a block mapping, now on two lines.
		"t/describe/message/en": {"Please describe the matter:\r\nwhat, where, since when."},
		// A button's label inside a flow-style mapping, with characters a
		// plain scalar cannot carry.
		"t/summary/option.send/en": {"Send: that's it"},
		// A translation removed.
		"t/discarded/say.0/zh": {""},
		// Unchanged fields change nothing.
		"t/describe/message/vi": {"Ông/bà vui lòng mô tả ngắn gọn sự việc: việc gì, ở đâu, từ khi nào."},
	}
	changed, err := d.apply(form)
	if err != nil || !changed {
		t.Fatalf("apply: %v %v", changed, err)
	}
	out, err := d.encode()
	if err != nil {
		t.Fatal(err)
	}
	def, problems, err := flows.Parse("send_opinion.yaml", out, catalogue.Default())
	if err != nil {
		t.Fatalf("the edited flow does not parse: %v\n%s", err, out)
	}
	missing := 0
	for _, p := range problems {
		if p.Language == "zh" && p.Node == "discarded" {
			missing++
		}
	}
	if missing != 1 {
		t.Errorf("the removed zh translation is not reported missing: %v", problems)
	}
	d2, err := parseFlowDoc(out)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tx := range d2.texts() {
		for _, lang := range d2.languages {
			got[tx.key+"/"+lang] = d2.value(tx, lang)
		}
	}
	for field, want := range map[string]string{
		"t/describe/message/en":    "Please describe the matter:\nwhat, where, since when.",
		"t/summary/option.send/en": "Send: that's it",
		"t/summary/option.send/vi": "Gửi",
		"t/discarded/say.0/zh":     "",
	} {
		if got[field] != want {
			t.Errorf("%s = %q, want %q", field, got[field], want)
		}
	}
	if def.ID != "send_opinion" || !strings.Contains(string(out), "# Contact details are kept only with the resident's consent") {
		t.Error("the file's comments are lost")
	}
	// Only the edited lines differ.
	diff := diffLines(sourceLines(src), sourceLines(out))
	var changedLines []string
	for _, l := range diff {
		if l.Op != '=' {
			changedLines = append(changedLines, string(l.Op)+l.Text)
		}
	}
	if len(changedLines) > 8 {
		t.Errorf("%d lines changed for three edits:\n%s", len(changedLines), strings.Join(changedLines, "\n"))
	}
}

// A base-language-only text gains a translation as a mapping; the base
// text cannot be emptied.
func TestFlowDocPlainText(t *testing.T) {
	src := []byte("id: tiny\nlanguages: [vi, en]\nstart: a\nnodes:\n  - id: a\n    say:\n      - Xin chào # greeting\n")
	d, err := parseFlowDoc(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.apply(url.Values{"t/a/say.0/en": {"Hello"}}); err != nil {
		t.Fatal(err)
	}
	out, err := d.encode()
	if err != nil {
		t.Fatal(err)
	}
	if want := "      - {vi: Xin chào, en: Hello} # greeting\n"; !strings.HasSuffix(string(out), want) {
		t.Errorf("a plain text with a translation:\n%s\nwant it to end with %q", out, want)
	}
	if _, err := d.apply(url.Values{"t/a/say.0/vi": {""}}); err == nil {
		t.Error("emptying the base language's text was accepted")
	}
}
