package flows_test

import (
	"strings"
	"testing"

	"langnghe"
	"langnghe/flows"
	"langnghe/flows/catalogue"
	"langnghe/flows/defaults"
)

// FuzzParse: any bytes give a definition or problems, never a panic, and
// never both a definition and an error.
func FuzzParse(f *testing.F) {
	for _, data := range defaults.Files() {
		f.Add(data)
	}
	f.Add([]byte(validFlow))
	f.Add([]byte("id: x\nnodes: [{id: a, say: [\"{{.name}}\"]}]\nstart: a\n"))
	cat := catalogue.Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		def, problems, err := flows.Parse("fuzz.yaml", data, cat)
		if (def == nil) == (err == nil) {
			t.Fatalf("def %v with err %v", def != nil, err)
		}
		if err != nil && len(problems) == 0 {
			t.Fatalf("an error without problems: %v", err)
		}
	})
}

// FuzzResume plays random inputs against the default flows: no panics, no
// error from a healthy environment, and every message sendable.
func FuzzResume(f *testing.F) {
	f.Add("send_opinion", uint8(0), "Đường bị ngập", "2:yes")
	f.Add("welcome", uint8(1), "English", "1:en")
	f.Add("menu", uint8(2), "hủy", "9999999999999999999:send")
	f.Add("delete_data", uint8(3), "k", ":")
	e := newTestEnv(f)
	flowIDs := []string{"welcome", "menu", "send_opinion", "my_opinions", "help", "language", "my_data", "delete_data"}
	f.Fuzz(func(t *testing.T, flow string, kind uint8, text, data string) {
		id := flowIDs[len(flow)%len(flowIDs)]
		s, _, err := flows.Start(e.Env, id, flows.StartOptions{Language: flow}, langnghe.Input{})
		if err != nil {
			t.Fatal(err)
		}
		inputs := []langnghe.Input{
			{Kind: langnghe.InputText, Text: text},
			{Kind: langnghe.InputButton, Data: data},
			{Kind: langnghe.InputCommand, Command: text},
			{Kind: langnghe.InputTimeout},
			{Kind: langnghe.InputContact, Contact: &langnghe.Contact{Phone: text, Name: data}},
			{Kind: langnghe.InputLocation, Location: &langnghe.Location{Latitude: float64(len(text)), Longitude: float64(kind)}},
			{Kind: langnghe.InputAttachment, Attachment: &langnghe.Attachment{Kind: "photo", FileID: data}},
			{Kind: langnghe.InputKind(text)},
			{Kind: langnghe.InputContact}, {Kind: langnghe.InputLocation}, {Kind: langnghe.InputAttachment},
		}
		for i := range 6 {
			in := inputs[(int(kind)+i*int(kind/16+1))%len(inputs)]
			next, events, err := flows.Resume(e.Env, s, in)
			if err != nil {
				t.Fatalf("Resume(%+v): %v", in, err)
			}
			for _, ev := range events {
				if ev.Type == flows.EventError {
					t.Fatalf("default flow misbehaved: %s", ev.Error)
				}
				if ev.Type != flows.EventMessage {
					continue
				}
				if strings.TrimSpace(ev.Message.Text) == "" {
					t.Fatalf("empty message")
				}
				for _, row := range ev.Message.Buttons {
					for _, b := range row {
						if len(b.Data) == 0 || len(b.Data) > 64 {
							t.Fatalf("button data %q", b.Data)
						}
					}
				}
			}
			s = next
		}
	})
}
