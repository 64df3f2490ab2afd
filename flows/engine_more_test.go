package flows_test

import (
	"errors"
	"strings"
	"testing"

	"langnghe"
	"langnghe/flows"
	"langnghe/flows/classify"
)

// TestStepCap: a mis-wired loop ends the turn with an error event and an
// apology instead of hanging.
func TestStepCap(t *testing.T) {
	const loop = `id: loop
base_language: vi
start: a
nodes:
  - id: a
    router: {on: "x", cases: [{equals: "y", outcome: out}], default: again}
    exits: {again: b, out: b}
  - id: b
    next: a
`
	def, _, err := flows.Parse("loop.yaml", []byte(loop), nil)
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t)
	if err := e.lib.Publish(def); err != nil {
		t.Fatal(err)
	}
	e.MaxSteps = 10
	s, events, err := flows.Start(e.Env, "loop", flows.StartOptions{Language: "en"}, langnghe.Input{})
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, ev := range events {
		types = append(types, string(ev.Type))
	}
	if got := strings.Join(types, ","); got != "message,error,end" {
		t.Fatalf("events %s, want message,error,end", got)
	}
	if !strings.Contains(events[1].Error, "more than 10 steps") || s.Waiting() {
		t.Errorf("error %q, waiting %v", events[1].Error, s.Waiting())
	}
}

func TestBrokenEnvironment(t *testing.T) {
	e := newTestEnv(t)
	if _, _, err := flows.Start(e.Env, "no_such_flow", flows.StartOptions{}, langnghe.Input{}); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
		t.Errorf("Start of a missing flow: %v", err)
	}
	s, _, err := flows.Start(e.Env, "send_opinion", flows.StartOptions{}, langnghe.Input{})
	if err != nil {
		t.Fatal(err)
	}
	// The opinion code cannot be reserved: the whole turn fails, so the
	// caller rolls back, and the session it holds is unchanged.
	e.NewOpinionCode = func() (string, error) { return "", errors.New("sequence unavailable") }
	steps := []langnghe.Input{
		{Kind: langnghe.InputText, Text: "Đường vào trường học bị ngập nặng"},
		{Kind: langnghe.InputText, Text: "bỏ qua"},
		{Kind: langnghe.InputText, Text: "bỏ qua"},
	}
	for _, in := range steps {
		if s, _, err = flows.Resume(e.Env, s, in); err != nil {
			t.Fatalf("Resume(%q): %v", in.Text, err)
		}
	}
	if s.Node != "summary" {
		t.Fatalf("at %q, want summary", s.Node)
	}
	if _, _, err := flows.Resume(e.Env, s, langnghe.Input{Kind: langnghe.InputText, Text: "gửi"}); err == nil || !strings.Contains(err.Error(), "sequence unavailable") {
		t.Errorf("submit without a code: %v", err)
	}
	if s.Node != "summary" || s.OpinionCode != "" {
		t.Errorf("the failed turn changed the session: %+v", s)
	}
}

// TestRealClassifier runs the default send_opinion flow with the real
// classifier: an emergency is pointed to the emergency numbers and the
// question stays, a plain land concern is offered its category to confirm,
// and a complaint that never says "khiếu nại" asks which track it is.
func TestRealClassifier(t *testing.T) {
	e := newTestEnv(t)
	c, err := classify.New(e.Catalogue)
	if err != nil {
		t.Fatal(err)
	}
	e.Classifier = c
	tests := []struct {
		text, node, says string
	}{
		{"Cháy nhà ở ấp 3, lửa lớn lắm, cứu với", "area", "114"},
		{"Tôi không đồng ý với quyết định thu hồi đất của UBND xã, tiền bồi thường quá thấp", "which_track", "Khiếu nại"},
		{"Nhà tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất (sổ đỏ) đã 6 tháng mà chưa được cấp", "area", "xã/phường"},
	}
	for _, tt := range tests {
		s, _, err := flows.Start(e.Env, "send_opinion", flows.StartOptions{Language: "vi"}, langnghe.Input{})
		if err != nil {
			t.Fatal(err)
		}
		s, events, err := flows.Resume(e.Env, s, langnghe.Input{Kind: langnghe.InputText, Text: tt.text})
		if err != nil {
			t.Fatal(err)
		}
		var said strings.Builder
		for _, ev := range events {
			if ev.Type == flows.EventMessage {
				said.WriteString(ev.Message.Text)
			}
		}
		if s.Node != tt.node || !strings.Contains(said.String(), tt.says) {
			t.Errorf("%q: at node %q saying %q; want node %q saying %q", tt.text, s.Node, said.String(), tt.node, tt.says)
		}
	}
}

// TestSummaryTypedYes: at a summary, what residents type to say "that's
// right, send it" sends; elsewhere the same words choose nothing, and at
// the summary a "no" is not a send.
func TestSummaryTypedYes(t *testing.T) {
	toSummary := func(t *testing.T, e *testEnv) *flows.Session {
		s, _, err := flows.Start(e.Env, "send_opinion", flows.StartOptions{}, langnghe.Input{})
		if err != nil {
			t.Fatal(err)
		}
		for _, typed := range []string{"Đường vào trường học bị ngập nặng", "bỏ qua", "bỏ qua"} {
			if s, _, err = flows.Resume(e.Env, s, langnghe.Input{Kind: langnghe.InputText, Text: typed}); err != nil {
				t.Fatalf("Resume(%q): %v", typed, err)
			}
		}
		if s.Node != "summary" {
			t.Fatalf("at %q, want summary", s.Node)
		}
		return s
	}
	for _, tc := range []struct {
		typed string
		sent  bool
	}{
		{"ok", true}, {"Đồng ý", true}, {"xong rồi", true}, {"dc", true}, {"gui di", true},
		{"ko", false}, {"sai rồi", false}, {"xong chưa", false},
	} {
		t.Run(tc.typed, func(t *testing.T) {
			e := newTestEnv(t)
			s := toSummary(t, e)
			s, _, err := flows.Resume(e.Env, s, langnghe.Input{Kind: langnghe.InputText, Text: tc.typed})
			if err != nil {
				t.Fatal(err)
			}
			if sent := s.OpinionCode != ""; sent != tc.sent {
				t.Errorf("%q: sent %v (at %q), want %v", tc.typed, sent, s.Node, tc.sent)
			}
		})
	}
}
