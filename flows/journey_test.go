package flows_test

import (
	"langnghe"
	"testing"

	"langnghe/flows"
)

// The standard journeys, counted in the resident's inputs up to the code:
// a first-time resident from /start who types their concern (at most 7),
// and a returning one who types it into a finished chat (at most 5). Run
// with -v to see the counts.
func TestJourneyInputs(t *testing.T) {
	tests := []struct {
		name   string
		start  flows.StartOptions
		inputs []langnghe.Input
		limit  int
	}{
		{"first time, from /start", flows.StartOptions{Language: "vi"}, []langnghe.Input{
			{Kind: langnghe.InputCommand, Command: flows.CommandStart},
			{Kind: langnghe.InputText, Text: "Đường trước chợ Minh Thạnh có ổ gà lớn, xe máy ngã mấy lần rồi"},
			{Kind: langnghe.InputButton, Data: "2:yes"}, // consent
			{Kind: langnghe.InputText, Text: "minh thanh"},
			{Kind: langnghe.InputButton, Data: "4:skip"}, // no photo
			{Kind: langnghe.InputText, Text: "0912 345 678"},
			{Kind: langnghe.InputText, Text: "gửi"},
		}, 7},
		{"returning", flows.StartOptions{Language: "vi", Consent: true, Phone: "0912345678"}, []langnghe.Input{
			{Kind: langnghe.InputText, Text: "Đèn đường ở đầu ấp tắt cả tháng nay, tối rất nguy hiểm"},
			{Kind: langnghe.InputText, Text: "minh thanh"},
			{Kind: langnghe.InputText, Text: "bỏ qua"},
			{Kind: langnghe.InputText, Text: "dùng số 0912 xxx 678"},
			{Kind: langnghe.InputText, Text: "gửi"},
		}, 5},
	}
	for _, tt := range tests {
		e := newTestEnv(t)
		s := flows.NewSession(tt.start)
		code := ""
		for i, in := range tt.inputs {
			next, events, err := flows.Resume(e.Env, s, in)
			if err != nil {
				t.Fatalf("%s: input %d: %v", tt.name, i+1, err)
			}
			s = next
			for _, ev := range events {
				if ev.Type == flows.EventOpinion {
					code = ev.Opinion.Code
					if ev.Opinion.AreaCode == "" || ev.Opinion.Category == "" || ev.Opinion.Text == "" ||
						(tt.start.Phone != "" && ev.Opinion.ContactPhone != tt.start.Phone) {
						t.Errorf("%s: the opinion lacks what the board needs: %+v", tt.name, ev.Opinion)
					}
				}
			}
			if code != "" {
				t.Logf("%s: submitted in %d inputs (at most %d)", tt.name, i+1, tt.limit)
				if i+1 > tt.limit {
					t.Errorf("%s: %d inputs, want at most %d", tt.name, i+1, tt.limit)
				}
				break
			}
		}
		if code == "" {
			t.Errorf("%s: not submitted after %d inputs; waiting at %q", tt.name, len(tt.inputs), s.Node)
		}
	}
}
