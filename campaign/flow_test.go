package campaign_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/campaign"
	"langnghe/flows"
	"langnghe/flows/catalogue"
	"langnghe/flows/defaults"
)

// The whole conversations generated from these campaigns are golden files
// of the flows engine (flows/testdata/golden/campaign_*): these tests
// check what every generated flow must be.

func load(t *testing.T, name string) *langnghe.Campaign {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var c langnghe.Campaign
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

// parse generates c's flow and loads it as the studio would.
func parse(t *testing.T, c *langnghe.Campaign) *flows.Definition {
	t.Helper()
	src, err := campaign.Flow(c, catalogue.Default())
	if err != nil {
		t.Fatal(err)
	}
	def, problems, err := flows.Parse("campaign.yaml", src, catalogue.Default())
	if err != nil || len(problems) > 0 {
		t.Fatalf("%v\n%s\n%s", err, flows.FormatProblems(problems), src)
	}
	return def
}

// play runs the flow with inputs (text, or "press:value") in lang and
// returns everything said, and the responses recorded.
func play(t *testing.T, def *flows.Definition, lang string, inputs ...string) (string, []*langnghe.CampaignResponse) {
	t.Helper()
	// The default flows too: a campaign's conversation enters the
	// announcements notice at its end.
	defs, err := defaults.Flows(catalogue.Default())
	if err != nil {
		t.Fatal(err)
	}
	lib, err := flows.NewLibrary(append(defs, def)...)
	if err != nil {
		t.Fatal(err)
	}
	env := &flows.Env{Flows: lib, Catalogue: catalogue.Default(), Now: func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }}
	s, events, err := flows.Start(env, def.ID, flows.StartOptions{Language: lang}, langnghe.Input{})
	if err != nil {
		t.Fatal(err)
	}
	var said strings.Builder
	var responses []*langnghe.CampaignResponse
	var last *langnghe.Message
	record := func(events []flows.Event) {
		for _, ev := range events {
			switch ev.Type {
			case flows.EventMessage:
				said.WriteString(ev.Message.Text + "\n")
				last = ev.Message
			case flows.EventResponse:
				responses = append(responses, ev.Response)
			case flows.EventError:
				t.Errorf("flow error: %s", ev.Error)
			}
		}
	}
	record(events)
	for _, in := range inputs {
		input := langnghe.Input{Kind: langnghe.InputText, Text: in}
		if v, ok := strings.CutPrefix(in, "press:"); ok {
			input = langnghe.Input{Kind: langnghe.InputButton}
			for _, row := range last.Buttons {
				for _, b := range row {
					if strings.HasSuffix(b.Data, ":"+v) {
						input.Data = b.Data
					}
				}
			}
			if input.Data == "" {
				t.Fatalf("no button %q in %+v", v, last)
			}
		}
		s, events, err = flows.Resume(env, s, input)
		if err != nil {
			t.Fatal(err)
		}
		record(events)
	}
	return said.String(), responses
}

func TestFlowOfEachKind(t *testing.T) {
	for _, tt := range []struct {
		name   string
		inputs []string
		want   map[string]string // the response's answers
	}{
		{"dialogue", []string{"Bao giờ nạo vét sông Thị Tính?", "Minh Thạnh", "press:send", "không"},
			map[string]string{"question": "Bao giờ nạo vét sông Thị Tính?", "area": "minh_thanh"}},
		{"consultation", []string{"5", "press:evening", "bỏ qua", "bỏ qua"},
			map[string]string{"agree": "5", "hours": "evening", "other": "skip", "area": "skip"}},
		{"feedback_point", []string{"press:4", "3", "press:2", "Cán bộ hướng dẫn tận tình."},
			map[string]string{"attitude": "4", "time": "3", "result": "2", "comment": "Cán bộ hướng dẫn tận tình."}},
		// Typed as visitors say it: "hài lòng lắm" is «Rất hài lòng», "xong"
		// at the comment is none.
		{"feedback_point", []string{"hai long lam", "binh thuong", "hài lòng", "xong"},
			map[string]string{"attitude": "5", "time": "3", "result": "4", "comment": "skip"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := load(t, tt.name)
			def := parse(t, c)
			if def.ID != langnghe.CampaignFlowID(c.ID) || def.BaseLanguage != "vi" || strings.Join(def.Languages, ",") != "vi,en,zh" {
				t.Errorf("flow %s, base %s, languages %v", def.ID, def.BaseLanguage, def.Languages)
			}
			_, responses := play(t, def, "vi", tt.inputs...)
			if len(responses) != 1 {
				t.Fatalf("%d responses, want 1", len(responses))
			}
			for k, v := range tt.want {
				if responses[0].Answers[k] != v {
					t.Errorf("answer %s = %q, want %q (%v)", k, responses[0].Answers[k], v, responses[0].Answers)
				}
			}
			if responses[0].FlowID != def.ID {
				t.Errorf("response of flow %q", responses[0].FlowID)
			}
		})
	}
}

// The board's words are shown as written: braces that would be a template,
// YAML's own characters, quotes and line breaks.
func TestFlowKeepsTheBoardsWords(t *testing.T) {
	c := load(t, "consultation")
	c.Title = `Dự thảo "Quy định" {{.name}} #1: rác & nước: 'xả thải'`
	c.Draft.Summary = "Dòng một: {{if true}}x{{end}}\n- gạch đầu dòng\n\t| ống dẫn >"
	c.Questions[1].Options[0].Label["vi"] = "{{.answers.agree}}: ý"
	def := parse(t, c)
	said, _ := play(t, def, "vi")
	for _, want := range []string{c.Title, c.Draft.Summary} {
		if !strings.Contains(said, want) {
			t.Errorf("the conversation does not show %q as written:\n%s", want, said)
		}
	}
	// The label is on the next question's button.
	lib, _ := flows.NewLibrary(def)
	env := &flows.Env{Flows: lib, Now: time.Now}
	s, _, err := flows.Start(env, def.ID, flows.StartOptions{Language: "vi"}, langnghe.Input{})
	if err != nil {
		t.Fatal(err)
	}
	_, events, err := flows.Resume(env, s, langnghe.Input{Kind: langnghe.InputText, Text: "3"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range events {
		if ev.Type == flows.EventMessage {
			for _, row := range ev.Message.Buttons {
				found = found || row[0].Label == "{{.answers.agree}}: ý"
			}
		}
	}
	if !found {
		t.Errorf("the option's label is not shown as written: %+v", events)
	}
}

// A campaign at every limit Validate allows still makes a flow the engine
// loads: the limits are chosen for it.
func TestFlowAtTheLimits(t *testing.T) {
	c := load(t, "consultation")
	c.Title = strings.Repeat("Đ", langnghe.MaxCampaignTitle)
	c.Theme = strings.Repeat("ạ", langnghe.MaxCampaignTheme)
	c.Draft.Summary = strings.Repeat("ữ", langnghe.MaxDraftSummary)
	c.Questions = nil
	for i := range langnghe.MaxCampaignQuestion {
		q := langnghe.CampaignQuestion{Key: fmt.Sprintf("q%02d_%s", i, strings.Repeat("k", 26)), Kind: langnghe.QuestionChoice, Optional: true,
			Text: langnghe.Texts{"vi": strings.Repeat("ế", langnghe.MaxQuestionText), "en": strings.Repeat("e", langnghe.MaxQuestionText)}}
		for j := range langnghe.MaxQuestionOptions {
			q.Options = append(q.Options, langnghe.QuestionOption{Value: fmt.Sprintf("v%d_%s", j, strings.Repeat("x", 27)), Label: langnghe.Texts{"vi": strings.Repeat("ổ", langnghe.MaxOptionLabel)}})
		}
		c.Questions = append(c.Questions, q)
	}
	if err := c.Validate(nil); err != nil {
		t.Fatal(err)
	}
	def := parse(t, c)
	if def.Nodes() > flows.MaxNodes {
		t.Errorf("%d nodes", def.Nodes())
	}
}

func TestFlowRefuses(t *testing.T) {
	c := load(t, "dialogue")
	c.Conference = nil
	if _, err := campaign.Flow(c, nil); langnghe.ErrorCode(err) != langnghe.EINVALID {
		t.Errorf("an invalid campaign: %v", err)
	}
	c = load(t, "dialogue")
	c.ID = 0
	if _, err := campaign.Flow(c, nil); langnghe.ErrorCode(err) != langnghe.EINVALID {
		t.Errorf("a campaign without an id: %v", err)
	}
	c.FlowID = "campaign_custom"
	if def := parse(t, c); def.ID != "campaign_custom" {
		t.Errorf("flow id %q, want the campaign's FlowID", def.ID)
	}
}
