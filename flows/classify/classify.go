// Package classify sorts a resident's message into a catalogue category,
// suggests its legal track (feedback, complaint, denunciation), recognises
// emergencies, and says how sure it is.
//
// Categories: two layers work together. The catalogue's keywords, which
// admins tune, give strong evidence when a phrase such as "sổ đỏ" appears; a
// small multinomial naive Bayes over folded syllables and syllable pairs,
// trained on an embedded corpus and on the keywords themselves, covers the
// many ways residents say the same thing. Their scores are combined and
// turned into a probability whose top value is the confidence; below
// Threshold the flow asks the resident to pick among the alternatives.
//
// Emergencies (DetectEmergency) are found by cue phrases alone, cheaply
// enough to check every text at every step before anything else.
//
// Legal tracks are only suggested: the resident chooses, and Result.AskTrack
// says when the flow should ask. Cue phrases find the substance of a
// complaint (a decision contested) or a denunciation (an official's
// wrongdoing) whatever words the resident uses, and a second small naive
// Bayes, trained on its own corpus, fills in where the cues see only part of
// it.
//
// The cues are matched on words with their accents known (see match.go),
// since folding makes "cháy" (fire) and "chạy" (run) one word.
package classify

import (
	_ "embed"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"langnghe"
)

// Threshold is the confidence at and above which a result is sure. On the
// dev set about 93% of messages come out sure and about 97% of those are
// right (see TestDevSet); below it the flow asks the resident to pick.
const Threshold = 0.5

// FallbackCategory receives messages nothing recognises; a human triages it.
const FallbackCategory = "other"

// EmergencyCategory receives emergencies when the catalogue has it.
const EmergencyCategory = "security"

// emergencyConfidence is the least confidence of an emergency: its cues are
// specific enough not to ask the resident to pick a category first.
const emergencyConfidence = 0.9

// Model parameters, tuned on the dev set (see TestDevSet for the figures).
const (
	smoothing       = 0.1  // additive smoothing of the naive Bayes counts
	keywordDocs     = 3    // a keyword counts as this many training documents
	keywordWeight   = 1.6  // weight of the keyword layer against the model
	modelScale      = 0.7  // scales model evidence per sqrt(feature)
	fallbackBias    = 1.0  // FallbackCategory's head start: weak evidence is not enough to leave it
	maxAlternatives = 3    // how many runner-ups a result lists
	minAlternative  = 0.03 // runner-ups below this confidence are not worth asking about
)

//go:embed training.tsv
var trainingFile string

// Score is a category's share of the confidence.
type Score struct {
	Category   string  `json:"category"`
	Confidence float64 `json:"confidence"`
}

// Result is what Classify concluded about one message.
type Result struct {
	Category string `json:"category"`
	// Track is the suggested legal track; the resident chooses (see
	// AskTrack).
	Track langnghe.LegalTrack `json:"legal_track"`
	// AskTrack says the conversation should ask the resident which track
	// they mean: the suggestion is a complaint or a denunciation, or the
	// text names one ("tố cáo", "khiếu nại", "complain") or asks how to
	// contest a decision. Detection only suggests: people say "tố cáo" about
	// a noisy karaoke bar, and rarely say "khiếu nại" about a land recovery
	// decision they contest.
	AskTrack   bool    `json:"ask_track"`
	Confidence float64 `json:"confidence"`
	// Emergency is set for a fire, an accident, a crime in progress or
	// someone hurt: the flow points to the emergency numbers at once.
	Emergency bool `json:"emergency"`
	// EmergencyKind says which danger, so the reply leads with the number
	// that answers it; "" when Emergency is false.
	EmergencyKind Emergency `json:"emergency_kind,omitempty"`
	// Alternatives are the runner-up categories, most likely first.
	Alternatives []Score `json:"alternatives"`
}

// Sure reports whether the classifier is confident enough to file the
// opinion without asking the resident to pick a category.
func (r Result) Sure() bool { return r.Confidence >= Threshold }

// keyword is one catalogue keyword as folded, expanded word hashes.
type keyword struct {
	words    []uint64
	category int
	weight   float64
}

// Classifier holds a trained model. It is read-only after New and so safe
// for concurrent use.
type Classifier struct {
	codes    []string
	fallback int
	security int // index of EmergencyCategory, or -1
	// keywords are indexed by their first word.
	keywords map[uint64][]keyword
	// evidence holds, per feature, len(codes) log-likelihoods centred on
	// their mean: only differences between categories matter.
	evidence map[uint64][]float32
	// tracks suggests legal tracks where the cues are unsure.
	tracks *trackModel
}

// New trains a classifier for the categories of c from the embedded corpus
// and c's keywords. Corpus lines whose category c lacks are skipped, so
// admins may remove categories; a new category learns from its keywords.
func New(c *langnghe.Catalogue) (*Classifier, error) {
	if c == nil || len(c.Categories) == 0 {
		return nil, langnghe.Errorf(langnghe.EINVALID, "classify: the catalogue has no categories")
	}
	cl := &Classifier{keywords: map[uint64][]keyword{}, evidence: map[uint64][]float32{}}
	index := map[string]int{}
	for i, cat := range c.Categories {
		cl.codes = append(cl.codes, cat.Code)
		index[cat.Code] = i
	}
	cl.fallback, cl.security = 0, -1
	if i, ok := index[FallbackCategory]; ok {
		cl.fallback = i
	}
	if i, ok := index[EmergencyCategory]; ok {
		cl.security = i
	}
	t := newTrainer(len(cl.codes))
	for i, cat := range c.Categories {
		for _, kw := range cat.Keywords {
			hs := hashes(words(kw))
			if len(hs) == 0 {
				continue
			}
			cl.keywords[hs[0]] = append(cl.keywords[hs[0]], keyword{words: hs, category: i, weight: float64(len(hs))})
			for range keywordDocs {
				t.add(i, hs)
			}
		}
	}
	docs, err := parseTraining(trainingFile)
	if err != nil {
		return nil, fmt.Errorf("classify: embedded training corpus: %w", err)
	}
	for _, d := range docs {
		if i, ok := index[d.Category]; ok {
			t.add(i, hashes(words(d.Text)))
		}
	}
	cl.evidence = t.evidence()
	if cl.tracks, err = newTrackModel(docs); err != nil {
		return nil, fmt.Errorf("classify: embedded track corpus: %w", err)
	}
	return cl, nil
}

// trainer counts features per category.
type trainer struct {
	counts map[uint64][]float64
	totals []float64
}

func newTrainer(n int) *trainer {
	return &trainer{counts: map[uint64][]float64{}, totals: make([]float64, n)}
}

func (t *trainer) add(category int, hs []uint64) {
	for _, f := range features(hs) {
		row, ok := t.counts[f]
		if !ok {
			row = make([]float64, len(t.totals))
			t.counts[f] = row
		}
		row[category]++
		t.totals[category]++
	}
}

// evidence turns counts into centred log-likelihoods, log P(f|c) minus its
// mean over categories. Priors are uniform: the corpus's balance says
// nothing about what residents will write.
func (t *trainer) evidence() map[uint64][]float32 {
	vocab := float64(len(t.counts))
	out := make(map[uint64][]float32, len(t.counts))
	for f, row := range t.counts {
		logs := make([]float64, len(row))
		mean := 0.0
		for c, n := range row {
			logs[c] = math.Log((n + smoothing) / (t.totals[c] + smoothing*vocab))
			mean += logs[c]
		}
		mean /= float64(len(row))
		centred := make([]float32, len(row))
		for c := range logs {
			centred[c] = float32(logs[c] - mean)
		}
		out[f] = centred
	}
	return out
}

// Classify sorts text into a category and a legal track. Any input is
// accepted: empty, huge, invalid UTF-8 or in another language, the answer is
// a catalogue category, FallbackCategory (or the first) when nothing is
// recognised, with a low confidence.
func (c *Classifier) Classify(text string) Result {
	ws := words(text)
	hs := hashes(ws)
	scores := c.scores(hs)
	probs := softmax(scores)
	order := make([]int, len(probs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return probs[order[a]] > probs[order[b]] })
	best := order[0]
	conf := probs[best]
	ts := tokenize(text)
	track, ask := legalTrack(text, &ts, c.tracks, hs)
	kind := detectEmergency(&ts)
	urgent := kind != ""
	if urgent && c.security >= 0 {
		// Danger now is a matter for the police, firefighters or an
		// ambulance whatever it is about; the cues are decisive.
		best, conf = c.security, max(probs[c.security], emergencyConfidence)
	}
	r := Result{
		Category:      c.codes[best],
		Confidence:    round(conf),
		Track:         track,
		AskTrack:      ask,
		Emergency:     urgent,
		EmergencyKind: kind,
		// Never nil, so the JSON shows an empty list.
		Alternatives: []Score{},
	}
	for _, i := range order {
		if i == best || probs[i] < minAlternative || len(r.Alternatives) == maxAlternatives {
			continue
		}
		r.Alternatives = append(r.Alternatives, Score{Category: c.codes[i], Confidence: round(probs[i])})
	}
	return r
}

// scores combines the model's evidence and the keywords into one score per
// category, in units of log-odds.
func (c *Classifier) scores(hs []uint64) []float64 {
	n := len(c.codes)
	model := make([]float64, n)
	known := 0
	for _, f := range features(hs) {
		row, ok := c.evidence[f]
		if !ok {
			continue
		}
		known++
		for i, v := range row {
			model[i] += float64(v)
		}
	}
	kw := make([]float64, n)
	for i, h := range hs {
		for _, k := range c.keywords[h] {
			if i+len(k.words) <= len(hs) && slices.Equal(hs[i:i+len(k.words)], k.words) {
				kw[k.category] += k.weight
			}
		}
	}
	scores := make([]float64, n)
	if known == 0 {
		known = 1
	}
	scale := modelScale / math.Sqrt(float64(known))
	for i := range scores {
		scores[i] = model[i]*scale + keywordWeight*math.Sqrt(kw[i])
	}
	scores[c.fallback] += fallbackBias
	return scores
}

func softmax(xs []float64) []float64 {
	top := slices.Max(xs)
	out := make([]float64, len(xs))
	sum := 0.0
	for i, x := range xs {
		out[i] = math.Exp(x - top)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

// round keeps confidences readable in JSON and logs.
func round(p float64) float64 { return math.Round(p*1000) / 1000 }

// Labelled is a message with the category and track a person gave it.
type Labelled struct {
	Category string
	Track    langnghe.LegalTrack
	Text     string
}

// parseTraining reads "category<TAB>text" lines; blank lines and lines
// starting with # are skipped.
func parseTraining(data string) ([]Labelled, error) {
	var out []Labelled
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cat, text, ok := strings.Cut(line, "\t")
		if !ok || cat == "" || strings.TrimSpace(text) == "" {
			return nil, fmt.Errorf("line %d: want category<TAB>text", n+1)
		}
		out = append(out, Labelled{Category: cat, Text: text})
	}
	return out, nil
}
