package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/bot/telegramtest"
)

// neighbour is a resident of TestAnnouncement: where their opinion was,
// and what they answered to the announcements notice.
type neighbour struct {
	*resident
	english bool
	area    string // what they type for the place
	agrees  bool
	read    int // messages in their chat before the announcements
}

// sendOpinion walks n through a first opinion (no contact kept) and the
// announcements notice that follows it, in its own message.
func (n *neighbour) sendOpinion() {
	en := n.english
	pick := func(vi, english string) string {
		if en {
			return english
		}
		return vi
	}
	n.say("/start")
	n.expect(pick("chọn ngôn ngữ", "choose your language"))
	n.press(pick("Tiếng Việt", "English"))
	n.expect(pick("đồng ý không", "Do you agree"))
	n.press(pick("Không đồng ý", "I do not agree"))
	n.expect(pick("cần gì", "What would you like"))
	n.press(pick("Gửi ý kiến", "Send an opinion"))
	n.expect(pick("mô tả", "describe"))
	n.say("Đèn đường ở ấp 2 bị hư cả tháng nay, buổi tối rất tối và nguy hiểm")
	n.expect(pick("xã/phường", "commune or ward"))
	n.say(n.area)
	n.expect(pick("ảnh", "photo"))
	n.say(pick("Bỏ qua", "Skip"))
	n.expect(pick("bấm «Gửi»", "Tap «Send»"))
	n.press(pick("Gửi", "Send"))
	m := n.expect(pick("Ông/bà có muốn nhận thông báo của xã", "Would you like to receive the commune's announcements"))
	if strings.Contains(m.Text, pick("đồng ý không", "Do you agree")) {
		n.t.Errorf("resident %d: the announcements notice came with the contact notice: %q", n.user.ID, m.Text)
	}
	if n.agrees {
		n.press(pick("Có", "Yes"))
		n.expect(pick("Chúng tôi sẽ gửi thông báo", "We will send you the announcements"))
	} else {
		n.press(pick("Không", "No"))
		n.expect(pick("sẽ không gửi thông báo", "will not send you announcements"))
	}
}

// announcements are the messages n received since read that announce a
// campaign.
func (n *neighbour) announcements() []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range n.fake.Sent(n.user.ChatID())[n.read:] {
		if strings.HasPrefix(m.Text, "THÔNG BÁO:") || strings.HasPrefix(m.Text, "ANNOUNCEMENT:") {
			out = append(out, m)
		}
	}
	return out
}

// TestAnnouncement: the board creates a dialogue conference for two
// communes and announces it. Residents of those communes and of a third
// sent opinions; after them each was asked, once and on its own, whether
// they want announcements, and some agreed. The announcement reaches only
// those who agreed and live in the two communes, in their language, with
// the deep link and a button to stop; announcing again sends nobody
// anything. One resident stops with the button: a second campaign's
// announcement does not reach them, and a resident whose withdrawal is
// recorded after the announcement was queued gets nothing either (the
// sender checks the consent again). Reached counts who got it.
func TestAnnouncement(t *testing.T) {
	t.Parallel()
	bin := langngheBinary(t)
	eachDatabase(t, func(t *testing.T, dbURL string) { announcement(t, bin, dbURL) })
}

func announcement(t *testing.T, bin, dbURL string) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	addr := freeAddr(t)
	env := processEnv(fake, dbURL, addr)
	create := func(title, areas string) createdCampaign {
		var c createdCampaign
		out := cli(t, bin, env, "campaigns", "create", "--kind", "dialogue", "--title", title, "--areas", areas,
			"--opens", officeDay(0), "--closes", officeDay(20), "--at", officeDay(25)+" 08:00", "--place", "Hội trường UBND xã Minh Thạnh")
		if err := json.Unmarshal([]byte(out), &c); err != nil || c.ID == 0 {
			t.Fatalf("campaigns create printed %q (%v)", out, err)
		}
		return c
	}
	conference := create("Hội nghị đối thoại xã Minh Thạnh và xã Long Hòa", "minh_thanh,long_hoa")
	proc := startProcess(t, bin, addr, env)
	db := sqlDB(t, dbURL)

	people := map[string]*neighbour{}
	for i, p := range []struct {
		key, area string
		english   bool
		agrees    bool
	}{
		{"minh_thanh_yes", "minh thanh", false, true},
		{"long_hoa_yes_en", "Long Hòa", true, true},
		{"minh_thanh_no", "Minh Thạnh", false, false},
		{"dau_tieng_yes", "Dầu Tiếng", false, true},
		{"long_hoa_stops", "long hoa", false, true},
	} {
		lang := map[bool]string{true: "en", false: "vi"}[p.english]
		n := &neighbour{resident: newResident(t, fake, 9301+int64(i), fmt.Sprintf("Lê Văn %c", 'A'+i), lang),
			english: p.english, area: p.area, agrees: p.agrees}
		n.sendOpinion()
		people[p.key] = n
	}
	for _, n := range people {
		n.read = len(fake.Sent(n.user.ChatID()))
	}
	if n := count(t, db, `SELECT COUNT(*) FROM consents WHERE purpose = 'announcements'`); n != 5 {
		t.Fatalf("%d answers to the announcements notice recorded, want 5", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM consents WHERE purpose = 'contact'`); n != 5 {
		t.Fatalf("%d answers to the contact notice recorded, want 5: the two purposes are asked apart", n)
	}

	announce := func(id int64) langnghe.Announcement {
		var a langnghe.Announcement
		out := cli(t, bin, env, "campaigns", "announce", fmt.Sprint(id))
		if err := json.Unmarshal([]byte(out), &a); err != nil || a.CampaignID != id {
			t.Fatalf("campaigns announce %d printed %q (%v)", id, out, err)
		}
		return a
	}
	drained := func() {
		t.Helper()
		if !waitFor(30*time.Second, func() bool { return count(t, db, `SELECT COUNT(*) FROM outbox`) == 0 }) {
			t.Fatalf("%d messages still queued after 30s", count(t, db, `SELECT COUNT(*) FROM outbox`))
		}
	}

	// The announcement reaches the three who agreed in the two communes.
	if a := announce(conference.ID); a.Queued != 3 || a.Before != 0 {
		t.Fatalf("announce: %+v, want 3 queued", a)
	}
	drained()
	for key, n := range people {
		got := n.announcements()
		want := map[string]bool{"minh_thanh_yes": true, "long_hoa_yes_en": true, "long_hoa_stops": true}[key]
		switch {
		case !want && len(got) > 0:
			t.Errorf("%s received the announcement: %q", key, got[0].Text)
		case want && len(got) != 1:
			t.Errorf("%s received %d announcements, want 1", key, len(got))
		case want:
			m := got[0]
			head := map[bool]string{false: "THÔNG BÁO: Hội nghị đối thoại «Hội nghị đối thoại xã Minh Thạnh và xã Long Hòa»",
				true: "ANNOUNCEMENT: Dialogue conference «Hội nghị đối thoại xã Minh Thạnh và xã Long Hòa»"}[n.english]
			stop := map[bool]string{false: "Không nhận thông báo nữa", true: "No more announcements"}[n.english]
			if !strings.HasPrefix(m.Text, head) || !strings.Contains(m.Text, conference.Link) ||
				len(m.InlineKeyboard) != 1 || len(m.InlineKeyboard[0]) != 1 || m.InlineKeyboard[0][0].Text != stop {
				t.Errorf("%s received %q with buttons %+v", key, m.Text, m.InlineKeyboard)
			}
		}
	}

	// Announcing again sends nobody anything.
	if a := announce(conference.ID); a.Queued != 0 || a.Before != 3 {
		t.Errorf("announce again: %+v, want 0 queued, 3 before", a)
	}
	time.Sleep(500 * time.Millisecond) // a message queued by mistake would go out by now
	for key, n := range people {
		if got := len(n.announcements()); got > 1 {
			t.Errorf("%s received the announcement %d times", key, got)
		}
	}

	// One stops with the button at the bottom of the announcement.
	stopper := people["long_hoa_stops"]
	stopper.seen = len(fake.Sent(stopper.user.ChatID()))
	stopper.last = stopper.announcements()[0]
	stopper.press("Không nhận thông báo nữa")
	stopper.expect("Đã hủy nhận thông báo")
	if n := count(t, db, fmt.Sprintf(`SELECT COUNT(*) FROM consents c JOIN residents r ON r.id = c.resident_id
		WHERE r.external_id = '%d' AND c.purpose = 'announcements' AND c.granted = %s`, stopper.user.ID, sqlFalse(dbURL))); n != 1 {
		t.Errorf("the withdrawal is not recorded: %d rows", n)
	}

	// A second campaign, announced while the service is down; before it
	// is back, another resident's withdrawal is recorded behind the
	// queued message (as a replica would record it while this one's
	// sender already held the message): the sender checks again and
	// drops it.
	second := create("Hội nghị đối thoại về nước sạch xã Minh Thạnh và xã Long Hòa", "long_hoa,minh_thanh")
	proc.stop(t)
	if a := announce(second.ID); a.Queued != 2 || a.Before != 0 {
		t.Fatalf("announce the second campaign: %+v, want 2 queued (the stopper no more)", a)
	}
	late := people["minh_thanh_yes"]
	write := writableDB(t, dbURL)
	if _, err := write.Exec(fmt.Sprintf(`INSERT INTO consents (resident_id, purpose, notice_version, granted, at, area_code)
		SELECT id, 'announcements', '2026-12', %s, CURRENT_TIMESTAMP, '' FROM residents WHERE external_id = '%d'`,
		sqlFalse(dbURL), late.user.ID)); err != nil {
		t.Fatal(err)
	}
	startProcess(t, bin, addr, env)
	drained()
	for key, n := range people {
		got := n.announcements()
		want := map[string]int{"minh_thanh_yes": 1, "long_hoa_yes_en": 2, "long_hoa_stops": 1}[key]
		if len(got) != want {
			t.Errorf("%s received %d announcements in all, want %d", key, len(got), want)
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM outbox_dead`); n != 0 {
		t.Errorf("%d messages given up", n)
	}

	// Reached counts who got each announcement.
	for id, want := range map[int64]int{conference.ID: 3, second.ID: 1} {
		var res langnghe.CampaignResults
		out := cli(t, bin, env, "campaigns", "results", fmt.Sprint(id), "--json")
		if err := json.Unmarshal([]byte(out), &res); err != nil || res.Reached != want {
			t.Errorf("campaign %d's results: reached %d, want %d (%v)", id, res.Reached, want, err)
		}
	}
}

// sqlFalse is false as the database writes it in SQL.
func sqlFalse(dbURL string) string {
	if strings.HasPrefix(dbURL, "postgres") {
		return "false"
	}
	return "0"
}

// writableDB opens the service's database for a write the service itself
// would not make.
func writableDB(t *testing.T, dbURL string) *sql.DB {
	t.Helper()
	if strings.HasPrefix(dbURL, "postgres") {
		return sqlDB(t, dbURL)
	}
	db, err := sql.Open("sqlite", strings.TrimPrefix(dbURL, "sqlite:")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
