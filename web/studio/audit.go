package studio

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"langnghe"
	"langnghe/web/console"
)

// The audit: every change to flows and settings, newest first, filterable
// by kind, paged, and exported as CSV for whoever reviews it.

var auditPage = console.Templates(settingsFS, "templates/audit.html")

// auditPageSize is how many entries a page of the audit shows.
const auditPageSize = 50

func (s *Studio) auditRoutes() {
	s.mux.HandleFunc("GET /console/studio/audit", s.showAudit)
	s.mux.HandleFunc("GET /console/studio/audit.csv", s.exportAudit)
}

type auditRow struct {
	At, Actor, Kind, Subject, Action, Detail string
	Revision                                 int
}

type kindChoice struct {
	Value, Label string
	Selected     bool
}

type auditView struct {
	Rows       []auditRow
	Kinds      []kindChoice
	Kind       string
	Page       int
	Prev, Next string
	CSV        string
}

// auditKind reads the kind filter; an unknown kind is refused rather than
// silently showing everything.
func auditKind(q url.Values) (string, error) {
	k := q.Get("kind")
	if k != "" && !slices.Contains(langnghe.AuditKinds, k) {
		return "", langnghe.Errorf(langnghe.EINVALID, "unknown kind %q (%s)", k, strings.Join(langnghe.AuditKinds, ", "))
	}
	return k, nil
}

// kindNames name the audit's kinds in English; console.Named translates
// them.
var kindNames = map[string]string{langnghe.AuditFlow: "Conversation flow", langnghe.AuditCatalogue: "Catalogue",
	langnghe.AuditHolidays: "Holidays", langnghe.AuditFAQ: "FAQ", langnghe.AuditUnits: "Units and routing rules",
	langnghe.AuditOfficial: "Official"}

// actionLabel is an action's English name; pages translate it (the CSV
// keeps the codes).
func actionLabel(action string) string {
	switch action {
	case "save":
		return "Saved"
	case "publish":
		return "Published"
	case "import":
		return "Uploaded a file"
	case "form":
		return "Edited in the form"
	case "keywords":
		return "Keywords edited"
	case "invite":
		return "Invited"
	case "revoke":
		return "Access revoked"
	case "change":
		return "Role or units changed"
	}
	return action
}

func (s *Studio) showAudit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v, _ := console.ViewerFrom(ctx)
	l := v.Locale
	q := r.URL.Query()
	kind, err := auditKind(q)
	if err != nil {
		return err
	}
	page := 1
	if p := q.Get("page"); p != "" {
		if page, err = strconv.Atoi(p); err != nil || page < 1 || page > 100000 {
			return langnghe.Errorf(langnghe.EINVALID, "page %q is not a page number", p)
		}
	}
	// One entry more than a page says whether there is a next page.
	entries, err := s.db.Audit(ctx, langnghe.AuditQuery{Kind: kind, Limit: auditPageSize + 1, Offset: (page - 1) * auditPageSize})
	if err != nil {
		return err
	}
	name, err := s.actorNames(ctx)
	if err != nil {
		return err
	}
	view := &auditView{Kind: kind, Page: page}
	link := func(p int) string {
		v := url.Values{}
		if kind != "" {
			v.Set("kind", kind)
		}
		if p > 1 {
			v.Set("page", strconv.Itoa(p))
		}
		if len(v) == 0 {
			return "/console/studio/audit"
		}
		return "/console/studio/audit?" + v.Encode()
	}
	if len(entries) > auditPageSize {
		entries = entries[:auditPageSize]
		view.Next = link(page + 1)
	}
	if page > 1 {
		view.Prev = link(page - 1)
	}
	view.CSV = "/console/studio/audit.csv"
	if kind != "" {
		view.CSV += "?kind=" + url.QueryEscape(kind)
	}
	for _, e := range entries {
		view.Rows = append(view.Rows, auditRow{At: l.DateTime(e.At), Actor: name(e.Actor), Kind: console.Named(kindNames, e.Kind, l),
			Subject: e.Subject, Action: l.T(actionLabel(e.Action)), Revision: e.Revision, Detail: e.Detail})
	}
	view.Kinds = []kindChoice{{Value: "", Label: l.T("All"), Selected: kind == ""}}
	for _, k := range langnghe.AuditKinds {
		view.Kinds = append(view.Kinds, kindChoice{Value: k, Label: console.Named(kindNames, k, l), Selected: k == kind})
	}
	console.Render(w, r, auditPage, console.Page{Title: l.T("Audit of changes"), Section: "studio", Data: view})
	return nil
}

// exportAudit writes the whole audit (or one kind) as CSV, newest first.
func (s *Studio) exportAudit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	kind, err := auditKind(r.URL.Query())
	if err != nil {
		return err
	}
	name, err := s.actorNames(ctx)
	if err != nil {
		return err
	}
	// The whole list is read before anything is written, so a failure
	// gives an error page, not half a file.
	var all []langnghe.AuditEntry
	const batch = 1000
	for offset := 0; ; offset += batch {
		entries, err := s.db.Audit(ctx, langnghe.AuditQuery{Kind: kind, Limit: batch, Offset: offset})
		if err != nil {
			return err
		}
		all = append(all, entries...)
		if len(entries) < batch {
			break
		}
	}
	file := "audit"
	if kind != "" {
		file += "-" + kind
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`.csv"`)
	out := csv.NewWriter(w)
	_ = out.Write([]string{"at", "actor", "actor_name", "kind", "subject", "action", "revision", "detail"})
	for _, e := range all {
		_ = out.Write([]string{e.At.In(s.opts.TimeZone).Format(time.RFC3339), console.Defuse(e.Actor), console.Defuse(name(e.Actor)),
			e.Kind, console.Defuse(e.Subject), e.Action, strconv.Itoa(e.Revision), console.Defuse(e.Detail)})
	}
	out.Flush()
	return nil
}
