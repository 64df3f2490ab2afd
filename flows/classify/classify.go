// Package classify sorts a resident's message into a catalogue category,
// suggests its legal track (feedback, complaint, denunciation), recognises
// emergencies, and says how sure it is.
//
// Categories: three layers work together. The catalogue's keywords, which
// admins tune, give evidence when a phrase such as "sổ đỏ" appears; a small
// multinomial naive Bayes over folded syllables and syllable pairs, and a
// multinomial logistic regression over the same plus character 4-grams
// (linear.go), both trained at New on an embedded corpus, the keywords
// themselves and the dev part of the real residents' texts
// (real.tsv, never its held-out part), cover the many ways
// residents say the same thing. Their scores are combined, tempered (long
// texts more than short ones) and turned into a probability whose top value
// is the confidence; below Threshold the flow asks the resident to pick
// among the alternatives.
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
// dev set about 88% of messages come out sure and about 95% of those are
// right (see TestDevSet); on the held-out real texts, long and indirect,
// about 73% come out sure and 85% of those are right (TestRealTexts). Below
// it the flow asks the resident to pick.
const Threshold = 0.5

// FallbackCategory receives messages nothing recognises; a human triages it.
const FallbackCategory = "other"

// EmergencyCategory receives emergencies when the catalogue has it.
const EmergencyCategory = "security"

// emergencyConfidence is the least confidence of an emergency: its cues are
// specific enough not to ask the resident to pick a category first.
const emergencyConfidence = 0.9

// Fixed model parameters.
const (
	smoothing       = 0.1  // additive smoothing of the naive Bayes counts
	keywordDocs     = 3    // a keyword counts as this many training documents
	maxAlternatives = 3    // how many runner-ups a result lists
	minAlternative  = 0.03 // runner-ups below this confidence are not worth asking about
	shortWords      = 12   // see params.temperature
	longWords       = 30
)

// params are the tuned parameters of the model.
type params struct {
	keywordWeight float64 // weight of the keyword layer against the models
	modelScale    float64 // scales naive Bayes evidence per sqrt(feature); 0 drops it
	linearScale   float64 // scales the linear model's logits; 0 drops it
	fallbackBias  float64 // FallbackCategory's head start: weak evidence is not enough to leave it
	// The combined scores are divided by a temperature before the softmax
	// (calibration): shortTemp for messages of shortWords words or fewer,
	// temperature from longWords words on, and in between in proportion.
	// Long texts pile up evidence that is not independent, and the real
	// ones mix topics: they need more humility than a short message.
	temperature float64
	shortTemp   float64
	// The linear model's training.
	epochs int
	rate   float64
	l2     float64
	grams  []int // character n-gram sizes
}

// defaults are the parameters New uses, tuned by cross-validation on the
// dev part of the real texts and checked on the dev set (see TestTuneReal,
// TestDevSet and BENCHMARKS.md for the figures). The linear model adds
// little accuracy to the naive Bayes but ranks confidences much better:
// in cross-validation, 90% right on the 69% most confident answers against
// 52% without it. Keyword weights above 1 cost accuracy on real texts,
// whose words mislead the catalogue's phrases; below 0.8 a category an
// admin adds with keywords alone is no longer found (TestCatalogueKeywords).
var defaults = params{
	keywordWeight: 0.8,
	modelScale:    0.4,
	linearScale:   0.4,
	fallbackBias:  1,
	shortTemp:     1,
	temperature:   1.6,
	epochs:        3,
	rate:          4,
	l2:            1e-4,
	grams:         []int{4},
}

//go:embed training.tsv
var trainingFile string

// realFile holds the real texts; only their dev part is trained on (see
// heldOut).
//
//go:embed real.tsv
var realFile string

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
	// index numbers the features seen in training: the row of a feature
	// in evidence and in the linear model's weights.
	index map[uint64]int32
	// evidence holds, per row, len(codes) naive Bayes log-likelihoods
	// centred on their mean (only differences between categories matter);
	// nbKnown says which rows the naive Bayes saw (character n-grams are
	// the linear model's alone).
	evidence []float32
	nbKnown  []bool
	// tracks suggests legal tracks where the cues are unsure.
	tracks *trackModel
	linear *linearModel
	p      params
}

// New trains a classifier for the categories of c from the embedded corpus
// and c's keywords. Corpus lines whose category c lacks are skipped, so
// admins may remove categories; a new category learns from its keywords.
func New(c *langnghe.Catalogue) (*Classifier, error) {
	real, err := parseReal(realFile)
	if err != nil {
		return nil, fmt.Errorf("classify: embedded real texts: %w", err)
	}
	return train(c, defaults, realTraining(real))
}

// realTraining returns the rows of real that may be trained on: the dev
// part, as Labelled.
func realTraining(real []realRow) []Labelled {
	var out []Labelled
	for _, r := range real {
		if !heldOut(r.URL) {
			out = append(out, Labelled{Category: r.Category, Text: r.Text})
		}
	}
	return out
}

// train trains a classifier with parameters p on the embedded
// corpus, c's keywords and the real texts given.
func train(c *langnghe.Catalogue, p params, real []Labelled) (*Classifier, error) {
	if c == nil || len(c.Categories) == 0 {
		return nil, langnghe.Errorf(langnghe.EINVALID, "classify: the catalogue has no categories")
	}
	cl := &Classifier{keywords: map[uint64][]keyword{}, p: p}
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
	// Each example: its category, its syllable hashes for the naive Bayes
	// (counted nbCopies times) and its features for the linear model.
	type example struct {
		category, nbCopies int
		hs                 []uint64
		feats              []uint64
	}
	var examples []example
	add := func(category, nbCopies int, ws []string) {
		hs := hashes(ws)
		examples = append(examples, example{category, nbCopies, hs, linearFeatures(ws, hs, p.grams)})
	}
	for i, cat := range c.Categories {
		for _, kw := range cat.Keywords {
			ws := words(kw)
			if len(ws) == 0 {
				continue
			}
			add(i, keywordDocs, ws)
			hs := examples[len(examples)-1].hs
			cl.keywords[hs[0]] = append(cl.keywords[hs[0]], keyword{words: hs, category: i, weight: float64(len(hs))})
		}
	}
	docs, err := parseTraining(trainingFile)
	if err != nil {
		return nil, fmt.Errorf("classify: embedded training corpus: %w", err)
	}
	for _, d := range append(slices.Clip(docs), real...) {
		if i, ok := index[d.Category]; ok {
			add(i, 1, words(d.Text))
		}
	}
	// Number the features, then count the naive Bayes's.
	k := len(cl.codes)
	cl.index = make(map[uint64]int32, 64<<10)
	lin := make([]linearDoc, len(examples))
	for e, ex := range examples {
		ids := make([]int32, len(ex.feats))
		for i, f := range ex.feats {
			j, ok := cl.index[f]
			if !ok {
				j = int32(len(cl.index))
				cl.index[f] = j
			}
			ids[i] = j
		}
		lin[e] = linearDoc{category: ex.category, ids: ids}
	}
	rows := len(cl.index)
	counts := make([]float32, rows*k)
	totals := make([]float64, k)
	cl.nbKnown = make([]bool, rows)
	for e, ex := range examples {
		// The syllables and pairs come first among an example's features
		// (linearFeatures).
		nb := lin[e].ids[:max(0, 2*len(ex.hs)-1)]
		for _, j := range nb {
			counts[int(j)*k+ex.category] += float32(ex.nbCopies)
			cl.nbKnown[j] = true
		}
		totals[ex.category] += float64(ex.nbCopies * len(nb))
	}
	cl.evidence = nbEvidence(counts, totals, cl.nbKnown)
	cl.linear = trainLinear(lin, rows, k, p)
	if cl.tracks, err = newTrackModel(docs); err != nil {
		return nil, fmt.Errorf("classify: embedded track corpus: %w", err)
	}
	return cl, nil
}

// nbEvidence turns counts, in place, into centred log-likelihoods, log
// P(f|c) minus its mean over categories, for the rows the naive Bayes
// knows. Priors are uniform: the corpus's balance says nothing about what
// residents will write.
func nbEvidence(counts []float32, totals []float64, known []bool) []float32 {
	k := len(totals)
	vocab := 0.0
	for _, ok := range known {
		if ok {
			vocab++
		}
	}
	denom := make([]float64, k)
	for c := range k {
		denom[c] = math.Log(totals[c] + smoothing*vocab)
	}
	// Counts are small whole numbers: their logarithms are looked up.
	var logCount [64]float64
	for n := range logCount {
		logCount[n] = math.Log(float64(n) + smoothing)
	}
	logs := make([]float64, k)
	for j, ok := range known {
		if !ok {
			continue
		}
		row := counts[j*k : j*k+k]
		mean := 0.0
		for c, n := range row {
			if i := int(n); float32(i) == n && i < len(logCount) {
				logs[c] = logCount[i] - denom[c]
			} else {
				logs[c] = math.Log(float64(n)+smoothing) - denom[c]
			}
			mean += logs[c]
		}
		mean /= float64(k)
		for c := range logs {
			row[c] = float32(logs[c] - mean)
		}
	}
	return counts
}

// Classify sorts text into a category and a legal track. Any input is
// accepted: empty, huge, invalid UTF-8 or in another language, the answer is
// a catalogue category, FallbackCategory (or the first) when nothing is
// recognised, with a low confidence.
func (c *Classifier) Classify(text string) Result {
	ws := words(text)
	hs := hashes(ws)
	scores := c.scores(ws, hs)
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
func (c *Classifier) scores(ws []string, hs []uint64) []float64 {
	n := len(c.codes)
	model := make([]float64, n)
	known := 0
	for _, f := range features(hs) {
		j, ok := c.index[f]
		if !ok || !c.nbKnown[j] {
			continue
		}
		known++
		for i, v := range c.evidence[int(j)*n : int(j)*n+n] {
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
	scale := c.p.modelScale / math.Sqrt(float64(known))
	for i := range scores {
		scores[i] = model[i]*scale + c.p.keywordWeight*math.Sqrt(kw[i])
	}
	if c.p.linearScale != 0 {
		lin := make([]float64, n)
		c.linear.logits(c.index, linearFeatures(ws, hs, c.p.grams), lin)
		for i := range scores {
			scores[i] += c.p.linearScale * lin[i]
		}
	}
	scores[c.fallback] += c.p.fallbackBias
	temp := c.p.temperature
	if words := len(ws); words < longWords {
		f := max(0, float64(words-shortWords)) / (longWords - shortWords)
		temp = c.p.shortTemp + f*(c.p.temperature-c.p.shortTemp)
	}
	for i := range scores {
		scores[i] /= temp
	}
	return scores
}

func softmax(xs []float64) []float64 {
	out := slices.Clone(xs)
	softmaxInPlace(out)
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

// parseTSV reads data's lines of at least want tab-separated fields,
// the last of them not blank, with row; blank lines and lines starting
// with # are skipped. layout names the fields for the error of a line
// that has fewer.
func parseTSV[T any](data string, want int, layout string, row func(fields []string) T) ([]T, error) {
	var out []T
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.SplitN(line, "\t", want)
		if len(fields) != want || slices.Contains(fields[:want-1], "") || strings.TrimSpace(fields[want-1]) == "" {
			return nil, fmt.Errorf("line %d: want %s", n+1, layout)
		}
		out = append(out, row(fields))
	}
	return out, nil
}

// parseTraining reads "category<TAB>text" lines (parseTSV).
func parseTraining(data string) ([]Labelled, error) {
	return parseTSV(data, 2, "category<TAB>text", func(f []string) Labelled { return Labelled{Category: f[0], Text: f[1]} })
}
