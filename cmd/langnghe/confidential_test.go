package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"langnghe"
	"langnghe/bot/telegramtest"
	"langnghe/config"
	"langnghe/storage"
	"langnghe/web/console"
)

// inviteOfficial invites an official from the command line with args
// (role, units, --sees-denouncers) and accepts the invitation in the chat.
func inviteOfficial(t *testing.T, fake *telegramtest.Server, cfg *config.Config, account int64, name string, args ...string) *resident {
	t.Helper()
	var out bytes.Buffer
	if err := officialsCmd(context.Background(), cfg, append([]string{"invite", "--name", name}, args...), &out, io.Discard); err != nil {
		t.Fatalf("invite: %v\n%s", err, out.String())
	}
	code := regexp.MustCompile(`/start (inv_[a-z2-7]+)`).FindStringSubmatch(out.String())
	if code == nil {
		t.Fatalf("no invitation code in:\n%s", out.String())
	}
	official := newResident(t, fake, account, name, "vi")
	official.say("/start " + code[1])
	official.expect("liên kết")
	return official
}

// officialsByAccount reads `officials list --json`.
func officialsByAccount(t *testing.T, cfg *config.Config) map[int64]map[string]any {
	t.Helper()
	var out bytes.Buffer
	if err := officialsCmd(context.Background(), cfg, []string{"list", "--json"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	list := map[int64]map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var o map[string]any
		if err := json.Unmarshal([]byte(line), &o); err != nil {
			t.Fatalf("officials list --json: %v: %s", err, line)
		}
		account, _ := strconv.ParseInt(o["external_id"].(string), 10, 64)
		list[account] = o
	}
	return list
}

// consoleGet signs in with a one-time link from the command line and
// gets each path as that official.
func consoleGet(t *testing.T, cfg *config.Config, base string, account int64, paths ...string) []string {
	t.Helper()
	link, err := url.Parse(loginLink(t, cfg, account, base))
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+console.SignInPath, url.Values{"token": {link.Query().Get("token")}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == console.CookieName && ck.Value != "" {
			cookie = ck
		}
	}
	if cookie == nil {
		t.Fatalf("sign in: %d, no session", resp.StatusCode)
	}
	var bodies []string
	for _, p := range paths {
		req, _ := http.NewRequest(http.MethodGet, base+p, nil)
		req.AddCookie(cookie)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", p, resp.StatusCode)
		}
		bodies = append(bodies, string(body))
	}
	return bodies
}

// A denunciation with a phone number, through the real service and the
// fake Bot API: it goes to the inspectorate, not to the land office its
// category names; the inspectorate's official and the board without the
// permission read «Bảo mật» everywhere they meet it — the notification,
// /xem, /danhsach, the console page, the export, the digest, the reports —
// and so does the commune it is forwarded to; an official invited with
// --sees-denouncers sees the denouncer, and so does the commune's once an
// admin permits it.
func TestDenunciationNeverNamesItsAuthor(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dbURL string) {
		fake := telegramtest.NewServer()
		defer fake.Close()
		svc := startService(t, fake, dbURL, map[string]string{"LANGNGHE_TELEGRAM_MODE": "polling"})
		base := "http://" + svc.addr
		cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})
		inspector := inviteOfficial(t, fake, cfg, 7301, "Thanh tra viên", "--role", "unit", "--unit", "inspectorate")
		chief := inviteOfficial(t, fake, cfg, 7302, "Chánh thanh tra", "--role", "unit", "--unit", "inspectorate", "--sees-denouncers")
		land := inviteOfficial(t, fake, cfg, 7303, "Phòng đất đai", "--role", "unit", "--unit", "land_environment")
		commune := inviteOfficial(t, fake, cfg, 7304, "UBND xã Minh Thạnh", "--role", "unit", "--unit", "ubnd_minh_thanh")
		board := inviteOfficial(t, fake, cfg, 7305, "Ban Dân vận", "--role", "board")

		// The resident files it in the chat, leaving their phone.
		r := newResident(t, fake, 7401, "Hoàng Thị Mai", "vi")
		r.say("/start")
		r.expect("chọn ngôn ngữ")
		r.press("Tiếng Việt")
		r.expect("đồng ý không")
		r.press("Tôi đồng ý")
		r.expect("cần gì")
		r.press("Gửi ý kiến")
		r.expect("mô tả")
		r.say("Tôi tố cáo trưởng ấp 3 xã Minh Thạnh thu tiền của dân khi làm hồ sơ cấp sổ đỏ, mỗi hộ 2 triệu đồng")
		r.expect("việc gì")
		r.press("Tố cáo")
		r.expect("xã/phường")
		r.say("xa Minh Thanh")
		r.expect("ảnh")
		r.fake.SendPhoto(r.user, consolePhoto(t))
		r.expect("Chia sẻ số điện thoại")
		r.fake.SendContact(r.user, "+84 912 345 678")
		r.expect("kiểm tra lại")
		r.press("Gửi")
		code := r.expectCode()

		secrets := []string{"Hoàng Thị Mai", "0912345678", "912 345 678", "912345678", "11.274"}
		noSecrets := func(what, text string) {
			t.Helper()
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Errorf("%s shows the denouncer's %q:\n%s", what, s, text)
				}
			}
		}
		concealed := func(what, text string) {
			t.Helper()
			if !strings.Contains(text, code) {
				t.Errorf("%s: no %s in %q", what, code, text)
			}
			noSecrets(what, text)
		}
		marked := func(what, text string) {
			t.Helper()
			concealed(what, text)
			if !strings.Contains(text, "Bảo mật") || !strings.Contains(text, "🔒") {
				t.Errorf("%s: no «Bảo mật» under the confidential marker:\n%s", what, text)
			}
		}

		// The notifications.
		marked("the inspectorate's notification", inspector.expect(code).Text)
		marked("the board's notification", board.expect(code).Text)
		if got := chief.expect(code).Text; !strings.Contains(got, "Hoàng Thị Mai 0912345678") {
			t.Errorf("the permitted official was told %q", got)
		}
		db := openDB(t, dbURL)
		o := must(db.Opinion(context.Background(), code))
		if o.Unit != "inspectorate" || o.LegalTrack != langnghe.TrackDenunciation || o.ContactPhone != "0912345678" {
			t.Fatalf("stored as %s in %s with phone %q, want a denunciation in the inspectorate with the phone", o.LegalTrack, o.Unit, o.ContactPhone)
		}

		// /xem and /danhsach.
		inspector.say("/xem " + code)
		marked("/xem", inspector.expect(code).Text)
		inspector.say("/danhsach")
		concealed("/danhsach", inspector.expect(code).Text)
		land.say("/xem " + code)
		if got := land.expect("Không tìm thấy").Text; strings.Contains(got, "0912") {
			t.Errorf("the land office's /xem: %q", got)
		}

		// The permitted official writes the phone in a note; the others
		// never read it.
		chief.say("/ghichu " + code + " đã gọi chị Hoàng Thị Mai qua số 0912 345 678")
		chief.expect("✅")
		inspector.say("/xem " + code)
		marked("/xem after the note", inspector.expect(code).Text)

		// The console: the page, the inbox, the export and the reports.
		pages := consoleGet(t, cfg, base, 7301, "/console/opinions/"+code, "/console/", "/console/reports/opinions.csv", "/console/reports")
		for i, what := range []string{"the console page", "the inbox", "the export"} {
			concealed(what, pages[i])
		}
		noSecrets("the reports page", pages[3])
		if !strings.Contains(pages[0], "Tố cáo – bảo mật danh tính người tố cáo") || !strings.Contains(pages[0], `<b>Bảo mật</b>`) ||
			strings.Contains(pages[0], "/attachments/") {
			t.Errorf("the console page has no confidential marker, or offers the denouncer's photo")
		}
		if export := consoleGet(t, cfg, base, 7305, "/console/reports/opinions.csv")[0]; !strings.Contains(export, code) {
			t.Errorf("the board's export has no %s", code)
		} else {
			concealed("the board's export", export)
		}
		if page := consoleGet(t, cfg, base, 7302, "/console/opinions/"+code)[0]; !strings.Contains(page, "Hoàng Thị Mai 0912345678") {
			t.Errorf("the permitted official's console page does not show the denouncer")
		}

		// The digest.
		officials := officialsByAccount(t, cfg)
		for _, account := range []int64{7301, 7305, 7302} {
			var out bytes.Buffer
			id := strconv.FormatFloat(officials[account]["id"].(float64), 'f', 0, 64)
			if err := digestCmd(context.Background(), cfg, []string{"preview", "--official", id}, &out, io.Discard); err != nil {
				t.Fatal(err)
			}
			noSecrets("the digest of "+id, out.String())
		}
		if officials[7302]["sees_denouncers"] != true || officials[7301]["sees_denouncers"] != false {
			t.Errorf("officials list --json: sees_denouncers %v, %v", officials[7302]["sees_denouncers"], officials[7301]["sees_denouncers"])
		}

		// Forwarded by the inspectorate to the commune: told, concealed.
		inspector.say("/chuyen " + code + " ubnd_minh_thanh")
		inspector.expect("✅")
		marked("the forwarded notification", commune.expect(code).Text)
		commune.say("/xem " + code)
		marked("the commune's /xem", commune.expect(code).Text)

		// An admin permits the commune's official: from the next command on.
		var out bytes.Buffer
		communeID := strconv.FormatFloat(officials[7304]["id"].(float64), 'f', 0, 64)
		if err := officialsCmd(context.Background(), cfg, []string{"permit", communeID, "--denunciations", "on"}, &out, io.Discard); err != nil {
			t.Fatalf("permit: %v\n%s", err, out.String())
		}
		commune.say("/xem " + code)
		if got := commune.expect(code).Text; !strings.Contains(got, "Hoàng Thị Mai 0912345678") || !strings.Contains(got, "0912 345 678") {
			t.Errorf("the permitted commune's /xem: %q", got)
		}

		for _, m := range fake.Sent(land.user.ChatID()) {
			if strings.Contains(m.Text, code) && !strings.Contains(m.Text, "Không tìm thấy") {
				t.Errorf("the land office was told of the denunciation: %q", m.Text)
			}
		}
	})
}

// `officials permit` grants and withdraws the permission and refuses what
// it cannot read; `officials list` says who holds it.
func TestOfficialsPermit(t *testing.T) {
	dbURL := "sqlite:" + t.TempDir() + "/permit.db"
	cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})
	ctx := context.Background()
	cli := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := officialsCmd(ctx, cfg, args, &out, io.Discard)
		return out.String(), err
	}
	app, err := open(ctx, cfg, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	err = app.db.InTx(ctx, func(tx *storage.Tx) error {
		return tx.CreateOfficial(ctx, &langnghe.Official{Name: "Thanh tra", Role: langnghe.RoleUnit, Units: []string{"inspectorate"},
			Channel: langnghe.ChannelTelegram, ExternalID: "42", ChatID: "42"})
	})
	app.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"permit"}, {"permit", "1"}, {"permit", "x", "--denunciations", "on"}, {"permit", "1", "--denunciations", "yes"}} {
		if out, err := cli(args...); err == nil {
			t.Errorf("%v succeeded: %s", args, out)
		}
	}
	if out, err := cli("permit", "99", "--denunciations", "on"); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
		t.Errorf("permit an unknown official: %v %s", err, out)
	}
	if out, err := cli("permit", "--denunciations", "on", "1"); err != nil || !strings.Contains(out, "may now see") {
		t.Fatalf("permit on: %v %s", err, out)
	}
	if out, _ := cli("list"); !strings.Contains(out, "active, sees denouncers") {
		t.Errorf("list: %s", out)
	}
	if out, err := cli("permit", "1", "--denunciations", "off"); err != nil || !strings.Contains(out, "no longer") {
		t.Fatalf("permit off: %v %s", err, out)
	}
	if out, _ := cli("list", "--json"); !strings.Contains(out, `"sees_denouncers":false`) {
		t.Errorf("list --json: %s", out)
	}
}
