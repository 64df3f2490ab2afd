package studio

import (
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"langnghe"
	"langnghe/flows"
	"langnghe/storage"
	"langnghe/web/console"
)

// The flows' pages: the list, the editor (text with live checking, the
// diagram, the simulator, the revisions), the form view, the diff. Every
// save is a new immutable revision based on the one the admin loaded, so
// two admins never overwrite each other's work; publishing a revision (an
// earlier one: a rollback) changes what new conversations start on, and
// running conversations stay on theirs.

//go:embed templates/flow_*.html
var flowTemplatesFS embed.FS

//go:embed assets
var studioAssetsFS embed.FS

var (
	flowListPage   = console.Templates(flowTemplatesFS, "templates/flow_list.html")
	flowEditorPage = console.Templates(flowTemplatesFS, "templates/flow_editor.html", "templates/flow_parts.html")
	flowDiffPage   = console.Templates(flowTemplatesFS, "templates/flow_diff.html")
	flowFormPage   = console.Templates(flowTemplatesFS, "templates/flow_form.html")
)

// maxFlowForm bounds a flow page's form: a flow file (256 KiB at most)
// and the simulator's state with its transcript.
const maxFlowForm = 2 << 20

// flowRoutes mounts the flows' pages.
func (s *Studio) flowRoutes() {
	// The studio's scripts and styles, and the vendored CodeMirror.
	s.mux.Handle("GET /console/studio/static/", console.Static(studioAssetsFS, "assets", "/console/studio/static/"))
	s.mux.HandleFunc("GET /console/studio/{$}", s.flowList)
	s.mux.HandleFunc("GET /console/studio/flows/{id}", s.flowEditor)
	s.mux.HandleFunc("POST /console/studio/flows/{id}", s.saveFlow)
	s.mux.HandleFunc("POST /console/studio/flows/{id}/check", s.checkFlowText)
	s.mux.HandleFunc("POST /console/studio/flows/{id}/simulate", s.simulate)
	s.mux.HandleFunc("POST /console/studio/flows/{id}/publish", s.publishFlow)
	s.mux.HandleFunc("GET /console/studio/flows/{id}/diff", s.flowDiff)
	s.mux.HandleFunc("GET /console/studio/flows/{id}/form", s.flowForm)
	s.mux.HandleFunc("POST /console/studio/flows/{id}/form", s.saveFlowForm)
}

// flowRow is one flow in the list.
type flowRow struct {
	ID, Name          string
	Published, Latest int
	Draft             bool
	By, At            string
}

func (s *Studio) flowList(w http.ResponseWriter, r *http.Request) error {
	v, _ := console.ViewerFrom(r.Context())
	infos, err := s.db.Flows(r.Context())
	if err != nil {
		return err
	}
	name, err := s.actorNames(r.Context())
	if err != nil {
		return err
	}
	rows := make([]flowRow, 0, len(infos))
	for _, f := range infos {
		// The name the latest revision gives, as the editor opens it.
		src, err := s.db.FlowRevision(r.Context(), f.ID, f.LatestRevision)
		if err != nil {
			return fmt.Errorf("name of flow %s: %w", f.ID, err)
		}
		rows = append(rows, flowRow{ID: f.ID, Name: cmp.Or(flowName(src, v.Locale.Lang), f.ID),
			Published: f.PublishedRevision, Latest: f.LatestRevision,
			Draft: f.LatestRevision > f.PublishedRevision, By: name(f.UpdatedBy), At: v.Locale.DateTime(f.UpdatedAt)})
	}
	coll := collate.New(language.Vietnamese)
	slices.SortStableFunc(rows, func(a, b flowRow) int { return coll.CompareString(a.Name, b.Name) })
	console.Render(w, r, flowListPage, console.Page{Title: v.Locale.T("Conversation flows"), Section: "studio", Data: rows})
	return nil
}

// flowName is the name a flow's text gives it in lang, or in its base
// language when lang has none; "" when it names none (the name is
// optional in the format) or cannot be read.
func flowName(src []byte, lang string) string {
	d, err := parseFlowDoc(src)
	if err != nil {
		return ""
	}
	n := yamlValue(d.root(), "name")
	if n == nil {
		return ""
	}
	t := flowText{text: n}
	return cmp.Or(d.value(t, lang), d.value(t, d.base))
}

// flowTitle names a flow in a page's title: “Gửi ý kiến” (send_opinion),
// or its id alone when its text names none.
func flowTitle(l console.Locale, id string, src []byte) string {
	if name := flowName(src, l.Lang); name != "" {
		return fmt.Sprintf("“%s” (%s)", name, id)
	}
	return id
}

// editorView is the editor page.
type editorView struct {
	Flow string
	// Base is the revision the text was loaded from, which a save is based on.
	Base              int
	Latest, Published int
	Source            string
	Check             *checkView
	Sim               *simView
	Revisions         []flowRevisionRow
	// Error explains a refused action (a stale save, a publish that does
	// not validate) above the editor; the admin's text stays in it.
	Error string
}

// flowRevisionRow is one revision in the editor's list.
type flowRevisionRow struct {
	Rev       int
	By, At    string
	Size      int
	Published bool
	Loaded    bool
	// Rollback is true for a revision older than the published one:
	// publishing it rolls back.
	Rollback bool
}

// flowPage loads what the editor shows besides the text: the flow's
// revisions.
func (s *Studio) flowPage(ctx context.Context, l console.Locale, id string, base int, src []byte) (*editorView, error) {
	revs, err := s.db.FlowRevisions(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("revisions of flow %s: %w", id, err)
	}
	name, err := s.actorNames(ctx)
	if err != nil {
		return nil, err
	}
	view := &editorView{Flow: id, Base: base, Source: string(src), Latest: revs[0].Revision}
	for _, rv := range revs {
		if rv.Published {
			view.Published = rv.Revision
		}
	}
	for _, rv := range revs {
		view.Revisions = append(view.Revisions, flowRevisionRow{Rev: rv.Revision, By: name(rv.Author), At: l.DateTime(rv.CreatedAt),
			Size: rv.Size, Published: rv.Published, Loaded: rv.Revision == base, Rollback: rv.Revision < view.Published})
	}
	return view, nil
}

// flowEditor shows a revision (?rev=, the latest by default) in the editor.
func (s *Studio) flowEditor(w http.ResponseWriter, r *http.Request) error {
	v, _ := console.ViewerFrom(r.Context())
	l := v.Locale
	id := r.PathValue("id")
	rev, src, err := s.shownRevision(r, id)
	if err != nil {
		return err
	}
	flash := ""
	q := r.URL.Query()
	switch {
	case q.Get("published") != "":
		flash = fmt.Sprintf(l.T("Revision %s is published: new conversations start on it; running ones stay on theirs."), q.Get("published"))
	case q.Get("saved") != "":
		flash = fmt.Sprintf(l.T("Saved as revision %s (a draft until it is published)."), q.Get("saved"))
	}
	s.renderEditor(w, r, http.StatusOK, id, rev, src, "", nil, flash)
	return nil
}

// renderEditor shows the editor with src, checked, and sim (a fresh
// simulator when nil).
func (s *Studio) renderEditor(w http.ResponseWriter, r *http.Request, status int, id string, base int, src []byte, errMsg string, sim *simView, flash string) {
	v, _ := console.ViewerFrom(r.Context())
	view, err := s.flowPage(r.Context(), v.Locale, id, base, src)
	if err != nil {
		console.Fail(w, r, err)
		return
	}
	chk, err := s.checkFlow(r.Context(), id, src)
	if err != nil {
		console.Fail(w, r, err)
		return
	}
	view.Check = chk.view(v.Locale)
	view.Error = errMsg
	if sim == nil {
		sim = s.newSimView(v.Locale, id, draftLanguages(chk, src), nil)
	}
	view.Sim = sim
	console.Render(w, r, flowEditorPage, console.Page{Title: v.Locale.T("Flow") + " " + flowTitle(v.Locale, id, src), Section: "studio", Data: view, Flash: flash, Status: status})
}

// saveFlow saves the text as a new revision based on the one the admin
// loaded, and publishes it when asked ("Save and publish"). A stale base,
// a text with errors or a refused publication answers the editor again
// with the admin's text in it and what went wrong.
func (s *Studio) saveFlow(w http.ResponseWriter, r *http.Request) error {
	v, _ := console.ViewerFrom(r.Context())
	l := v.Locale
	id := r.PathValue("id")
	src, base, err := readEditorForm(w, r)
	if err == nil && base == 0 {
		// flowlib reads base 0 as "whatever is latest", which would skip
		// the check that keeps two admins from overwriting each other.
		err = langnghe.Errorf(langnghe.EINVALID, "the form does not say which revision it edits; reload the editor")
	}
	if err != nil {
		return err
	}
	publish := r.PostFormValue("publish") != ""
	chk, err := s.checkFlow(r.Context(), id, src)
	if err != nil {
		return err
	}
	if chk.def == nil {
		msg := l.T("Not saved: the text has errors (listed below). Fix them and save again.")
		if publish {
			msg = l.T("Not published: the text has errors (listed below). Fix them and try again.")
		}
		s.renderEditor(w, r, http.StatusUnprocessableEntity, id, base, src, msg, nil, "")
		return nil
	}
	var rev int
	err = s.db.InTx(r.Context(), func(tx *storage.Tx) error {
		var err error
		_, rev, _, err = s.opts.Library.Import(r.Context(), tx, v.Actor(), id+".yaml", src, base)
		if err != nil || !publish {
			return err
		}
		return s.opts.Library.Publish(r.Context(), tx, v.Actor(), id, rev)
	})
	switch {
	case langnghe.ErrorCode(err) == langnghe.ECONFLICT:
		latest, lerr := s.latestFlowRevision(r.Context(), id)
		if lerr != nil {
			return lerr
		}
		msg := fmt.Sprintf(l.T("Not saved: someone saved revision %d of this flow after you opened revision %d. Your text is kept below; compare it with revision %d, then save again from the latest revision."), latest, base, latest)
		s.renderEditor(w, r, http.StatusConflict, id, base, src, msg, nil, "")
		return nil
	case langnghe.ErrorCode(err) == langnghe.EINVALID:
		s.renderEditor(w, r, http.StatusUnprocessableEntity, id, base, src, langnghe.ErrorMessage(err), nil, "")
		return nil
	case err != nil:
		return err
	}
	q := url.Values{"rev": {strconv.Itoa(rev)}, "saved": {strconv.Itoa(rev)}}
	if publish {
		q.Set("published", strconv.Itoa(rev))
	}
	http.Redirect(w, r, "/console/studio/flows/"+url.PathEscape(id)+"?"+q.Encode(), http.StatusSeeOther)
	return nil
}

// publishFlow publishes a stored revision; an earlier one than the
// published is a rollback. A revision that no longer validates (the
// catalogue changed since it was saved) is refused with its problems.
func (s *Studio) publishFlow(w http.ResponseWriter, r *http.Request) error {
	v, _ := console.ViewerFrom(r.Context())
	l := v.Locale
	id := r.PathValue("id")
	rev, err := revisionParam(r.PostFormValue("rev"))
	if err == nil && rev == 0 {
		err = langnghe.Errorf(langnghe.EINVALID, "name the revision to publish")
	}
	if err != nil {
		return err
	}
	err = s.opts.Library.Publish(r.Context(), s.db, v.Actor(), id, rev)
	if langnghe.ErrorCode(err) == langnghe.EINVALID {
		src, lerr := s.db.FlowRevision(r.Context(), id, rev)
		if lerr != nil {
			return lerr
		}
		msg := fmt.Sprintf(l.T("Revision %d was not published: it does not validate any more (listed below)."), rev)
		s.renderEditor(w, r, http.StatusUnprocessableEntity, id, rev, src, msg, nil, "")
		return nil
	}
	if err != nil {
		return err
	}
	q := url.Values{"rev": {strconv.Itoa(rev)}, "published": {strconv.Itoa(rev)}}
	http.Redirect(w, r, "/console/studio/flows/"+url.PathEscape(id)+"?"+q.Encode(), http.StatusSeeOther)
	return nil
}

// diffView is the diff page.
type diffView struct {
	Flow     string
	From, To int
	Revs     []int
	Rows     []diffRow
	Added    int
	Removed  int
}

// flowDiff shows the line diff between two revisions (?from=, ?to=; by
// default the published and the latest).
func (s *Studio) flowDiff(w http.ResponseWriter, r *http.Request) error {
	v, _ := console.ViewerFrom(r.Context())
	id := r.PathValue("id")
	revs, err := s.db.FlowRevisions(r.Context(), id)
	if err != nil {
		return err
	}
	view := &diffView{Flow: id, To: revs[0].Revision}
	for _, rv := range revs {
		view.Revs = append(view.Revs, rv.Revision)
		if rv.Published {
			view.From = rv.Revision
		}
	}
	q := r.URL.Query()
	for key, dst := range map[string]*int{"from": &view.From, "to": &view.To} {
		n, err := revisionParam(q.Get(key))
		if err != nil {
			return err
		}
		if n > 0 {
			*dst = n
		}
	}
	if !slices.Contains(view.Revs, view.From) || !slices.Contains(view.Revs, view.To) {
		return langnghe.Errorf(langnghe.ENOTFOUND, "flow %s has no revision %d or %d", id, view.From, view.To)
	}
	a, err := s.db.FlowRevision(r.Context(), id, view.From)
	if err != nil {
		return err
	}
	b, err := s.db.FlowRevision(r.Context(), id, view.To)
	if err != nil {
		return err
	}
	lines := diffLines(sourceLines(a), sourceLines(b))
	for _, ln := range lines {
		switch ln.Op {
		case '+':
			view.Added++
		case '-':
			view.Removed++
		}
	}
	view.Rows = hunks(lines, 3)
	title := fmt.Sprintf("%s %s: %d → %d", v.Locale.T("Changes in"), id, view.From, view.To)
	console.Render(w, r, flowDiffPage, console.Page{Title: title, Section: "studio", Data: view})
	return nil
}

// shownRevision is the revision of flow id a page shows (?rev=, the
// latest by default), and its source.
func (s *Studio) shownRevision(r *http.Request, id string) (int, []byte, error) {
	rev, err := revisionParam(r.URL.Query().Get("rev"))
	if err == nil && rev == 0 {
		rev, err = s.latestFlowRevision(r.Context(), id)
	}
	if err != nil {
		return 0, nil, err
	}
	src, err := s.db.FlowRevision(r.Context(), id, rev)
	return rev, src, err
}

// latestFlowRevision is the flow's newest revision; ENOTFOUND when there
// is no such flow.
func (s *Studio) latestFlowRevision(ctx context.Context, id string) (int, error) {
	infos, err := s.db.Flows(ctx)
	if err != nil {
		return 0, err
	}
	for _, f := range infos {
		if f.ID == id {
			return f.LatestRevision, nil
		}
	}
	return 0, langnghe.Errorf(langnghe.ENOTFOUND, "there is no flow %q", id)
}

// publishedFlows returns the published revision of every flow but except,
// parsed: the flows a draft may enter or hand over to in the simulator. A
// revision that no longer loads (the catalogue changed under it) is left
// out and logged; the simulator then says the flow cannot be found, as
// production would fail on it.
func (s *Studio) publishedFlows(ctx context.Context, except string) ([]*flows.Definition, error) {
	infos, err := s.db.Flows(ctx)
	if err != nil {
		return nil, err
	}
	src := s.opts.Library.Source(ctx, s.db)
	var defs []*flows.Definition
	for _, f := range infos {
		if f.ID == except || f.PublishedRevision == 0 {
			continue
		}
		def, err := src.Flow(f.ID, f.PublishedRevision)
		if code := langnghe.ErrorCode(err); code != "" && code != langnghe.EINVALID {
			return nil, err
		}
		if err != nil {
			s.opts.Log.Warn("simulator: published flow does not load", "flow", f.ID, "revision", f.PublishedRevision, "err", err)
			continue
		}
		defs = append(defs, def)
	}
	return defs, nil
}

// readEditorForm reads the editor's form: the text and the revision it is based on.
func readEditorForm(w http.ResponseWriter, r *http.Request) ([]byte, int, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFlowForm)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, 0, langnghe.Errorf(langnghe.ETOOLARGE, "the form is larger than %d bytes", maxFlowForm)
		}
		return nil, 0, langnghe.Errorf(langnghe.EINVALID, "the form could not be read")
	}
	base, err := revisionParam(r.PostForm.Get("base"))
	if err != nil {
		return nil, 0, err
	}
	src := normaliseText(r.PostForm.Get("source"))
	if len(src) > flows.MaxFileSize {
		return nil, 0, langnghe.Errorf(langnghe.ETOOLARGE, "the flow is %d bytes; the limit is %d", len(src), flows.MaxFileSize)
	}
	return src, base, nil
}

// revisionParam reads a revision number; "" is 0.
func revisionParam(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, langnghe.Errorf(langnghe.EINVALID, "%q is not a revision number", s)
	}
	return n, nil
}
