// Package console is the officials' web console. This first piece is the
// sign-in: an official asks the bot (or an admin the CLI) for a one-time
// link, opens it, and confirms; the console then keeps a session in a
// Secure (over https), HttpOnly, SameSite=Lax cookie. Every request reloads
// the official, so revoking one ends their access at once, and every
// non-GET request must carry the session's CSRF token.
package console

import (
	"context"
	"crypto/subtle"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/flows/catalogue"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/web"
	"langnghe/wording"
)

// CookieName is the session cookie.
const CookieName = "langnghe_session"

// CSRFField is the hidden form field (or, as CSRFHeader, the header) that
// carries the session's CSRF token.
const (
	CSRFField  = "csrf"
	CSRFHeader = "X-CSRF-Token"
)

// SignInPath is where a sign-in link points; the token goes in ?token=.
const SignInPath = "/signin"

// MaxFormBytes caps a console request's body: the largest is an uploaded
// flow or settings file, which the studio limits to 1 MiB itself.
const MaxFormBytes = 4 << 20

// maxSignInBytes caps a sign-in's body: a form with the link's token
// alone ("token=" and 64 hex digits), with room to spare. Anything larger,
// or anything but such a form (a multipart upload would be spooled to
// temporary files), is refused before the token is looked at.
const maxSignInBytes = 1 << 10

// LinkTTL is how long a sign-in link stays valid: long enough to open it,
// short enough that a forwarded or leaked one soon stops working.
const LinkTTL = 10 * time.Minute

// SignInLink is the link that signs in with token on the console at base
// ("https://langnghe.example.vn"; empty gives a path alone).
func SignInLink(base, token string) string {
	return strings.TrimRight(base, "/") + SignInPath + "?token=" + url.QueryEscape(token)
}

// Store is what the console needs of the database (*storage.DB): a
// transaction for every page, and the report queries, which read outside
// one.
type Store interface {
	InTx(ctx context.Context, fn func(tx *storage.Tx) error) error
	langnghe.ReportService
	Units(ctx context.Context) ([]langnghe.Unit, error)
}

// Options are the console's settings.
type Options struct {
	// SessionTTL is how long a session lasts; 12 hours when zero.
	SessionTTL time.Duration
	// TimeZone is where dates are shown (Asia/Ho_Chi_Minh); UTC when nil.
	TimeZone *time.Location
	// Studio serves the admins' flow studio under /console/studio/
	// (web/studio); only admins reach it. Nil leaves it unmounted.
	Studio http.Handler
	Now    func() time.Time
	Log    *slog.Logger

	// Catalogue names categories and areas; catalogue.Default() when nil.
	Catalogue *langnghe.Catalogue

	// Followup lists, counts and shows opinions within an official's
	// scope (followup.Service, which cmd/langnghe wires); required.
	Followup Followup
	// Desk applies officials' actions on the opinion page as the chat does,
	// telling the resident (officedesk.Desk); without it the page shows no
	// action forms.
	Desk Desk
	// Calendar counts working days for "due soon";
	// calendar.Default(TimeZone) when nil.
	Calendar followup.Calendar
	// Emergencies feeds the emergency strip and its button
	// (followup.Service); Followup when nil and it is one.
	Emergencies EmergencyKeeper

	// Campaigns serves the board's campaigns (campaigns.go) and their
	// public results pages (PublicResultsPath); nil leaves them out.
	Campaigns langnghe.CampaignService
	// BotUsername is the bot's name without @ ("" before Telegram
	// answered): it makes campaigns' deep links and QR codes.
	BotUsername string

	// PublicURL is the console's address as browsers reach it
	// (LANGNGHE_PUBLIC_URL, https://langnghe.example.vn): a sign-in posted
	// from it is not cross-site even behind a proxy that changes the Host
	// header. The request's own host is always accepted.
	PublicURL string
}

// Console serves /signin, /signout and /console/.
type Console struct {
	db   Store
	opts Options
	mux  *http.ServeMux
	// sameOrigin refuses sign-ins posted from another site (login CSRF: a
	// page elsewhere signing the browser in to an account of its choice).
	sameOrigin *http.CrossOriginProtection
}

// New returns the console on db. It panics without opts.Followup: the
// console builds no services of its own.
func New(db Store, opts Options) *Console {
	if opts.Followup == nil {
		panic("console: Options.Followup is required")
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	opts.TimeZone, opts.Now = langnghe.Clock(opts.TimeZone, opts.Now)
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Catalogue == nil {
		opts.Catalogue = catalogue.Default()
	}
	if opts.Calendar == nil {
		opts.Calendar = calendar.Default(opts.TimeZone)
	}
	if k, ok := opts.Followup.(EmergencyKeeper); ok && opts.Emergencies == nil {
		opts.Emergencies = k
	}
	c := &Console{db: db, opts: opts, mux: http.NewServeMux(), sameOrigin: http.NewCrossOriginProtection()}
	if opts.PublicURL != "" {
		if err := c.sameOrigin.AddTrustedOrigin(strings.TrimRight(opts.PublicURL, "/")); err != nil {
			opts.Log.Warn("the console's public address is not an origin; sign-ins are accepted from the request's own host only", "public_url", opts.PublicURL, "err", err)
		}
	}
	c.mux.HandleFunc("GET "+SignInPath, c.signInForm)
	c.mux.HandleFunc("POST "+SignInPath, c.signIn)
	c.mux.Handle("POST /signout", c.requireOfficial(c.signOut))
	c.mux.Handle("GET /console/static/", Static(assetsFS, "assets", "/console/static/"))
	c.inboxRoutes()
	c.opinionRoutes()
	c.reportRoutes()
	c.emergencyRoutes()
	c.campaignRoutes()
	if opts.Studio != nil {
		c.mux.Handle("/console/studio/", c.requireOfficial(func(w http.ResponseWriter, r *http.Request, v *visit) error {
			if !v.viewer.IsAdmin() {
				return langnghe.Errorf(langnghe.EFORBIDDEN, "the studio is for admins")
			}
			opts.Studio.ServeHTTP(w, r)
			return nil
		}))
	}
	c.mux.Handle("/console/", c.requireOfficial(func(http.ResponseWriter, *http.Request, *visit) error {
		return langnghe.Errorf(langnghe.ENOTFOUND, "there is no such page")
	}))
	return c
}

// ServeHTTP makes the console an http.Handler. Console pages are private:
// never cached, never framed, no referrer (a sign-in URL carries a token).
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	// Scripts and styles come from the binary only; images also from
	// attachments (same origin) and inline SVG charts.
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	c.mux.ServeHTTP(w, r)
}

// visit is one signed-in request: the session and its (active) official.
type visit struct {
	sessionID string
	session   *langnghe.ConsoleSession
	official  *langnghe.Official
	// viewer is what the request's context carries (ViewerFrom), for the
	// handlers requireOfficial runs.
	viewer *Viewer
}

// requireOfficial runs next only for a valid session of an active official,
// and, for anything but GET and HEAD, only with the session's CSRF token.
// Without a session the answer is 401 and a page saying how to sign in. The request's
// context then carries the Viewer (ViewerFrom) and the console's logger.
func (c *Console) requireOfficial(next func(http.ResponseWriter, *http.Request, *visit) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := c.visit(r)
		if err != nil {
			c.refuse(w, err)
			return
		}
		// Forms and uploads (a flow or settings file) are small; reading the
		// CSRF token parses the body, so cap it before.
		r.Body = http.MaxBytesReader(w, r.Body, MaxFormBytes)
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !validCSRF(r, v.session.CSRF) {
			c.refuse(w, langnghe.Errorf(langnghe.EFORBIDDEN, "missing or wrong CSRF token; reload the page and try again"))
			return
		}
		viewer := &Viewer{Official: v.official, CSRF: v.session.CSRF, Locale: c.locale(w, r, v.official),
			Campaigns: c.opts.Campaigns != nil}
		viewer.emergencies = func(ctx context.Context) (*EmergencyStrip, error) {
			return c.emergencyStrip(ctx, v.official, viewer.Locale)
		}
		v.viewer = viewer
		ctx := context.WithValue(r.Context(), viewerKey{}, viewer)
		ctx = context.WithValue(ctx, logKey{}, c.opts.Log)
		r = r.WithContext(ctx)
		if err := next(w, r, v); err != nil {
			Fail(w, r, err) // the one way a console page fails
		}
	})
}

// visit loads the request's session and checks its official is active.
func (c *Console) visit(r *http.Request) (*visit, error) {
	cookie, err := r.Cookie(CookieName)
	if err != nil || cookie.Value == "" {
		return nil, langnghe.Errorf(langnghe.EUNAUTHORIZED, "not signed in")
	}
	v := &visit{sessionID: cookie.Value}
	err = c.db.InTx(r.Context(), func(tx *storage.Tx) error {
		s, err := tx.ConsoleSession(r.Context(), v.sessionID, c.opts.Now())
		if err != nil {
			return err
		}
		off, err := tx.Official(r.Context(), s.OfficialID)
		if err != nil {
			return err
		}
		v.session, v.official = s, off
		return nil
	})
	switch {
	case langnghe.ErrorCode(err) == langnghe.ENOTFOUND:
		return nil, langnghe.Errorf(langnghe.EUNAUTHORIZED, "not signed in, or the session has ended")
	case err != nil:
		return nil, err
	case v.official.RevokedAt != nil || !v.official.Role.Valid():
		return nil, langnghe.Errorf(langnghe.EUNAUTHORIZED, "this account no longer has access")
	}
	return v, nil
}

// validCSRF compares the request's token with want in constant time.
func validCSRF(r *http.Request, want string) bool {
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		got = r.PostFormValue(CSRFField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

var signInPage = twoLanguagePage("signin", `<h1>{{vi "Sign in"}} / {{en "Sign in"}}</h1>
<form method="post" action="/signin">
<input type="hidden" name="token" value="{{.}}">
<button type="submit">{{vi "Sign in"}} / {{en "Sign in"}}</button>
</form>`)

// signInForm shows a button that posts the link's token. The token is
// only spent on POST, so a link preview (Telegram fetches links it shows)
// or a mail scanner opening the link does not use it up.
func (c *Console) signInForm(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	if token == "" {
		c.refuse(w, langnghe.Errorf(langnghe.EINVALID, "this sign-in link has no token; ask the bot for a new one (/dangnhap)"))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := signInPage.Execute(w, token); err != nil {
		c.opts.Log.Warn("render sign-in page", "err", err)
	}
}

// signIn spends the token and starts a session. It takes only a small
// form posted from the console itself (the page signInForm shows).
func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	if err := c.sameOrigin.Check(r); err != nil {
		c.opts.Log.Warn("cross-site sign-in refused", "origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(crossSitePage))
		return
	}
	token, err := signInToken(w, r)
	if err != nil {
		c.refuse(w, err)
		return
	}
	if token == "" {
		c.refuse(w, langnghe.Errorf(langnghe.EUNAUTHORIZED, "this sign-in link is unknown, used or expired; ask the bot for a new one"))
		return
	}
	now := c.opts.Now()
	var sessionID string
	var session *langnghe.ConsoleSession
	err = c.db.InTx(r.Context(), func(tx *storage.Tx) error {
		officialID, err := tx.UseSignInToken(r.Context(), token, now)
		if err != nil {
			return err
		}
		off, err := tx.Official(r.Context(), officialID)
		if err != nil {
			return err
		}
		if off.RevokedAt != nil {
			return langnghe.Errorf(langnghe.EUNAUTHORIZED, "this account no longer has access")
		}
		sessionID, session, err = tx.CreateConsoleSession(r.Context(), officialID, now.Add(c.opts.SessionTTL))
		return err
	})
	if err != nil {
		c.refuse(w, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: sessionID, Path: "/", Expires: session.ExpiresAt,
		Secure: secureRequest(r), HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, "/console/", http.StatusSeeOther)
}

// crossSitePage answers a sign-in posted from another site.
var crossSitePage = staticPage(twoLanguagePage("crosssite", `<h1>{{vi "Sign-in refused"}} / {{en "Sign-in refused"}}</h1>
<p>{{vi "This sign-in was sent from another website, not from the officials' console, so it was refused to protect your account."}}
{{vi "Open the sign-in link the bot sent you again (/dangnhap) and press «Sign in» on that page."}}</p>
<p lang="en">{{en "This sign-in was sent from another website, not from the officials' console, so it was refused to protect your account."}}
{{en "Open the sign-in link the bot sent you again (/dangnhap) and press «Sign in» on that page."}}</p>`))

// signInToken reads the token of a sign-in: the body must be an
// urlencoded form of at most maxSignInBytes.
func signInToken(w http.ResponseWriter, r *http.Request) (string, error) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return "", langnghe.Errorf(langnghe.EINVALID, "a sign-in is a form (application/x-www-form-urlencoded) with the link's token")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSignInBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return "", langnghe.Errorf(langnghe.ETOOLARGE, "a sign-in is a form of at most %d bytes", maxSignInBytes)
	case err != nil:
		return "", langnghe.Errorf(langnghe.EINVALID, "the sign-in form could not be read")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return "", langnghe.Errorf(langnghe.EINVALID, "the sign-in form could not be read")
	}
	return form.Get("token"), nil
}

// secureRequest reports whether the browser reached us over https, directly
// or through a proxy that says so; the cookie is then Secure.
func secureRequest(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// signOut ends the session and clears the cookie.
func (c *Console) signOut(w http.ResponseWriter, r *http.Request, v *visit) error {
	err := c.db.InTx(r.Context(), func(tx *storage.Tx) error {
		return tx.EndConsoleSession(r.Context(), v.sessionID)
	})
	if err != nil {
		c.refuse(w, err)
		return nil
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		Secure: secureRequest(r), HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(signedOutPage))
	return nil
}

var signedOutPage = staticPage(twoLanguagePage("signedout", `<p>{{vi "Signed out."}} / {{en "Signed out."}}</p>`))

// refuse answers err with its status and safe message, and no other content.
func (c *Console) refuse(w http.ResponseWriter, err error) {
	status := web.StatusOf(err)
	if status == http.StatusInternalServerError {
		c.opts.Log.Error("console", "err", err)
	}
	refusal(w, err, status)
}

// refusal answers a request the console could not tie to an official (no
// session, an expired one, a spent sign-in link) with a page in both
// languages that says how to get in, not a bare line of English.
func refusal(w http.ResponseWriter, err error, status int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = refusalPage.Execute(w, struct {
		Vi, En   string
		SignedIn bool
	}{langnghe.ErrorMessageIn(err, langnghe.LangVI), langnghe.ErrorMessage(err), status != http.StatusUnauthorized})
}

var refusalPage = twoLanguagePage("refusal", `<h1>{{vi "Not allowed"}} / {{en "Not allowed"}}</h1>
<p class="error" role="alert">{{.Vi}}</p>
{{if and .SignedIn (ne .Vi .En)}}<p class="error" lang="en">{{.En}}</p>{{end}}
{{if .SignedIn}}<p><a href="/console/">{{vi "Back to the inbox"}} / {{en "Back to the inbox"}}</a></p>
{{else}}<p>{{viWith "To sign in, send %s to the bot on Telegram and open the link it sends back; console-only admins ask an admin for a sign-in link." "<b>/dangnhap</b>"}}</p>
<p lang="en">{{en "You are not signed in, or your session has ended."}} {{enWith "To sign in, send %s to the bot on Telegram and open the link it sends back; console-only admins ask an admin for a sign-in link." "<b>/dangnhap</b>"}}</p>{{end}}`)

// The pages shown before anyone is signed in know no reader's language:
// they say everything in Vietnamese, then in English, from the catalogue.
func twoLanguagePage(name, body string) *template.Template {
	in := func(lang string) func(string) string {
		return func(key string) string { return wording.Text(lang, key) }
	}
	// with puts html (the template's own markup, such as <b>/dangnhap</b>)
	// in place of the text's %s.
	with := func(lang string) func(string, template.HTML) template.HTML {
		return func(key string, html template.HTML) template.HTML {
			return template.HTML(strings.Replace(template.HTMLEscapeString(wording.Text(lang, key)), "%s", string(html), 1))
		}
	}
	return template.Must(template.New(name).Funcs(template.FuncMap{
		"vi": in(langnghe.LangVI), "en": in(langnghe.LangEN), "viWith": with(langnghe.LangVI), "enWith": with(langnghe.LangEN),
	}).Parse(page(body)))
}

// staticPage is a page without data, rendered once.
func staticPage(t *template.Template) string {
	var b strings.Builder
	if err := t.Execute(&b, nil); err != nil {
		panic(err)
	}
	return b.String()
}

// page wraps body in the console's HTML shell.
func page(body string) string {
	return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lắng nghe — cán bộ</title>
<link rel="stylesheet" href="/console/static/console.css"></head>
<body><main>
` + body + `
</main></body></html>`
}
