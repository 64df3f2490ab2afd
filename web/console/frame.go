package console

import (
	"bytes"
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"langnghe"
	"langnghe/web"
	"langnghe/wording"
)

// The frame every console page shares: who is signed in (Viewer), in which
// language and time zone (Locale), the layout with its navigation, and the
// static assets. The studio (web/studio) renders through the same frame so
// that officials see one console.

//go:embed templates/layout.html templates/head.html
var layoutFS embed.FS

//go:embed assets
var assetsFS embed.FS

// Viewer is the signed-in official of a console request.
type Viewer struct {
	Official *langnghe.Official
	// CSRF goes back in every form (field CSRFField) or fetch (CSRFHeader).
	CSRF   string
	Locale Locale
	// Campaigns: the console serves the campaign pages (navigation).
	Campaigns bool
	// emergencies loads the emergency strip (emergency.go); nil: none.
	emergencies func(context.Context) (*EmergencyStrip, error)
}

// IsAdmin reports whether the viewer may use the studio.
func (v *Viewer) IsAdmin() bool { return v.Official.Role == langnghe.RoleAdmin }

// Actor is how the viewer is named in audit records and opinion events.
func (v *Viewer) Actor() string { return v.Official.Actor() }

type viewerKey struct{}

// ViewerFrom returns the console request's viewer; handlers mounted through
// the console (the studio) always have one.
func ViewerFrom(ctx context.Context) (*Viewer, bool) {
	v, ok := ctx.Value(viewerKey{}).(*Viewer)
	return v, ok
}

// Locale is the language and time zone a page is shown in. Vietnamese is the
// default; officials switch with ?lang=en or ?lang=zh (remembered in a
// cookie).
type Locale struct {
	Lang string // "vi", "en" or "zh"
	TZ   *time.Location
}

// T translates an English interface string into the viewer's language
// from the catalogue (wording/*/console.yaml, studio.yaml), where the
// English text is the key.
func (l Locale) T(s string) string { return wording.Text(l.Lang, s) }

// Named is k's name for the viewer: its English name in names, translated
// (T), or k itself when names has none. A status, a track, a rating or a
// question kind is named this one way, from a table beside its page.
func Named[K ~string](names map[K]string, k K, l Locale) string {
	if n, ok := names[k]; ok {
		return l.T(n)
	}
	return string(k)
}

// Date formats t as DD/MM/YYYY in the locale's time zone; the zero time is "".
func (l Locale) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(l.TZ).Format(langnghe.DateLayout)
}

// DateTime formats t as DD/MM/YYYY HH:MM in the locale's time zone.
func (l Locale) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(l.TZ).Format(langnghe.DateTimeLayout)
}

// Number formats n with the locale's thousands separator (1.234 / 1,234).
func (l Locale) Number(n int) string {
	s := itoa(int64(n))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := "."
	if l.Lang != langnghe.LangVI {
		sep = ","
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// LangCookie remembers the viewer's interface language.
const LangCookie = "langnghe_lang"

// locale picks the request's language: ?lang= (then remembered), the
// cookie, the official's own language, Vietnamese.
func (c *Console) locale(w http.ResponseWriter, r *http.Request, off *langnghe.Official) Locale {
	lang := r.URL.Query().Get("lang")
	if wording.Supported(lang) {
		http.SetCookie(w, &http.Cookie{Name: LangCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			Secure: secureRequest(r), HttpOnly: true, SameSite: http.SameSiteLaxMode})
	} else if ck, err := r.Cookie(LangCookie); err == nil && wording.Supported(ck.Value) {
		lang = ck.Value
	} else if off != nil && wording.Supported(off.Language) {
		lang = off.Language
	} else {
		lang = "vi"
	}
	return Locale{Lang: lang, TZ: c.opts.TimeZone}
}

// Page is what the layout shows around a page's content.
type Page struct {
	// Title names the page in the browser tab and its heading.
	Title string
	// Section is the navigation entry to highlight: inbox, reports, studio.
	Section string
	// Data is the page's own data, {{.Data}} in its template.
	Data any
	// Flash is a one-line message shown above the content (after an action).
	Flash string
	// Status is the HTTP status of the answer, 200 when zero (a refused
	// form comes back with its own). A page that cannot be rendered is a
	// 500 whatever it says.
	Status int
}

// view is what a page template executes on.
type view struct {
	Page
	V *Viewer
	L Locale
	// Path and Query rebuild links (the language switch keeps the page).
	Path, Query string
	// Alert is the emergency strip shown above every page; nil: none.
	Alert *EmergencyStrip
}

// LangURL returns the current page's URL in lang.
func (v view) LangURL(lang string) string {
	q := v.Query
	parts := strings.Split(q, "&")
	kept := parts[:0]
	for _, p := range parts {
		if p != "" && !strings.HasPrefix(p, "lang=") {
			kept = append(kept, p)
		}
	}
	kept = append(kept, "lang="+lang)
	return v.Path + "?" + strings.Join(kept, "&")
}

// Templates parses page templates from fsys on top of the console's layout.
// Each page file defines "content" (and may define "head" for extra tags);
// the layout is the template to execute.
func Templates(fsys fs.FS, patterns ...string) *template.Template {
	t := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(layoutFS, "templates/layout.html", "templates/head.html"))
	return template.Must(t.ParseFS(fsys, patterns...))
}

// funcs are the helpers every console template may use.
var funcs = template.FuncMap{
	"csrfField": func() string { return CSRFField },
	// add and sub page through lists.
	"add": func(a, b int) int { return a + b },
	"sub": func(a, b int) int { return a - b },
}

// Render writes a page in the console's frame: t from Templates, p the
// page. The page is rendered in full before anything is written, so a
// template error gives a clean 500, not half a page.
func Render(w http.ResponseWriter, r *http.Request, t *template.Template, p Page) {
	v, ok := ViewerFrom(r.Context())
	if !ok {
		refusal(w, langnghe.Errorf(langnghe.EUNAUTHORIZED, "not signed in"), http.StatusUnauthorized)
		return
	}
	var buf bytes.Buffer
	err := t.ExecuteTemplate(&buf, "layout.html", view{Page: p, V: v, L: v.Locale, Path: r.URL.Path, Query: r.URL.RawQuery,
		Alert: stripFor(r, v)})
	if err != nil {
		logFrom(r.Context()).Error("render console page", "page", p.Title, "err", err)
		http.Error(w, "the page could not be shown", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if p.Status != 0 {
		w.WriteHeader(p.Status)
	}
	_, _ = w.Write(buf.Bytes())
}

// Fail answers err with its HTTP status and safe message in the console's
// frame (a signed-in viewer) or as plain text (nobody signed in).
func Fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		logFrom(r.Context()).Error("console", "path", r.URL.Path, "err", err)
	}
	if _, ok := ViewerFrom(r.Context()); !ok {
		refusal(w, err, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	var buf bytes.Buffer
	v, _ := ViewerFrom(r.Context())
	p := Page{Title: v.Locale.T("Something went wrong"), Data: langnghe.ErrorMessageIn(err, v.Locale.Lang)}
	if e := errorPage.ExecuteTemplate(&buf, "layout.html", view{Page: p, V: v, L: v.Locale, Path: r.URL.Path, Query: r.URL.RawQuery,
		Alert: stripFor(r, v)}); e == nil {
		_, _ = w.Write(buf.Bytes())
	}
}

var errorPage = Templates(layoutFS, "templates/layout.html")

func init() {
	template.Must(errorPage.New("content").Parse(`<p class="error" role="alert">{{.Data}}</p>
<p><a href="/console/">{{.L.T "Back to the inbox"}}</a></p>`))
}

// Static serves the files of fsys's directory dir at prefix (the console's
// and the studio's assets, shipped in the binary); their names carry no
// version, so they are cached briefly.
func Static(fsys fs.FS, dir, prefix string) http.Handler {
	sub, _ := fs.Sub(fsys, dir) // an embedded directory always exists
	files := http.StripPrefix(prefix, http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		files.ServeHTTP(w, r)
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

type logKey struct{}

// logFrom is the console's logger, which requests carry so that pages
// mounted from other packages log where the console does.
func logFrom(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(logKey{}).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

func statusOf(err error) int { return web.StatusOf(err) }
