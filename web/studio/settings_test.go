package studio_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/flowlib"
	"langnghe/flows/catalogue"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web/console"
	"langnghe/web/studio"
)

// settingsFixture is the console with the studio on a real database with
// the default flows and units, and an admin signed in.
type settingsFixture struct {
	db       *storage.DB
	studio   *studio.Studio
	followup *followup.Service
	srv      *httptest.Server
	admin    int64
	cookie   *http.Cookie
	csrf     string
}

func newSettingsFixture(t *testing.T, db *storage.DB) *settingsFixture {
	t.Helper()
	ctx := context.Background()
	f := &settingsFixture{db: db}
	cat := catalogue.Default()
	f.followup = followup.New(cat, calendar.Default(time.UTC), followup.Options{})
	if _, err := f.followup.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	lib := flowlib.New(cat)
	if _, err := lib.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	f.admin = settingsOfficial(t, db, "Trần Quản Trị", langnghe.RoleAdmin, "1001")
	f.studio = studio.New(db, studio.Options{Library: lib, Catalogue: cat, Followup: f.followup, BotUsername: "langnghe_test_bot"})
	f.srv = httptest.NewServer(console.New(db, console.Options{Followup: f.followup, Studio: f.studio}))
	t.Cleanup(f.srv.Close)
	f.cookie, f.csrf = f.signIn(t, f.admin)
	return f
}

// settingsOfficial stores a bound official and returns its id.
func settingsOfficial(t *testing.T, db *storage.DB, name string, role langnghe.Role, account string) int64 {
	t.Helper()
	o := &langnghe.Official{Name: name, Role: role, Channel: "telegram", ExternalID: account, ChatID: account}
	if role == langnghe.RoleUnit {
		o.Units = []string{"ubnd_dau_tieng"}
	}
	if err := db.InTx(context.Background(), func(tx *storage.Tx) error { return tx.CreateOfficial(context.Background(), o) }); err != nil {
		t.Fatalf("create official: %v", err)
	}
	return o.ID
}

// signIn signs official in and returns the session cookie and CSRF token.
func (f *settingsFixture) signIn(t *testing.T, official int64) (*http.Cookie, string) {
	t.Helper()
	var token string
	err := f.db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
		token, err = tx.CreateSignInToken(context.Background(), official, time.Now().Add(time.Minute))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := settingsClient.PostForm(f.srv.URL+"/signin", url.Values{"token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == console.CookieName {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatalf("sign in = %d without a session", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/console/", nil)
	req.AddCookie(cookie)
	_, body, _ := settingsDo(t, req)
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in %q", body)
	}
	return cookie, m[1]
}

var settingsClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// settingsDo sends req and returns the status, the body and the redirect.
func settingsDo(t *testing.T, req *http.Request) (int, string, string) {
	t.Helper()
	resp, err := settingsClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header.Get("Location")
}

func (f *settingsFixture) get(t *testing.T, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
	req.AddCookie(f.cookie)
	status, body, _ := settingsDo(t, req)
	return status, body
}

// post sends a form with the CSRF token; it returns the status, the body
// and where a redirect points.
func (f *settingsFixture) post(t *testing.T, path string, form url.Values) (int, string, string) {
	t.Helper()
	form.Set("csrf", f.csrf)
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(f.cookie)
	return settingsDo(t, req)
}

// upload posts file as the document's upload.
func (f *settingsFixture) upload(t *testing.T, doc, base string, file []byte) (int, string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("csrf", f.csrf)
	_ = mw.WriteField("base", base)
	fw, _ := mw.CreateFormFile("file", doc+".yaml")
	_, _ = fw.Write(file)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/console/studio/settings/"+doc+"/upload", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(f.cookie)
	return settingsDo(t, req)
}

// editor returns the text and base revision a document page shows.
func (f *settingsFixture) editor(t *testing.T, doc string) (source, base string) {
	t.Helper()
	status, body := f.get(t, "/console/studio/settings/"+doc)
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d %s", doc, status, body)
	}
	return settingsTextarea(body, "source"), settingsField(body, "base")
}

// textarea returns the unescaped content of the textarea named name.
func settingsTextarea(page, name string) string {
	m := regexp.MustCompile(`(?s)<textarea[^>]*name="` + name + `"[^>]*>\n?(.*?)</textarea>`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func settingsField(page, name string) string {
	m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// places lists the line:col places of a page's problems.
func settingsPlaces(page string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<code class="place">([0-9]+:[0-9]+)</code>`).FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

// lineOf returns the 1-based line of src that contains text.
func settingsLine(t *testing.T, src, text string) int {
	t.Helper()
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, text) {
			return i + 1
		}
	}
	t.Fatalf("%q is not in the file", text)
	return 0
}

// settingsState is what a refused save must leave as it was.
type settingsState struct {
	catalogue, holidays int
	units               string
	audit               int
}

func (f *settingsFixture) state(t *testing.T) settingsState {
	t.Helper()
	ctx := context.Background()
	var s settingsState
	s.catalogue, _, _ = f.db.Setting(ctx, langnghe.SettingCatalogue)
	s.holidays, _, _ = f.db.Setting(ctx, langnghe.SettingHolidays)
	units, err := f.db.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := f.db.RoutingRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.units = fmt.Sprint(units, rules)
	audit, err := f.db.Audit(ctx, langnghe.AuditQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	s.audit = len(audit)
	return s
}

func TestBrokenSettingsFilesRefusedWithTheirPlace(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		cat, _ := f.editor(t, "catalogue")
		hol, _ := f.editor(t, "holidays")
		units, unitsBase := f.editor(t, "units")
		landLine := settingsLine(t, cat, "- code: land")
		brokenUnits := units + "  - category: land\n    unit: no_such_unit\n"
		tests := []struct {
			name, doc, base, file string
			want                  []string // places, in order
			message               string
		}{
			{"catalogue: a category without a service level", "catalogue", "0",
				strings.Replace(cat, "service_days: 10", "service_days: 0", 1),
				[]string{fmt.Sprintf("%d:5", landLine)}, "service_days must be more than 0"},
			{"catalogue: two problems at once", "catalogue", "0",
				strings.Replace(strings.Replace(cat, "service_days: 10", "service_days: 0", 1), "code: health", "code: Health", 1),
				[]string{fmt.Sprintf("%d:5", landLine), fmt.Sprintf("%d:5", settingsLine(t, cat, "- code: health"))}, "code must be lower-case"},
			{"catalogue: not YAML", "catalogue", "0", "version: x\ncategories: [\n  - code\n", []string{"2:1"}, "did not find expected"},
			{"holidays: a date that is not a date", "holidays", "0",
				strings.Replace(hol, "date: 2026-04-30", "date: 30/04/2026", 1),
				[]string{fmt.Sprintf("%d:5", settingsLine(t, hol, "date: 2026-04-30"))}, "is not YYYY-MM-DD"},
			{"holidays: an unknown field", "holidays", "0", "holidays:\n  - name: x\n    day: 2027-01-01\n", []string{"3:5"}, "field day not found"},
			{"units: a rule for a unit that does not exist", "units", unitsBase, brokenUnits,
				[]string{fmt.Sprintf("%d:5", settingsLine(t, brokenUnits, "unit: no_such_unit")-1)}, `unknown unit "no_such_unit"`},
		}
		before := f.state(t)
		for _, tc := range tests {
			for _, via := range []string{"check", "save", "upload"} {
				var status int
				var body string
				switch via {
				case "upload":
					status, body, _ = f.upload(t, tc.doc, tc.base, []byte(tc.file))
				default:
					status, body, _ = f.post(t, "/console/studio/settings/"+tc.doc,
						url.Values{"source": {strings.ReplaceAll(tc.file, "\n", "\r\n")}, "base": {tc.base}, "action": {via}})
				}
				wantStatus := http.StatusBadRequest
				if via == "check" {
					wantStatus = http.StatusOK
				}
				if got := settingsPlaces(body); status != wantStatus || fmt.Sprint(got) != fmt.Sprint(tc.want) || !strings.Contains(html.UnescapeString(body), tc.message) {
					t.Errorf("%s, %s: %d with places %v; want %d, places %v and %q in:\n%s", tc.name, via, status, got, wantStatus, tc.want, tc.message, settingsProblems(body))
				}
				if via != "check" && settingsTextarea(body, "source") != tc.file {
					t.Errorf("%s, %s: the refused text is not kept in the editor", tc.name, via)
				}
			}
		}
		if after := f.state(t); after != before {
			t.Errorf("refused files changed something: %+v, was %+v", after, before)
		}
	})
}

func settingsProblems(page string) string {
	_, after, _ := strings.Cut(page, `id="problems"`)
	box, _, _ := strings.Cut(after, "</div>")
	return box
}

// A catalogue that drops a category in use is refused with what uses it:
// the published flow and the routing rule.
func TestCatalogueDroppingACategoryInUseRefused(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		cat, base := f.editor(t, "catalogue")
		start := strings.Index(cat, "  - code: other")
		end := strings.Index(cat, "\nareas:")
		if start < 0 || end < start {
			t.Fatal("the default catalogue's last category is not 'other'")
		}
		dropped := cat[:start] + cat[end+1:]
		if _, err := catalogue.Parse([]byte(dropped)); err != nil {
			t.Fatalf("the catalogue without 'other' should parse by itself: %v", err)
		}
		before := f.state(t)
		status, body, _ := f.post(t, "/console/studio/settings/catalogue", url.Values{"source": {dropped}, "base": {base}, "action": {"save"}})
		box := html.UnescapeString(settingsProblems(body))
		for _, want := range []string{"published flow send_opinion (revision 1) would break", `unknown category "other"`,
			`routing rule other × * → mass_mobilisation uses category "other"`} {
			if !strings.Contains(box, want) {
				t.Errorf("refusal lacks %q: %d\n%s", want, status, box)
			}
		}
		if status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", status)
		}
		if after := f.state(t); after != before {
			t.Errorf("a refused catalogue changed something: %+v, was %+v", after, before)
		}
	})
}

func TestStaleSettingsSaveRefused(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		ctx := context.Background()
		hol, base := f.editor(t, "holidays")
		first := hol + "  - date: 2027-01-01\n    name: Tết Dương lịch 2027\n"
		status, _, loc := f.post(t, "/console/studio/settings/holidays", url.Values{"source": {first}, "base": {base}, "action": {"save"}})
		if status != http.StatusSeeOther || loc != "/console/studio/settings/holidays?saved=1" {
			t.Fatalf("first save = %d → %q", status, loc)
		}
		// A second admin edited the same base meanwhile.
		second := hol + "  - date: 2027-01-02\n    name: Nghỉ bù\n"
		status, body, _ := f.post(t, "/console/studio/settings/holidays", url.Values{"source": {second}, "base": {base}, "action": {"save"}})
		if status != http.StatusConflict || !strings.Contains(body, `id="conflict"`) || settingsTextarea(body, "source") != second {
			t.Errorf("stale save = %d, want 409 with the text kept:\n%s", status, body)
		}
		if rev, src, err := db.Setting(ctx, langnghe.SettingHolidays); err != nil || rev != 1 || string(src) != first {
			t.Errorf("stored holidays = %d %v, want revision 1 with the first save", rev, err)
		}
		// The page now offers revision 1 as the base and shows it in the history.
		if text, base := f.editor(t, "holidays"); text != first || base != "1" {
			t.Errorf("editor after the save: base %q, text kept: %v", base, text == first)
		}
		// Units: a base that is not the stored state is refused the same way.
		units, unitsBase := f.editor(t, "units")
		renamed := strings.Replace(units, "vi: Ban Dân vận", "vi: Ban Dân vận huyện", 1)
		status, _, _ = f.post(t, "/console/studio/settings/units", url.Values{"source": {renamed}, "base": {unitsBase}, "action": {"save"}})
		if status != http.StatusSeeOther {
			t.Fatalf("units save = %d", status)
		}
		again := strings.Replace(units, "vi: Ban Dân vận", "vi: Ban Dân vận xã", 1)
		status, body, _ = f.post(t, "/console/studio/settings/units", url.Values{"source": {again}, "base": {unitsBase}, "action": {"save"}})
		if status != http.StatusConflict || settingsTextarea(body, "source") != again {
			t.Errorf("stale units save = %d, want 409 with the text kept", status)
		}
		if text, _ := f.editor(t, "units"); !strings.Contains(text, "vi: Ban Dân vận huyện") {
			t.Errorf("units after a refused stale save:\n%s", text)
		}
		// A stale upload is refused too.
		if status, _, _ := f.upload(t, "holidays", "0", []byte(second)); status != http.StatusConflict {
			t.Errorf("stale upload = %d, want 409", status)
		}
	})
}

// A valid units file applies at once, units and rules together; a broken
// one changes neither, even when its units alone were fine.
func TestUnitsSaveAppliesAllOrNothing(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		ctx := context.Background()
		units, base := f.editor(t, "units")
		withUnit := strings.Replace(units, "rules:\n", "  - code: xa_moi\n    names:\n      vi: UBND xã Mới\nrules:\n", 1) +
			"  - category: health\n    area: minh_thanh\n    unit: xa_moi\n"
		status, _, _ := f.post(t, "/console/studio/settings/units", url.Values{"source": {withUnit}, "base": {base}, "action": {"save"}})
		if status != http.StatusSeeOther {
			t.Fatalf("save = %d", status)
		}
		// Routing reads the rules per opinion: the next one uses them.
		rules, err := db.RoutingRules(ctx)
		routed := followup.Match(rules, "health", []string{"minh_thanh"})
		if err == nil {
			err = db.InTx(ctx, func(tx *storage.Tx) error { _, err := tx.Unit(ctx, "xa_moi"); return err })
		}
		if err != nil || routed != "xa_moi" {
			t.Fatalf("after the save a health opinion in Minh Thạnh routes to %q (%v), want xa_moi at once", routed, err)
		}
		units, base = f.editor(t, "units")
		before := f.state(t)
		broken := strings.Replace(units, "rules:\n", "  - code: xa_khac\n    names:\n      vi: UBND xã Khác\nrules:\n", 1) +
			"  - category: land\n    area: long_hoa\n    unit: xa_khac_typo\n"
		status, body, _ := f.upload(t, "units", base, []byte(broken))
		if status != http.StatusBadRequest || len(settingsPlaces(body)) != 1 {
			t.Fatalf("broken upload = %d %v", status, settingsPlaces(body))
		}
		if after := f.state(t); after != before {
			t.Errorf("a refused units file changed something: %+v, was %+v", after, before)
		}
		audit, err := db.Audit(ctx, langnghe.AuditQuery{Kind: langnghe.AuditUnits})
		if err != nil || len(audit) != 1 || audit[0].Action != "save" || audit[0].Actor != fmt.Sprintf("official:%d", f.admin) {
			t.Errorf("units audit = %+v %v, want the one save by the admin", audit, err)
		}
	})
}

// The officials' list says how each reaches the service: an admin made for
// the console alone is not said to have a Telegram account.
func TestOfficialsListSaysWhoHasTelegram(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		onlyConsole := &langnghe.Official{Name: "Phạm Văn Máy", Role: langnghe.RoleAdmin, Channel: langnghe.ChannelTerminal,
			ExternalID: "console-0a1b2c3d", Digest: langnghe.DigestOff}
		if err := db.InTx(context.Background(), func(tx *storage.Tx) error { return tx.CreateOfficial(context.Background(), onlyConsole) }); err != nil {
			t.Fatal(err)
		}
		_, page := f.get(t, "/console/studio/officials")
		row := func(name string) string {
			return regexp.MustCompile(`(?s)<tr><td>` + name + `</td>.*?</tr>`).FindString(page)
		}
		if r := row("Phạm Văn Máy"); !strings.Contains(r, "Chỉ dùng bảng điều khiển, chưa gắn Telegram") || strings.Contains(r, "Đã gắn tài khoản Telegram") {
			t.Errorf("the console-only admin's row: %q", r)
		}
		if r := row("Trần Quản Trị"); !strings.Contains(r, "Đã gắn tài khoản Telegram từ") {
			t.Errorf("the admin with Telegram's row: %q", r)
		}
	})
}

func TestInviteAndRevokeAudited(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		ctx := context.Background()
		status, body, _ := f.post(t, "/console/studio/officials/invite", url.Values{"name": {"Lê Thị Thu"}, "role": {"unit"},
			"unit": {"ubnd_dau_tieng", "medical_centre"}, "hours": {"48"}})
		link := regexp.MustCompile(`https://t\.me/langnghe_test_bot\?start=inv_([a-z2-7]+)`).FindStringSubmatch(body)
		if status != http.StatusOK || link == nil || !strings.Contains(body, "/start inv_"+link[1]) {
			t.Fatalf("invite = %d, want the t.me link and the /start code:\n%s", status, body)
		}
		// Until the official opens it, the invitation is listed as waiting.
		if _, list := f.get(t, "/console/studio/officials"); !strings.Contains(list, "Lê Thị Thu") || !strings.Contains(list, "chưa gắn tài khoản") {
			t.Errorf("the pending invitation is not listed:\n%s", list)
		}
		var official *langnghe.Official
		err := db.InTx(ctx, func(tx *storage.Tx) (err error) {
			official, err = f.followup.Accept(ctx, tx, link[1], "telegram", "2002", "2002", "")
			return err
		})
		if err != nil || official.Name != "Lê Thị Thu" || official.Role != langnghe.RoleUnit || fmt.Sprint(official.Units) != "[ubnd_dau_tieng medical_centre]" {
			t.Fatalf("accept = %+v %v", official, err)
		}
		// A refused invitation stores nothing and is not audited.
		if status, body, _ := f.post(t, "/console/studio/officials/invite", url.Values{"name": {"X"}, "role": {"unit"}, "hours": {"48"}}); status != http.StatusBadRequest || !strings.Contains(body, `id="invite-error"`) {
			t.Errorf("unit invitation without units = %d", status)
		}
		id := fmt.Sprint(official.ID)
		if status, body := f.get(t, "/console/studio/officials/"+id+"/revoke"); status != http.StatusOK || !strings.Contains(body, `id="confirm-revoke"`) {
			t.Fatalf("revoke confirmation = %d", status)
		}
		status, _, loc := f.post(t, "/console/studio/officials/"+id+"/revoke", url.Values{})
		if status != http.StatusSeeOther || loc != "/console/studio/officials?revoked="+id {
			t.Fatalf("revoke = %d → %q", status, loc)
		}
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			_, err := f.followup.Official(ctx, tx, "telegram", "2002")
			return err
		})
		if langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
			t.Errorf("the revoked official still acts: %v", err)
		}
		// An admin cannot revoke themselves.
		if status, _, _ := f.post(t, fmt.Sprintf("/console/studio/officials/%d/revoke", f.admin), url.Values{}); status != http.StatusForbidden {
			t.Errorf("self-revocation = %d, want 403", status)
		}

		status, csvBody := f.get(t, "/console/studio/audit.csv?kind=official")
		if status != http.StatusOK {
			t.Fatalf("audit.csv = %d", status)
		}
		rows, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows[1:] {
			got = append(got, r[2]+" "+r[5]+" "+r[4])
		}
		want := []string{"Trần Quản Trị revoke #" + id + " Lê Thị Thu", "Trần Quản Trị invite Lê Thị Thu"}
		if fmt.Sprint(got) != fmt.Sprint(want) || rows[0][0] != "at" {
			t.Errorf("audit CSV rows = %q, want %q", got, want)
		}
		if !strings.Contains(rows[2][7], "role unit; units ubnd_dau_tieng,medical_centre") {
			t.Errorf("invitation detail = %q", rows[2][7])
		}
		// The whole CSV has the seeded flows too; the page shows both.
		if _, all := f.get(t, "/console/studio/audit.csv"); !strings.Contains(all, ",system,system,flow,send_opinion,publish,1,") {
			t.Errorf("the audit CSV lacks the flows' entries:\n%s", all)
		}
		if _, page := f.get(t, "/console/studio/audit?kind=official"); !strings.Contains(page, "Lê Thị Thu") || strings.Contains(page, "send_opinion") {
			t.Errorf("the audit page filtered to officials:\n%s", page)
		}
	})
}

// Changing an official's role and units applies at once and is audited;
// an admin does not change their own.
func TestChangeOfficialAccess(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		ctx := context.Background()
		id := settingsOfficial(t, db, "Phạm Văn Bình", langnghe.RoleUnit, "3003")
		path := fmt.Sprintf("/console/studio/officials/%d", id)
		if status, _, _ := f.post(t, path, url.Values{"role": {"unit"}}); status != http.StatusBadRequest {
			t.Errorf("a unit official without units = %d, want 400", status)
		}
		if status, _, _ := f.post(t, path, url.Values{"role": {"unit"}, "unit": {"police", "medical_centre"}}); status != http.StatusSeeOther {
			t.Fatalf("change = %d", status)
		}
		var o *langnghe.Official
		_ = db.InTx(ctx, func(tx *storage.Tx) (err error) { o, err = tx.Official(ctx, id); return err })
		if fmt.Sprint(o.Units) != "[medical_centre police]" {
			t.Errorf("units after the change = %v", o.Units)
		}
		if status, _, _ := f.post(t, fmt.Sprintf("/console/studio/officials/%d", f.admin), url.Values{"role": {"board"}}); status != http.StatusBadRequest {
			t.Errorf("changing one's own role = %d, want 400", status)
		}
		audit, _ := db.Audit(ctx, langnghe.AuditQuery{Kind: langnghe.AuditOfficial})
		if len(audit) != 1 || audit[0].Action != "change" || !strings.Contains(audit[0].Detail, "units ubnd_dau_tieng → police,medical_centre") {
			t.Errorf("audit = %+v", audit)
		}
	})
}

// The keyword form saves a new catalogue revision in which only that
// category's keywords changed, comments and all.
func TestKeywordFormSavesACatalogueRevision(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		ctx := context.Background()
		status, body := f.get(t, "/console/studio/settings/catalogue/categories/health")
		if status != http.StatusOK || !strings.Contains(settingsTextarea(body, "keywords"), "bảo hiểm y tế\nthẻ bảo hiểm y tế\n") || settingsField(body, "base") != "0" {
			t.Fatalf("keyword form = %d:\n%s", status, body)
		}
		status, _, loc := f.post(t, "/console/studio/settings/catalogue/categories/health",
			url.Values{"keywords": {"bảo hiểm y tế\r\n\r\n  trạm y tế  \r\nchó dại, \"cắn\"\r\ntrạm y tế\r\n"}, "base": {"0"}})
		if status != http.StatusSeeOther || loc != "/console/studio/settings/catalogue/categories/health?saved=1" {
			t.Fatalf("save = %d → %q", status, loc)
		}
		rev, src, err := db.Setting(ctx, langnghe.SettingCatalogue)
		if err != nil || rev != 1 {
			t.Fatalf("stored catalogue = %d %v", rev, err)
		}
		cat, err := catalogue.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		health, _ := cat.Category("health")
		if fmt.Sprint(health.Keywords) != `[bảo hiểm y tế trạm y tế chó dại, "cắn"]` {
			t.Errorf("health keywords = %q", health.Keywords)
		}
		def := catalogue.Default()
		land, _ := cat.Category("land")
		defLand, _ := def.Category("land")
		if fmt.Sprint(land) != fmt.Sprint(defLand) || len(cat.Areas) != len(def.Areas) {
			t.Error("other categories or areas changed")
		}
		if !bytes.HasPrefix(src, catalogue.DefaultFile()[:200]) || !bytes.Contains(src, []byte("  - code: admin_procedures\n")) {
			t.Errorf("the file's comments and layout were not kept:\n%s", src)
		}
		// A form opened on revision 0 is now stale.
		status, body, _ = f.post(t, "/console/studio/settings/catalogue/categories/health", url.Values{"keywords": {"y tế"}, "base": {"0"}})
		if status != http.StatusConflict || settingsTextarea(body, "keywords") != "y tế" {
			t.Errorf("stale keyword save = %d", status)
		}
		// A keyword without letters is refused by the catalogue's own check.
		status, body, _ = f.post(t, "/console/studio/settings/catalogue/categories/health", url.Values{"keywords": {"y tế\n!!!"}, "base": {"1"}})
		if status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), `keyword "!!!" has no letters or digits`) {
			t.Errorf("keyword without letters = %d", status)
		}
		audit, _ := db.Audit(ctx, langnghe.AuditQuery{Kind: langnghe.AuditCatalogue})
		if len(audit) != 1 || audit[0].Action != "keywords" || audit[0].Revision != 1 {
			t.Errorf("audit = %+v", audit)
		}
	})
}

// Download gives the current file (the default until one is saved), and
// an upload of it saves it as is.
func TestSettingsDownloadAndUpload(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		status, file := f.get(t, "/console/studio/settings/catalogue/download")
		if status != http.StatusOK || file != string(catalogue.DefaultFile()) {
			t.Fatalf("download = %d, want the default file", status)
		}
		edited := strings.Replace(file, `version: "2026.1"`, `version: "2026.2"`, 1)
		if status, _, _ := f.upload(t, "catalogue", "0", []byte(edited)); status != http.StatusSeeOther {
			t.Fatalf("upload = %d", status)
		}
		if _, got := f.get(t, "/console/studio/settings/catalogue/download"); got != edited {
			t.Error("download after the upload is not the uploaded file")
		}
		if _, got := f.get(t, "/console/studio/settings/catalogue/download?rev=1"); got != edited {
			t.Error("revision 1's download is not the uploaded file")
		}
		audit, _ := db.Audit(context.Background(), langnghe.AuditQuery{Kind: langnghe.AuditCatalogue})
		if len(audit) != 1 || audit[0].Action != "import" {
			t.Errorf("audit = %+v", audit)
		}
		_, units := f.get(t, "/console/studio/settings/units/download")
		if _, err := followup.ParseSetup([]byte(units), catalogue.Default()); err != nil {
			t.Errorf("the units download does not read back: %v", err)
		}
	})
}

// Every settings and audit route refuses an official who is not an admin,
// and everyone not signed in.
func TestSettingsRefuseNonAdmins(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		board := settingsOfficial(t, db, "Ban Dân vận", langnghe.RoleBoard, "4004")
		unit := settingsOfficial(t, db, "Cán bộ xã", langnghe.RoleUnit, "5005")
		before := f.state(t)
		fill := strings.NewReplacer("{doc}", "catalogue", "{code}", "health", "{id}", fmt.Sprint(f.admin), "{$}", "")
		checked := 0
		for _, pattern := range f.studio.Routes() {
			method, path, _ := strings.Cut(pattern, " ")
			if !strings.Contains(path, "/settings/") && !strings.Contains(path, "/officials") && !strings.Contains(path, "/audit") {
				continue // the flows' pages have tests of their own
			}
			checked++
			path = fill.Replace(path)
			for _, who := range []int64{board, unit} {
				cookie, csrf := f.signIn(t, who)
				req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(url.Values{"csrf": {csrf}, "base": {"0"},
					"source": {"x"}, "name": {"y"}, "role": {"admin"}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.AddCookie(cookie)
				if status, body, _ := settingsDo(t, req); status != http.StatusForbidden {
					t.Errorf("%s %s as official %d = %d, want 403:\n%s", method, path, who, status, body)
				}
			}
			req, _ := http.NewRequest(method, f.srv.URL+path, nil)
			if status, _, _ := settingsDo(t, req); status != http.StatusUnauthorized {
				t.Errorf("%s %s signed out = %d, want 401", method, path, status)
			}
		}
		if checked < 13 {
			t.Errorf("only %d settings routes were checked", checked)
		}
		if after := f.state(t); after != before {
			t.Errorf("refused requests changed something: %+v, was %+v", after, before)
		}
	})
}
