package console_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web/console"
)

// postSignIn posts body to /signin with contentType and headers, and
// returns the status, the session cookie (nil when none) and the page.
func (f *fixture) postSignIn(t *testing.T, contentType string, body io.Reader, headers map[string]string) (int, *http.Cookie, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/signin", body)
	req.Header.Set("Content-Type", contentType)
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := client().Do(req)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		if c.Name == console.CookieName && c.Value != "" {
			return resp.StatusCode, c, string(page)
		}
	}
	return resp.StatusCode, nil, string(page)
}

const formType = "application/x-www-form-urlencoded"

// A sign-in is a small urlencoded form: a multipart upload (which was
// spooled to temporary files before the 401: 243 MB of a 400 MB one) or a
// large body is refused without being read, and without spending the
// token.
func TestSignInTakesASmallForm(t *testing.T) {
	f := newFixture(t, storagetest.SQLite(t), "An")
	token := f.token(t, 10*time.Minute)

	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	_ = mw.WriteField("token", token)
	part, _ := mw.CreateFormFile("upload", "big.bin")
	_, _ = part.Write(bytes.Repeat([]byte{'x'}, 2<<20))
	_ = mw.Close()
	if status, cookie, _ := f.postSignIn(t, mw.FormDataContentType(), &mp, nil); status != http.StatusBadRequest || cookie != nil {
		t.Errorf("a multipart sign-in with the token = %d, cookie %v; want 400 and no session", status, cookie)
	}
	padded := url.Values{"token": {token}, "pad": {strings.Repeat("x", 64<<10)}}.Encode()
	if status, cookie, _ := f.postSignIn(t, formType, strings.NewReader(padded), nil); status != http.StatusRequestEntityTooLarge || cookie != nil {
		t.Errorf("a 64 KiB sign-in form with the token = %d, cookie %v; want 413 and no session", status, cookie)
	}
	if status, cookie, _ := f.postSignIn(t, "text/plain", strings.NewReader("token="+token), nil); status != http.StatusBadRequest || cookie != nil {
		t.Errorf("a text/plain sign-in = %d, cookie %v; want 400 and no session", status, cookie)
	}

	// The server stops reading: of a 64 MiB multipart upload it reads
	// nothing (the type is refused), of a 64 MiB form at most the cap.
	clock := func() time.Time { return f.now }
	c := console.New(f.db, console.Options{Now: clock, Followup: newCore(nil, clock)})
	for contentType, prefix := range map[string]string{
		"multipart/form-data; boundary=xxxxxxxx": "--xxxxxxxx\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"big.bin\"\r\n\r\n",
		formType:                                 "token=",
	} {
		body := &endless{prefix: prefix, left: 64 << 20}
		req := httptest.NewRequest(http.MethodPost, "/signin", body)
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		c.ServeHTTP(rec, req)
		if read := body.read.Load(); read > 64<<10 || rec.Code < 400 {
			t.Errorf("a 64 MiB %s sign-in: %d after reading %d bytes; want refused after at most 64 KiB", contentType, rec.Code, read)
		}
	}

	// The token is still good.
	if status, cookie, _ := f.postSignIn(t, formType+"; charset=utf-8", strings.NewReader("token="+token), nil); status != http.StatusSeeOther || cookie == nil {
		t.Errorf("the plain sign-in afterwards = %d, cookie %v; want 303 and a session", status, cookie)
	}
}

// endless is a body of prefix then left bytes of a field's value,
// counting what is read.
type endless struct {
	prefix string
	left   int64
	read   atomic.Int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.prefix != "" {
		n := copy(p, e.prefix)
		e.prefix = e.prefix[n:]
		e.read.Add(int64(n))
		return n, nil
	}
	if e.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), e.left)
	for i := range p[:n] {
		p[i] = 'a'
	}
	e.left -= n
	e.read.Add(n)
	return int(n), nil
}

// Login CSRF: a page on another site cannot sign the browser in to an
// account of its choosing. A post the browser marks cross-site or
// same-site, or whose Origin is neither the console's public address nor
// the request's own host, is refused with a page that says what happened
// in Vietnamese; the token is not spent. The console's own form, and a
// client that sends neither header (the CLI, curl), still sign in.
func TestSignInCrossSite(t *testing.T) {
	db := storagetest.SQLite(t)
	f := newFixture(t, db, "An")
	public := &fixture{db: db, now: f.now, official: f.official}
	clock := func() time.Time { return f.now }
	public.srv = httptest.NewServer(console.New(db, console.Options{Now: clock, Followup: newCore(nil, clock),
		PublicURL: "https://langnghe.example.vn/"}))
	t.Cleanup(public.srv.Close)
	token := f.token(t, 10*time.Minute)
	form := "token=" + token

	for _, tt := range []struct {
		name    string
		f       *fixture
		headers map[string]string
	}{
		{"a cross-site post", f, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}},
		{"a cross-site post with no Origin", f, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"a same-site post (another subdomain)", f, map[string]string{"Origin": "https://other.example.vn", "Sec-Fetch-Site": "same-site"}},
		{"an old browser's post from elsewhere", f, map[string]string{"Origin": "https://evil.example"}},
		{"an opaque origin", f, map[string]string{"Origin": "null"}},
		{"another site behind the proxy", public, map[string]string{"Origin": "https://evil.example", "Host": "127.0.0.1:8080"}},
	} {
		status, cookie, page := tt.f.postSignIn(t, formType, strings.NewReader(form), tt.headers)
		if status != http.StatusForbidden || cookie != nil || !strings.Contains(page, "từ một trang web khác") || !strings.Contains(page, "/dangnhap") {
			t.Errorf("%s = %d, cookie %v, page %q; want 403 in Vietnamese and no session", tt.name, status, cookie, page)
		}
	}

	// The console's public address, through a proxy that changes Host.
	if status, cookie, _ := public.postSignIn(t, formType, strings.NewReader(form),
		map[string]string{"Origin": "https://langnghe.example.vn", "Host": "127.0.0.1:8080"}); status != http.StatusSeeOther || cookie == nil {
		t.Fatalf("a post from LANGNGHE_PUBLIC_URL = %d, cookie %v; want 303 and a session", status, cookie)
	}
	for name, headers := range map[string]map[string]string{
		"the console's own page":    {"Origin": f.srv.URL, "Sec-Fetch-Site": "same-origin"},
		"an old browser, same host": {"Origin": f.srv.URL},
		"a client without headers":  nil,
	} {
		if status, cookie, _ := f.postSignIn(t, formType, strings.NewReader("token="+f.token(t, time.Minute)), headers); status != http.StatusSeeOther || cookie == nil {
			t.Errorf("%s = %d, cookie %v; want 303 and a session", name, status, cookie)
		}
	}
}

// Dates officials enter keep to 2000-2100 in the console: an extension
// to 31/12/9999 (which overflowed due_at on SQLite and showed 29/03/1816),
// an inbox or a report period outside them, are refused with the range in
// the viewer's language; the last allowed day is taken and shown as it is.
func TestConsoleDatesOutsideTheYears(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		op := o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "r1"})
		board := o.signIn("Ban Dân vận", langnghe.RoleBoard)
		path := "/console/opinions/" + op.Code
		const vi, en = "từ 01/01/2000 đến 31/12/2100", "from 01/01/2000 to 31/12/2100"

		for _, due := range []string{"31/12/9999", "1/1/2101", "31/12/1999"} {
			status, _, page := board.post(path, url.Values{"action": {"extend"}, "from": {"received"}, "due": {due}, "note": {"Chờ khảo sát"}})
			if status != http.StatusBadRequest || !strings.Contains(page, vi) {
				t.Errorf("an extension to %s = %d, want 400 with the allowed range", due, status)
			}
		}
		if status, _, page := board.post(path+"?lang=en", url.Values{"action": {"extend"}, "from": {"received"}, "due": {"31/12/9999"}, "note": {"Survey"}}); status != http.StatusBadRequest || !strings.Contains(page, en) {
			t.Errorf("an extension to 31/12/9999 in English = %d, want 400 with the allowed range in English", status)
		}
		if stored, err := db.Opinion(context.Background(), op.Code); err != nil || stored.Status != langnghe.StatusReceived || !stored.DueAt.Equal(op.DueAt) {
			t.Fatalf("refused extensions changed the opinion: %+v, %v", stored, err)
		}
		if told := o.told("r1"); len(told) != 0 {
			t.Fatalf("refused extensions told the resident %q", told)
		}

		for _, q := range []string{"?from=01/01/9999", "?to=31/12/1999", "?from=1/1/2000&to=1/1/2101"} {
			if _, page := board.get("/console/?lang=vi&" + q[1:]); !strings.Contains(page, vi) {
				t.Errorf("the inbox %s does not say the allowed range", q)
			}
		}
		if _, page := board.get("/console/?lang=en&from=01/01/9999"); !strings.Contains(page, en) {
			t.Errorf("the inbox in English does not say the allowed range")
		}
		for _, q := range []string{"?from=01/01/1999&to=31/01/2026", "?from=01/01/2026&to=31/12/9999"} {
			if status, page := board.get("/console/reports" + q + "&lang=vi"); status != http.StatusBadRequest || !strings.Contains(page, vi) {
				t.Errorf("the report %s = %d, want 400 with the allowed range", q, status)
			}
		}
		if status, page := board.get("/console/reports?from=01/01/1999&to=31/01/2026&lang=en"); status != http.StatusBadRequest || !strings.Contains(page, en) {
			t.Errorf("the report in English = %d, want 400 with the allowed range in English", status)
		}

		// The last allowed day is stored and shown as it is.
		if status, _, page := board.post(path+"?lang=vi", url.Values{"action": {"extend"}, "from": {"received"}, "due": {"31/12/2100"}, "note": {"Chờ khảo sát"}}); status != http.StatusSeeOther {
			t.Fatalf("an extension to 31/12/2100 = %d %s", status, page)
		}
		if _, page := board.get(path); !strings.Contains(page, "31/12/2100") {
			t.Errorf("the page does not show the new due date 31/12/2100")
		}
	})
}
