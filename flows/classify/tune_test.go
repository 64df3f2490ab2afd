package classify

import (
	"os"
	"testing"
	"time"

	"langnghe/flows/catalogue"
)

// TestTuneReal cross-validates the model's parameters on the dev part of
// the real texts: five folds by source, each trained on the corpus, the
// keywords and the other four. The held-out part is not read. It is slow
// and runs only when asked:
//
//	LANGNGHE_TUNE=1 go test -run TestTuneReal -v ./flows/classify/
func TestTuneReal(t *testing.T) {
	if os.Getenv("LANGNGHE_TUNE") == "" {
		t.Skip("set LANGNGHE_TUNE=1 to cross-validate the parameters")
	}
	dev, _ := realSet(t)
	devset := devSet(t)
	for _, p := range tuneGrid() {
		cv := crossValidate(t, p, dev)
		start := time.Now()
		c, err := train(catalogue.Default(), p, realLabelled(dev))
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		r := Evaluate(c, devset)
		share, conf := cv[0].coverage(0.9)
		t.Logf("kw %.2g nb %.2g lin %.2g fb %.2g T %.2g/%.2g ep %d rate %.2g l2 %.0e grams %v | cv %.1f%% folded %.1f%% sure %.1f%% ok %.1f%% | 90%% ok on %.1f%% down to %.2f | devset %.1f%% sure %.1f%% ok %.1f%% | New %v",
			p.keywordWeight, p.modelScale, p.linearScale, p.fallbackBias, p.shortTemp, p.temperature, p.epochs, p.rate, p.l2, p.grams,
			100*cv[0].accuracy(), 100*cv[1].accuracy(), 100*cv[0].sureShare(), 100*cv[0].sureAccuracy(), 100*share, conf,
			100*r.Accuracy(), 100*ratio(r.Sure, r.Rows), 100*r.SureAccuracy(), took.Round(time.Millisecond))
	}
}

func realLabelled(rows []realRow) []Labelled {
	out := make([]Labelled, len(rows))
	for i, r := range rows {
		out[i] = Labelled{Category: r.Category, Text: r.Text}
	}
	return out
}

// crossValidate returns the pooled figures of five folds, as written and
// folded. A row's fold is its source's hash divided by 4 (heldOut uses the
// remainder), so one page stays in one fold.
func crossValidate(t testing.TB, p params, dev []realRow) [2]realReport {
	const folds = 5
	var out [2]realReport
	for i := range out {
		out[i].confusions = map[[2]string]int{}
	}
	for f := range folds {
		var fit, test []realRow
		for _, r := range dev {
			if int(urlHash(r.URL)/4%folds) == f {
				test = append(test, r)
			} else {
				fit = append(fit, r)
			}
		}
		c, err := train(catalogue.Default(), p, realLabelled(fit))
		if err != nil {
			t.Fatal(err)
		}
		for i, fold := range []bool{false, true} {
			r := evaluateReal(c, test, fold)
			out[i].rows += r.rows
			out[i].correct += r.correct
			out[i].sure += r.sure
			out[i].sureCorrect += r.sureCorrect
			out[i].answers = append(out[i].answers, r.answers...)
			for k, v := range r.confusions {
				out[i].confusions[k] += v
			}
		}
	}
	return out
}

// tuneGrid lists the parameters to compare; edit it to explore.
func tuneGrid() []params {
	var out []params
	for _, temp := range []float64{1.6, 1.8, 2, 2.2, 2.5, 3} {
		for _, st := range []float64{1, 1.2} {
			p := defaults
			p.temperature, p.shortTemp = temp, st
			out = append(out, p)
		}
	}
	return out
}
