package console

import (
	"context"
	"embed"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/flows/vntext"
	"langnghe/followup"
	"langnghe/storage"
)

// The inbox: the opinions an official may see, filtered, searched, sorted
// and paged, with counts per status and deadline badges. The filters are
// GET parameters, so a filtered inbox is a link to bookmark or share (a
// colleague sees in it only what their own scope allows). Paging is keyset
// (langnghe.OpinionFilter.AfterID), so a deep page costs what the first does.
// The list never shows who sent an opinion.

//go:embed templates/inbox.html
var inboxFS embed.FS

var inboxPage = Templates(inboxFS, "templates/inbox.html")

const (
	// inboxPageSize is how many opinions a page lists.
	inboxPageSize = 50
	// inboxCountCap is about how far a status is counted exactly; beyond
	// a few times it, PostgreSQL's estimate is shown (storage.CountOpinions):
	// an exact count of a broad filter would read most of a million rows.
	inboxCountCap = 1000
	// inboxMinSearch is the shortest search, in folded characters: the
	// trigram index needs three, and shorter ones match nearly everything.
	inboxMinSearch = 3
	// inboxMaxSearch is the longest search, in characters.
	inboxMaxSearch = 200
	// inboxExcerpt is how much of an opinion's text the list shows.
	inboxExcerpt = 140
)

// Followup is what the inbox and the opinion page need of the follow-up
// core (followup.Service). Each method reloads the official and keeps to
// their scope, by the same rules as in Telegram: a unit official sees only
// their units' opinions.
type Followup interface {
	List(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, f langnghe.OpinionFilter) ([]langnghe.Opinion, error)
	Count(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, f langnghe.OpinionFilter, upTo int) (map[langnghe.Status]langnghe.OpinionCount, error)
	Opinion(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, code string) (*langnghe.Opinion, []langnghe.OpinionEvent, error)
	// Urgent counts the strip's open opinions at now; Assignees lists
	// whom an opinion may be given to; EmergenciesSince lists the day's
	// emergencies.
	Urgent(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, now time.Time) (langnghe.Urgent, error)
	Assignees(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, code string) ([]langnghe.Official, error)
	EmergenciesSince(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, since time.Time, limit int) ([]langnghe.Emergency, int, error)
}

// inboxRoutes mounts the inbox, the console's front page.
func (c *Console) inboxRoutes() {
	c.mux.Handle("GET /console/{$}", c.requireOfficial(c.inbox))
	c.mux.Handle("GET "+inboxExportPath, c.requireOfficial(c.inboxExport))
	c.mux.Handle("GET "+emergenciesPath, c.requireOfficial(c.emergenciesToday))
}

// inboxForm is the inbox's filters as the official set them, kept as
// typed so that a mistake comes back with what was written.
type inboxForm struct {
	filterForm
	Track, Due, Q, Sort, After string
	// Only keeps the opinions nobody has in hand ("untaken") or those a
	// resident was not satisfied with ("unsatisfied"); Mine ("1") those
	// given to the viewer.
	Only, Mine string
}

func readInboxForm(q url.Values) inboxForm {
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return inboxForm{filterForm: readFilterForm(q), Track: get("track"), Due: get("due"), Q: get("q"),
		Sort: get("sort"), After: get("after"), Only: get("only"), Mine: get("mine")}
}

// inboxDefaults is the form of an inbox opened without filters: a unit
// official's open opinions by due date, the most overdue first; the
// board's every opinion, the newest first (new ones wait for triage).
func inboxDefaults(q url.Values, off *langnghe.Official) inboxForm {
	q = maps.Clone(q)
	q.Del("lang")
	form := readInboxForm(q)
	if len(q) == 0 && !off.SeesAll() {
		form.Status, form.Sort = "open", "due"
	}
	return form
}

// query is the form's filters as URL parameters, without the page.
func (f inboxForm) query() string {
	f.After = ""
	u := f.url()
	_, q, _ := strings.Cut(u, "?")
	return q
}

// url is the inbox's address with the form's filters.
func (f inboxForm) url() string {
	q := url.Values{}
	f.filterForm.set(q)
	for k, v := range map[string]string{"track": f.Track, "due": f.Due, "q": f.Q, "sort": f.Sort, "after": f.After,
		"only": f.Only, "mine": f.Mine} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return "/console/"
	}
	return "/console/?" + q.Encode()
}

// inboxChoice is an option of one of the form's lists.
type inboxChoice struct {
	Value, Name string
	Selected    bool
}

// inboxCount is the number of opinions of one status under the other
// filters, and the link that picks that status.
type inboxCount struct {
	Name, N, URL string
	Current      bool
}

// inboxRow is an opinion as the list shows it: no resident, ever.
type inboxRow struct {
	Code, URL, Received, Excerpt, Category, Area, Unit, Status, Track, Due string
	Overdue, DueSoon, Closed                                               bool
	// Assignee is whom it is given to ("" nobody); NotSatisfied, that the
	// resident was not satisfied with the latest answer.
	Assignee     string
	NotSatisfied bool
}

// inboxData is the inbox page's data.
type inboxData struct {
	Form inboxForm
	// Problem says which filter cannot be read; nothing is listed then.
	Problem                                                 string
	Statuses, Categories, Areas, Units, Tracks, Dues, Sorts []inboxChoice
	Onlys                                                   []inboxChoice
	// Strip is what needs someone now, each a link to its filter.
	Strip []stripItem
	// FiltersSet opens the folded filters (a phone shows them behind
	// «Lọc»); ExportURL downloads what the list shows, as .xlsx.
	FiltersSet        bool
	ExportURL         string
	Counts            []inboxCount
	Summary           string
	Rows              []inboxRow
	NextURL, FirstURL string
}

func (c *Console) inbox(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx, l := r.Context(), v.viewer.Locale
	form := inboxDefaults(r.URL.Query(), v.official)
	now := c.opts.Now()
	d := &inboxData{Form: form, ExportURL: inboxExportPath + "?" + form.query()}
	d.FiltersSet = form.Category != "" || form.Area != "" || form.Unit != "" || form.Track != "" || form.From != "" ||
		form.To != "" || form.Q != ""
	err := c.db.InTx(ctx, func(tx *storage.Tx) error {
		units, err := tx.Units(ctx)
		if err != nil {
			return fmt.Errorf("load units: %w", err)
		}
		c.inboxChoices(d, units, v.official, l)
		if d.Strip, err = c.strip(ctx, tx, v.official, form, now, l); err != nil {
			return err
		}
		f, err := c.inboxFilter(form, units, v.official, now, l)
		if langnghe.ErrorCode(err) == langnghe.EINVALID {
			d.Problem = langnghe.ErrorMessageIn(err, l.Lang)
			return nil
		} else if err != nil {
			return err
		}
		f.Limit = inboxPageSize + 1
		list, err := c.opts.Followup.List(ctx, tx, v.official, f)
		if err != nil {
			return err
		}
		// The counts per status keep every other filter.
		all := f
		all.Status, all.Open, all.Closed, all.AfterID, all.AfterDue = "", false, false, 0, time.Time{}
		counts, err := c.opts.Followup.Count(ctx, tx, v.official, all, inboxCountCap)
		if err != nil {
			return err
		}
		c.inboxCounts(d, counts, l)
		names, err := assigneeNames(ctx, tx, list)
		if err != nil {
			return err
		}
		c.inboxRows(d, list, f.Sort, units, names, now, l)
		return nil
	})
	if err != nil {
		return err
	}
	Render(w, r, inboxPage, Page{Title: l.T("Inbox"), Section: "inbox", Data: d})
	return nil
}

// inboxFilter reads the form into a storage filter at now; a filter that
// cannot be read is an EINVALID error in the viewer's language (filters.go).
func (c *Console) inboxFilter(form inboxForm, units []langnghe.Unit, me *langnghe.Official, now time.Time, l Locale) (langnghe.OpinionFilter, error) {
	var f langnghe.OpinionFilter
	shared, err := form.filterForm.read(c.opts.Catalogue, units, true, l)
	if err != nil {
		return f, err
	}
	f.Status, f.Open, f.Closed = shared.Status, shared.Open, shared.Closed
	f.Category, f.Area, f.Unit = shared.Category, shared.Area, shared.Unit
	f.Since, f.Until = shared.Since, shared.Until
	unknown := func(what, value string) error { return unknownFilter(l, what, value) }
	if form.Track != "" {
		if !langnghe.LegalTrack(form.Track).Valid() {
			return f, unknown("legal track", form.Track)
		}
		f.LegalTrack = langnghe.LegalTrack(form.Track)
	}
	switch form.Due {
	case "":
	case "overdue":
		f.OverdueAt = now
	case "soon":
		f.DueFrom, f.DueBy = now, followup.DueSoonBy(now, c.opts.Calendar)
	default:
		return f, unknown("deadline filter", form.Due)
	}
	switch form.Only {
	case "":
	case "untaken":
		f.NotTaken = true
	case "unsatisfied":
		f.Rating = langnghe.RatingNotSatisfied
	default:
		return f, unknown("filter", form.Only)
	}
	switch form.Mine {
	case "":
	case "1":
		f.Assignee = me.ID
	default:
		return f, unknown("filter", form.Mine)
	}
	if form.Q != "" {
		if utf8.RuneCountInString(form.Q) > inboxMaxSearch {
			return f, invalid(l, "Search for at most %d characters.", inboxMaxSearch)
		}
		if utf8.RuneCountInString(vntext.Fold(form.Q)) < inboxMinSearch {
			return f, invalid(l, "Search for at least %d letters.", inboxMinSearch)
		}
		f.Text = form.Q
	}
	switch form.Sort {
	case "", "newest":
	case "oldest":
		f.Sort = langnghe.SortOldest
	case "due":
		f.Sort = langnghe.SortDue
	default:
		return f, unknown("order", form.Sort)
	}
	if form.After != "" {
		if f.AfterID, f.AfterDue, err = readCursor(form.After, f.Sort); err != nil {
			return f, invalid(l, "This page link is damaged; start again from the first page.")
		}
	}
	return f, nil
}

// cursor is where the next page starts: the last listed opinion's id and,
// in the order by due date, its due date as listed (unix microseconds).
func cursor(o langnghe.Opinion, sort langnghe.OpinionSort) string {
	id := strconv.FormatInt(o.ID, 10)
	if sort == langnghe.SortDue && !o.DueAt.IsZero() {
		return id + "." + strconv.FormatInt(o.DueAt.UnixMicro(), 10)
	}
	return id
}

func readCursor(s string, sort langnghe.OpinionSort) (int64, time.Time, error) {
	idText, dueText, hasDue := strings.Cut(s, ".")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 || (hasDue && sort != langnghe.SortDue) {
		return 0, time.Time{}, langnghe.Errorf(langnghe.EINVALID, "bad page cursor %q", s)
	}
	if !hasDue {
		return id, time.Time{}, nil
	}
	micros, err := strconv.ParseInt(dueText, 10, 64)
	if err != nil {
		return 0, time.Time{}, langnghe.Errorf(langnghe.EINVALID, "bad page cursor %q", s)
	}
	return id, time.UnixMicro(micros).UTC(), nil
}

// inboxChoices fills the form's lists. A unit official picks among their
// own units only.
func (c *Console) inboxChoices(d *inboxData, units []langnghe.Unit, off *langnghe.Official, l Locale) {
	choice := func(list *[]inboxChoice, current, value, name string) {
		*list = append(*list, inboxChoice{Value: value, Name: name, Selected: value == current})
	}
	f := d.Form
	choice(&d.Statuses, f.Status, "", l.T("All"))
	choice(&d.Statuses, f.Status, "open", l.T("Open"))
	choice(&d.Statuses, f.Status, "closed", l.T("Closed (all)"))
	for _, s := range langnghe.Statuses {
		choice(&d.Statuses, f.Status, string(s), s.Name(l.Lang))
	}
	choice(&d.Categories, f.Category, "", l.T("All"))
	for _, cat := range c.opts.Catalogue.Categories {
		choice(&d.Categories, f.Category, cat.Code, cat.Name(l.Lang))
	}
	choice(&d.Areas, f.Area, "", l.T("All"))
	for _, a := range c.opts.Catalogue.Areas {
		choice(&d.Areas, f.Area, a.Code, a.Name(l.Lang))
	}
	choice(&d.Units, f.Unit, "", l.T("All"))
	for _, u := range units {
		if off.Scope().Covers(u.Code) {
			choice(&d.Units, f.Unit, u.Code, u.Name(l.Lang))
		}
	}
	choice(&d.Tracks, f.Track, "", l.T("All"))
	for _, t := range []langnghe.LegalTrack{langnghe.TrackFeedback, langnghe.TrackComplaint, langnghe.TrackDenunciation} {
		choice(&d.Tracks, f.Track, string(t), trackName(t, l))
	}
	choice(&d.Dues, f.Due, "", l.T("Any"))
	choice(&d.Dues, f.Due, "overdue", l.T("Overdue"))
	choice(&d.Dues, f.Due, "soon", fmt.Sprintf(l.T("Due within %d working days"), followup.DueSoonDays))
	sort := f.Sort
	if sort == "" {
		sort = "newest"
	}
	choice(&d.Sorts, sort, "newest", l.T("Newest first"))
	choice(&d.Sorts, sort, "oldest", l.T("Oldest first"))
	choice(&d.Sorts, sort, "due", l.T("Due date, overdue first"))
	choice(&d.Onlys, f.Only, "", l.T("All"))
	choice(&d.Onlys, f.Only, "untaken", l.T("Not taken by anyone"))
	choice(&d.Onlys, f.Only, "unsatisfied", l.T("Resident not satisfied"))
}

// inboxCounts turns the counts per status into links that pick each
// status, keeping the other filters. A count that stopped reads
// "3.000+", an estimate "≈ 62.000".
func (c *Console) inboxCounts(d *inboxData, counts map[langnghe.Status]langnghe.OpinionCount, l Locale) {
	type sum struct {
		n                int
		capped, estimate bool
	}
	add := func(t *sum, n langnghe.OpinionCount) {
		t.n += n.N
		t.capped = t.capped || n.AtLeast
		t.estimate = t.estimate || n.Estimate
	}
	show := func(t sum) string {
		switch {
		case t.estimate:
			return "≈ " + l.Number(roughly(t.n))
		case t.capped:
			return l.Number(t.n) + "+"
		}
		return l.Number(t.n)
	}
	link := func(status string) string {
		f := d.Form
		f.Status, f.After = status, ""
		return f.url()
	}
	var all, open sum
	for _, s := range langnghe.Statuses {
		n, ok := counts[s]
		if !ok {
			continue
		}
		add(&all, n)
		if s.Open() {
			add(&open, n)
		}
		var one sum
		add(&one, n)
		if n.N > 0 || d.Form.Status == string(s) {
			d.Counts = append(d.Counts, inboxCount{Name: s.Name(l.Lang), N: show(one), URL: link(string(s)),
				Current: d.Form.Status == string(s)})
		}
	}
	d.Counts = append([]inboxCount{
		{Name: l.T("All"), N: show(all), URL: link(""), Current: d.Form.Status == ""},
		{Name: l.T("Open"), N: show(open), URL: link("open"), Current: d.Form.Status == "open"},
	}, d.Counts...)
	var notes []string
	if all.capped {
		notes = append(notes, l.T("+: at least this many; counting stopped there."))
	}
	if all.estimate {
		notes = append(notes, l.T("≈: an estimate, where counting would take too long."))
	}
	d.Summary = strings.Join(notes, " ")
}

// roughly rounds n to two significant digits, as an estimate deserves.
func roughly(n int) int {
	unit := 1
	for n/unit >= 100 {
		unit *= 10
	}
	return (n + unit/2) / unit * unit
}

// inboxRows turns the page of opinions into rows, and the extra one
// fetched beyond the page into the link to the next page.
func (c *Console) inboxRows(d *inboxData, list []langnghe.Opinion, sort langnghe.OpinionSort, units []langnghe.Unit, names map[int64]string, now time.Time, l Locale) {
	if len(list) > inboxPageSize {
		list = list[:inboxPageSize]
		next := d.Form
		next.After = cursor(list[len(list)-1], sort)
		d.NextURL = next.url()
	}
	if d.Form.After != "" {
		first := d.Form
		first.After = ""
		d.FirstURL = first.url()
	}
	for _, o := range list {
		row := inboxRow{
			Code: o.Code, URL: opinionURL(o.Code), Received: l.DateTime(o.CreatedAt), Excerpt: excerpt(o.Text, inboxExcerpt),
			Category: categoryName(c.opts.Catalogue, o.Category, l), Area: areaName(c.opts.Catalogue, o.AreaCode, l), Unit: unitName(units, o.Unit, l),
			Status: o.Status.Name(l.Lang), Due: l.Date(o.DueAt),
			Overdue: followup.Overdue(o, now), DueSoon: followup.DueSoon(o, now, c.opts.Calendar), Closed: !o.Status.Open(),
			NotSatisfied: o.Rating == langnghe.RatingNotSatisfied,
		}
		if o.Assignee != 0 {
			row.Assignee = names[o.Assignee]
		}
		if o.LegalTrack != langnghe.TrackFeedback {
			row.Track = trackName(o.LegalTrack, l)
		}
		d.Rows = append(d.Rows, row)
	}
}

// opinionURL is the address of an opinion's page.
func opinionURL(code string) string { return "/console/opinions/" + url.PathEscape(code) }

// excerpt is the start of text on one line, at most n characters.
func excerpt(text string, n int) string {
	text = vntext.Normalize(text)
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	runes := []rune(text)
	return strings.TrimSpace(string(runes[:n])) + "…"
}

func categoryName(cat *langnghe.Catalogue, code string, l Locale) string {
	if c, ok := cat.Category(code); ok {
		return c.Name(l.Lang)
	}
	return code
}

// areaName is an area as officials read it: a hamlet with its commune, a
// former commune with what it is now part of (catalogue.Describe).
func areaName(cat *langnghe.Catalogue, code string, l Locale) string {
	return catalogue.Describe(cat, code, l.Lang)
}

func unitName(units []langnghe.Unit, code string, l Locale) string {
	for _, u := range units {
		if u.Code == code {
			return u.Name(l.Lang)
		}
	}
	return code
}

// trackNames and ratingNames name legal tracks and ratings (Named).
var (
	trackNames = map[langnghe.LegalTrack]string{langnghe.TrackFeedback: "Feedback", langnghe.TrackComplaint: "Complaint",
		langnghe.TrackDenunciation: "Denunciation"}
	ratingNames = map[string]string{langnghe.RatingSatisfied: "Satisfied", langnghe.RatingNotSatisfied: "Not satisfied"}
)

func trackName(t langnghe.LegalTrack, l Locale) string { return Named(trackNames, t, l) }

func ratingName(r string, l Locale) string { return Named(ratingNames, r, l) }
