package studio_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/flowlib"
	"langnghe/flows/catalogue"
	"langnghe/flows/classify"
	"langnghe/flows/defaults"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web/console"
	"langnghe/web/studio"
)

// flowsFixture is the console with the studio on a real database, the default
// flows seeded, and a signed-in official of each role.
type flowsFixture struct {
	db     *storage.DB
	studio *studio.Studio
	srv    *httptest.Server
	raw    *sql.DB // counts rows behind the storage package's back
	signed map[langnghe.Role]flowsSession
}

type flowsSession struct {
	cookie *http.Cookie
	csrf   string
}

// eachFlowsDatabase runs fn on a fresh SQLite file and a fresh PostgreSQL
// database (storagetest's), each with a raw connection for counting rows.
func eachFlowsDatabase(t *testing.T, fn func(t *testing.T, f *flowsFixture)) {
	t.Run(storage.SQLite, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "studio.db")
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		fn(t, newFlowsFixture(t, "sqlite:"+path, raw))
	})
	t.Run(storage.Postgres, func(t *testing.T) {
		dbURL := storagetest.PostgresURL(t)
		u, _ := url.Parse(dbURL)
		q := u.Query()
		q.Del("pool_max_conns") // the storage package's own setting
		u.RawQuery = q.Encode()
		raw, err := sql.Open("postgres", u.String())
		if err != nil {
			t.Fatal(err)
		}
		fn(t, newFlowsFixture(t, dbURL, raw))
	})
}

func newFlowsFixture(t *testing.T, dbURL string, raw *sql.DB) *flowsFixture {
	t.Helper()
	ctx := context.Background()
	raw.SetMaxOpenConns(1)
	t.Cleanup(func() { raw.Close() })
	db, err := storage.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cat := catalogue.Default()
	lib := flowlib.New(cat)
	if _, err := lib.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	cl, err := classify.New(cat)
	if err != nil {
		t.Fatal(err)
	}
	tz, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	f := &flowsFixture{db: db, raw: raw, signed: map[langnghe.Role]flowsSession{}}
	core := followup.New(cat, calendar.Default(tz), followup.Options{TimeZone: tz})
	f.studio = studio.New(db, studio.Options{Library: lib, Catalogue: cat, TimeZone: tz, Classifier: cl, Calendar: calendar.Default(tz),
		Followup: core})
	f.srv = httptest.NewServer(console.New(db, console.Options{TimeZone: tz, Followup: core, Studio: f.studio}))
	t.Cleanup(f.srv.Close)
	for i, role := range []langnghe.Role{langnghe.RoleAdmin, langnghe.RoleBoard, langnghe.RoleUnit} {
		f.signed[role] = f.signIn(t, role, strconv.Itoa(900+i))
	}
	return f
}

// signIn creates an official with role and signs them in.
func (f *flowsFixture) signIn(t *testing.T, role langnghe.Role, account string) flowsSession {
	t.Helper()
	ctx := context.Background()
	var token string
	err := f.db.InTx(ctx, func(tx *storage.Tx) error {
		o := &langnghe.Official{Name: "Cán bộ " + string(role), Role: role, Channel: langnghe.ChannelTelegram, ExternalID: account, ChatID: account}
		if err := tx.CreateOfficial(ctx, o); err != nil {
			return err
		}
		var err error
		token, err = tx.CreateSignInToken(ctx, o.ID, time.Now().Add(time.Minute))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := flowsClient().PostForm(f.srv.URL+console.SignInPath, url.Values{"token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var s flowsSession
	for _, c := range resp.Cookies() {
		if c.Name == console.CookieName {
			s.cookie = c
		}
	}
	if s.cookie == nil {
		t.Fatalf("sign in as %s: %d, no session", role, resp.StatusCode)
	}
	_, page := f.do(t, s, http.MethodGet, "/console/", nil, nil)
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in the console for %s", role)
	}
	s.csrf = m[1]
	return s
}

func flowsClient() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// do sends a request as s (the zero session: nobody) with form as the body
// of a POST, the CSRF token in its header.
func (f *flowsFixture) do(t *testing.T, s flowsSession, method, path string, form url.Values, header http.Header) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if s.cookie != nil {
		req.AddCookie(s.cookie)
		if method != http.MethodGet {
			req.Header.Set(console.CSRFHeader, s.csrf)
		}
	}
	resp, err := flowsClient().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (f *flowsFixture) admin(t *testing.T, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	return f.do(t, f.signed[langnghe.RoleAdmin], method, path, form, nil)
}

// count returns the number of rows in table.
func (f *flowsFixture) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := f.raw.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func (f *flowsFixture) flow(t *testing.T, id string) langnghe.FlowInfo {
	t.Helper()
	infos, err := f.db.Flows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, fi := range infos {
		if fi.ID == id {
			return fi
		}
	}
	t.Fatalf("no flow %s", id)
	return langnghe.FlowInfo{}
}

var sendOpinion = string(defaults.Files()["send_opinion.yaml"])

// lineOf is the 1-based line of the first occurrence of s in text.
func lineOf(t *testing.T, text, s string) int {
	t.Helper()
	i := strings.Index(text, s)
	if i < 0 {
		t.Fatalf("test bug: %q not in the text", s)
	}
	return strings.Count(text[:i], "\n") + 1
}

func replaceOnce(t *testing.T, text, old, new string) string {
	t.Helper()
	if !strings.Contains(text, old) {
		t.Fatalf("test bug: %q not in the text", old)
	}
	return strings.Replace(text, old, new, 1)
}

type checked struct {
	Valid    bool `json:"valid"`
	Problems []struct {
		Line     int    `json:"line"`
		Column   int    `json:"column"`
		Severity string `json:"severity"`
		Language string `json:"language"`
		Message  string `json:"message"`
	} `json:"problems"`
	Missing map[string]int `json:"missing"`
	Report  string         `json:"report"`
	Diagram string         `json:"diagram"`
}

func (f *flowsFixture) check(t *testing.T, text string) checked {
	t.Helper()
	resp, body := f.do(t, f.signed[langnghe.RoleAdmin], http.MethodPost, "/console/studio/flows/send_opinion/check",
		url.Values{"source": {text}, "base": {"1"}}, http.Header{"Accept": {"application/json"}})
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("check = %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var c checked
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		t.Fatalf("check answer %q: %v", body, err)
	}
	return c
}

func TestCheckPointsAtTheLine(t *testing.T) {
	eachFlowsDatabase(t, func(t *testing.T, f *flowsFixture) {
		good := f.check(t, sendOpinion)
		if !good.Valid || len(good.Problems) != 0 || !strings.Contains(good.Diagram, "<svg") || !strings.Contains(good.Report, "No errors") &&
			!strings.Contains(good.Report, "Không có lỗi") {
			t.Fatalf("the default flow checked as %+v", good)
		}

		broken := replaceOnce(t, sendOpinion, "next: summary", "next: sumary")
		broken = replaceOnce(t, broken, `        en: "Please choose the field that fits best:"`+"\n", "")
		c := f.check(t, broken)
		wantLine := lineOf(t, broken, "next: sumary")
		var gotError, gotMissing bool
		for _, p := range c.Problems {
			if p.Severity == "error" && p.Line == wantLine && p.Column == 11 && strings.Contains(p.Message, `unknown node "sumary"`) {
				gotError = true
			}
			if p.Severity == "warning" && p.Language == "en" && p.Line == lineOf(t, broken, `vi: "Ông/bà vui lòng chọn lĩnh vực`) {
				gotMissing = true
			}
		}
		if c.Valid || !gotError || !gotMissing || c.Missing["en"] != 1 {
			t.Fatalf("broken flow: want the error at line %d and a missing en translation; got %+v", wantLine, c)
		}
		if !strings.Contains(c.Report, "line "+strconv.Itoa(wantLine)) && !strings.Contains(c.Report, "dòng "+strconv.Itoa(wantLine)) {
			t.Errorf("the report does not name line %d: %s", wantLine, c.Report)
		}
		if !strings.Contains(c.Diagram, `class="node missing"`) || !strings.Contains(c.Diagram, ">sumary<") {
			t.Errorf("the diagram does not show the missing node: %s", c.Diagram)
		}

		// Without JavaScript, Check answers the editor with the text and the problems.
		resp, page := f.admin(t, http.MethodPost, "/console/studio/flows/send_opinion/check", url.Values{"source": {broken}, "base": {"1"}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "next: sumary") || !strings.Contains(page, `data-line="`+strconv.Itoa(wantLine)+`"`) {
			t.Fatalf("check without script = %d, want the editor with the text and the problem at line %d", resp.StatusCode, wantLine)
		}

		// A file that keeps no flow id of its own is refused.
		c = f.check(t, replaceOnce(t, sendOpinion, "id: send_opinion", "id: menu"))
		if c.Valid || len(c.Problems) == 0 || c.Problems[0].Line != lineOf(t, sendOpinion, "id: send_opinion") {
			t.Errorf("a changed id: %+v", c.Problems)
		}
	})
}

// saveForm is the editor's form.
func saveForm(text string, base int, publish bool) url.Values {
	v := url.Values{"source": {text}, "base": {strconv.Itoa(base)}}
	if publish {
		v.Set("publish", "1")
	}
	return v
}

func TestSaveBasedOnAnOldRevisionIsRefused(t *testing.T) {
	eachFlowsDatabase(t, func(t *testing.T, f *flowsFixture) {
		first := replaceOnce(t, sendOpinion, "Ông/bà vui lòng kiểm tra lại:", "Kiểm tra giúp tôi:")
		resp, _ := f.admin(t, http.MethodPost, "/console/studio/flows/send_opinion", saveForm(first, 1, false))
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/console/studio/flows/send_opinion?rev=2&saved=2" {
			t.Fatalf("save = %d %s, want 303 to revision 2", resp.StatusCode, resp.Header.Get("Location"))
		}
		// A second admin still has revision 1 open.
		mine := replaceOnce(t, sendOpinion, "Ông/bà vui lòng kiểm tra lại:", "Bản của người thứ hai:")
		resp, page := f.admin(t, http.MethodPost, "/console/studio/flows/send_opinion", saveForm(mine, 1, false))
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("stale save = %d, want 409", resp.StatusCode)
		}
		if !strings.Contains(page, "revision 2") && !strings.Contains(page, "phiên bản 2") {
			t.Errorf("the refusal does not name the newer revision: %s", page)
		}
		if !strings.Contains(page, html.EscapeString("Bản của người thứ hai:")) || !strings.Contains(page, `name="base" value="1"`) {
			t.Errorf("the refused text is not kept in the editor")
		}
		// A form without its base would replace whatever is latest: refused.
		if resp, _ := f.admin(t, http.MethodPost, "/console/studio/flows/send_opinion", saveForm(mine, 0, false)); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("save without a base = %d, want 400", resp.StatusCode)
		}
		if fi := f.flow(t, "send_opinion"); fi.LatestRevision != 2 || fi.PublishedRevision != 1 {
			t.Errorf("after refused saves: %+v", fi)
		}
		// The editor opens the latest revision, and its source is the first save's.
		_, page = f.admin(t, http.MethodGet, "/console/studio/flows/send_opinion", nil)
		if !strings.Contains(page, "Kiểm tra giúp tôi:") || !strings.Contains(page, `name="base" value="2"`) {
			t.Errorf("the editor does not show revision 2")
		}
	})
}

func TestPublishRefusesAnInvalidRevision(t *testing.T) {
	eachFlowsDatabase(t, func(t *testing.T, f *flowsFixture) {
		ctx := context.Background()
		// A revision stored when its category still existed (here: written
		// directly), which today's catalogue does not know.
		stale := replaceOnce(t, sendOpinion, "category: other}", "category: roads}")
		if _, err := f.db.SaveFlowRevision(ctx, "send_opinion", []byte(stale), "test", 1); err != nil {
			t.Fatal(err)
		}
		resp, page := f.admin(t, http.MethodPost, "/console/studio/flows/send_opinion/publish", url.Values{"rev": {"2"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, html.EscapeString(`unknown category "roads"`)) {
			t.Fatalf("publish of an invalid revision = %d, want 422 with its problem; page:\n%s", resp.StatusCode, page)
		}
		if fi := f.flow(t, "send_opinion"); fi.PublishedRevision != 1 {
			t.Fatalf("published %d after a refused publish", fi.PublishedRevision)
		}

		// "Save and publish" with errors stores nothing.
		broken := replaceOnce(t, sendOpinion, "next: summary", "next: sumary")
		resp, page = f.admin(t, http.MethodPost, "/console/studio/flows/send_opinion", saveForm(broken, 2, true))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "next: sumary") {
			t.Fatalf("save and publish of a broken text = %d, want 422 with the text kept", resp.StatusCode)
		}
		if fi := f.flow(t, "send_opinion"); fi.LatestRevision != 2 || fi.PublishedRevision != 1 {
			t.Fatalf("a refused save and publish changed the flow: %+v", fi)
		}

		// A good text saves and publishes; publishing revision 1 again rolls back.
		good := replaceOnce(t, sendOpinion, "Ông/bà vui lòng kiểm tra lại:", "Kiểm tra giúp tôi:")
		resp, _ = f.admin(t, http.MethodPost, "/console/studio/flows/send_opinion", saveForm(good, 2, true))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save and publish = %d", resp.StatusCode)
		}
		if fi := f.flow(t, "send_opinion"); fi.LatestRevision != 3 || fi.PublishedRevision != 3 {
			t.Fatalf("after save and publish: %+v", fi)
		}
		resp, _ = f.admin(t, http.MethodPost, "/console/studio/flows/send_opinion/publish", url.Values{"rev": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("rollback = %d", resp.StatusCode)
		}
		if fi := f.flow(t, "send_opinion"); fi.PublishedRevision != 1 {
			t.Fatalf("after rollback: %+v", fi)
		}
		audit, err := f.db.FlowAudit(ctx, "send_opinion")
		if err != nil {
			t.Fatal(err)
		}
		last := audit[len(audit)-1]
		if last.Action != "publish" || last.Revision != 1 || !strings.HasPrefix(last.Actor, "official:") {
			t.Errorf("the rollback's audit entry = %+v", last)
		}
	})
}

func TestDiffBetweenRevisions(t *testing.T) {
	eachFlowsDatabase(t, func(t *testing.T, f *flowsFixture) {
		edited := replaceOnce(t, sendOpinion, "Ông/bà vui lòng kiểm tra lại:", "Kiểm tra giúp tôi:")
		edited = replaceOnce(t, edited, "  - id: discarded\n", "  # Not sent: say how to start again.\n  - id: discarded\n")
		if resp, _ := f.admin(t, http.MethodPost, "/console/studio/flows/send_opinion", saveForm(edited, 1, false)); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save = %d", resp.StatusCode)
		}
		resp, page := f.admin(t, http.MethodGet, "/console/studio/flows/send_opinion/diff?from=1&to=2", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("diff = %d", resp.StatusCode)
		}
		oldLine, newLine := lineOf(t, sendOpinion, "Ông/bà vui lòng kiểm tra lại:"), lineOf(t, edited, "Kiểm tra giúp tôi:")
		for _, want := range []string{
			`<tr class="del"><td class="num">` + strconv.Itoa(oldLine) + `</td><td class="num"></td><td class="sign">-</td><td class="code">          Ông/bà vui lòng kiểm tra lại:</td></tr>`,
			`<tr class="add"><td class="num"></td><td class="num">` + strconv.Itoa(newLine) + `</td><td class="sign">&#43;</td><td class="code">          Kiểm tra giúp tôi:</td></tr>`,
			`<td class="code">  # Not sent: say how to start again.</td>`,
			`<span class="add">+2</span> <span class="del">−1</span>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the diff lacks %s\n%s", want, page)
			}
		}
		if n := strings.Count(page, `<tr class="gap">`); n < 2 {
			t.Errorf("unchanged stretches are not folded: %d gaps", n)
		}
		if resp, _ := f.admin(t, http.MethodGet, "/console/studio/flows/send_opinion/diff?from=1&to=9", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("diff with a missing revision = %d, want 404", resp.StatusCode)
		}
	})
}

// simPanel is the simulator's state and buttons as the page shows them.
type simPanel struct {
	body    string
	state   string
	buttons map[string]string // label → data of the live buttons
}

var (
	stateField = regexp.MustCompile(`name="sim_state" value="([^"]*)"`)
	liveButton = regexp.MustCompile(`<button type="submit" name="sim_press" value="([^"]+)" formaction="[^"]+">([^<]+)</button>`)
)

func (f *flowsFixture) simulate(t *testing.T, text string, state string, fields url.Values) simPanel {
	t.Helper()
	form := url.Values{"source": {text}, "base": {"1"}, "sim_state": {state}, "sim_lang": {"vi"}}
	for k, v := range fields {
		form[k] = v
	}
	resp, body := f.do(t, f.signed[langnghe.RoleAdmin], http.MethodPost, "/console/studio/flows/send_opinion/simulate", form,
		http.Header{"X-Studio-Fragment": {"1"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("simulate %v = %d %s", fields, resp.StatusCode, body)
	}
	p := simPanel{body: html.UnescapeString(body), buttons: map[string]string{}}
	m := stateField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no simulator state in %s", body)
	}
	p.state = html.UnescapeString(m[1])
	for _, b := range liveButton.FindAllStringSubmatch(body, -1) {
		p.buttons[html.UnescapeString(b[2])] = html.UnescapeString(b[1])
	}
	return p
}

func (p simPanel) press(t *testing.T, label string) url.Values {
	t.Helper()
	data, ok := p.buttons[label]
	if !ok {
		t.Fatalf("no live button %q among %v in\n%s", label, p.buttons, p.body)
	}
	return url.Values{"sim_press": {data}}
}

func simSay(text string) url.Values { return url.Values{"sim_action": {"say"}, "sim_text": {text}} }

func TestSimulatorRunsTheDraftAndWritesNothing(t *testing.T) {
	eachFlowsDatabase(t, func(t *testing.T, f *flowsFixture) {
		tables := []string{"opinions", "sessions", "outbox", "residents", "consents", "flow_revisions", "processed_updates"}
		before := map[string]int{}
		for _, table := range tables {
			before[table] = f.count(t, table)
		}
		// The draft differs from every stored revision.
		draft := replaceOnce(t, sendOpinion, "Ông/bà vui lòng kiểm tra lại:", "Bản nháp: xin kiểm tra:")

		p := f.simulate(t, draft, "", url.Values{"sim_action": {"start"}})
		if !strings.Contains(p.body, "mô tả ngắn gọn") {
			t.Fatalf("the first question is missing:\n%s", p.body)
		}
		p = f.simulate(t, draft, p.state, simSay("Gia đình tôi nộp hồ sơ cấp sổ đỏ từ tháng 3 mà đến nay vẫn chưa được cấp"))
		if !strings.Contains(p.body, "Đất đai (land)") {
			t.Fatalf("the category is not detected and shown:\n%s", p.body)
		}
		p = f.simulate(t, draft, p.state, simSay("Long Hòa"))
		p = f.simulate(t, draft, p.state, url.Values{"sim_action": {"photo"}})
		if !strings.Contains(p.body, "Bản nháp: xin kiểm tra:") {
			t.Fatalf("the summary is not the draft's:\n%s", p.body)
		}
		if !strings.Contains(p.body, "<th>description</th>") || !strings.Contains(p.body, "Long Hòa") {
			t.Errorf("the collected answers are not shown:\n%s", p.body)
		}
		p = f.simulate(t, draft, p.state, p.press(t, "Gửi"))
		if !strings.Contains(p.body, "Would be stored: opinion THU-0001 · category land") && !strings.Contains(p.body, "Sẽ lưu: ý kiến THU-0001 · lĩnh vực land") {
			t.Fatalf("no 'would be stored' line for the opinion:\n%s", p.body)
		}
		if !strings.Contains(p.body, "Mã ý kiến: THU-0001") || !strings.Contains(p.body, "1 ") {
			t.Errorf("the confirmation does not show the simulated code:\n%s", p.body)
		}

		// An emergency at any question: the numbers, the record it would
		// make, and the same question again; nothing is stored.
		p = f.simulate(t, draft, "", url.Values{"sim_action": {"start"}})
		p = f.simulate(t, draft, p.state, simSay("cháy nhà"))
		if !strings.Contains(p.body, "114") || !strings.Contains(p.body, "Sẽ ghi nhận một tin khẩn cấp (Cháy, nổ, cứu nạn") ||
			strings.Count(p.body, "mô tả ngắn gọn") < 2 {
			t.Errorf("an emergency in the simulator does not show the numbers, the record and the question again:\n%s", p.body)
		}

		// A question with a time limit can be timed out.
		p = f.simulate(t, draft, "", url.Values{"sim_action": {"start"}})
		p = f.simulate(t, draft, p.state, url.Values{"sim_action": {"timeout"}})
		if !strings.Contains(p.body, "Đã lâu không nhận được trả lời") {
			t.Errorf("a simulated timeout did not take the no_response exit:\n%s", p.body)
		}

		for _, table := range tables {
			if n := f.count(t, table); n != before[table] {
				t.Errorf("the simulator wrote to %s: %d rows, %d before", table, n, before[table])
			}
		}
	})
}

func TestStudioIsForAdminsOnly(t *testing.T) {
	eachFlowsDatabase(t, func(t *testing.T, f *flowsFixture) {
		routes := f.studio.Routes()
		if len(routes) < 10 {
			t.Fatalf("only %d studio routes: %v", len(routes), routes)
		}
		for _, route := range routes {
			method, pattern, _ := strings.Cut(route, " ")
			path := strings.NewReplacer("{$}", "", "{id}", "send_opinion", "{doc}", "units").Replace(pattern)
			path = regexp.MustCompile(`\{[a-z]+\}`).ReplaceAllString(path, "1")
			if strings.HasSuffix(path, "/static/") {
				path += "studio.js"
			}
			for _, m := range []string{http.MethodGet, http.MethodPost} {
				for _, role := range []langnghe.Role{langnghe.RoleBoard, langnghe.RoleUnit} {
					resp, body := f.do(t, f.signed[role], m, path, url.Values{"source": {sendOpinion}, "base": {"1"}, "rev": {"1"}}, nil)
					if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Chỉ quản trị viên mới dùng được phần soạn kịch bản") {
						t.Errorf("%s %s (route %q) as %s = %d, want 403 from the admins' check", m, path, route, role, resp.StatusCode)
					}
				}
				if resp, _ := f.do(t, flowsSession{}, m, path, nil, nil); resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s %s without a session = %d, want 401", m, path, resp.StatusCode)
				}
			}
			if method == http.MethodGet && (strings.Contains(path, "/flows/") || strings.HasSuffix(path, "/studio/") || strings.Contains(path, "/static/")) {
				if resp, _ := f.admin(t, http.MethodGet, path, nil); resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s as an admin = %d, want 200", path, resp.StatusCode)
				}
			}
		}
		for _, want := range []string{"GET /console/studio/{$}", "GET /console/studio/flows/{id}", "POST /console/studio/flows/{id}/check",
			"POST /console/studio/flows/{id}/simulate", "POST /console/studio/flows/{id}/publish", "GET /console/studio/flows/{id}/diff",
			"GET /console/studio/flows/{id}/form", "POST /console/studio/flows/{id}/form"} {
			if !strings.Contains(strings.Join(routes, "\n"), want) {
				t.Errorf("route %q is not listed", want)
			}
		}
	})
}

func TestFlowListAndEditor(t *testing.T) {
	eachFlowsDatabase(t, func(t *testing.T, f *flowsFixture) {
		edited := replaceOnce(t, sendOpinion, "Ông/bà vui lòng kiểm tra lại:", "Kiểm tra giúp tôi:")
		if resp, _ := f.admin(t, http.MethodPost, "/console/studio/flows/send_opinion", saveForm(edited, 1, false)); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save = %d", resp.StatusCode)
		}
		_, page := f.admin(t, http.MethodGet, "/console/studio/?lang=en", nil)
		row := regexp.MustCompile(`(?s)<tr data-flow="send_opinion">.*?</tr>`).FindString(page)
		for _, want := range []string{`<td class="num" data-label="Published">1</td>`, `<td class="num" data-label="Latest">2</td>`, "draft", "Cán bộ admin",
			`<a href="/console/studio/flows/send_opinion">Send an opinion</a> <code class="muted flow-id">send_opinion</code>`} {
			if !strings.Contains(row, want) {
				t.Errorf("the list's send_opinion row lacks %q: %s", want, row)
			}
		}
		if !strings.Contains(page, `href="/console/studio/audit"`) {
			t.Error("the list does not link to the audit")
		}
		if menu := regexp.MustCompile(`(?s)<tr data-flow="menu">.*?</tr>`).FindString(page); !strings.Contains(menu, "published") || !strings.Contains(menu, "system") {
			t.Errorf("the menu row: %s", menu)
		}
		// In Vietnamese the flows are listed by their Vietnamese names, in
		// Vietnamese alphabetical order.
		_, page = f.admin(t, http.MethodGet, "/console/studio/", nil)
		var names []string
		for _, m := range regexp.MustCompile(`<tr data-flow="[a-z_]+">\s*<td><a href="[^"]+">([^<]+)</a>`).FindAllStringSubmatch(page, -1) {
			names = append(names, html.UnescapeString(m[1]))
		}
		want := []string{"Chào mừng", "Danh mục chính", "Đổi ngôn ngữ", "Gửi ý kiến", "Hủy nhận thông báo", "Hướng dẫn", "Nhận thông báo", "Thông tin của tôi",
			"Xóa thông tin cá nhân", "Ý kiến của tôi"}
		if strings.Join(names, "|") != strings.Join(want, "|") {
			t.Errorf("the flows are listed as %q, want %q", names, want)
		}
		if _, page = f.admin(t, http.MethodGet, "/console/studio/flows/send_opinion", nil); !strings.Contains(page, "<title>Kịch bản “Gửi ý kiến” (send_opinion)") {
			t.Errorf("the editor's title does not name the flow: %s", regexp.MustCompile(`<title>.*</title>`).FindString(page))
		}
		// An older revision opens on request, marked and based on itself.
		_, page = f.admin(t, http.MethodGet, "/console/studio/flows/send_opinion?rev=1&lang=en", nil)
		if !strings.Contains(page, html.EscapeString("Ông/bà vui lòng kiểm tra lại:")) || !strings.Contains(page, `name="base" value="1"`) ||
			!strings.Contains(page, "a newer revision exists") || !strings.Contains(page, "<svg") {
			t.Errorf("revision 1 in the editor:\n%s", page)
		}
		if resp, _ := f.admin(t, http.MethodGet, "/console/studio/flows/nothing", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("an unknown flow = %d, want 404", resp.StatusCode)
		}
		resp, body := f.admin(t, http.MethodGet, "/console/studio/static/codemirror/codemirror.js", nil)
		if resp.StatusCode != http.StatusOK || !bytes.Contains([]byte(body), []byte("CodeMirror")) {
			t.Errorf("CodeMirror is not served: %d", resp.StatusCode)
		}
	})
}

func TestFormViewSavesARevision(t *testing.T) {
	eachFlowsDatabase(t, func(t *testing.T, f *flowsFixture) {
		resp, page := f.admin(t, http.MethodGet, "/console/studio/flows/send_opinion/form", nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="t/summary/option.edit_text/en" value="Change the text"`) ||
			!strings.Contains(page, `name="base" value="1"`) {
			t.Fatalf("form view = %d, want a field per button label and language:\n%s", resp.StatusCode, page)
		}
		// The texts are called by what they are, the file's key beside.
		_, vi := f.admin(t, http.MethodGet, "/console/studio/flows/send_opinion/form", nil)
		for _, want := range []string{`<h4>Tên kịch bản <code class="key" title="Khóa trong tệp">name</code></h4>`,
			`<h4>Lời nhắn <code class="key" title="Khóa trong tệp">message</code></h4>`,
			`<h4>Nhắc lại khi chưa hợp lệ <code class="key" title="Khóa trong tệp">retry</code></h4>`,
			`<h4>Lời thoại 1 <code class="key" title="Khóa trong tệp">say 1</code></h4>`,
			`<h4>Nút bấm “edit_text” <code class="key" title="Khóa trong tệp">button edit_text</code></h4>`} {
			if !strings.Contains(vi, want) {
				t.Errorf("the form lacks %s", want)
			}
		}
		form := url.Values{"base": {"1"}, "t/summary/option.edit_text/en": {"Change it, please"}, "t/summary/message/vi": {"Xin kiểm tra:\r\n• {{.answers.description}}"}}
		resp, _ = f.admin(t, http.MethodPost, "/console/studio/flows/send_opinion/form", form)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/console/studio/flows/send_opinion?rev=2&saved=2" {
			t.Fatalf("form save = %d %s, want 303 to revision 2", resp.StatusCode, resp.Header.Get("Location"))
		}
		src, err := f.db.FlowRevision(context.Background(), "send_opinion", 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`en: 'Change it, please'`, "vi: |-\n          Xin kiểm tra:\n          • {{.answers.description}}\n", "# Contact details are kept only"} {
			if !strings.Contains(string(src), want) {
				t.Errorf("revision 2 lacks %q", want)
			}
		}
		// The same form again is based on a revision that is no longer the latest.
		form.Set("t/summary/option.edit_text/en", "Not that")
		resp, page = f.admin(t, http.MethodPost, "/console/studio/flows/send_opinion/form", form)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(page, `value="Not that"`) {
			t.Fatalf("stale form save = %d, want 409 with the edit kept", resp.StatusCode)
		}
		// A text that breaks the flow is refused with the problem, and kept.
		form = url.Values{"base": {"2"}, "t/summary/message/en": {"Check {{.nmae}}"}}
		resp, page = f.admin(t, http.MethodPost, "/console/studio/flows/send_opinion/form", form)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Check {{.nmae}}") || !strings.Contains(page, "nmae") {
			t.Fatalf("an invalid text = %d, want 422 with the text kept", resp.StatusCode)
		}
		if fi := f.flow(t, "send_opinion"); fi.LatestRevision != 2 {
			t.Fatalf("refused form saves stored a revision: %+v", fi)
		}
	})
}
