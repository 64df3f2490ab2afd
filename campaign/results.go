package campaign

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strconv"

	"langnghe"
	"langnghe/campaign/grouping"
)

// Answers keeps, of the answers a campaign's conversation collected (every
// answer of the session: EventResponse), those that answer the campaign's
// questions, valid for their kind: a choice's option value, a scale's
// point, a text's words. A skipped question has none. A flow edited in the
// studio may ask more; only these count in the results.
func Answers(c *langnghe.Campaign, answers map[string]string) map[string]string {
	out := map[string]string{}
	for _, q := range c.Asked() {
		v, ok := answers[q.Key]
		if !ok || v == "" {
			continue
		}
		switch q.Kind {
		case langnghe.QuestionChoice:
			if _, ok := q.Option(v); !ok {
				continue
			}
		case langnghe.QuestionScale:
			if n, err := strconv.Atoi(v); err != nil || n < langnghe.ScaleMin || n > langnghe.ScaleMax {
				continue
			}
		case langnghe.QuestionText:
			if q.Optional && v == valueSkip {
				continue
			}
		}
		out[q.Key] = v
	}
	return out
}

// Results computes a campaign's figures from its responses and, for a
// dialogue conference, its question groups. reached is how many residents
// its announcement reached (0 when none was sent). Text answers to a
// consultation or a feedback point are grouped like dialogue questions.
//
// A response whose resident's data was deleted (no ResidentID) counts as
// a participant of its own.
func Results(c *langnghe.Campaign, responses []langnghe.CampaignResponse, groups []langnghe.QuestionGroup, reached int) (*langnghe.CampaignResults, error) {
	r := &langnghe.CampaignResults{CampaignID: c.ID, Kind: c.Kind, Responses: len(responses), Reached: reached,
		ByArea: []langnghe.AreaParticipation{}, Questions: []langnghe.QuestionResult{}, Groups: []langnghe.GroupResult{}}
	// Each resident is counted once, in the area of their latest response.
	sorted := slices.Clone(responses)
	slices.SortStableFunc(sorted, func(a, b langnghe.CampaignResponse) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	areaOf := map[int64]string{}
	anonymous := map[string]int{}
	for _, resp := range sorted {
		if resp.ResidentID == nil {
			anonymous[resp.AreaCode]++
			continue
		}
		areaOf[*resp.ResidentID] = resp.AreaCode
	}
	perArea := maps.Clone(anonymous)
	for _, a := range areaOf {
		perArea[a]++
	}
	r.Participants = len(areaOf)
	for _, n := range anonymous {
		r.Participants += n
	}
	if reached > 0 {
		r.ResponseRate = math.Round(float64(r.Participants)/float64(reached)*1000) / 1000
	}
	r.ByArea = byArea(c.Areas, perArea)

	for _, q := range c.Asked() {
		if c.Kind == langnghe.CampaignDialogue {
			break // a dialogue's questions are its groups
		}
		res, err := result(q, sorted)
		if err != nil {
			return nil, err
		}
		r.Questions = append(r.Questions, res)
	}
	for _, g := range groups {
		gr := langnghe.GroupResult{ID: g.ID, Title: g.Title, Count: len(g.Members), Category: g.Category, Ratings: g.Ratings}
		if g.Answer != nil {
			a := *g.Answer
			a.RecordedBy = 0 // internal: which official typed it in
			gr.Answer = &a
		}
		r.Groups = append(r.Groups, gr)
	}
	sortResults(r.Groups)
	return r, nil
}

// byArea lists the campaign's areas first (with zeros), then other areas
// by code, then "" (not given).
func byArea(areas []string, count map[string]int) []langnghe.AreaParticipation {
	out := []langnghe.AreaParticipation{}
	for _, a := range areas {
		out = append(out, langnghe.AreaParticipation{Area: a, Participants: count[a]})
	}
	var others []string
	for a := range count {
		if a != "" && !slices.Contains(areas, a) {
			others = append(others, a)
		}
	}
	slices.Sort(others)
	for _, a := range others {
		out = append(out, langnghe.AreaParticipation{Area: a, Participants: count[a]})
	}
	if n := count[""]; n > 0 {
		out = append(out, langnghe.AreaParticipation{Area: "", Participants: n})
	}
	return out
}

// result counts the answers to q.
func result(q langnghe.CampaignQuestion, responses []langnghe.CampaignResponse) (langnghe.QuestionResult, error) {
	res := langnghe.QuestionResult{Key: q.Key, Kind: q.Kind, Text: q.Text.In(langnghe.LangVI)}
	var texts []grouping.Question
	counts := map[string]int{}
	sum := 0
	for i, resp := range responses {
		v, ok := resp.Answers[q.Key]
		if !ok {
			continue
		}
		res.Answered++
		counts[v]++
		if q.Kind == langnghe.QuestionScale {
			n, _ := strconv.Atoi(v)
			sum += n
		}
		if q.Kind == langnghe.QuestionText {
			// Responses not yet stored have no id: their place stands in.
			texts = append(texts, grouping.Question{ID: cmp.Or(resp.ID, -int64(i+1)), Text: v})
		}
	}
	switch q.Kind {
	case langnghe.QuestionChoice:
		for _, o := range q.Options {
			res.Counts = append(res.Counts, langnghe.OptionCount{Value: o.Value, Label: o.Label.In(langnghe.LangVI), Count: counts[o.Value]})
		}
	case langnghe.QuestionScale:
		for p := langnghe.ScaleMin; p <= langnghe.ScaleMax; p++ {
			v := strconv.Itoa(p)
			res.Counts = append(res.Counts, langnghe.OptionCount{Value: v, Label: v, Count: counts[v]})
		}
		if res.Answered > 0 {
			res.Mean = math.Round(float64(sum)/float64(res.Answered)*100) / 100
		}
	case langnghe.QuestionText:
		if len(texts) == 0 {
			break
		}
		m, err := grouping.New(texts, grouping.Options{})
		if err != nil {
			return res, err
		}
		for _, g := range m.Group(nil) {
			res.Groups = append(res.Groups, langnghe.GroupResult{Title: g.Title, Count: len(g.Members)})
		}
	}
	return res, nil
}

func sortResults(gs []langnghe.GroupResult) {
	slices.SortStableFunc(gs, func(a, b langnghe.GroupResult) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.ID, b.ID))
	})
}
