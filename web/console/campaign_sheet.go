package console

import (
	"cmp"
	"context"
	"embed"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"langnghe"
)

// The question sheet of a dialogue conference (bảng tổng hợp câu hỏi): the
// residents' questions as groups of near-identical ones, by theme (the
// groups' category) and count, for the leaders at the conference —
// printable and exportable to Excel. The board merges, splits and renames
// groups; whoever may see the campaign records a group's answer (what the
// leaders said, who, when), which the service sends to every asker.
// Unanswered groups stay listed as commitments with their due dates.

//go:embed templates/campaign_sheet.html
var sheetFS embed.FS

var sheetPage = Templates(sheetFS, "templates/campaign_sheet.html")

func (c *Console) sheetRoutes() {
	base := campaignsPath + "/{id}"
	c.mux.Handle("GET "+base+"/questions", c.requireOfficial(c.sheet))
	c.mux.Handle("GET "+base+"/questions.xlsx", c.requireOfficial(c.sheetXLSX))
	c.mux.Handle("POST "+base+"/groups/merge", c.requireOfficial(c.groupAction))
	c.mux.Handle("POST "+base+"/groups/{group}/{action}", c.requireOfficial(c.groupAction))
}

func sheetURL(id int64) string { return campaignURL(id) + "/questions" }

// sheetView is the sheet.
type sheetView struct {
	ID                      int64
	Title, Theme            string
	ConferenceAt, Place     string
	Hosts                   []string
	Printed                 string
	Questions, Groups       int
	Answered, Waiting, Late int
	Themes                  []sheetTheme
	// Commitments are the unanswered groups, the earliest due first.
	Commitments []*sheetGroup
	// CanEdit: the board may merge, split and rename.
	CanEdit     bool
	URL, Export string
	Back        string
	Form        sheetForm
	Problem     string
	// Unreadable: the service lists no questions' words, so groups show
	// their titles and counts only.
	Unreadable bool
	// CanFile: the board may turn a question into an opinion; Categories
	// and Areas are the form's choices.
	CanFile           bool
	Categories, Areas []option
}

// sheetTheme is the groups of one theme.
type sheetTheme struct {
	Code, Name string
	Count      int // questions
	Groups     []*sheetGroup
}

// sheetGroup is one group as the sheet shows it.
type sheetGroup struct {
	ID      int64
	N       int // its number on the sheet, which the leaders call it by
	Title   string
	Count   int
	Due     string
	Late    bool
	Answer  *answerView
	Members []sheetQuestion
	// Open names the group's form to show open: a refused one.
	Open string
	// answeredAt and dueAt are for the export's date cells.
	answeredAt, dueAt time.Time
}

type answerView struct {
	Text, By, At string
	// Rated is set once an asker rated the answer; Satisfied and
	// NotSatisfied count the ratings (counts only: no asker is named).
	Rated                   bool
	Satisfied, NotSatisfied string
}

// rated adds the askers' ratings of the answer to a.
func (a *answerView) rated(l Locale, r *langnghe.AnswerRatings) *answerView {
	if r != nil {
		a.Rated, a.Satisfied, a.NotSatisfied = true, l.Number(r.Satisfied), l.Number(r.NotSatisfied)
	}
	return a
}

// sheetQuestion is one resident's question, without who sent it.
type sheetQuestion struct {
	ID         int64
	Text, Area string
	At         string
	// Category and AreaCode preset the form that turns it into an
	// opinion; Opinion is the code of the opinion it became.
	Category, AreaCode, Opinion string
}

// sheetForm is a refused group action as it was filled.
type sheetForm struct {
	Action          string
	Group           int64
	Title, Text, By string
	AtDate, AtTime  string
	Groups, Members []int64
	// Question, Category and Area: a question to turn into an opinion.
	Question       int64
	Category, Area string
}

// Checked reports whether the form had id among the groups to merge or
// the questions to split off.
func (f sheetForm) Checked(id int64) bool {
	return slices.Contains(f.Groups, id) || slices.Contains(f.Members, id)
}

func (c *Console) sheet(w http.ResponseWriter, r *http.Request, v *visit) error {
	viewer := v.viewer
	flash := ""
	if done := r.URL.Query().Get("done"); done != "" {
		flash = viewer.Locale.T(sheetDone[done])
	}
	return c.showSheet(w, r, v, sheetForm{}, "", http.StatusOK, flash)
}

// sheetDone confirm the group actions.
var sheetDone = map[string]string{
	"merge":   "The groups are merged.",
	"split":   "The questions are split off into a new group.",
	"rename":  "The group is renamed.",
	"answer":  "The answer is recorded; every asker in the group will receive it.",
	"opinion": "The question is now an opinion for its unit to follow up; the resident is told its code.",
}

func (c *Console) showSheet(w http.ResponseWriter, r *http.Request, v *visit, form sheetForm, problem string, status int, flash string) error {
	l := v.viewer.Locale
	d, err := c.loadSheet(r, v, l)
	if err != nil {
		return err
	}
	d.Form, d.Problem = form, problem
	for _, t := range d.Themes {
		for _, g := range t.Groups {
			if g.ID == form.Group {
				g.Open = form.Action
			}
		}
	}
	Render(w, r, sheetPage, Page{Title: l.T("Question sheet") + " — " + d.Title, Section: "campaigns", Data: d, Status: status, Flash: flash})
	return nil
}

// loadSheet loads the sheet of the request's dialogue: its groups and,
// where the service lists them, its questions.
func (c *Console) loadSheet(r *http.Request, v *visit, l Locale) (*sheetView, error) {
	ctx := r.Context()
	cp, err := c.campaignFor(r, v)
	if err != nil {
		return nil, err
	}
	if cp.Kind != langnghe.CampaignDialogue {
		return nil, langnghe.Errorf(langnghe.ENOTFOUND, "only a dialogue conference has a question sheet")
	}
	groups, err := c.opts.Campaigns.Groups(ctx, v.official, cp.ID)
	if err != nil {
		return nil, err
	}
	var questions map[int64]langnghe.CampaignResponse
	if lister, ok := c.opts.Campaigns.(QuestionLister); ok {
		list, err := lister.CampaignQuestions(ctx, v.official, cp.ID)
		if err != nil {
			return nil, err
		}
		questions = make(map[int64]langnghe.CampaignResponse, len(list))
		for _, q := range list {
			questions[q.ID] = q
		}
	}
	return c.sheetView(cp, groups, questions, v.official, l), nil
}

// QuestionFiler turns a dialogue question that is really a concern for a
// unit into an ordinary opinion with its follow-up (campaigns.Service).
type QuestionFiler interface {
	QuestionToOpinion(ctx context.Context, by *langnghe.Official, campaignID, responseID int64, category, area string) (*langnghe.Opinion, error)
}

// QuestionLister lists a campaign's responses (a dialogue's questions,
// with their words but without who sent them), so the sheet can show each
// group's questions and the board can split some off. The storage's
// campaign service has it; without it the sheet shows titles and counts.
type QuestionLister interface {
	CampaignQuestions(ctx context.Context, by *langnghe.Official, campaignID int64) ([]langnghe.CampaignResponse, error)
}

func (c *Console) sheetView(cp *langnghe.Campaign, groups []*langnghe.QuestionGroup, questions map[int64]langnghe.CampaignResponse,
	off *langnghe.Official, l Locale) *sheetView {
	now := c.opts.Now()
	d := &sheetView{ID: cp.ID, Title: cp.Title, Theme: cp.Theme, Printed: l.Date(now), CanEdit: off.MayManageCampaigns(),
		URL: sheetURL(cp.ID), Export: sheetURL(cp.ID) + ".xlsx", Back: campaignURL(cp.ID), Unreadable: questions == nil}
	if cf := cp.Conference; cf != nil {
		d.ConferenceAt, d.Place, d.Hosts = l.DateTime(cf.At), cf.Place, cf.Hosts
	}
	byTheme := map[string]*sheetTheme{}
	for _, g := range groups {
		t := byTheme[g.Category]
		if t == nil {
			t = &sheetTheme{Code: g.Category, Name: themeName(c.opts.Catalogue, g.Category, l)}
			byTheme[g.Category] = t
		}
		sg := &sheetGroup{ID: g.ID, Title: g.Title, Count: len(g.Members), dueAt: g.DueAt}
		if a := g.Answer; a != nil {
			sg.Answer = (&answerView{Text: a.Text, By: a.AnsweredBy, At: l.DateTime(a.At)}).rated(l, g.Ratings)
			sg.answeredAt = a.At
			d.Answered++
		} else {
			d.Waiting++
			sg.Due = l.Date(g.DueAt)
			if !g.DueAt.IsZero() && now.After(g.DueAt) {
				sg.Late = true
				d.Late++
			}
			d.Commitments = append(d.Commitments, sg)
		}
		for _, id := range g.Members {
			q, ok := questions[id]
			if !ok {
				continue
			}
			sg.Members = append(sg.Members, sheetQuestion{ID: id, Text: q.Answers[langnghe.DialogueQuestionKey],
				Area: areaName(c.opts.Catalogue, q.AreaCode, l), At: l.DateTime(q.CreatedAt),
				Category: q.Category, AreaCode: q.AreaCode, Opinion: q.OpinionCode})
		}
		t.Groups = append(t.Groups, sg)
		t.Count += sg.Count
		d.Questions += sg.Count
	}
	d.Groups = len(groups)
	if _, ok := c.opts.Campaigns.(QuestionFiler); ok && d.CanEdit && !d.Unreadable {
		d.CanFile = true
		for _, ct := range c.opts.Catalogue.Categories {
			d.Categories = append(d.Categories, option{ct.Code, ct.Name(l.Lang)})
		}
		for _, a := range c.opts.Catalogue.Areas {
			d.Areas = append(d.Areas, option{a.Code, a.Name(l.Lang)})
		}
	}
	for _, t := range byTheme {
		slices.SortStableFunc(t.Groups, func(a, b *sheetGroup) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.ID, b.ID)) })
		d.Themes = append(d.Themes, *t)
	}
	// The largest theme first; unclassified questions last.
	slices.SortFunc(d.Themes, func(a, b sheetTheme) int {
		return cmp.Or(cmp.Compare(boolInt(a.Code == ""), boolInt(b.Code == "")), cmp.Compare(b.Count, a.Count), strings.Compare(a.Name, b.Name))
	})
	n := 0
	for _, t := range d.Themes {
		for _, g := range t.Groups {
			n++
			g.N = n
		}
	}
	slices.SortStableFunc(d.Commitments, func(a, b *sheetGroup) int { return cmp.Compare(a.N, b.N) })
	return d
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// themeName is a group's theme: its category, or «other questions».
func themeName(cat *langnghe.Catalogue, code string, l Locale) string {
	if code == "" {
		return l.T("Other questions")
	}
	return categoryName(cat, code, l)
}

// groupAction applies a merge, a split, a rename or an answer, then shows
// the sheet again at the group; a refused one comes back with the reason
// and what was written.
func (c *Console) groupAction(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx, l := r.Context(), v.viewer.Locale
	id, err := campaignID(r)
	if err != nil {
		return err
	}
	form := sheetForm{Action: cmp.Or(r.PathValue("action"), "merge"), Title: oneLine(r.PostFormValue("title")),
		Text: strings.TrimSpace(r.PostFormValue("text")), By: strings.TrimSpace(r.PostFormValue("by")),
		AtDate: strings.TrimSpace(r.PostFormValue("at_date")), AtTime: strings.TrimSpace(r.PostFormValue("at_time")),
		Groups: ids(r.PostForm["groups"]), Members: ids(r.PostForm["members"])}
	if g := r.PathValue("group"); g != "" {
		form.Group, _ = strconv.ParseInt(g, 10, 64)
	}
	groups, err := c.opts.Campaigns.Groups(ctx, v.official, id)
	if err != nil {
		return err
	}
	if form.Group != 0 && !slices.ContainsFunc(groups, func(g *langnghe.QuestionGroup) bool { return g.ID == form.Group }) {
		return langnghe.Errorf(langnghe.ENOTFOUND, "campaign %d has no group %d", id, form.Group)
	}
	at := form.Group
	switch form.Action {
	case "merge":
		var g *langnghe.QuestionGroup
		if len(form.Groups) < 2 {
			err = langnghe.Errorf(langnghe.EINVALID, "%s", l.T("Tick at least two groups to merge."))
		} else if g, err = c.opts.Campaigns.MergeGroups(ctx, v.official, id, form.Groups); err == nil {
			at = g.ID
		}
	case "split":
		var g *langnghe.QuestionGroup
		if g, err = c.opts.Campaigns.SplitGroup(ctx, v.official, form.Group, form.Members); err == nil {
			at = g.ID
		}
	case "rename":
		err = c.opts.Campaigns.RenameGroup(ctx, v.official, form.Group, form.Title)
	case "answer":
		var a langnghe.GroupAnswer
		if a, err = form.answer(c.opts.Now(), v.official, l); err == nil {
			err = c.opts.Campaigns.AnswerGroup(ctx, v.official, form.Group, a)
		}
	case "opinion":
		filer, ok := c.opts.Campaigns.(QuestionFiler)
		if !ok {
			return langnghe.Errorf(langnghe.ENOTFOUND, "there is no such page")
		}
		question, _ := strconv.ParseInt(r.PostFormValue("question"), 10, 64)
		form.Question, form.Category, form.Area = question, r.PostFormValue("category"), r.PostFormValue("area")
		if !slices.ContainsFunc(groups, func(g *langnghe.QuestionGroup) bool {
			return g.ID == form.Group && slices.Contains(g.Members, question)
		}) {
			err = langnghe.Errorf(langnghe.ENOTFOUND, "group %d has no question %d", form.Group, question)
		} else {
			_, err = filer.QuestionToOpinion(ctx, v.official, id, question, form.Category, form.Area)
		}
	default:
		return langnghe.Errorf(langnghe.ENOTFOUND, "there is no such page")
	}
	switch langnghe.ErrorCode(err) {
	case "":
		http.Redirect(w, r, sheetURL(id)+"?done="+form.Action+"#group-"+itoa(at), http.StatusSeeOther)
	case langnghe.EINVALID, langnghe.ECONFLICT, langnghe.ENOTFOUND, langnghe.EFORBIDDEN:
		return c.showSheet(w, r, v, form, langnghe.ErrorMessageIn(err, l.Lang), statusOf(err), "")
	default:
		return err
	}
	return nil
}

// answer is the leaders' answer the form records: at the date and time
// written, or now.
func (f sheetForm) answer(now time.Time, off *langnghe.Official, l Locale) (langnghe.GroupAnswer, error) {
	a := langnghe.GroupAnswer{Text: f.Text, AnsweredBy: f.By, RecordedBy: off.ID, At: now}
	var problems []string
	if f.Text == "" {
		problems = append(problems, l.T("Write the leaders' answer."))
	}
	if f.By == "" {
		problems = append(problems, l.T("Write who answered, as the conference named them."))
	}
	if f.AtDate != "" || f.AtTime != "" {
		day, err := formDate(f.AtDate, l.TZ)
		clock, terr := time.Parse("15:04", f.AtTime)
		switch {
		case err != nil:
			problems = append(problems, notADate(l, "Answered on", f.AtDate))
		case terr != nil:
			problems = append(problems, fmt.Sprintf(l.T("Answered at: %q is not a time; write it as HH:MM, e.g. 08:00."), f.AtTime))
		default:
			a.At = atClock(day, clock)
			if a.At.After(now) {
				problems = append(problems, l.T("The answer cannot be recorded as given in the future."))
			}
		}
	}
	if len(problems) > 0 {
		return a, langnghe.Errorf(langnghe.EINVALID, "%s", strings.Join(problems, " "))
	}
	return a, nil
}

// ids reads the ids of ticked boxes, skipping anything else.
func ids(values []string) []int64 {
	var out []int64
	for _, s := range values {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// column is one of the export's columns: its name (English; translated)
// and width.
type column struct {
	Name  string
	Width float64
}

// sheetColumns are the export's columns.
var sheetColumns = []column{
	{"No.", 6}, {"Theme", 24}, {"Group of questions", 60}, {"Questions", 10}, {"The leaders' answer", 70},
	{"Answered by", 30}, {"Answered at", 17}, {"Answer due", 12},
}

// questionColumns are the second sheet's: each question, by group.
var questionColumns = []column{
	{"Group no.", 9}, {"Group of questions", 40}, {"Question", 80}, {"Area", 24}, {"Sent at", 17},
}

// sheetXLSX sends the sheet as a workbook: the groups as the page shows
// them, and, where the service lists them, every question by group (never
// who sent it).
func (c *Console) sheetXLSX(w http.ResponseWriter, r *http.Request, v *visit) error {
	l := v.viewer.Locale
	d, err := c.loadSheet(r, v, l)
	if err != nil {
		return err
	}
	book := excelize.NewFile()
	defer func() { _ = book.Close() }()
	if err := writeSheetBook(book, d, l); err != nil {
		return fmt.Errorf("export the question sheet: %w", err)
	}
	sendWorkbook(w, r, book, "cau-hoi-dot-"+itoa(d.ID)+"-"+c.opts.Now().In(l.TZ).Format("20060102")+".xlsx")
	return nil
}

func writeSheetBook(book *excelize.File, d *sheetView, l Locale) error {
	st, err := newSheetStyles(book)
	if err != nil {
		return err
	}
	if err := book.SetDocProps(&excelize.DocProperties{Title: l.T("Question sheet") + " — " + d.Title, Language: l.Lang}); err != nil {
		return err
	}
	name := l.T("Groups")
	if err := book.SetSheetName(book.GetSheetName(0), name); err != nil {
		return err
	}
	var rows [][]any
	for _, t := range d.Themes {
		for _, g := range t.Groups {
			row := []any{g.N, t.Name, g.Title, g.Count, nil, nil, nil, nil}
			if g.Answer != nil {
				row[4], row[5], row[6] = g.Answer.Text, g.Answer.By, cell(wallClock(g.answeredAt, l.TZ), st.dateTime)
			} else if !g.dueAt.IsZero() {
				row[7] = g.Due
			}
			rows = append(rows, row)
		}
	}
	if err := writeTable(book, name, sheetColumns, rows, st, l); err != nil {
		return err
	}
	if d.Unreadable {
		return nil
	}
	rows = rows[:0]
	for _, t := range d.Themes {
		for _, g := range t.Groups {
			for _, q := range g.Members {
				rows = append(rows, []any{g.N, g.Title, q.Text, q.Area, q.At})
			}
		}
	}
	name = l.T("Questions")
	if _, err := book.NewSheet(name); err != nil {
		return err
	}
	return writeTable(book, name, questionColumns, rows, st, l)
}

// writeTable writes a header and rows on the sheet name, the header frozen.
func writeTable(book *excelize.File, name string, cols []column, rows [][]any, st sheetStyles, l Locale) error {
	sw, err := book.NewStreamWriter(name)
	if err != nil {
		return err
	}
	header, widths := make([]string, len(cols)), make([]float64, len(cols))
	for i, col := range cols {
		header[i], widths[i] = l.T(col.Name), col.Width
	}
	if err := writeHeader(sw, header, widths, st); err != nil {
		return err
	}
	for i, row := range rows {
		if err := sw.SetRow("A"+strconv.Itoa(i+2), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}
