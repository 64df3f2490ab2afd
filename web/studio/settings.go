package studio

import (
	"context"
	"embed"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"langnghe"
	"langnghe/web/console"
)

// The settings residents' conversations and officials' work depend on,
// each edited as a file with the same validation as the file route (the
// CLI, the embedded defaults): check, save (a stale base is refused with
// the text kept), download, upload. The catalogue and the holidays are
// stored as revisions that each replica loads at its next start: the
// catalogue is shared by the classifier, the flows, the officials' desk and
// Open311, and swapping it under running conversations is not safe. Units
// and routing rules are read per opinion, so their saves apply at once.

//go:embed templates/settings*.html templates/audit*.html
var settingsFS embed.FS

var (
	settingsIndexPage    = console.Templates(settingsFS, "templates/settings.html")
	settingsDocumentPage = console.Templates(settingsFS, "templates/settings_document.html")
)

// settingsRoutes mounts the settings' pages and the audit.
func (s *Studio) settingsRoutes() {
	s.mux.HandleFunc("GET /console/studio/settings/{$}", s.settingsIndex)
	s.mux.HandleFunc("GET /console/studio/settings/{doc}", s.showDocument)
	s.mux.HandleFunc("POST /console/studio/settings/{doc}", s.editDocument)
	s.mux.HandleFunc("POST /console/studio/settings/{doc}/upload", s.uploadDocument)
	s.mux.HandleFunc("GET /console/studio/settings/{doc}/download", s.downloadDocument)
	s.mux.HandleFunc("GET "+unitsFormPath, s.showUnitsForm)
	s.mux.HandleFunc("POST "+unitsFormPath, s.saveUnitsForm)
	s.keywordRoutes()
	s.officialRoutes()
	s.auditRoutes()
}

// settingsRow is one line of the settings' index.
type settingsRow struct {
	Path, Title, State string
}

func (s *Studio) settingsIndex(w http.ResponseWriter, r *http.Request) error {
	v, _ := console.ViewerFrom(r.Context())
	l := v.Locale
	docs := s.documents()
	var rows []settingsRow
	for _, name := range []string{langnghe.SettingCatalogue, langnghe.SettingFAQ, langnghe.SettingHolidays, langnghe.AuditUnits} {
		d := docs[name]
		state := l.T("Applied at once when saved")
		if !d.live {
			current, err := s.currentRevision(r.Context(), d)
			if err != nil {
				return err
			}
			state = s.revisionState(l, d, current)
		}
		path := "/console/studio/settings/" + d.name
		if d.name == langnghe.AuditUnits {
			path = unitsFormPath // the form first; its YAML is a link away
		}
		rows = append(rows, settingsRow{Path: path, Title: l.T(d.title), State: state})
	}
	rows = append(rows, settingsRow{Path: "/console/studio/settings/officials", Title: l.T("Officials"),
		State: l.T("Invitations, roles and units, revocation")})
	console.Render(w, r, settingsIndexPage, console.Page{Title: l.T("Settings"), Section: "studio", Data: rows})
	return nil
}

// currentRevision returns a revisioned document's current stored revision
// (0: the embedded default).
func (s *Studio) currentRevision(ctx context.Context, d *document) (int, error) {
	_, base, err := d.load(ctx)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(base)
}

// revisionState says which revision is stored and which this replica runs.
func (s *Studio) revisionState(l console.Locale, d *document, current int) string {
	running := s.runningRevision(d.name)
	name := func(rev int) string {
		if rev == 0 {
			return l.T("the default file")
		}
		return fmt.Sprintf(l.T("revision %d"), rev)
	}
	if running == current {
		return fmt.Sprintf(l.T("Current: %s, in use"), name(current))
	}
	return fmt.Sprintf(l.T("Current: %s; this replica runs %s until its next start"), name(current), name(running))
}

// runningRevision is the revision of a document this replica loaded.
func (s *Studio) runningRevision(name string) int {
	switch name {
	case langnghe.SettingCatalogue:
		return s.opts.CatalogueRevision
	case langnghe.SettingHolidays:
		return s.opts.HolidaysRevision
	case langnghe.SettingFAQ:
		return s.opts.FAQRevision
	}
	return 0
}

// documentView is what the document page shows.
type documentView struct {
	Name, Title, File string
	Live              bool
	Source, Base      string
	// State says which revision is current and which one runs.
	State    string
	Problems []problem
	// Checked is set when a check found nothing wrong.
	Checked bool
	// Conflict explains a refused stale save; the text is kept.
	Conflict string
	// Loaded is the earlier revision shown in the editor (0: the current).
	Loaded    int
	Revisions []revisionRow
	// Categories link to the keyword forms (the catalogue only).
	Categories []categoryLink
}

type revisionRow struct {
	Revision int
	Author   string
	At       string
	Size     int
}

type categoryLink struct {
	Code, Name string
	Keywords   int
}

// document returns the document the request names, or ENOTFOUND.
func (s *Studio) document(r *http.Request) (*document, error) {
	d, ok := s.documents()[r.PathValue("doc")]
	if !ok {
		return nil, langnghe.Errorf(langnghe.ENOTFOUND, "there is no settings file %q", r.PathValue("doc"))
	}
	return d, nil
}

// stored is the settings file the path names with its stored source and
// the revision that source is (base).
func (s *Studio) stored(r *http.Request) (d *document, src []byte, base string, err error) {
	if d, err = s.document(r); err != nil {
		return nil, nil, "", err
	}
	src, base, err = d.load(r.Context())
	return d, src, base, err
}

func (s *Studio) showDocument(w http.ResponseWriter, r *http.Request) error {
	d, src, base, err := s.stored(r)
	if err != nil {
		return err
	}
	view := &documentView{Source: string(src), Base: base}
	if q := r.URL.Query().Get("rev"); q != "" && !d.live {
		// An earlier revision in the editor: saving it makes it current
		// again, on top of the current base.
		rev, err := strconv.Atoi(q)
		if err != nil || rev <= 0 {
			return langnghe.Errorf(langnghe.EINVALID, "revision %q is not a revision number", q)
		}
		old, err := s.db.SettingRevision(r.Context(), d.name, rev)
		if err != nil {
			return err
		}
		view.Source, view.Loaded = string(old), rev
	}
	flash := ""
	if r.URL.Query().Has("saved") {
		v, _ := console.ViewerFrom(r.Context())
		flash = v.Locale.T("Saved.")
	}
	s.renderDocument(w, r, http.StatusOK, d, view, flash)
	return nil
}

// editDocument checks or saves the editor's text.
func (s *Studio) editDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.document(r)
	if err != nil {
		return err
	}
	src := normaliseText(r.PostFormValue("source"))
	base := r.PostFormValue("base")
	if r.PostFormValue("action") == "save" {
		s.saveDocument(w, r, d, src, base, "save")
		return nil
	}
	s.checkDocument(w, r, d, src, base)
	return nil
}

// uploadDocument imports a file: the same checks as the editor, saved at
// once when it passes, shown in the editor with its problems when not.
func (s *Studio) uploadDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.document(r)
	if err != nil {
		return err
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		return langnghe.Errorf(langnghe.EINVALID, "choose a file to upload")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSettingsFile+1))
	if err != nil {
		return fmt.Errorf("read the uploaded %s: %w", d.name, err)
	}
	if len(data) > maxSettingsFile {
		return langnghe.Errorf(langnghe.ETOOLARGE, "the file is larger than %d KiB", maxSettingsFile>>10)
	}
	s.saveDocument(w, r, d, normaliseText(string(data)), r.PostFormValue("base"), "import")
	return nil
}

func (s *Studio) checkDocument(w http.ResponseWriter, r *http.Request, d *document, src []byte, base string) {
	view := &documentView{Source: string(src), Base: base}
	ps, err := s.checkSource(r.Context(), d, src)
	if err != nil {
		console.Fail(w, r, err)
		return
	}
	view.Problems, view.Checked = ps, len(ps) == 0
	s.renderDocument(w, r, http.StatusOK, d, view, "")
}

// checkSource runs a document's checks on src, refusing oversized text.
func (s *Studio) checkSource(ctx context.Context, d *document, src []byte) ([]problem, error) {
	if len(src) > maxSettingsFile {
		return []problem{{Message: fmt.Sprintf("the file is larger than %d KiB", maxSettingsFile>>10)}}, nil
	}
	if strings.TrimSpace(string(src)) == "" {
		return []problem{{Message: "the file is empty"}}, nil
	}
	return d.check(ctx, src)
}

// saveDocument checks src and saves it on base. Problems and a stale base
// show the page again with the text kept; nothing is stored.
func (s *Studio) saveDocument(w http.ResponseWriter, r *http.Request, d *document, src []byte, base, action string) {
	v, _ := console.ViewerFrom(r.Context())
	view := &documentView{Source: string(src), Base: base}
	ps, err := s.checkSource(r.Context(), d, src)
	if err != nil {
		console.Fail(w, r, err)
		return
	}
	if len(ps) > 0 {
		view.Problems = ps
		s.renderDocument(w, r, http.StatusBadRequest, d, view, "")
		return
	}
	err = d.save(r.Context(), v.Actor(), action, src, base)
	switch code := langnghe.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, "/console/studio/settings/"+d.name+"?saved=1", http.StatusSeeOther)
	case code == langnghe.ECONFLICT:
		view.Conflict = langnghe.ErrorMessage(err)
		s.renderDocument(w, r, http.StatusConflict, d, view, "")
	case code == langnghe.EINVALID:
		// A check that passed and a save that did not: the state moved
		// under the check (a unit removed meanwhile, say).
		view.Problems, err = problemsOf(err, src)
		if err != nil {
			console.Fail(w, r, err)
			return
		}
		s.renderDocument(w, r, http.StatusBadRequest, d, view, "")
	default:
		console.Fail(w, r, err)
	}
}

func (s *Studio) downloadDocument(w http.ResponseWriter, r *http.Request) error {
	d, src, _, err := s.stored(r)
	if err != nil {
		return err
	}
	file := d.file
	if q := r.URL.Query().Get("rev"); q != "" && !d.live {
		rev, err := strconv.Atoi(q)
		if err != nil || rev <= 0 {
			return langnghe.Errorf(langnghe.EINVALID, "revision %q is not a revision number", q)
		}
		if src, err = s.db.SettingRevision(r.Context(), d.name, rev); err != nil {
			return err
		}
		file = fmt.Sprintf("%s-r%d.yaml", d.name, rev)
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	_, _ = w.Write(src)
	return nil
}

// renderDocument fills in what every document page shows besides the
// editor: the state, the history and, for the catalogue, the categories.
func (s *Studio) renderDocument(w http.ResponseWriter, r *http.Request, status int, d *document, view *documentView, flash string) {
	ctx := r.Context()
	v, _ := console.ViewerFrom(ctx)
	l := v.Locale
	view.Name, view.Title, view.File, view.Live = d.name, l.T(d.title), d.file, d.live
	if d.live {
		view.State = l.T("Saving applies the units and rules at once, all or nothing.")
	} else {
		revs, err := s.db.SettingRevisions(ctx, d.name)
		if err != nil {
			console.Fail(w, r, err)
			return
		}
		current := 0 // the embedded default until a revision is stored
		for _, rv := range revs {
			current = max(current, rv.Revision)
		}
		view.State = s.revisionState(l, d, current)
		name, err := s.actorNames(ctx)
		if err != nil {
			console.Fail(w, r, err)
			return
		}
		for _, rv := range revs {
			view.Revisions = append(view.Revisions, revisionRow{Revision: rv.Revision, Author: name(rv.Author),
				At: l.DateTime(rv.CreatedAt), Size: rv.Size})
		}
	}
	if d.name == langnghe.SettingCatalogue {
		cat, err := s.storedCatalogue(ctx)
		if err != nil {
			console.Fail(w, r, err)
			return
		}
		for _, c := range cat.Categories {
			view.Categories = append(view.Categories, categoryLink{Code: c.Code, Name: c.Name(l.Lang), Keywords: len(c.Keywords)})
		}
	}
	console.Render(w, r, settingsDocumentPage, console.Page{Title: view.Title, Section: "studio", Data: view, Flash: flash, Status: status})
}

// actorNames returns a function that names an audit actor: an official's
// name for "official:ID", the actor itself otherwise ("system", "cli:ana").
func (s *Studio) actorNames(ctx context.Context) (func(string) string, error) {
	list, err := s.db.Officials(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(list))
	for _, o := range list {
		names[o.Actor()] = o.Name
	}
	return func(actor string) string {
		if n, ok := names[actor]; ok && n != "" {
			return n
		}
		return actor
	}, nil
}

// normaliseText turns a browser's CRLF line ends (textareas submit them)
// into the files' LF.
func normaliseText(s string) []byte {
	return []byte(strings.ReplaceAll(s, "\r\n", "\n"))
}
