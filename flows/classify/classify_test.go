package classify

import (
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"langnghe"

	"langnghe/flows/catalogue"
)

func newClassifier(t testing.TB) *Classifier {
	t.Helper()
	c, err := New(catalogue.Default())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func devSet(t testing.TB) []Labelled {
	t.Helper()
	f, err := os.Open("testdata/devset.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := ReadLabelled(f)
	if err != nil {
		t.Fatalf("read dev set: %v", err)
	}
	return rows
}

// TestDevSet is the accuracy gate: top-1 category accuracy on the dev set
// must stay at or above 90%.
func TestDevSet(t *testing.T) {
	rows := devSet(t)
	if len(rows) < 300 {
		t.Fatalf("dev set has %d rows, want at least 300", len(rows))
	}
	r := Evaluate(newClassifier(t), rows)
	t.Logf("\n%s", r)
	if testing.Verbose() {
		for _, m := range r.Misses {
			t.Logf("want %s/%s got %s/%s (%.2f %v): %s", m.Category, m.Track, m.Got.Category, m.Got.Track,
				m.Got.Confidence, m.Got.Alternatives, m.Text)
		}
	}
	if acc := r.Accuracy(); acc < 0.90 {
		t.Errorf("category accuracy %.1f%%, want at least 90%%", 100*acc)
	}
	if acc := r.TrackAccuracy(); acc < 0.90 {
		t.Errorf("track accuracy %.1f%%, want at least 90%%", 100*acc)
	}
	if acc := r.SureAccuracy(); acc < 0.90 {
		t.Errorf("accuracy of sure results %.1f%%, want at least 90%%", 100*acc)
	}
}

func TestClassify(t *testing.T) {
	c := newClassifier(t)
	tests := []struct {
		text      string
		category  string
		track     langnghe.LegalTrack
		emergency bool
	}{
		{"sổ đỏ nhà tôi chưa cấp", "land", langnghe.TrackFeedback, false},
		{"so do nha toi chua cap", "land", langnghe.TrackFeedback, false},
		{"bhyt het han ko gia han dc", "health", langnghe.TrackFeedback, false},
		{"đường có nhiều ổ gà", "infrastructure", langnghe.TrackFeedback, false},
		{"the streetlight is broken", "infrastructure", langnghe.TrackFeedback, false},
		{"Tôi khiếu nại quyết định thu hồi đất", "land", langnghe.TrackComplaint, false},
		{"tôi không đồng ý với quyết định xử phạt xây dựng", "construction", langnghe.TrackComplaint, false},
		{"I want to complain about the decision on my land compensation", "land", langnghe.TrackComplaint, false},
		{"tố cáo cán bộ địa chính nhận hối lộ khi cấp sổ đỏ", "land", langnghe.TrackDenunciation, false},
		{"report corruption of the school principal", "education", langnghe.TrackDenunciation, false},
		{"phản ánh rác thải bốc mùi", "environment", langnghe.TrackFeedback, false},
		{"tôi không tố cáo ai, chỉ phản ánh rác thải", "environment", langnghe.TrackFeedback, false},
		{"góp ý chính sách phòng chống tham nhũng", "policy_opinion", langnghe.TrackFeedback, false},
		{"cháy nhà ở ấp 3, cứu với", "security", langnghe.TrackFeedback, true},
		{"chay nha o ap 3", "security", langnghe.TrackFeedback, true},
		{"xe tải chạy nhanh làm hư đường", "infrastructure", langnghe.TrackFeedback, false},
		{"there is a fire in the market", "security", langnghe.TrackFeedback, true},
		{"hôm qua có tai nạn ở ngã ba, đề nghị lắp đèn tín hiệu", "infrastructure", langnghe.TrackFeedback, false},
		{"", FallbackCategory, langnghe.TrackFeedback, false},
		{"😀😀😀", FallbackCategory, langnghe.TrackFeedback, false},
	}
	for _, tt := range tests {
		got := c.Classify(tt.text)
		if got.Category != tt.category || got.Track != tt.track || got.Emergency != tt.emergency {
			t.Errorf("Classify(%q) = %s/%s emergency %v (%.2f), want %s/%s emergency %v",
				tt.text, got.Category, got.Track, got.Emergency, got.Confidence, tt.category, tt.track, tt.emergency)
		}
	}
}

func TestResultIsWellFormed(t *testing.T) {
	c := newClassifier(t)
	for _, text := range []string{"", "sổ đỏ", "hmm", "đường hư, rác nhiều, trường xa"} {
		r := c.Classify(text)
		if r.Confidence <= 0 || r.Confidence > 1 {
			t.Errorf("Classify(%q) confidence %v outside (0,1]", text, r.Confidence)
		}
		if r.Sure() != (r.Confidence >= Threshold) {
			t.Errorf("Sure() disagrees with Threshold for %v", r.Confidence)
		}
		prev := r.Confidence
		for _, a := range r.Alternatives {
			if a.Category == r.Category || a.Confidence > prev {
				t.Errorf("Classify(%q) alternatives %v not sorted or repeat the answer", text, r.Alternatives)
			}
			prev = a.Confidence
		}
		if !r.Track.Valid() {
			t.Errorf("Classify(%q) track %q is not valid", text, r.Track)
		}
	}
	if c.Classify("").Sure() {
		t.Error("an empty message must not be sure")
	}
}

// TestJSON guards the output of `langnghe classify`: the fields callers
// already read stay, new ones are additive, and emergency_kind appears only
// for an emergency.
func TestJSON(t *testing.T) {
	c := newClassifier(t)
	tests := []struct {
		text       string
		has, lacks []string
	}{
		{"sổ đỏ", []string{`"category":"land"`, `"legal_track":"feedback"`, `"confidence":`, `"emergency":false`,
			`"alternatives":[`, `"ask_track":false`}, []string{`emergency_kind`}},
		{"cháy nhà ở ấp 3", []string{`"emergency":true`, `"emergency_kind":"fire"`}, nil},
		{"tố cáo cán bộ xã nhận hối lộ", []string{`"legal_track":"denunciation"`, `"ask_track":true`}, nil},
	}
	for _, tt := range tests {
		b, err := json.Marshal(c.Classify(tt.text))
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range tt.has {
			if !strings.Contains(string(b), key) {
				t.Errorf("JSON %s lacks %s", b, key)
			}
		}
		for _, key := range tt.lacks {
			if strings.Contains(string(b), key) {
				t.Errorf("JSON %s has %s", b, key)
			}
		}
	}
}

// TestCatalogueKeywords checks that admins' keywords steer the result: a new
// category with no training lines is reachable through its keywords alone,
// and corpus lines of a removed category are ignored.
func TestCatalogueKeywords(t *testing.T) {
	cat := catalogue.Default()
	cat.Categories = append(cat.Categories[:1:1], langnghe.Category{
		Code: "animals", Names: map[string]string{"vi": "Vật nuôi"}, ServiceDays: 5,
		Keywords: []string{"chó thả rông", "chó dại", "stray dog"},
	}, langnghe.Category{Code: "other", Names: map[string]string{"vi": "Khác"}, ServiceDays: 10})
	c, err := New(cat)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Classify("có con chó dại cắn trẻ em trong xóm"); got.Category != "animals" {
		t.Errorf("new category: got %s, want animals", got.Category)
	}
	if got := c.Classify("trường học thu học phí cao"); got.Category == "education" {
		t.Error("a category missing from the catalogue was returned")
	}
	if _, err := New(&langnghe.Catalogue{}); langnghe.ErrorCode(err) != langnghe.EINVALID {
		t.Errorf("New(empty) error = %v, want EINVALID", err)
	}
}

func TestConcurrentClassify(t *testing.T) {
	c := newClassifier(t)
	rows := devSet(t)
	want := make([]Result, len(rows))
	for i, r := range rows {
		want[i] = c.Classify(r.Text)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(rows); i += 4 {
				if got := c.Classify(rows[i].Text); got.Category != want[i].Category || got.Confidence != want[i].Confidence {
					t.Errorf("concurrent Classify(%q) = %+v, want %+v", rows[i].Text, got, want[i])
				}
			}
		})
	}
	wg.Wait()
}

func TestReadLabelledErrors(t *testing.T) {
	for _, in := range []string{"land\tfeedback", "land\tappeal\tsổ đỏ", "\tfeedback\tx"} {
		if _, err := ReadLabelled(strings.NewReader(in)); langnghe.ErrorCode(err) != langnghe.EINVALID {
			t.Errorf("ReadLabelled(%q) error = %v, want EINVALID", in, err)
		}
	}
}

// TestDevSetIndependent guards the rule that dev lines never leak into the
// training corpus.
func TestDevSetIndependent(t *testing.T) {
	docs, err := parseTraining(trainingFile)
	if err != nil {
		t.Fatal(err)
	}
	train := map[string]bool{}
	for _, d := range docs {
		train[strings.Join(words(d.Text), " ")] = true
	}
	for _, r := range devSet(t) {
		if train[strings.Join(words(r.Text), " ")] {
			t.Errorf("dev line is in the training corpus: %s", r.Text)
		}
	}
}

func FuzzClassify(f *testing.F) {
	c := newClassifier(f)
	codes := map[string]bool{}
	for _, cat := range catalogue.Default().Categories {
		codes[cat.Code] = true
	}
	for _, s := range []string{"", "sổ đỏ", "cháy!!!", "k/ko đc", "\xff\xfe", strings.Repeat("tố cáo ", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := c.Classify(s)
		if !codes[r.Category] {
			t.Fatalf("Classify(%q) = %q, not a catalogue category", s, r.Category)
		}
		if !r.Track.Valid() || r.Confidence < 0 || r.Confidence > 1 || r.Confidence != r.Confidence {
			t.Fatalf("Classify(%q) = %+v is malformed", s, r)
		}
		if r.Emergency != (r.EmergencyKind != "") || r.Track != langnghe.TrackFeedback && !r.AskTrack {
			t.Fatalf("Classify(%q) = %+v: emergency or track fields disagree", s, r)
		}
		if !utf8.ValidString(r.Category) {
			t.Fatal("invalid category")
		}
	})
}

// benchText is a realistic 300-character message.
var benchText = []rune("Kính gửi UBND xã, đường liên ấp từ ấp 3 đi ấp 5 hư hỏng rất nặng, nhiều ổ gà, trời mưa thì " +
	"lầy lội, xe máy té liên tục, học sinh đi học rất nguy hiểm. Đèn đường cũng hư hơn một tháng nay chưa ai sửa. " +
	"Đề nghị xã sớm cho người xuống kiểm tra và sửa chữa giúp bà con, xin cảm ơn. Ngoài ra rác hai bên đường nhiều.")

func BenchmarkClassify(b *testing.B) {
	c := newClassifier(b)
	text := string(benchText[:300])
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		c.Classify(text)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkNew is the start-up cost: training the models from the embedded
// corpora (see BENCHMARKS.md).
func BenchmarkNew(b *testing.B) {
	cat := catalogue.Default()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(cat); err != nil {
			b.Fatal(err)
		}
	}
}
