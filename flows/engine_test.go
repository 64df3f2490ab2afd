package flows_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"langnghe"
	"langnghe/flows"
	"langnghe/flows/catalogue"
	"langnghe/flows/classify"
	"langnghe/flows/defaults"
	"langnghe/flows/vntext"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var ict = time.FixedZone("ICT", 7*3600)

// keywordClassifier is a small stand-in with fixed answers, so golden
// conversations do not change when the real classifier is retrained.
type keywordClassifier struct{}

func (keywordClassifier) Classify(text string) classify.Result {
	f := " " + strings.Join(vntext.Words(text), " ") + " "
	has := func(ws ...string) bool {
		for _, w := range ws {
			if strings.Contains(f, " "+w+" ") {
				return true
			}
		}
		return false
	}
	switch {
	case has("chay", "fire"):
		return classify.Result{Category: "security", Track: langnghe.TrackFeedback, Confidence: 0.95, Emergency: true}
	case has("karaoke"):
		// "tố cáo" used loosely: feedback, but the words ask the resident.
		return classify.Result{Category: "security", Track: langnghe.TrackFeedback, Confidence: 0.85, AskTrack: true}
	case has("to cao", "denounce"):
		return classify.Result{Category: "land", Track: langnghe.TrackDenunciation, Confidence: 0.8, AskTrack: true}
	case has("khieu nai", "complaint"):
		return classify.Result{Category: "land", Track: langnghe.TrackComplaint, Confidence: 0.8, AskTrack: true}
	case has("so do", "land"):
		return classify.Result{Category: "land", Track: langnghe.TrackFeedback, Confidence: 0.92,
			Alternatives: []classify.Score{{Category: "construction", Confidence: 0.05}}}
	case has("duong", "road", "pothole"):
		return classify.Result{Category: "infrastructure", Track: langnghe.TrackFeedback, Confidence: 0.9}
	}
	return classify.Result{Category: "environment", Track: langnghe.TrackFeedback, Confidence: 0.35,
		Alternatives: []classify.Score{{Category: "infrastructure", Confidence: 0.3}, {Category: "construction", Confidence: 0.2}}}
}

// testEnv runs the default flows on a fixed clock with numbered codes.
type testEnv struct {
	*flows.Env
	lib   *flows.Library
	clock time.Time
	codes int
}

func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	cat := catalogue.Default()
	defs, err := defaults.Flows(cat)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := flows.NewLibrary(defs...)
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{lib: lib, clock: time.Date(2026, 3, 2, 9, 0, 0, 0, ict)}
	e.Env = &flows.Env{
		Flows: lib, Catalogue: cat, Classifier: keywordClassifier{},
		Now: func() time.Time { return e.clock },
		NewOpinionCode: func() (string, error) {
			e.codes++
			return fmt.Sprintf("DT-2026-%06d", e.codes), nil
		},
		DueDate: workingDays,
		// The FAQ knows one question: what to bring for a land certificate.
		FAQ: func(lang, text string) (string, bool) {
			f := vntext.Fold(text)
			if strings.Contains(f, "giay to") && strings.HasSuffix(strings.TrimSpace(text), "?") {
				return "Hồ sơ cấp sổ đỏ lần đầu gồm: đơn đăng ký (Mẫu 04/ĐK), giấy tờ về quyền sử dụng đất, CCCD. Nộp tại Trung tâm phục vụ hành chính công xã.", true
			}
			return "", false
		},
		// The units file's answers, as a deployment would set them.
		Hotline: func(area string) string {
			if area == "minh_thanh" {
				return "0274 3000 114"
			}
			return ""
		},
		// Where routing sends Minh Thạnh's feedback, as the units file
		// would; elsewhere no rule matches.
		Office: func(category, area string, track langnghe.LegalTrack) (langnghe.Unit, bool) {
			if area != "minh_thanh" || track != langnghe.TrackFeedback {
				return langnghe.Unit{}, false
			}
			return langnghe.Unit{Code: "ubnd_minh_thanh", Names: map[string]string{"vi": "UBND xã Minh Thạnh", "en": "Minh Thạnh Commune People's Committee"}}, true
		},
		Reception: func(area string, track langnghe.LegalTrack) (langnghe.Unit, bool) {
			if area != "minh_thanh" {
				return langnghe.Unit{}, false
			}
			return langnghe.Unit{Code: "ubnd_minh_thanh", Names: map[string]string{"vi": "UBND xã Minh Thạnh", "en": "Minh Thạnh Commune People's Committee"},
				Reception: langnghe.Reception{Address: "Bộ phận tiếp công dân, trụ sở UBND xã Minh Thạnh", Hours: "Thứ Hai – Thứ Sáu, 7:30–11:30 và 13:30–17:00"}}, true
		},
	}
	return e
}

// workingDays counts Monday to Friday, which is enough for tests; the
// service's calendar also knows holidays.
func workingDays(from time.Time, n int) time.Time {
	d := from
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n--
		}
	}
	return d
}

type attachment struct {
	Kind   string `yaml:"kind"`
	FileID string `yaml:"file_id"`
}

// script is a golden conversation: who starts which flow, then inputs.
type script struct {
	Flow string `yaml:"flow"`
	// Opening is the text that opened the conversation (first contact).
	Opening  string `yaml:"opening"`
	Language string `yaml:"language"`
	Name     string `yaml:"name"`
	Consent  bool   `yaml:"consent"`
	Phone    string `yaml:"phone"` // left before, with consent
	// AnnouncementsAsked: the resident answered the announcements notice before.
	AnnouncementsAsked bool `yaml:"announcements_asked"`
	// Campaign is a campaign file (JSON) whose generated flow is published
	// and started (Flow may then be left out); with Then, Flow starts and
	// the campaign follows (StartOptions.Then), as for a first-time
	// resident who opened its deep link.
	Campaign string `yaml:"campaign"`
	Then     bool   `yaml:"then"`
	Steps    []step `yaml:"steps"`
}

type step struct {
	Text       string             `yaml:"text"`
	Press      string             `yaml:"press"` // the value of a button in the last question
	Data       string             `yaml:"data"`  // raw button data (stale or forged)
	Command    string             `yaml:"command"`
	Wait       string             `yaml:"wait"` // let time pass, then deliver the timeout
	Contact    *langnghe.Contact  `yaml:"contact"`
	Location   *langnghe.Location `yaml:"location"`
	Attachment *attachment        `yaml:"attachment"`
	Publish    string             `yaml:"publish"` // a flow file to publish as the next revision
}

func (e *testEnv) input(t *testing.T, st step, last *langnghe.Message) langnghe.Input {
	t.Helper()
	switch {
	case st.Text != "":
		return langnghe.Input{Kind: langnghe.InputText, Text: st.Text}
	case st.Press != "":
		if last != nil {
			for _, row := range last.Buttons {
				for _, b := range row {
					if strings.HasSuffix(b.Data, ":"+st.Press) {
						return langnghe.Input{Kind: langnghe.InputButton, Data: b.Data}
					}
				}
			}
		}
		t.Fatalf("no button %q in the last question", st.Press)
	case st.Data != "":
		return langnghe.Input{Kind: langnghe.InputButton, Data: st.Data}
	case st.Command != "":
		return langnghe.Input{Kind: langnghe.InputCommand, Command: st.Command}
	case st.Wait != "":
		d, err := time.ParseDuration(st.Wait)
		if err != nil {
			t.Fatal(err)
		}
		e.clock = e.clock.Add(d)
		return langnghe.Input{Kind: langnghe.InputTimeout}
	case st.Contact != nil:
		return langnghe.Input{Kind: langnghe.InputContact, Contact: st.Contact}
	case st.Location != nil:
		return langnghe.Input{Kind: langnghe.InputLocation, Location: st.Location}
	case st.Attachment != nil:
		return langnghe.Input{Kind: langnghe.InputAttachment, Attachment: &langnghe.Attachment{Kind: st.Attachment.Kind, FileID: st.Attachment.FileID}}
	}
	t.Fatalf("empty step")
	return langnghe.Input{}
}

func TestGolden(t *testing.T) {
	scripts, err := filepath.Glob("testdata/golden/*.yaml")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no golden scripts: %v", err)
	}
	for _, path := range scripts {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var sc script
			dec := yaml.NewDecoder(strings.NewReader(string(data)))
			dec.KnownFields(true)
			if err := dec.Decode(&sc); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			got := runScript(t, newTestEnv(t), sc)
			goldenPath := strings.TrimSuffix(path, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(goldenPath, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run go test ./flows -update)", err)
			}
			if got != string(want) {
				t.Errorf("conversation differs from %s (run go test ./flows -update and review the diff):\n%s", goldenPath, firstDiff(string(want), got))
			}
		})
	}
}

// runScript plays sc and returns the transcript: inputs (<<), events (>>),
// and the final session as stored.
func runScript(t *testing.T, e *testEnv, sc script) string {
	t.Helper()
	then := ""
	switch {
	case sc.Campaign != "" && sc.Then:
		then = publishCampaign(t, e, sc.Campaign)
	case sc.Campaign != "":
		sc.Flow = publishCampaign(t, e, sc.Campaign)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<< start %s (language %s)\n", sc.Flow, sc.Language)
	if then != "" {
		fmt.Fprintf(&b, "<< then %s\n", then)
	}
	opening := langnghe.Input{}
	if sc.Opening != "" {
		opening = langnghe.Input{Kind: langnghe.InputText, Text: sc.Opening}
		writeInput(&b, opening)
	}
	s, events, err := flows.Start(e.Env, sc.Flow, flows.StartOptions{Language: sc.Language, Name: sc.Name, Consent: sc.Consent, Phone: sc.Phone,
		AnnouncementsAsked: sc.AnnouncementsAsked,
		Then:               then}, opening)
	if err != nil {
		t.Fatal(err)
	}
	last := writeEvents(&b, events, nil)
	for _, st := range sc.Steps {
		if st.Publish != "" {
			data, err := os.ReadFile(st.Publish)
			if err != nil {
				t.Fatal(err)
			}
			def, _, err := flows.Parse(filepath.Base(st.Publish), data, e.Catalogue)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.lib.Publish(def); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "== published %s revision %d\n", def.ID, def.Revision)
			continue
		}
		in := e.input(t, st, last)
		writeInput(&b, in)
		before, _ := json.Marshal(s)
		next, events, err := flows.Resume(e.Env, s, in)
		if err != nil {
			t.Fatal(err)
		}
		if after, _ := json.Marshal(s); string(after) != string(before) {
			t.Fatalf("Resume changed the session it was given:\n%s\n%s", before, after)
		}
		s = next
		last = writeEvents(&b, events, last)
	}
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "== session %s\n", js)
	return b.String()
}

func writeInput(b *strings.Builder, in langnghe.Input) {
	switch in.Kind {
	case langnghe.InputText:
		fmt.Fprintf(b, "<< text %q\n", in.Text)
	case langnghe.InputButton:
		fmt.Fprintf(b, "<< button %q\n", in.Data)
	case langnghe.InputCommand:
		fmt.Fprintf(b, "<< command %s\n", in.Command)
	case langnghe.InputTimeout:
		fmt.Fprintf(b, "<< timeout\n")
	default:
		js, _ := json.Marshal(in)
		fmt.Fprintf(b, "<< %s %s\n", in.Kind, js)
	}
}

// writeEvents writes events and returns the last message with buttons (or
// last if none came).
func writeEvents(b *strings.Builder, events []flows.Event, last *langnghe.Message) *langnghe.Message {
	for _, ev := range events {
		switch ev.Type {
		case flows.EventMessage:
			m := ev.Message
			fmt.Fprintf(b, ">> message %q", m.Text)
			if m.Request != "" {
				fmt.Fprintf(b, " request=%s", m.Request)
			}
			if m.RemoveKeyboard {
				fmt.Fprintf(b, " remove_keyboard")
			}
			b.WriteString("\n")
			for _, row := range m.Buttons {
				for _, btn := range row {
					fmt.Fprintf(b, "     [%s] %s\n", btn.Data, btn.Label)
				}
			}
			if len(m.Buttons) > 0 || m.Request != "" {
				last = m
			}
		case flows.EventWait:
			if ev.Timeout.IsZero() {
				b.WriteString(">> wait\n")
			} else {
				fmt.Fprintf(b, ">> wait until %s\n", ev.Timeout.Format(time.RFC3339))
			}
		default:
			js, _ := json.Marshal(ev)
			fmt.Fprintf(b, ">> %s %s\n", ev.Type, js)
		}
	}
	return last
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant: %s\ngot:  %s", i+1, wl, gl)
		}
	}
	return ""
}
