package conversation_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/conversation"
	"langnghe/flowlib"
	"langnghe/flows"
	"langnghe/flows/catalogue"
	"langnghe/flows/classify"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// chat drives one resident through the service on a real database, the
// way a channel does, and reads the replies from the outbox.
type chat struct {
	t      *testing.T
	svc    *conversation.Service
	db     *storage.DB
	user   string
	seq    int
	now    time.Time
	last   []langnghe.Message
	lastOK bool
}

func newService(t testing.TB, db *storage.DB, flood int) *conversation.Service {
	t.Helper()
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	return newServiceIn(t, db, hcm, flood)
}

// newServiceIn is newService whose calendar and dates are in loc.
func newServiceIn(t testing.TB, db *storage.DB, loc *time.Location, flood int) *conversation.Service {
	t.Helper()
	cat, cl, lib := parts(t, db)
	return conversation.New(db, lib, cat, cl, calendar.New(loc), conversation.Options{
		OpinionPrefix: "DT", TimeZone: loc, FloodLimit: flood,
	}, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// parts are what a service is built from: the default catalogue, its
// classifier, and the flow library with the default flows in db.
func parts(t testing.TB, db *storage.DB) (*langnghe.Catalogue, *classify.Classifier, *flowlib.Library) {
	t.Helper()
	cat := catalogue.Default()
	cl, err := classify.New(cat)
	if err != nil {
		t.Fatal(err)
	}
	lib := flowlib.New(cat)
	if _, err := lib.Seed(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return cat, cl, lib
}

func (c *chat) send(in langnghe.Input) []langnghe.Message {
	c.t.Helper()
	c.seq++
	return c.sendAs(fmt.Sprintf("%s-%d", c.user, c.seq), in)
}

// sendAs applies in with a given update id and returns the replies queued.
func (c *chat) sendAs(updateID string, in langnghe.Input) []langnghe.Message {
	c.t.Helper()
	if in.At.IsZero() {
		in.At = c.now
	}
	err := c.svc.Handle(context.Background(), langnghe.Inbound{
		Channel: langnghe.ChannelTelegram, UpdateID: updateID, UserID: c.user, ChatID: c.user,
		Name: "Tester", LanguageCode: "vi", Private: true, Input: in,
	})
	if err != nil {
		c.t.Fatalf("handle %+v: %v", in, err)
	}
	return c.replies()
}

func (c *chat) replies() []langnghe.Message {
	c.t.Helper()
	out, err := c.db.TakeChat(context.Background(), langnghe.ChannelTelegram, c.user)
	if err != nil {
		c.t.Fatal(err)
	}
	var msgs []langnghe.Message
	for _, o := range out {
		msgs = append(msgs, o.Message)
	}
	if len(msgs) > 0 {
		c.last = msgs
	}
	return msgs
}

func (c *chat) text(s string) []langnghe.Message {
	return c.send(langnghe.Input{Kind: langnghe.InputText, Text: s})
}

// button returns the data of the button labelled label in the last replies.
func (c *chat) button(label string) string {
	c.t.Helper()
	for _, m := range c.last {
		for _, row := range m.Buttons {
			for _, b := range row {
				if strings.Contains(b.Label, label) {
					return b.Data
				}
			}
		}
	}
	c.t.Fatalf("no button %q in %+v", label, c.last)
	return ""
}

func (c *chat) press(label string) []langnghe.Message {
	c.t.Helper()
	return c.send(langnghe.Input{Kind: langnghe.InputButton, Data: c.button(label)})
}

func joined(msgs []langnghe.Message) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

func start(t *testing.T, db *storage.DB, svc *conversation.Service, user string) *chat {
	c := &chat{t: t, svc: svc, db: db, user: user, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	if got := joined(c.send(langnghe.Input{Kind: langnghe.InputCommand, Command: flows.CommandStart})); !strings.Contains(got, "ngôn ngữ") {
		t.Fatalf("welcome: %q", got)
	}
	c.press("Tiếng Việt")
	return c
}

func TestDuplicateInputChangesNothing(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		svc := newService(t, db, 0)
		c := start(t, db, svc, "501")
		agree := langnghe.Input{Kind: langnghe.InputButton, Data: c.button("Tôi đồng ý")}
		if first := c.sendAs("dup-1", agree); len(first) == 0 {
			t.Fatal("no reply to the consent")
		}
		for i := 0; i < 3; i++ {
			if again := c.sendAs("dup-1", agree); len(again) != 0 {
				t.Fatalf("a duplicate update produced replies: %+v", again)
			}
		}
		if got := svc.Metrics.Duplicates.Load(); got != 3 {
			t.Fatalf("duplicates counted %d, want 3", got)
		}
	})
}

func TestForgedAndStaleButtons(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		svc := newService(t, db, 0)
		for i, data := range []string{"1:en", "2:admin", "999:yes", "", "x", strings.Repeat("9", 200), "\x00\xff"} {
			c := start(t, db, svc, fmt.Sprintf("502%d", i))
			got := joined(c.send(langnghe.Input{Kind: langnghe.InputButton, Data: data}))
			if !strings.Contains(got, "«Tôi đồng ý» hoặc «Không đồng ý»") {
				t.Fatalf("button data %q: want the consent question's retry message, got %q", data, got)
			}
		}
		c := start(t, db, svc, "502")
		// Another resident's buttons act only on that resident's session.
		other := start(t, db, svc, "503")
		other.press("Không đồng ý")
		if got := joined(c.press("Tôi đồng ý")); !strings.Contains(got, "Cảm ơn") {
			t.Fatalf("the first resident's own answer: %q", got)
		}
	})
}

func TestHugeAndBinaryText(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		svc := newService(t, db, 0)
		c := start(t, db, svc, "504")
		c.press("Không đồng ý")
		c.press("Gửi ý kiến")
		huge := strings.Repeat("đường ngập ", 5000) // 60 KB
		if got := c.text(huge); len(got) == 0 {
			t.Fatal("no reply to a huge text")
		}
		for _, junk := range []string{"\xff\xfe\x00binary", "\u202e\u0000", strings.Repeat("\U0001F600", 3000)} {
			if got := c.text(junk); len(got) == 0 {
				t.Fatalf("no reply to %q", junk[:4])
			}
		}
	})
}

func TestTimeoutFiresOnceAndNotWhenAnswered(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		svc := newService(t, db, 0)
		c := start(t, db, svc, "505") // waits at the consent notice, which times out after 24h

		if err := svc.FireTimeouts(ctx, c.now.Add(23*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := c.replies(); len(got) != 0 {
			t.Fatalf("a timeout fired early: %+v", got)
		}
		for i := 0; i < 2; i++ {
			if err := svc.FireTimeouts(ctx, c.now.Add(25*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		got := c.replies()
		if len(got) == 0 {
			t.Fatal("the timeout did not resume the session")
		}
		if again := c.replies(); len(again) != 0 {
			t.Fatal("the timeout was applied twice")
		}

		// A resident who answers in time is not interrupted.
		d := start(t, db, svc, "506")
		d.now = d.now.Add(time.Hour)
		d.press("Tôi đồng ý")
		if err := svc.FireTimeouts(ctx, d.now.Add(25*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := d.replies(); len(got) != 0 {
			t.Fatalf("a stale timeout interrupted an answered question: %q", joined(got))
		}
	})
}

func TestFloodControl(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		svc := newService(t, db, 5)
		c := start(t, db, svc, "507") // 2 inputs so far
		var polite int
		for i := 0; i < 10; i++ {
			got := joined(c.text(fmt.Sprintf("tin %d", i)))
			if strings.Contains(got, "hơi nhanh") {
				polite++
			}
		}
		if polite != 1 {
			t.Fatalf("the slow-down message was sent %d times, want once", polite)
		}
		if svc.Metrics.Flooded.Load() == 0 {
			t.Fatal("flooded inputs not counted")
		}
		c.now = c.now.Add(2 * time.Minute)
		if got := joined(c.text("menu")); strings.Contains(got, "hơi nhanh") || got == "" {
			t.Fatalf("after a minute the resident is heard again: %q", got)
		}
	})
}

func TestGroupChatsAreNotConversations(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		svc := newService(t, db, 0)
		ctx := context.Background()
		in := langnghe.Inbound{Channel: langnghe.ChannelTelegram, UpdateID: "g1", UserID: "508", ChatID: "-100",
			Private: false, Input: langnghe.Input{Kind: langnghe.InputText, Text: "xin chào", At: time.Now()}}
		if err := svc.Handle(ctx, in); err != nil {
			t.Fatal(err)
		}
		if out, _ := db.TakeChat(ctx, langnghe.ChannelTelegram, "-100"); len(out) != 0 {
			t.Fatalf("the bot chatted in a group: %+v", out)
		}
		in.UpdateID, in.Input = "g2", langnghe.Input{Kind: langnghe.InputCommand, Command: flows.CommandStart, At: time.Now()}
		if err := svc.Handle(ctx, in); err != nil {
			t.Fatal(err)
		}
		if out, _ := db.TakeChat(ctx, langnghe.ChannelTelegram, "-100"); len(out) != 1 || !strings.Contains(out[0].Message.Text, "riêng") {
			t.Fatalf("a command in a group should point to a private chat: %+v", out)
		}
	})
}

// A session pinned to a flow revision that can no longer run (removed, or
// no longer valid) must not lock the resident out: they are told and start
// again at the menu, and the update commits.
func TestUnrunnableRevisionRestartsAtTheMenu(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		svc := newService(t, db, 0)
		c := start(t, db, svc, "509")
		c.press("Không đồng ý")
		if got := joined(c.press("Gửi ý kiến")); !strings.Contains(got, "mô tả") {
			t.Fatalf("not at the description: %q", got)
		}
		// Point the stored session at a revision that does not exist.
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			r, err := tx.ResidentByExternal(ctx, langnghe.ChannelTelegram, "509")
			if err != nil {
				return err
			}
			s, err := tx.Session(ctx, r.ID)
			if err != nil {
				return err
			}
			s.Data = []byte(strings.Replace(string(s.Data), `"rev":1`, `"rev":99`, 1))
			s.Revision = 99
			return tx.SaveSession(ctx, s)
		})
		if err != nil {
			t.Fatal(err)
		}
		got := joined(c.text("Đường bị ngập nặng khi mưa"))
		if !strings.Contains(got, "bắt đầu lại") || !strings.Contains(got, "cần gì") {
			t.Fatalf("want an apology and the menu, got %q", got)
		}
		// And the conversation goes on normally.
		if got := joined(c.press("Gửi ý kiến")); !strings.Contains(got, "mô tả") {
			t.Fatalf("after the restart: %q", got)
		}
	})
}

// A turn's messages leave as one where they can: the greeting with the
// language question, the thanks with the menu. Buttons stay on the
// message they belong to, and an emergency's numbers stand alone.
func TestTurnArrivesAsOneMessage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		svc := newService(t, db, 0)
		c := &chat{t: t, svc: svc, db: db, user: "601", now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		msgs := c.send(langnghe.Input{Kind: langnghe.InputCommand, Command: flows.CommandStart})
		if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "Xin chào") || !strings.Contains(msgs[0].Text, "ngôn ngữ") || len(msgs[0].Buttons) == 0 {
			t.Fatalf("the welcome is %d messages: %+v", len(msgs), msgs)
		}
		c.press("Tiếng Việt")
		msgs = c.press("Tôi đồng ý")
		if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "Cảm ơn") || !strings.Contains(msgs[0].Text, "cần gì") {
			t.Fatalf("the thanks and the menu are %d messages: %+v", len(msgs), msgs)
		}
		msgs = c.text("cháy nhà, cứu với")
		if len(msgs) != 2 || !strings.HasPrefix(msgs[0].Text, "🚨") || len(msgs[1].Buttons) == 0 {
			t.Fatalf("an emergency at the menu: %d messages: %+v", len(msgs), msgs)
		}
	})
}

// After the first opinion, the announcements notice is asked on its own
// (not with the contact notice), and its answer is recorded as its own
// purpose with the opinion's area, leaving the contact consent as it was;
// the next opinion does not ask it again.
func TestAnnouncementsAskedOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		svc := newService(t, db, 0)
		c := start(t, db, svc, "601")
		c.press("Tôi đồng ý")
		opinion := func() []langnghe.Message {
			t.Helper()
			c.press("Gửi ý kiến")
			c.text("Đèn đường ở ấp 2 bị hư cả tháng nay, buổi tối rất tối và nguy hiểm")
			c.text("long hoa")
			c.text("Bỏ qua")
			c.press("Giữ ẩn danh")
			return c.press("Gửi")
		}
		first := joined(opinion())
		if !strings.Contains(first, "Mã ý kiến") || !strings.Contains(first, "Ông/bà có muốn nhận thông báo của xã") ||
			strings.Contains(first, "Ông/bà có đồng ý không") {
			t.Fatalf("after the first opinion: %q", first)
		}
		if got := joined(c.press("Có")); !strings.Contains(got, "gửi thông báo của xã Long Hòa") {
			t.Fatalf("after yes: %q", got)
		}
		c.send(langnghe.Input{Kind: langnghe.InputCommand, Command: flows.CommandMenu})
		if again := joined(opinion()); !strings.Contains(again, "Mã ý kiến") || strings.Contains(again, "nhận thông báo") {
			t.Fatalf("the second opinion: %q", again)
		}
		var cs []langnghe.Consent
		err := db.InTx(context.Background(), func(tx *storage.Tx) error {
			r, err := tx.ResidentState(context.Background(), langnghe.ChannelTelegram, "601")
			if err != nil {
				return err
			}
			cs, err = tx.Consents(context.Background(), r.Resident.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 2 || cs[0].Purpose != langnghe.ConsentContact || !cs[0].Granted ||
			cs[1].Purpose != langnghe.ConsentAnnouncements || !cs[1].Granted || cs[1].AreaCode != "long_hoa" {
			t.Errorf("consents: %+v", cs)
		}
	})
}
