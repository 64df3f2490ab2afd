package flows_test

import (
	"testing"

	"langnghe"
	"langnghe/flows"
	"langnghe/flows/catalogue"
	"langnghe/flows/defaults"
)

// BenchmarkConversation runs a long default conversation (send an opinion
// with every step and a change of place at the summary) through the engine
// and reports turns per second.
func BenchmarkConversation(b *testing.B) {
	e := newTestEnv(b)
	turns := []langnghe.Input{
		{Kind: langnghe.InputText, Text: "Nhà tôi làm sổ đỏ đã 6 tháng mà chưa được cấp, xin hỏi bao giờ có?"},
		{Kind: langnghe.InputText, Text: "Dầu Tiếng"},
		{Kind: langnghe.InputAttachment, Attachment: &langnghe.Attachment{Kind: "photo", FileID: "AgAC"}},
		{Kind: langnghe.InputText, Text: "0912 345 678"},
		{Kind: langnghe.InputText, Text: "sửa địa bàn"},
		{Kind: langnghe.InputText, Text: "ap hoa cuong"},
		{Kind: langnghe.InputText, Text: "gửi"},
	}
	opts := flows.StartOptions{Language: "vi", Name: "Nguyễn Văn An", Consent: true}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		s, _, err := flows.Start(e.Env, "send_opinion", opts, langnghe.Input{})
		if err != nil {
			b.Fatal(err)
		}
		n++
		for _, in := range turns {
			if s, _, err = flows.Resume(e.Env, s, in); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if s.Waiting() || s.OpinionCode == "" {
			b.Fatalf("conversation did not finish: at %q", s.Node)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "turns/s")
}

// BenchmarkParse loads the largest default flow.
func BenchmarkParse(b *testing.B) {
	data := defaults.Files()["send_opinion.yaml"]
	cat := catalogue.Default()
	for b.Loop() {
		if _, _, err := flows.Parse("send_opinion.yaml", data, cat); err != nil {
			b.Fatal(err)
		}
	}
}
