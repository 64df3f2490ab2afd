package classify

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"langnghe"
)

// trackRow is a line of a track dev set: the track a careful reception
// officer would suggest, and the text.
type trackRow struct {
	want langnghe.LegalTrack
	text string
}

func readTracks(t testing.TB, name string) []trackRow {
	t.Helper()
	rows := readTSV(t, name, "track<TAB>text", func(f []string) trackRow {
		return trackRow{want: langnghe.LegalTrack(f[0]), text: f[1]}
	})
	for _, r := range rows {
		if !r.want.Valid() {
			t.Fatalf("%s: unknown track %q", name, r.want)
		}
	}
	return rows
}

// trackFigures is the precision and recall of each track on labelled rows.
type trackFigures struct {
	labelled, predicted, correct map[langnghe.LegalTrack]int
	misses                       []string
	asked, formalAsked, formal   int // rows with AskTrack; formal rows and those asked
}

func (f trackFigures) precision(t langnghe.LegalTrack) float64 {
	return ratio(f.correct[t], f.predicted[t])
}
func (f trackFigures) recall(t langnghe.LegalTrack) float64 {
	return ratio(f.correct[t], f.labelled[t])
}

var allTracks = []langnghe.LegalTrack{langnghe.TrackFeedback, langnghe.TrackComplaint, langnghe.TrackDenunciation}

func measureTracks(c *Classifier, rows []trackRow) trackFigures {
	f := trackFigures{labelled: map[langnghe.LegalTrack]int{}, predicted: map[langnghe.LegalTrack]int{},
		correct: map[langnghe.LegalTrack]int{}}
	for _, r := range rows {
		got := c.Classify(r.text)
		f.labelled[r.want]++
		f.predicted[got.Track]++
		if got.AskTrack {
			f.asked++
		}
		if r.want != langnghe.TrackFeedback {
			f.formal++
			if got.AskTrack {
				f.formalAsked++
			}
		}
		if got.Track == r.want {
			f.correct[r.want]++
		} else {
			f.misses = append(f.misses, fmt.Sprintf("want %s got %s: %s", r.want, got.Track, r.text))
		}
	}
	return f
}

func (f trackFigures) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-13s %8s %9s %8s %9s %7s\n", "track", "labelled", "predicted", "correct", "precision", "recall")
	for _, t := range allTracks {
		fmt.Fprintf(&b, "%-13s %8d %9d %8d %8.1f%% %6.1f%%\n", t, f.labelled[t], f.predicted[t], f.correct[t],
			100*f.precision(t), 100*f.recall(t))
	}
	fmt.Fprintf(&b, "the flow asks the resident to choose on %d rows, %d of the %d complaints and denunciations\n",
		f.asked, f.formalAsked, f.formal)
	return b.String()
}

// TestTrackFigures is the legal-track gate: on testdata/tracks.tsv the
// precision and recall of each track must stay at or above 85%. The set
// holds complaints and denunciations as residents write them (mostly
// without the words "khiếu nại" and "tố cáo"), the words used loosely, and
// questions about the procedure. Print the figures with
//
//	go test -run 'TestTrackFigures|TestEmergencyFigures' -v ./flows/classify/
func TestTrackFigures(t *testing.T) {
	rows := readTracks(t, "testdata/tracks.tsv")
	f := measureTracks(newClassifier(t), rows)
	if len(rows) < 150 || f.labelled[langnghe.TrackComplaint] < 40 || f.labelled[langnghe.TrackDenunciation] < 40 {
		t.Fatalf("tracks.tsv has %d rows (%v), want at least 150 with 40 of each formal track", len(rows), f.labelled)
	}
	t.Logf("legal tracks on %d rows:\n%s  %s", len(rows), f, strings.Join(f.misses, "\n  "))
	for _, tr := range allTracks {
		if p, r := f.precision(tr), f.recall(tr); p < 0.85 || r < 0.85 {
			t.Errorf("%s: precision %.1f%%, recall %.1f%%, want both at least 85%%", tr, 100*p, 100*r)
		}
	}
	// Every complaint or denunciation the classifier suggests, and most
	// the resident means, must reach the question.
	if ratio(f.formalAsked, f.formal) < 0.85 {
		t.Errorf("the flow asks on %d of %d complaints and denunciations, want at least 85%%", f.formalAsked, f.formal)
	}
}

func TestLegalTrack(t *testing.T) {
	c := newClassifier(t)
	tests := []struct {
		text  string
		track langnghe.LegalTrack
		ask   bool
	}{
		// Loose uses of the words: feedback, but the flow asks.
		{"tố cáo quán karaoke hát đến 2h sáng", langnghe.TrackFeedback, true},
		{"khiếu nại về tiếng ồn", langnghe.TrackFeedback, true},
		{"tôi muốn tố cáo chuyện rác thải", langnghe.TrackFeedback, true},
		// Questions about the procedure.
		{"thủ tục khiếu nại như thế nào?", langnghe.TrackFeedback, true},
		{"muốn tố cáo thì nộp đơn ở đâu", langnghe.TrackFeedback, true},
		{"nếu không đồng ý với quyết định bồi thường thì làm sao", langnghe.TrackFeedback, true},
		// The substance without the words.
		{"tôi không đồng ý với quyết định thu hồi đất của xã", langnghe.TrackComplaint, true},
		{"bồi thường không thỏa đáng cho nhà tôi", langnghe.TrackComplaint, true},
		{"me toi bi cat tro cap ma ko neu ly do", langnghe.TrackComplaint, true},
		{"cán bộ địa chính vòi tiền mới làm sổ", langnghe.TrackDenunciation, true},
		{"trưởng ấp thu tiền trái phép của dân, không có biên lai", langnghe.TrackDenunciation, true},
		{"cb xa doi 2 trieu moi ky giay", langnghe.TrackDenunciation, true},
		// The words with the substance.
		{"Tôi khiếu nại quyết định thu hồi đất", langnghe.TrackComplaint, true},
		{"tố cáo cán bộ địa chính nhận hối lộ", langnghe.TrackDenunciation, true},
		// Plain feedback and policy.
		{"đường có nhiều ổ gà", langnghe.TrackFeedback, false},
		{"góp ý chính sách phòng chống tham nhũng", langnghe.TrackFeedback, false},
		{"tôi không tố cáo ai, chỉ phản ánh rác thải", langnghe.TrackFeedback, false},
		{"cảm ơn cán bộ xã đã giải quyết nhanh", langnghe.TrackFeedback, false},
	}
	for _, tt := range tests {
		got := c.Classify(tt.text)
		if got.Track != tt.track || got.AskTrack != tt.ask {
			t.Errorf("Classify(%q) track %s ask %v, want %s ask %v", tt.text, got.Track, got.AskTrack, tt.track, tt.ask)
		}
	}
}

// TestTrackHoldout reports the figures on texts written after the track cues
// and model were built, an honest estimate of how they do on texts nobody
// fitted them to. When written, the file gave complaint precision 92.3% and
// recall 60.0%, denunciation 89.5% and 85.0%, feedback 66.7% and 88.0%: the
// suggestion is usually right when it says complaint or denunciation, and
// misses complaints told in words the cues and the model have not seen
// (then the resident can still pick the track). It fails only far below
// that, as a regression guard: tuning to this file would make it one more
// tuning set.
func TestTrackHoldout(t *testing.T) {
	rows := readTracks(t, "testdata/tracks_holdout.tsv")
	f := measureTracks(newClassifier(t), rows)
	t.Logf("legal tracks on %d held-out rows:\n%s  %s", len(rows), f, strings.Join(f.misses, "\n  "))
	for _, tr := range allTracks {
		if p, r := f.precision(tr), f.recall(tr); p < 0.5 || r < 0.5 {
			t.Errorf("held-out %s: precision %.1f%%, recall %.1f%%, far below the gate", tr, 100*p, 100*r)
		}
	}
}

// TestTrackCorporaIndependent guards the rule that the track model never
// trains on a line it is measured on.
func TestTrackCorporaIndependent(t *testing.T) {
	train := map[string]bool{}
	for _, line := range strings.Split(trackTrainingFile, "\n") {
		if _, text, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(line, "#") {
			train[strings.Join(words(text), " ")] = true
		}
	}
	if len(train) < 150 {
		t.Fatalf("track_training.tsv has %d lines, want at least 150", len(train))
	}
	var dev []string
	for _, name := range []string{"testdata/tracks.tsv", "testdata/tracks_holdout.tsv"} {
		for _, r := range readTracks(t, name) {
			dev = append(dev, r.text)
		}
	}
	for _, r := range devSet(t) {
		dev = append(dev, r.Text)
	}
	for _, text := range dev {
		if train[strings.Join(words(text), " ")] {
			t.Errorf("a dev line is in track_training.tsv: %s", text)
		}
	}
}

// TestTrackModelConfidence checks the model on its own terms: confident on
// plain cases, unsure on empty text.
func TestTrackModelConfidence(t *testing.T) {
	c := newClassifier(t)
	p := c.tracks.probabilities(hashes(words("")))
	for k := range p {
		if p[k] < 0 || p[k] > 1 {
			t.Fatalf("probabilities(\"\") = %v", p)
		}
	}
	for _, tt := range []struct {
		text string
		want int
	}{
		{"cán bộ xã nhận tiền của dân rồi bỏ túi riêng", 2},
		{"tôi không đồng ý với quyết định thu hồi đất của xã", 1},
		{"đường vào ấp lầy lội, đề nghị sửa", 0},
	} {
		p := c.tracks.probabilities(hashes(words(tt.text)))
		if slices.Index(p[:], slices.Max(p[:])) != tt.want {
			t.Errorf("probabilities(%q) = %v, want track %d most likely", tt.text, p, tt.want)
		}
	}
}
