package flows_test

import (
	"strings"
	"testing"

	"langnghe"
	"langnghe/flows"
)

// scaleFlow rates one thing on a bare scale and another on a labelled one
// with a way to skip, then records the response.
const scaleFlow = `id: rate
base_language: vi
languages: [vi, en]
start: speed
nodes:
  - id: speed
    ask:
      kind: scale
      key: speed
      message: {vi: "Tốc độ (1 đến 5)?", en: "Speed (1 to 5)?"}
      retry: {vi: "Xin chọn từ 1 đến 5.", en: "Please choose 1 to 5."}
      retries: 1
    exits: {ok: attitude, retries_exhausted: attitude}
  - id: attitude
    ask:
      kind: scale
      key: attitude
      min: 1
      max: 3
      message: {vi: "Thái độ?", en: "Attitude?"}
      retry: {vi: "Xin chọn một mức.", en: "Please choose a level."}
      options:
        - {value: "3", label: {vi: "3 – Tốt", en: "3 – Good"}}
        - {value: "1", label: {vi: Chưa tốt, en: Poor}}
        - {value: skip, label: {vi: Bỏ qua, en: Skip}}
    exits: {ok: record, skip: record, retries_exhausted: record}
  - id: record
    action: {type: record_response}
    say: [{vi: "Cảm ơn.", en: "Thank you."}]
`

func startScale(t *testing.T) (*testEnv, *flows.Session, []flows.Event) {
	t.Helper()
	def, problems, err := flows.Parse("rate.yaml", []byte(scaleFlow), nil)
	if err != nil || len(problems) > 0 {
		t.Fatalf("Parse: %v %v", err, problems)
	}
	e := newTestEnv(t)
	if err := e.lib.Publish(def); err != nil {
		t.Fatal(err)
	}
	s, events, err := flows.Start(e.Env, "rate", flows.StartOptions{Language: "vi"}, langnghe.Input{})
	if err != nil {
		t.Fatal(err)
	}
	return e, s, events
}

func lastQuestion(t *testing.T, events []flows.Event) *langnghe.Message {
	t.Helper()
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Type == flows.EventMessage {
			return events[i].Message
		}
	}
	t.Fatal("no message")
	return nil
}

func buttonRows(m *langnghe.Message) string {
	var rows []string
	for _, row := range m.Buttons {
		var bs []string
		for _, b := range row {
			bs = append(bs, b.Label+"="+b.Data)
		}
		rows = append(rows, strings.Join(bs, " "))
	}
	return strings.Join(rows, " | ")
}

func TestScaleButtons(t *testing.T) {
	e, s, events := startScale(t)
	// Bare numbers share one row; labelled points take a row each, with
	// the numbers not labelled in between, then the other options.
	if got, want := buttonRows(lastQuestion(t, events)), "1=1:1 2=1:2 3=1:3 4=1:4 5=1:5"; got != want {
		t.Errorf("bare scale buttons %q, want %q", got, want)
	}
	s, events, err := flows.Resume(e.Env, s, langnghe.Input{Kind: langnghe.InputButton, Data: "1:4"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := buttonRows(lastQuestion(t, events)), "Chưa tốt=2:1 | 2=2:2 | 3 – Tốt=2:3 | Bỏ qua=2:skip"; got != want {
		t.Errorf("labelled scale buttons %q, want %q", got, want)
	}
	if s.Answers["speed"] != "4" {
		t.Errorf("speed = %q, want 4", s.Answers["speed"])
	}
}

func TestScaleTypedAnswers(t *testing.T) {
	for _, tt := range []struct {
		speed, attitude string // typed
		want            string // speed/attitude answers, "" for none
	}{
		{"4 điểm", "tốt", "4/3"},
		{"bốn", "2", "4/2"},
		{"4", "chưa tốt", "4/1"},
		{"5/5", "bỏ qua", "5/skip"},
		{"chưa tốt lắm", "", "/"}, // a retry, then (retries 1) no answer
	} {
		e, s, _ := startScale(t)
		var events []flows.Event
		var err error
		for _, typed := range []string{tt.speed, tt.attitude} {
			if typed == "" {
				typed = "không biết"
			}
			s, events, err = flows.Resume(e.Env, s, langnghe.Input{Kind: langnghe.InputText, Text: typed})
			if err != nil {
				t.Fatal(err)
			}
		}
		if tt.want == "/" {
			// "chưa tốt lắm" was asked again, "không biết" exhausted it.
			if s.Answers["speed"] != "" || s.Node != "attitude" {
				t.Errorf("%q: answers %v at %q", tt.speed, s.Answers, s.Node)
			}
			continue
		}
		if got := s.Answers["speed"] + "/" + s.Answers["attitude"]; got != tt.want {
			t.Errorf("typed %q, %q: answers %s, want %s", tt.speed, tt.attitude, got, tt.want)
		}
		// The flow ended with the response.
		var resp *langnghe.CampaignResponse
		for _, ev := range events {
			if ev.Type == flows.EventResponse {
				resp = ev.Response
			}
		}
		if resp == nil {
			t.Fatalf("no response event in %v", events)
		}
		if resp.FlowID != "rate" || resp.FlowRevision != 1 || resp.Language != "vi" || !resp.CreatedAt.Equal(e.clock) ||
			resp.Answers["speed"] != s.Answers["speed"] || resp.Answers["attitude"] != s.Answers["attitude"] {
			t.Errorf("response %+v", resp)
		}
		// The event's answers are a copy, not the session's map.
		resp.Answers["speed"] = "changed"
		if s.Answers["speed"] == "changed" {
			t.Error("the response shares the session's answers")
		}
	}
}

func TestScaleParseErrors(t *testing.T) {
	for _, tt := range []struct{ change, message string }{
		{"      min: 1\n      max: 3\n", ""},
		{"      min: 1\n      max: 30\n", "2 to 10 points"},
		{"      min: 1.5\n      max: 3\n", "from one whole number to another"},
		{"      min: 3\n      max: 3\n", "2 to 10 points"},
		{"      min: 1\n      max: 2\n", `option "3" labels no point of the scale 1 to 2`},
	} {
		file := strings.Replace(scaleFlow, "      min: 1\n      max: 3\n", tt.change, 1)
		_, problems, err := flows.Parse("rate.yaml", []byte(file), nil)
		switch {
		case tt.message == "" && err != nil:
			t.Errorf("%q: %v", tt.change, err)
		case tt.message != "" && (err == nil || !strings.Contains(err.Error(), tt.message)):
			t.Errorf("%q: error %v, want %q (%v)", tt.change, err, tt.message, problems)
		}
	}
	// A scale answers ok, never a point's value: an exit named "3" is
	// not an outcome.
	file := strings.Replace(scaleFlow, "exits: {ok: record, skip: record", `exits: {"3": record, ok: record, skip: record`, 1)
	if _, _, err := flows.Parse("rate.yaml", []byte(file), nil); err == nil || !strings.Contains(err.Error(), `exit "3" is not an outcome`) {
		t.Errorf("exit on a point: %v", err)
	}
	file = strings.Replace(validFlow, "key: name", "key: name\n      min: 1", 1)
	if _, _, err := flows.Parse("tiny.yaml", []byte(file), nil); err == nil || !strings.Contains(err.Error(), "min and max apply to number and scale asks") {
		t.Errorf("min on a text ask: %v", err)
	}
}
