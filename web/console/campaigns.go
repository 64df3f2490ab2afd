package console

import (
	"embed"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"langnghe"
)

// The board's campaigns (đợt lấy ý kiến): the list, the form that creates
// and edits one, and a campaign's page with its deep link and QR code.
// The poster (campaign_poster.go), the question sheet of a dialogue
// (campaign_sheet.go) and the results, signed-in and public
// (campaign_results.go), hang from the campaign's page. Every page goes
// through langnghe.CampaignService, which keeps each official to what
// their role may see and do; the console only hides what the role cannot
// use. The pages' texts are in the catalogue (wording/*/console.yaml).

//go:embed templates/campaigns.html templates/campaign_form.html templates/campaign.html
var campaignsFS embed.FS

var (
	campaignListPage = Templates(campaignsFS, "templates/campaigns.html")
	campaignFormPage = Templates(campaignsFS, "templates/campaign_form.html")
	campaignPage     = Templates(campaignsFS, "templates/campaign.html")
)

// campaignsPath is the list; a campaign's pages are under it.
const campaignsPath = "/console/campaigns"

func campaignURL(id int64) string { return campaignsPath + "/" + itoa(id) }

// campaignRoutes mounts the campaign pages when the console has the
// service.
func (c *Console) campaignRoutes() {
	if c.opts.Campaigns == nil {
		return
	}
	c.mux.Handle("GET "+campaignsPath, c.requireOfficial(c.campaignList))
	c.mux.Handle("GET "+campaignsPath+"/new", c.requireOfficial(c.newCampaign))
	c.mux.Handle("POST "+campaignsPath, c.requireOfficial(c.createCampaign))
	c.mux.Handle("GET "+campaignsPath+"/{id}", c.requireOfficial(c.showCampaign))
	c.mux.Handle("GET "+campaignsPath+"/{id}/edit", c.requireOfficial(c.editCampaign))
	c.mux.Handle("POST "+campaignsPath+"/{id}", c.requireOfficial(c.updateCampaign))
	c.mux.Handle("POST "+campaignsPath+"/{id}/announce", c.requireOfficial(c.announceCampaign))
	c.posterRoutes()
	c.sheetRoutes()
	c.resultsRoutes()
}

// campaignID reads the {id} of a campaign's path.
func campaignID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, langnghe.Errorf(langnghe.ENOTFOUND, "there is no campaign %q", r.PathValue("id"))
	}
	return id, nil
}

// campaignFor loads the campaign of the request's path for the viewer.
func (c *Console) campaignFor(r *http.Request, v *visit) (*langnghe.Campaign, error) {
	id, err := campaignID(r)
	if err != nil {
		return nil, err
	}
	return c.opts.Campaigns.Campaign(r.Context(), v.official, id)
}

// campaignWithUnits loads the campaign of the request's path for the
// viewer, and the units that name its unit.
func (c *Console) campaignWithUnits(r *http.Request, v *visit) (*langnghe.Campaign, []langnghe.Unit, error) {
	cp, err := c.campaignFor(r, v)
	if err != nil {
		return nil, nil, err
	}
	units, err := c.db.Units(r.Context())
	if err != nil {
		return nil, nil, fmt.Errorf("load units: %w", err)
	}
	return cp, units, nil
}

// campaignState is where a campaign is in its period, as a badge.
type campaignState struct{ Name, Class string }

func stateOf(cp *langnghe.Campaign, now time.Time, l Locale) campaignState {
	switch {
	case now.Before(cp.Opens):
		return campaignState{l.T("Not open yet"), "soon"}
	case cp.OpenAt(now):
		return campaignState{l.T("Taking answers"), ""}
	}
	return campaignState{l.T("Closed"), "closed"}
}

// period is a campaign's open period as people read it.
func period(cp *langnghe.Campaign, l Locale) string {
	if cp.Closes.IsZero() {
		return l.T("from") + " " + l.Date(cp.Opens) + " (" + l.T("never closes") + ")"
	}
	return l.Date(cp.Opens) + " – " + l.Date(cp.Closes)
}

// campaignRow is a campaign in the list.
type campaignRow struct {
	ID                      int64
	URL, Title, Theme, Kind string
	Period, Areas, Unit     string
	State                   campaignState
	Sheet, Results, Poster  string
	Dialogue                bool
}

type campaignListData struct {
	Rows   []campaignRow
	CanAdd bool
	Kinds  []option
}

func (c *Console) campaignList(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx, l := r.Context(), v.viewer.Locale
	list, err := c.opts.Campaigns.Campaigns(ctx, v.official)
	if err != nil {
		return err
	}
	units, err := c.db.Units(ctx)
	if err != nil {
		return err
	}
	now := c.opts.Now()
	d := campaignListData{CanAdd: v.official.MayManageCampaigns(), Kinds: campaignKinds(l)}
	for _, cp := range list {
		u := campaignURL(cp.ID)
		d.Rows = append(d.Rows, campaignRow{ID: cp.ID, URL: u, Title: cp.Title, Theme: cp.Theme, Kind: cp.Kind.Name(l.Lang),
			Period: period(cp, l), Areas: c.areaNames(cp.Areas, l), Unit: optionalUnit(units, cp.Unit, l),
			State: stateOf(cp, now, l), Sheet: u + "/questions", Results: u + "/results", Poster: u + "/poster",
			Dialogue: cp.Kind == langnghe.CampaignDialogue})
	}
	Render(w, r, campaignListPage, Page{Title: l.T("Campaigns"), Section: "campaigns", Data: d})
	return nil
}

// campaignKinds are the kinds of campaign, as the list's «new» buttons and
// the form offer them.
func campaignKinds(l Locale) []option {
	out := make([]option, len(langnghe.CampaignKinds))
	for i, k := range langnghe.CampaignKinds {
		out[i] = option{string(k), k.Name(l.Lang)}
	}
	return out
}

// areaNames names areas, comma-separated.
func (c *Console) areaNames(codes []string, l Locale) string {
	names := make([]string, len(codes))
	for i, a := range codes {
		names[i] = areaName(c.opts.Catalogue, a, l)
	}
	return strings.Join(names, ", ")
}

func optionalUnit(units []langnghe.Unit, code string, l Locale) string {
	if code == "" {
		return ""
	}
	return unitName(units, code, l)
}

// campaignView is a campaign's page.
type campaignView struct {
	Title, Theme, Kind, Period string
	State                      campaignState
	Areas, Unit                string
	// Conference: a dialogue's; Draft: a consultation's.
	ConferenceAt, Place string
	Hosts               []string
	Summary, DraftLink  string
	Questions           []questionView
	// Link is the deep link, "" until the bot's name is known.
	Link, QRPNG, QRSVG, QRName string
	Poster, Sheet, Results     string
	PublicResults              string
	// Announce is where the board sends the announcement ("" for those
	// who may not, and a campaign without areas).
	Announce   string
	Edit, Flow string
}

// questionView is a question as the campaign's page lists it.
type questionView struct {
	Text, Kind string
	Options    []string
	Optional   bool
}

func (c *Console) showCampaign(w http.ResponseWriter, r *http.Request, v *visit) error {
	viewer, l := v.viewer, v.viewer.Locale
	cp, units, err := c.campaignWithUnits(r, v)
	if err != nil {
		return err
	}
	flash := ""
	switch r.URL.Query().Get("done") {
	case "created":
		flash = l.T("The campaign is created: its deep link works at once.")
	case "updated":
		flash = l.T("The campaign is saved.")
	case "announced":
		q := r.URL.Query()
		flash = fmt.Sprintf(l.T("The announcement is queued to %s residents (%s had it before: nobody gets it twice)."),
			digits(q.Get("queued")), digits(q.Get("before")))
	}
	Render(w, r, campaignPage, Page{Title: cp.Title, Section: "campaigns", Data: c.campaignView(cp, units, viewer), Flash: flash})
	return nil
}

func (c *Console) campaignView(cp *langnghe.Campaign, units []langnghe.Unit, viewer *Viewer) *campaignView {
	l := viewer.Locale
	u := campaignURL(cp.ID)
	d := &campaignView{Title: cp.Title, Theme: cp.Theme, Kind: cp.Kind.Name(l.Lang),
		Period: period(cp, l), State: stateOf(cp, c.opts.Now(), l), Areas: c.areaNames(cp.Areas, l),
		Unit: optionalUnit(units, cp.Unit, l), Link: cp.Link(c.opts.BotUsername),
		Poster: u + "/poster", Results: u + "/results", PublicResults: c.publicResultsURL(cp)}
	if d.Link != "" {
		d.QRPNG, d.QRSVG, d.QRName = u+"/qr.png", u+"/qr.svg", "ma-qr-dot-"+itoa(cp.ID)
	}
	if cf := cp.Conference; cf != nil {
		d.ConferenceAt, d.Place, d.Hosts = l.DateTime(cf.At), cf.Place, cf.Hosts
	}
	if dr := cp.Draft; dr != nil {
		d.Summary, d.DraftLink = dr.Summary, dr.Link
	}
	if cp.Kind == langnghe.CampaignDialogue {
		d.Sheet = u + "/questions"
	}
	for _, q := range cp.Asked() {
		qv := questionView{Text: q.Text.In(langnghe.LangVI), Kind: questionKindName(q.Kind, l), Optional: q.Optional}
		for _, o := range q.Options {
			qv.Options = append(qv.Options, o.Label.In(langnghe.LangVI))
		}
		d.Questions = append(d.Questions, qv)
	}
	if viewer.Official.MayManageCampaigns() {
		d.Edit = u + "/edit"
		if len(cp.Areas) > 0 {
			d.Announce = u + "/announce"
		}
	}
	if viewer.IsAdmin() && cp.FlowID != "" {
		d.Flow = "/console/studio/flows/" + url.PathEscape(cp.FlowID)
	}
	return d
}

// announceCampaign sends the campaign's announcement to the residents of
// its areas who agreed to announcements; sending it again reaches only
// those who agreed since.
func (c *Console) announceCampaign(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := campaignID(r)
	if err != nil {
		return err
	}
	a, err := c.opts.Campaigns.Announce(r.Context(), v.official, id, c.opts.BotUsername)
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("%s?done=announced&queued=%d&before=%d", campaignURL(id), a.Queued, a.Before), http.StatusSeeOther)
	return nil
}

// digits is s when it is a count, else "0": a query parameter shown back.
func digits(s string) string {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return strconv.Itoa(n)
	}
	return "0"
}

// questionKinds name how a question is answered (Named).
var questionKinds = map[langnghe.QuestionKind]string{langnghe.QuestionChoice: "A choice",
	langnghe.QuestionScale: "A scale of 1 to 5", langnghe.QuestionText: "Free text"}

func questionKindName(k langnghe.QuestionKind, l Locale) string { return Named(questionKinds, k, l) }

// newCampaign shows the empty form, for ?kind= (a dialogue by default).
func (c *Console) newCampaign(w http.ResponseWriter, r *http.Request, v *visit) error {
	if !v.official.MayManageCampaigns() {
		return forbiddenCampaigns()
	}
	kind := langnghe.CampaignKind(r.URL.Query().Get("kind"))
	if !kind.Valid() {
		kind = langnghe.CampaignDialogue
	}
	today := isoDate(c.opts.Now(), v.viewer.Locale.TZ)
	f := &campaignForm{Kind: string(kind), Opens: today, Questions: make([]questionForm, newQuestionSlots)}
	return c.showCampaignForm(w, r, v, f, nil, http.StatusOK)
}

// createCampaign creates the campaign the form describes and goes to its
// page; a refused form comes back with every problem and what was typed.
func (c *Console) createCampaign(w http.ResponseWriter, r *http.Request, v *visit) error {
	return c.saveCampaign(w, r, v, nil)
}

func (c *Console) editCampaign(w http.ResponseWriter, r *http.Request, v *visit) error {
	if !v.official.MayManageCampaigns() {
		return forbiddenCampaigns()
	}
	cp, err := c.campaignFor(r, v)
	if err != nil {
		return err
	}
	return c.showCampaignForm(w, r, v, formOf(cp, v.viewer.Locale.TZ), cp, http.StatusOK)
}

func (c *Console) updateCampaign(w http.ResponseWriter, r *http.Request, v *visit) error {
	cp, err := c.campaignFor(r, v)
	if err != nil {
		return err
	}
	return c.saveCampaign(w, r, v, cp)
}

// saveCampaign creates (old nil) or updates old from the posted form. The
// form's «add a question» button shows the form again with one more
// question, nothing saved.
func (c *Console) saveCampaign(w http.ResponseWriter, r *http.Request, v *visit, old *langnghe.Campaign) error {
	ctx, l := r.Context(), v.viewer.Locale
	if !v.official.MayManageCampaigns() {
		return forbiddenCampaigns()
	}
	f := readCampaignForm(r)
	if old != nil {
		f.Kind = string(old.Kind) // the kind stays
	}
	if r.PostFormValue("action") == "add-question" {
		if len(f.Questions) < langnghe.MaxCampaignQuestion {
			f.Questions = append(f.Questions, questionForm{Kind: string(langnghe.QuestionChoice)})
		}
		f.Focus = "q" + strconv.Itoa(len(f.Questions)) + "-text"
		return c.showCampaignForm(w, r, v, f, old, http.StatusOK)
	}
	cp, problems := f.campaign(old, l)
	if len(problems) == 0 {
		var err error
		if old == nil {
			err = c.opts.Campaigns.CreateCampaign(ctx, v.official, cp)
		} else {
			err = c.opts.Campaigns.UpdateCampaign(ctx, v.official, cp)
		}
		switch langnghe.ErrorCode(err) {
		case "":
			done := "created"
			if old != nil {
				done = "updated"
			}
			http.Redirect(w, r, campaignURL(cp.ID)+"?done="+done, http.StatusSeeOther)
			return nil
		case langnghe.EINVALID, langnghe.ECONFLICT:
			problems = problemList(langnghe.ErrorMessageIn(err, l.Lang))
		default:
			return err
		}
	}
	f.Problems = problems
	return c.showCampaignForm(w, r, v, f, old, http.StatusUnprocessableEntity)
}

// problemList splits the service's message, which joins every problem
// with "; ", into one line each.
func problemList(msg string) []string {
	out := langnghe.SplitList(msg, "; ")
	for i, p := range out {
		r, n := utf8.DecodeRuneInString(p)
		out[i] = string(unicode.ToUpper(r)) + p[n:]
	}
	return out
}

func forbiddenCampaigns() error {
	return langnghe.Errorf(langnghe.EFORBIDDEN, "only the board and admins create and change campaigns")
}

// campaignFormView is the form page.
type campaignFormView struct {
	Form   *campaignForm
	Action string
	// Editing: the kind is fixed.
	Editing bool
	Back    string
	Kinds   []option
	Areas   []areaChoice
	Units   []option
	// QuestionKinds are the kinds of a consultation's questions.
	QuestionKinds []option
	MaxQuestions  int
}

// areaChoice is an area the campaign may address, with whether the form
// has it.
type areaChoice struct {
	Code, Name string
	Checked    bool
}

func (c *Console) showCampaignForm(w http.ResponseWriter, r *http.Request, v *visit, f *campaignForm, old *langnghe.Campaign, status int) error {
	ctx, l := r.Context(), v.viewer.Locale
	units, err := c.db.Units(ctx)
	if err != nil {
		return err
	}
	d := campaignFormView{Form: f, Action: campaignsPath, Back: campaignsPath, MaxQuestions: langnghe.MaxCampaignQuestion}
	title := l.T("New campaign")
	if old != nil {
		d.Editing, d.Action, d.Back = true, campaignURL(old.ID), campaignURL(old.ID)
		title = l.T("Edit the campaign")
	}
	d.Kinds = campaignKinds(l)
	for _, k := range []langnghe.QuestionKind{langnghe.QuestionChoice, langnghe.QuestionScale, langnghe.QuestionText} {
		d.QuestionKinds = append(d.QuestionKinds, option{string(k), questionKindName(k, l)})
	}
	for _, a := range c.opts.Catalogue.Areas {
		// A campaign addresses today's communes, wards and hamlets; the
		// city and former units are not offered (an old campaign's still
		// show, checked).
		if (!a.Active || a.Parent == "") && !slices.Contains(f.Areas, a.Code) {
			continue
		}
		d.Areas = append(d.Areas, areaChoice{Code: a.Code, Name: areaName(c.opts.Catalogue, a.Code, l), Checked: slices.Contains(f.Areas, a.Code)})
	}
	for _, u := range units {
		d.Units = append(d.Units, option{u.Code, u.Name(l.Lang)})
	}
	Render(w, r, campaignFormPage, Page{Title: title, Section: "campaigns", Data: d, Status: status})
	return nil
}
