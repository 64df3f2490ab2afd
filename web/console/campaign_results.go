package console

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strconv"

	"langnghe"
	"langnghe/redact"
	"langnghe/wording"
)

// A campaign's results: participation by area, the answers to each
// question (counts, a scale's mean, free text grouped), the response rate,
// and a dialogue's groups with the leaders' answers. The board reads them
// in the console; anyone reads the same figures on the public results
// page, U-Report style, without signing in. langnghe.CampaignResults
// carries no personal data; the public page also hides, once more, any
// identifier a resident may have typed into a text that became a group's
// title (redact), and never says which official typed an answer in.

//go:embed templates/campaign_results.html templates/campaign_public.html templates/chart.html
var resultsFS embed.FS

var (
	resultsPage = Templates(resultsFS, "templates/campaign_results.html", "templates/chart.html")
	// publicPage has its own frame: nobody is signed in.
	publicPage = template.Must(template.Must(template.New("campaign_public.html").Funcs(funcs).
			ParseFS(layoutFS, "templates/head.html")).
			ParseFS(resultsFS, "templates/campaign_public.html", "templates/campaign_results.html", "templates/chart.html"))
)

// PublicResultsPrefix starts the public results pages:
// /results/<the campaign's deep-link payload>. The payload is on every
// poster, so the page is as public as the campaign; a campaign's number
// would let anyone list campaigns not yet announced.
const PublicResultsPrefix = "/results/"

func (c *Console) publicResultsURL(cp *langnghe.Campaign) string {
	return PublicResultsPrefix + cp.Payload
}

func (c *Console) resultsRoutes() {
	c.mux.Handle("GET "+campaignsPath+"/{id}/results", c.requireOfficial(c.results))
	c.mux.HandleFunc("GET "+PublicResultsPrefix+"{payload}", c.publicResults)
}

// resultsView is what both results pages show.
type resultsView struct {
	Title, Theme, Kind, KindCode, Period, Unit string
	Participants, Responses, Reached, Rate     string
	// Announced: an announcement reached someone, so the response rate
	// means something.
	Announced bool
	Areas     []areaCount
	AreaChart *chart
	Questions []questionResultView
	// Groups are a dialogue's, the largest first.
	Groups   []groupResultView
	Answered int
	// Back and Public link the signed-in page to the campaign and the
	// public page.
	Back, Public string
}

type areaCount struct {
	Code, Name, Count string
}

// questionResultView is the answers to one question.
type questionResultView struct {
	Key, Text, Kind, Answered string
	Chart                     *chart
	Mean                      string
	Groups                    []groupResultView
}

// groupResultView is a group of questions or of free-text answers.
type groupResultView struct {
	Title  string
	Count  int
	Theme  string
	Answer *answerView
}

func (c *Console) results(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx, l := r.Context(), v.viewer.Locale
	cp, units, err := c.campaignWithUnits(r, v)
	if err != nil {
		return err
	}
	res, err := c.opts.Campaigns.Results(ctx, cp.ID)
	if err != nil {
		return err
	}
	d := c.resultsView(cp, res, units, l, false)
	d.Back, d.Public = campaignURL(cp.ID), c.publicResultsURL(cp)
	Render(w, r, resultsPage, Page{Title: l.T("Results") + " — " + cp.Title, Section: "campaigns", Data: d})
	return nil
}

// publicView is the public page's frame.
type publicView struct {
	L     Locale
	Title string
	Data  *resultsView
	// Path is the page, for its language switch.
	Path string
}

// publicResults shows a campaign's results to anyone, by its payload.
func (c *Console) publicResults(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	l := Locale{Lang: langnghe.LangVI, TZ: c.opts.TimeZone}
	if lang := r.URL.Query().Get("lang"); wording.Supported(lang) {
		l.Lang = lang
	}
	payload := r.PathValue("payload")
	notFound := func() {
		http.Error(w, l.T("There are no published results at this address."), http.StatusNotFound)
	}
	if !langnghe.IsCampaignPayload(payload) {
		notFound()
		return
	}
	cp, err := c.opts.Campaigns.CampaignByPayload(ctx, payload)
	if langnghe.ErrorCode(err) == langnghe.ENOTFOUND {
		notFound()
		return
	}
	if err != nil {
		c.refuse(w, err)
		return
	}
	res, err := c.opts.Campaigns.Results(ctx, cp.ID)
	if err != nil {
		c.refuse(w, err)
		return
	}
	units, err := c.db.Units(ctx)
	if err != nil {
		c.refuse(w, err)
		return
	}
	var buf bytes.Buffer
	err = publicPage.Execute(&buf, publicView{L: l, Title: l.T("Results") + " — " + cp.Title,
		Data: c.resultsView(cp, res, units, l, true), Path: r.URL.Path})
	if err != nil {
		c.opts.Log.Error("render public results", "campaign", cp.ID, "err", err)
		http.Error(w, "the page could not be shown", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

// resultsView formats the results for l; public hides identifiers in the
// residents' words once more.
func (c *Console) resultsView(cp *langnghe.Campaign, res *langnghe.CampaignResults, units []langnghe.Unit, l Locale, public bool) *resultsView {
	clean := func(s string) string {
		if public {
			return redact.Text(s)
		}
		return s
	}
	d := &resultsView{Title: cp.Title, Theme: cp.Theme, Kind: cp.Kind.Name(l.Lang), KindCode: string(cp.Kind), Period: period(cp, l),
		Unit: optionalUnit(units, cp.Unit, l), Participants: l.Number(res.Participants), Responses: l.Number(res.Responses),
		Reached: l.Number(res.Reached), Rate: "–"}
	if res.Reached > 0 {
		rate := res.ResponseRate
		d.Rate, d.Announced = percent(l, &rate), true
	}
	var areas []counted
	for _, a := range res.ByArea {
		name := areaName(c.opts.Catalogue, a.Area, l)
		if a.Area == "" {
			name = l.T("Area not given")
		}
		d.Areas = append(d.Areas, areaCount{Code: a.Area, Name: name, Count: l.Number(a.Participants)})
		areas = append(areas, counted{Key: a.Area, Name: name, N: a.Participants})
	}
	if len(areas) > 0 {
		title := l.T("Participants by area")
		ch := countChart(l, "chart-areas", title, title+": "+cp.Title, areas)
		d.AreaChart = &ch
	}
	for i, q := range res.Questions {
		qv := questionResultView{Key: q.Key, Text: q.Text, Kind: questionKindName(q.Kind, l), Answered: l.Number(q.Answered)}
		if len(q.Counts) > 0 {
			rows := make([]counted, len(q.Counts))
			for j, oc := range q.Counts {
				rows[j] = counted{Key: oc.Value, Name: oc.Label, N: oc.Count}
			}
			ch := countChart(l, "chart-q"+strconv.Itoa(i+1), q.Text, q.Text+": "+l.T("answers by option"), rows)
			qv.Chart = &ch
		}
		if q.Kind == langnghe.QuestionScale && q.Answered > 0 {
			qv.Mean = decimal(l, q.Mean, 2)
		}
		for _, g := range q.Groups {
			qv.Groups = append(qv.Groups, groupResultView{Title: clean(g.Title), Count: g.Count})
		}
		d.Questions = append(d.Questions, qv)
	}
	for _, g := range res.Groups {
		gv := groupResultView{Title: clean(g.Title), Count: g.Count}
		if g.Category != "" {
			gv.Theme = categoryName(c.opts.Catalogue, g.Category, l)
		}
		if a := g.Answer; a != nil {
			gv.Answer = (&answerView{Text: clean(a.Text), By: a.AnsweredBy, At: l.Date(a.At)}).rated(l, g.Ratings)
			d.Answered++
		}
		d.Groups = append(d.Groups, gv)
	}
	return d
}
