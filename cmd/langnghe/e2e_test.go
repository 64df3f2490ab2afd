package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/bot/telegramtest"
	"langnghe/config"
	"langnghe/flows/defaults"
	"langnghe/storage"
)

var opinionCode = regexp.MustCompile(`DT-\d{4}-\d{6,}`)

// photo is what residents attach in the tests: a PNG header and some bytes.
var photo = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 2048)...)

// modes runs fn in polling and in webhook mode.
func modes(t *testing.T, fn func(t *testing.T, env map[string]string)) {
	t.Run("polling", func(t *testing.T) {
		t.Parallel()
		fn(t, map[string]string{"LANGNGHE_TELEGRAM_MODE": "polling"})
	})
	t.Run("webhook", func(t *testing.T) {
		t.Parallel()
		fn(t, map[string]string{
			"LANGNGHE_TELEGRAM_MODE":  "webhook",
			"LANGNGHE_WEBHOOK_URL":    "http://{addr}/telegram/webhook",
			"LANGNGHE_WEBHOOK_SECRET": "e2e-secret",
		})
	})
}

// sendOpinionVI walks a resident through "send an opinion" in Vietnamese
// with a phone number, and returns the code the bot showed.
func sendOpinionVI(r *resident) string {
	r.t.Helper()
	return fileOpinionVI(r, "Gia đình tôi nộp hồ sơ cấp sổ đỏ (giấy chứng nhận quyền sử dụng đất) từ tháng 3 mà đến nay vẫn chưa được cấp", photo)
}

// fileOpinionVI walks a resident through "send an opinion" in Vietnamese
// about land in xã Minh Thạnh, with text, a photo and a phone number, and
// returns the opinion's code.
func fileOpinionVI(r *resident, text string, photo []byte) string {
	r.t.Helper()
	r.say("/start")
	r.expect("chọn ngôn ngữ")
	r.press("Tiếng Việt")
	r.expect("đồng ý không")
	r.press("Tôi đồng ý")
	r.expect("cần gì")
	r.press("Gửi ý kiến")
	r.expect("mô tả")
	r.say(text)
	r.expect("xã/phường")
	r.say("xa Minh Thanh")
	r.expect("ảnh")
	r.fake.SendPhoto(r.user, photo)
	r.expect("Chia sẻ số điện thoại")
	r.fake.SendContact(r.user, "+84 912 345 678")
	r.expect("kiểm tra lại")
	r.press("Gửi")
	return r.expectCode()
}

// sendOpinionEN does the same in English, staying anonymous.
func sendOpinionEN(r *resident) string {
	r.t.Helper()
	r.say("/start")
	r.expect("language")
	r.press("English")
	r.expect("agree")
	r.press("I agree")
	r.expect("would you like")
	r.press("Send an opinion")
	r.expect("describe")
	r.say("The health insurance card of my mother expired and the commune health station refuses to renew it")
	r.expect("commune")
	r.say("Dau Tieng")
	r.expect("photo")
	r.fake.SendLocation(r.user, 11.27, 106.37)
	r.expect("phone")
	r.say("Stay anonymous")
	r.expect("check")
	r.press("Send")
	return r.expectCode()
}

func TestResidentSendsOpinion(t *testing.T) {
	modes(t, func(t *testing.T, env map[string]string) {
		eachDatabase(t, func(t *testing.T, dbURL string) {
			fake := telegramtest.NewServer()
			defer fake.Close()
			startService(t, fake, dbURL, env)
			db := openDB(t, dbURL)
			ctx := context.Background()

			vi := newResident(t, fake, 1001, "Lan", "vi")
			code := sendOpinionVI(vi)
			o, err := db.Opinion(ctx, code)
			if err != nil {
				t.Fatalf("opinion %s shown to the resident is not stored: %v", code, err)
			}
			if o.Category != "land" || o.AreaCode != "minh_thanh" || o.ContactPhone != "0912345678" || o.Anonymous ||
				o.Language != langnghe.LangVI || o.Status != langnghe.StatusReceived || o.Channel != langnghe.ChannelTelegram {
				t.Fatalf("stored opinion: %+v", o)
			}
			if !strings.Contains(o.Text, "sổ đỏ") {
				t.Fatalf("text not stored as written: %q", o.Text)
			}
			if len(o.Attachments) != 1 || !strings.HasPrefix(o.Attachments[0].StoredAt, "db:") {
				t.Fatalf("the photo is not stored with the opinion: %+v", o.Attachments)
			}
			id, _ := strconv.ParseInt(strings.TrimPrefix(o.Attachments[0].StoredAt, "db:"), 10, 64)
			if a, err := db.Attachment(ctx, id); err != nil || !bytes.Equal(a.Data, photo) {
				t.Fatalf("stored photo %d differs from the one sent: %v", id, err)
			}

			en := newResident(t, fake, 1002, "John", "en")
			code = sendOpinionEN(en)
			o, err = db.Opinion(ctx, code)
			if err != nil {
				t.Fatalf("opinion %s: %v", code, err)
			}
			if o.Category != "health" || o.AreaCode != "dau_tieng" || !o.Anonymous || o.ContactPhone != "" ||
				o.Language != langnghe.LangEN || o.Location == nil || o.Location.Latitude != 11.27 {
				t.Fatalf("stored opinion: %+v", o)
			}

			// Outside tools read the opinions as JSON lines.
			listed := map[string]langnghe.Opinion{}
			for _, o := range opinionsJSON(t, dbURL) {
				listed[o.Code] = o
			}
			if o := listed[code]; o.Category != "health" || len(listed) != 2 {
				t.Fatalf("opinions list --json: %d opinions, %s = %+v", len(listed), code, o)
			}

			// The resident can check it.
			en.say("/myopinions")
			m := en.expect(code)
			if !strings.Contains(m.Text, "received") {
				t.Fatalf("status missing: %q", m.Text)
			}
		})
	})
}

// postUpdate posts a raw update to the service's webhook.
func postUpdate(t *testing.T, addr, secret string, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest("POST", "http://"+addr+"/telegram/webhook", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func textUpdate(updateID int, userID int64, text string) []byte {
	return []byte(fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":%d,
		"from":{"id":%d,"is_bot":false,"first_name":"Test","language_code":"vi"},
		"chat":{"id":%d,"type":"private","first_name":"Test"},"text":%q}}`,
		updateID, updateID, time.Now().Unix(), userID, userID, text))
}

func TestWebhookSecretAndDuplicates(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dbURL string) {
		fake := telegramtest.NewServer()
		defer fake.Close()
		s := startService(t, fake, dbURL, map[string]string{
			"LANGNGHE_TELEGRAM_MODE":  "webhook",
			"LANGNGHE_WEBHOOK_URL":    "http://{addr}/telegram/webhook",
			"LANGNGHE_WEBHOOK_SECRET": "e2e-secret",
		})
		const user = 2001
		body := textUpdate(900001, user, "/start")

		for _, secret := range []string{"", "wrong-secret"} {
			if code := postUpdate(t, s.addr, secret, body); code != http.StatusUnauthorized {
				t.Fatalf("webhook with secret %q answered %d, want 401", secret, code)
			}
		}
		time.Sleep(300 * time.Millisecond)
		if n := len(fake.Sent(user)); n != 0 {
			t.Fatalf("a refused update was applied: %d messages sent", n)
		}

		for i := 0; i < 3; i++ {
			if code := postUpdate(t, s.addr, "e2e-secret", body); code != http.StatusOK {
				t.Fatalf("delivery %d answered %d", i, code)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		first, err := fake.WaitSent(ctx, user, 1)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond) // time for a wrongly repeated reply to arrive
		if got := fake.Sent(user); len(got) != len(first) {
			t.Fatalf("the same update delivered 3 times produced %d messages, want %d", len(got), len(first))
		}

		// Malformed and unknown updates are acknowledged (Telegram would
		// retry them forever) and change nothing.
		for _, junk := range []string{`{"update_id":`, `{"update_id":900002,"poll":{"id":"x"}}`, "\x00\xff binary"} {
			if code := postUpdate(t, s.addr, "e2e-secret", []byte(junk)); code >= 500 {
				t.Fatalf("junk %q answered %d", junk, code)
			}
		}
		resp, err := http.Get("http://" + s.addr + "/healthz")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("service unhealthy after junk: %v", err)
		}
		resp.Body.Close()
	})
}

func TestDeletePersonalData(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dbURL string) {
		fake := telegramtest.NewServer()
		defer fake.Close()
		startService(t, fake, dbURL, nil)
		db := openDB(t, dbURL)
		ctx := context.Background()

		r := newResident(t, fake, 3001, "Hoa", "vi")
		code := sendOpinionVI(r)

		r.say("/dulieucuatoi")
		if m := r.expect(code); !strings.Contains(m.Text, "Lan") && !strings.Contains(m.Text, "Hoa") {
			t.Logf("my data: %q", m.Text)
		}

		r.say("/xoadulieu")
		r.expect("Chúng tôi sẽ xóa")
		r.press("Xóa")
		r.expect("Đã xóa")
		o, err := db.Opinion(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for o.ResidentID != nil && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			o = must(db.Opinion(ctx, code))
		}
		if o.ResidentID != nil || o.ContactPhone != "" || o.ContactName != "" || o.Location != nil {
			t.Fatalf("personal data left on the opinion: %+v", o)
		}
		if o.Text == "" || o.Category != "land" {
			t.Fatalf("the opinion itself must stay for the board: %+v", o)
		}
		var name, phone string
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			res, err := tx.ResidentByExternal(ctx, langnghe.ChannelTelegram, "3001")
			if err != nil {
				return err
			}
			name, phone = res.Name, res.Phone
			cs, err := tx.Consents(ctx, res.ID)
			if len(cs) != 0 {
				return fmt.Errorf("consents left: %+v", cs)
			}
			return err
		})
		if err != nil || name != "" || phone != "" {
			t.Fatalf("resident keeps personal data: name %q phone %q err %v", name, phone, err)
		}
	})
}

// opinionsJSON runs `langnghe opinions list --json` against dbURL.
func opinionsJSON(t *testing.T, dbURL string) []langnghe.Opinion {
	t.Helper()
	cfg := must(config.Load(func(k string) (string, bool) {
		if k == "LANGNGHE_DATABASE_URL" {
			return dbURL, true
		}
		return "", false
	}))
	var out bytes.Buffer
	if err := opinionsCmd(context.Background(), cfg, []string{"list", "--json"}, &out, io.Discard); err != nil {
		t.Fatalf("opinions list: %v\n%s", err, out.String())
	}
	var ops []langnghe.Opinion
	dec := json.NewDecoder(&out)
	for dec.More() {
		var o langnghe.Opinion
		if err := dec.Decode(&o); err != nil {
			t.Fatalf("opinions list printed something that is not JSON lines: %v", err)
		}
		ops = append(ops, o)
	}
	return ops
}

// An admin sends flow files to the bot: a broken one is refused with its
// place, a good one becomes a draft and is published; a resident already
// in the flow finishes on the old revision while a new one gets the new.
func TestAdminPublishesFlowFileMidConversation(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dbURL string) {
		fake := telegramtest.NewServer()
		defer fake.Close()
		startService(t, fake, dbURL, map[string]string{"LANGNGHE_ADMINS": "4001"})
		db := openDB(t, dbURL)
		ctx := context.Background()

		old := defaults.Files()["send_opinion.yaml"]
		const oldSummary, newSummary = "Ông/bà vui lòng kiểm tra lại:", "Xin ông/bà xem lại (phiên bản 2):"
		if !bytes.Contains(old, []byte(oldSummary)) {
			t.Fatal("the default flow changed: update this test's marker text")
		}
		revised := bytes.Replace(old, []byte(oldSummary), []byte(newSummary), 1)
		broken := bytes.Replace(revised, []byte("next: summary"), []byte("next: sumary"), 1)

		// A resident enters the flow on revision 1.
		first := newResident(t, fake, 4101, "Mai", "vi")
		first.say("/start")
		first.expect("chọn ngôn ngữ")
		first.press("Tiếng Việt")
		first.expect("đồng ý không")
		first.press("Không đồng ý")
		first.expect("cần gì")
		first.press("Gửi ý kiến")
		first.expect("mô tả")

		admin := newResident(t, fake, 4001, "Admin", "vi")
		fake.SendDocument(admin.user, "send_opinion.yaml", "application/x-yaml", broken)
		m := admin.expect("send_opinion.yaml")
		if !strings.Contains(m.Text, `"sumary"`) || !regexp.MustCompile(`send_opinion\.yaml:\d+:\d+`).MatchString(m.Text) {
			t.Fatalf("the error must name the place and the unknown node: %q", m.Text)
		}
		fake.SendDocument(admin.user, "send_opinion.yaml", "application/x-yaml", revised)
		admin.expect("phiên bản 2")
		admin.say("/publish send_opinion 2")
		admin.expect("đã xuất bản")

		// The first resident finishes on revision 1.
		first.say("Đèn đường ở ấp 2 bị hư cả tháng nay, buổi tối rất tối và nguy hiểm")
		first.expect("xã/phường")
		first.say("Long Hòa")
		first.expect("ảnh")
		first.say("Bỏ qua")
		if m := first.expect("bấm «Gửi»"); !strings.Contains(m.Text, oldSummary) {
			t.Fatalf("a running conversation moved to the new revision: %q", m.Text)
		}
		first.press("Gửi")
		code := first.expectCode()
		o := must(db.Opinion(ctx, code))
		if o.FlowID != "send_opinion" || o.FlowRevision != 1 || !o.Anonymous {
			t.Fatalf("opinion %+v: want revision 1, anonymous (consent declined)", o)
		}

		// A new conversation starts on revision 2.
		second := newResident(t, fake, 4102, "Tuấn", "vi")
		second.say("/start")
		second.expect("chọn ngôn ngữ")
		second.press("Tiếng Việt")
		second.expect("đồng ý không")
		second.press("Không đồng ý")
		second.expect("cần gì")
		second.press("Gửi ý kiến")
		second.expect("mô tả")
		second.say("Rác thải đổ bừa bãi ven đường gây mùi hôi")
		second.expect("xã/phường")
		second.press("Bỏ qua")
		second.expect("ảnh")
		second.say("Bỏ qua")
		if m := second.expect("bấm «Gửi»"); !strings.Contains(m.Text, newSummary) {
			t.Fatalf("a new conversation did not get the published revision: %q", m.Text)
		}

		// A non-admin's flow file is not an admin action.
		fake.SendDocument(second.user, "send_opinion.yaml", "application/x-yaml", broken)
		time.Sleep(300 * time.Millisecond)
		infos := must(db.Flows(ctx))
		for _, f := range infos {
			if f.ID == "send_opinion" && (f.LatestRevision != 2 || f.PublishedRevision != 2) {
				t.Fatalf("send_opinion revisions %+v", f)
			}
		}
	})
}
