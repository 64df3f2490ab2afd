package classify

import (
	"math"
	"slices"
)

// linearModel is a multinomial logistic regression over the folded
// syllables of a message, their pairs and character n-grams of the folded
// text (see linearFeatures). It is trained at New from the embedded corpora
// and keeps only the features seen in training, numbered by the
// Classifier's index: some tens of thousands of rows of len(codes) weights.
type linearModel struct {
	k    int
	w    []float32 // row-major: feature row*k + category
	bias []float32
}

// linearDoc is one training example: its category and its features' rows.
type linearDoc struct {
	category int
	ids      []int32
}

// charSeed separates character n-gram hashes from syllable hashes.
const charSeed = 0x5bd1e9955bd1e995

// linearFeatures returns the features of a message's folded words, repeats
// included: syllables, syllable pairs and the character n-grams of the words
// joined by spaces (so that n-grams span syllable boundaries and catch words
// typed together, "sodo", or misspelt).
func linearFeatures(ws []string, hs []uint64, grams []int) []uint64 {
	out := features(hs)
	if len(grams) > 0 && len(ws) > 0 {
		n := 1
		for _, w := range ws {
			n += len(w) + 1
		}
		buf := make([]byte, 0, n)
		buf = append(buf, ' ')
		for _, w := range ws {
			buf = append(buf, w...)
			buf = append(buf, ' ')
		}
		for _, g := range grams {
			for i := 0; i+g <= len(buf); i++ {
				h := uint64(charSeed) ^ uint64(g)
				for _, b := range buf[i : i+g] {
					h ^= uint64(b)
					h *= 1099511628211
				}
				out = append(out, h)
			}
		}
	}
	return out
}

// trainLinear fits the model by stochastic gradient descent on the
// cross-entropy with an L2 penalty, visiting the documents in a fixed
// pseudo-random order so that training is deterministic. A document's
// feature counts are scaled by one over the square root of their sum, as in
// logits.
func trainLinear(docs []linearDoc, rows, k int, p params) *linearModel {
	m := &linearModel{k: k, w: make([]float32, rows*k), bias: make([]float32, k)}
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	logits := make([]float64, k)
	grad := make([]float32, k)
	seed := uint64(0x9E3779B97F4A7C15)
	step := 0
	total := p.epochs * len(docs)
	for range p.epochs {
		// Fisher-Yates with a xorshift generator.
		for i := len(order) - 1; i > 0; i-- {
			seed ^= seed << 13
			seed ^= seed >> 7
			seed ^= seed << 17
			j := int(seed % uint64(i+1))
			order[i], order[j] = order[j], order[i]
		}
		for _, d := range order {
			ids := docs[d].ids
			if len(ids) == 0 {
				continue
			}
			x := float32(1 / math.Sqrt(float64(len(ids))))
			// The rate falls linearly to a tenth of its start.
			rate := p.rate * (1 - 0.9*float64(step)/float64(total))
			step++
			// The row sums first, then one multiplication by x.
			sum := grad[:k]
			clear(sum)
			for _, j := range ids {
				row := m.w[int(j)*k : int(j)*k+k]
				for c, v := range row {
					sum[c] += v
				}
			}
			for c := range k {
				logits[c] = float64(m.bias[c] + sum[c]*x)
			}
			softmaxInPlace(logits)
			logits[docs[d].category]--
			g := float32(rate)
			for c := range k {
				m.bias[c] -= g * float32(logits[c])
				grad[c] = g * float32(logits[c]) * x
			}
			decay := float32(1 - rate*p.l2)
			for _, j := range ids {
				row := m.w[int(j)*k : int(j)*k+k]
				for c := range row {
					row[c] = row[c]*decay - grad[c]
				}
			}
		}
	}
	return m
}

// logits adds the model's scores for the features to out; index gives
// the rows of the features seen in training.
func (m *linearModel) logits(index map[uint64]int32, feats []uint64, out []float64) {
	for c := range m.k {
		out[c] += float64(m.bias[c])
	}
	if len(feats) == 0 {
		return
	}
	sum := make([]float32, m.k)
	for _, f := range feats {
		j, ok := index[f]
		if !ok {
			continue
		}
		for c, v := range m.w[int(j)*m.k : int(j)*m.k+m.k] {
			sum[c] += v
		}
	}
	x := float32(1 / math.Sqrt(float64(len(feats))))
	for c, v := range sum {
		out[c] += float64(v * x)
	}
}

func softmaxInPlace(xs []float64) {
	top := slices.Max(xs)
	sum := 0.0
	for i, x := range xs {
		xs[i] = math.Exp(x - top)
		sum += xs[i]
	}
	for i := range xs {
		xs[i] /= sum
	}
}
