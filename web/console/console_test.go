package console_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/flows/catalogue"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web/console"
)

// fixture is a console on a real database with one official.
type fixture struct {
	db       *storage.DB
	srv      *httptest.Server
	official int64
	now      time.Time
}

func newFixture(t *testing.T, db *storage.DB, name string) *fixture {
	t.Helper()
	f := &fixture{db: db, now: time.Now()}
	err := db.InTx(context.Background(), func(tx *storage.Tx) error {
		o := &langnghe.Official{Name: name, Role: langnghe.RoleBoard, Channel: "telegram", ExternalID: "42", ChatID: "42"}
		if err := tx.CreateOfficial(context.Background(), o); err != nil {
			return err
		}
		f.official = o.ID
		return nil
	})
	if err != nil {
		t.Fatalf("create official: %v", err)
	}
	clock := func() time.Time { return f.now }
	c := console.New(db, console.Options{Now: clock, Followup: newCore(nil, clock)})
	f.srv = httptest.NewServer(c)
	t.Cleanup(f.srv.Close)
	return f
}

// newCore is the follow-up core cmd/langnghe wires, on the default
// catalogue and the calendar of tz (UTC when nil).
func newCore(tz *time.Location, now func() time.Time) *followup.Service {
	if tz == nil {
		tz = time.UTC
	}
	return followup.New(catalogue.Default(), calendar.Default(tz), followup.Options{TimeZone: tz, Now: now})
}

// token issues a sign-in token valid for ttl from the fixture's now.
func (f *fixture) token(t *testing.T, ttl time.Duration) string {
	t.Helper()
	var token string
	err := f.db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
		token, err = tx.CreateSignInToken(context.Background(), f.official, f.now.Add(ttl))
		return err
	})
	if err != nil {
		t.Fatalf("create sign-in token: %v", err)
	}
	return token
}

// client does not follow redirects, so tests see the answers themselves.
func client() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signIn posts token and returns the response and its session cookie (nil when none).
func (f *fixture) signIn(t *testing.T, token string) (*http.Response, *http.Cookie) {
	t.Helper()
	resp, err := client().PostForm(f.srv.URL+"/signin", url.Values{"token": {token}})
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == console.CookieName && c.Value != "" {
			return resp, c
		}
	}
	return resp, nil
}

func (f *fixture) get(t *testing.T, path string, cookie *http.Cookie) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestSignInOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, `Lê Văn <b>Tám</b>`)
		token := f.token(t, 10*time.Minute)

		// Opening the link spends nothing (link previews open it too).
		if status, body := f.get(t, "/signin?token="+token, nil); status != http.StatusOK || !strings.Contains(body, token) {
			t.Fatalf("GET /signin = %d %q, want the confirmation form", status, body)
		}
		resp, cookie := f.signIn(t, token)
		if resp.StatusCode != http.StatusSeeOther || cookie == nil {
			t.Fatalf("sign in = %d, cookie %v; want 303 and a session", resp.StatusCode, cookie)
		}
		if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" || cookie.Secure {
			t.Errorf("cookie over plain http = %+v, want HttpOnly, SameSite=Lax, Path=/, not Secure", cookie)
		}
		status, body := f.get(t, "/console/", cookie)
		if status != http.StatusOK || !strings.Contains(body, `<span title="Đăng nhập với tên">Lê Văn &lt;b&gt;Tám&lt;/b&gt;</span>`) {
			t.Fatalf("GET /console/ = %d %q, want the name in the header, escaped", status, body)
		}

		if resp, cookie := f.signIn(t, token); resp.StatusCode != http.StatusUnauthorized || cookie != nil {
			t.Errorf("reused link = %d, cookie %v; want 401 and no session", resp.StatusCode, cookie)
		}
	})
}

func TestSignInRefused(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, "An")
		expired := f.token(t, 5*time.Minute)
		f.now = f.now.Add(5 * time.Minute)
		for name, token := range map[string]string{"expired": expired, "unknown": strings.Repeat("ab", 32), "empty": ""} {
			if resp, cookie := f.signIn(t, token); resp.StatusCode != http.StatusUnauthorized || cookie != nil {
				t.Errorf("%s link = %d, cookie %v; want 401 and no session", name, resp.StatusCode, cookie)
			}
		}
	})
}

func TestSecureCookieBehindProxy(t *testing.T) {
	f := newFixture(t, storagetest.SQLite(t), "An")
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/signin", strings.NewReader(url.Values{"token": {f.token(t, time.Minute)}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err := client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookies := resp.Cookies()
	if len(cookies) != 1 || !cookies[0].Secure || !cookies[0].HttpOnly {
		t.Fatalf("cookies behind an https proxy = %+v, want one Secure, HttpOnly session", cookies)
	}
}

func TestWithoutSessionRefused(t *testing.T) {
	f := newFixture(t, storagetest.SQLite(t), "An")
	forged := &http.Cookie{Name: console.CookieName, Value: strings.Repeat("cd", 32)}
	for _, tc := range []struct {
		method, path string
		cookie       *http.Cookie
	}{
		{http.MethodGet, "/console/", nil},
		{http.MethodGet, "/console/", forged},
		{http.MethodGet, "/console/opinions", nil},
		{http.MethodPost, "/signout", nil},
		{http.MethodPost, "/signout", forged},
	} {
		req, _ := http.NewRequest(tc.method, f.srv.URL+tc.path, nil)
		if tc.cookie != nil {
			req.AddCookie(tc.cookie)
		}
		status, body := do(t, req)
		if status != http.StatusUnauthorized || strings.Contains(body, "Đăng xuất") {
			t.Errorf("%s %s (cookie %v) = %d %q, want 401 without content", tc.method, tc.path, tc.cookie != nil, status, body)
		}
	}
}

func TestSignOutNeedsCSRF(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, "An")
		_, cookie := f.signIn(t, f.token(t, time.Minute))
		_, page := f.get(t, "/console/", cookie)
		csrf := between(page, `name="csrf" value="`, `"`)
		if csrf == "" {
			t.Fatalf("no CSRF token in the console page %q", page)
		}
		signOut := func(form url.Values, header string) int {
			req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/signout", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if header != "" {
				req.Header.Set(console.CSRFHeader, header)
			}
			req.AddCookie(cookie)
			status, _ := do(t, req)
			return status
		}
		if status := signOut(nil, ""); status != http.StatusForbidden {
			t.Errorf("sign out without CSRF = %d, want 403", status)
		}
		if status := signOut(url.Values{"csrf": {csrf + "0"}}, ""); status != http.StatusForbidden {
			t.Errorf("sign out with a wrong CSRF token = %d, want 403", status)
		}
		// A body past console.MaxFormBytes is not read for its token.
		huge := url.Values{"pad": {strings.Repeat("a", console.MaxFormBytes)}, "csrf": {csrf}}
		if status := signOut(huge, ""); status != http.StatusForbidden {
			t.Errorf("sign out with a %d-byte form = %d, want 403", len(huge.Encode()), status)
		}
		if status, _ := f.get(t, "/console/", cookie); status != http.StatusOK {
			t.Fatalf("refused sign-outs ended the session: GET /console/ = %d", status)
		}
		if status := signOut(nil, csrf); status != http.StatusOK {
			t.Errorf("sign out with the CSRF header = %d, want 200", status)
		}
		if status, _ := f.get(t, "/console/", cookie); status != http.StatusUnauthorized {
			t.Errorf("after sign-out GET /console/ = %d, want 401", status)
		}
	})
}

func TestRevokedOfficialLosesAccessAtOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, "An")
		_, cookie := f.signIn(t, f.token(t, time.Minute))
		if status, _ := f.get(t, "/console/", cookie); status != http.StatusOK {
			t.Fatalf("GET /console/ = %d, want 200", status)
		}
		err := db.InTx(context.Background(), func(tx *storage.Tx) error {
			return tx.RevokeOfficial(context.Background(), f.official, time.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		if status, body := f.get(t, "/console/", cookie); status != http.StatusUnauthorized || strings.Contains(body, "Đăng xuất") {
			t.Errorf("revoked official's session: GET /console/ = %d %q, want 401", status, body)
		}
	})
}

func TestSessionExpires(t *testing.T) {
	f := newFixture(t, storagetest.SQLite(t), "An")
	_, cookie := f.signIn(t, f.token(t, time.Minute))
	f.now = f.now.Add(13 * time.Hour)
	if status, _ := f.get(t, "/console/", cookie); status != http.StatusUnauthorized {
		t.Errorf("GET /console/ after the session's lifetime = %d, want 401", status)
	}
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, to)
	return v
}
