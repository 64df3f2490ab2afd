package main

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"langnghe/bot/telegramtest"
)

// burstResidents each send /start and /trogiup at once; the bot answers
// each with one message (the greeting and the language question joined,
// then the help): a burst of 1,000 replies, 2 per chat.
const burstResidents = 500

// TestBurstUnderTelegramLimits is invariant 4 at Telegram's limits: the
// fake refuses with 429 whatever goes beyond 30 messages a second overall
// or, to one chat, 3 at once and then 1 a second, and a burst of 1,000 replies to 500 residents
// must still all arrive, in order in every chat, with every 429 counted and
// retried rather than dropped. It takes at least 1000/30 = 33 s.
func TestBurstUnderTelegramLimits(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer(telegramtest.WithLimits(telegramtest.Limits{Global: 30, PerChat: 1, PerChatBurst: 3}))
	defer fake.Close()
	dbURL := "sqlite:" + t.TempDir() + "/langnghe.db"
	// The sender paces itself at Telegram's 30 a second, as in production.
	s := startService(t, fake, dbURL, map[string]string{"LANGNGHE_SEND_RATE": "30", "LANGNGHE_LOG_LEVEL": "info"})
	db := sqlDB(t, dbURL)

	// The bot's replies to /start and /trogiup, one message each, from a
	// first resident alone.
	first := newResident(t, fake, 7000, "Lan", "vi")
	first.say("/start")
	want := []string{first.next().Text}
	first.say("/trogiup")
	want = append(want, first.next().Text)
	if !strings.Contains(want[0], "chọn ngôn ngữ") {
		t.Fatalf("the bot's replies to /start changed: %q; update this test", want)
	}

	start := time.Now()
	for i := range burstResidents {
		u := telegramtest.User{ID: 7001 + int64(i), FirstName: "Lan", LanguageCode: "vi"}
		fake.SendText(u, "/start")
		fake.SendText(u, "/trogiup")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	for i := range burstResidents {
		chat := 7001 + int64(i)
		got, err := fake.WaitSent(ctx, chat, len(want))
		if err != nil {
			t.Fatalf("chat %d: %v; %d replies in all after %s", chat, err, fake.Calls("sendMessage")-fake.Rejected429(), time.Since(start))
		}
		if len(got) != len(want) || got[0].Text != want[0] || got[1].Text != want[1] {
			var texts []string
			for _, m := range got {
				texts = append(texts, m.Text)
			}
			t.Errorf("chat %d received %q, want %q", chat, texts, want)
		}
	}
	elapsed := time.Since(start)

	if !waitFor(10*time.Second, func() bool { return count(t, db, `SELECT COUNT(*) FROM outbox`) == 0 }) {
		t.Errorf("%d replies still queued after every chat got its own", count(t, db, `SELECT COUNT(*) FROM outbox`))
	}
	if n := count(t, db, `SELECT COUNT(*) FROM outbox_dead`); n != 0 {
		t.Errorf("%d replies were given up (outbox_dead)", n)
	}
	// Every 429 the fake answered reached the sender, which counted it and
	// tried again (the replies all arrived); none was lost on the way.
	rejected := fake.Rejected429()
	if counted := metric(t, s.addr, "langnghe_telegram_429_total"); counted != float64(rejected) {
		t.Errorf("the fake answered %d 429s, the service counted %v", rejected, counted)
	}
	t.Logf("%d replies to %d chats in %s (%.1f a second); 429 answers: %d",
		burstResidents*len(want), burstResidents, elapsed.Round(time.Millisecond),
		float64(burstResidents*len(want))/elapsed.Seconds(), rejected)
}

// metric reads one unlabelled value from the service's /metrics.
func metric(t *testing.T, addr, name string) float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		value, ok := strings.CutPrefix(sc.Text(), name+" ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			t.Fatalf("metric %s: %v", name, err)
		}
		return v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("metric %s not in /metrics", name)
	return 0
}

// TestConcernAfterStartUnderChatLimits is the first-time journey of a
// resident who types their concern right after /start, without waiting for
// the greeting, and answers every question the moment it arrives, with the
// fake enforcing Telegram's limits for a private chat: three messages at
// once, then one a second (and 30 a second overall). The opinion is filed
// and no reply draws a 429: the sender's burst and pace fit Telegram's. A
// sender that kept sending faster than one a second after its burst of
// three would be refused here (the resident answers within milliseconds,
// so the bot has ten replies to send in about as many seconds).
func TestConcernAfterStartUnderChatLimits(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dbURL string) {
		fake := telegramtest.NewServer(telegramtest.WithLimits(telegramtest.Limits{Global: 30, PerChat: 1, PerChatBurst: 3}))
		defer fake.Close()
		s := startService(t, fake, dbURL, map[string]string{"LANGNGHE_SEND_RATE": "30", "LANGNGHE_TELEGRAM_MODE": "polling"})

		r := newResident(t, fake, 7301, "Hoa", "vi")
		start := time.Now()
		r.say("/start")
		r.say("Đường trước chợ Minh Thạnh có ổ gà lớn, xe máy ngã mấy lần rồi")
		r.expect("chọn ngôn ngữ")
		r.expect("đồng ý không")
		r.press("Tôi đồng ý")
		r.expect("xã Minh Thạnh, đúng không")
		r.press("xã Minh Thạnh")
		r.expect("ảnh")
		r.say("không có ảnh")
		r.expect("số điện thoại")
		r.fake.SendContact(r.user, "+84 912 345 678")
		r.expect("kiểm tra lại")
		r.press("Gửi")
		code := r.expectCode()
		elapsed := time.Since(start)

		o, err := openDB(t, dbURL).Opinion(context.Background(), code)
		if err != nil {
			t.Fatalf("opinion %s shown to the resident is not stored: %v", code, err)
		}
		if o.Category != "infrastructure" || o.AreaCode != "minh_thanh" || o.ContactPhone != "0912345678" || !strings.Contains(o.Text, "ổ gà") {
			t.Errorf("stored opinion: %+v", o)
		}
		if n := fake.Rejected429(); n != 0 {
			t.Errorf("the fake refused %d replies with 429", n)
		}
		if n := metric(t, s.addr, "langnghe_telegram_429_total"); n != 0 {
			t.Errorf("the service counted %v 429s", n)
		}
		sent := fake.Sent(r.user.ChatID())
		var at []string
		for _, m := range sent {
			at = append(at, m.At.Sub(start).Round(10*time.Millisecond).String())
		}
		t.Logf("%d inputs, %d replies in %s, received at %s", 7, len(sent), elapsed.Round(time.Millisecond), strings.Join(at, " "))
	})
}
