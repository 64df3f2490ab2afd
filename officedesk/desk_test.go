package officedesk_test

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
	"langnghe/flows"
	"langnghe/flows/catalogue"
	"langnghe/followup"
	"langnghe/officedesk"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// world is the desk on a real database with the real follow-up core.
type world struct {
	t    *testing.T
	db   *storage.DB
	core *followup.Service
	desk *officedesk.Desk
	seq  int
	// at is the clock of the core and the desk; zero is time.Now.
	at time.Time
}

func (w *world) now() time.Time {
	if w.at.IsZero() {
		return time.Now()
	}
	return w.at
}

func newWorld(t *testing.T, db *storage.DB) *world {
	t.Helper()
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	cat := catalogue.Default()
	w := &world{t: t, db: db}
	core := followup.New(cat, calendar.Default(hcm), followup.Options{TimeZone: hcm, Now: w.now})
	if _, err := core.Seed(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	w.core = core
	w.desk = officedesk.New(core, cat, officedesk.Options{TimeZone: hcm, Now: w.now}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return w
}

// input applies in from user as an official would send it, and returns
// whether the desk took it and what it queued for that chat.
func (w *world) input(user string, in langnghe.Input, replyTo string) (bool, []string) {
	w.t.Helper()
	handled := w.apply(user, in, replyTo)
	return handled, w.take(user)
}

// apply is input leaving what was queued in the outbox.
func (w *world) apply(user string, in langnghe.Input, replyTo string) bool {
	w.t.Helper()
	w.seq++
	ctx := context.Background()
	inbound := langnghe.Inbound{Channel: langnghe.ChannelTelegram, UpdateID: fmt.Sprint(w.seq), UserID: user,
		ChatID: user, Name: "Cán bộ " + user, Private: true, Input: in, ReplyTo: replyTo}
	var handled bool
	err := w.db.InTx(ctx, func(tx *storage.Tx) error {
		var err error
		handled, err = w.desk.Official(ctx, tx, inbound)
		return err
	})
	if err != nil {
		w.t.Fatalf("desk: %v", err)
	}
	return handled
}

func (w *world) command(user, name, args string) []string {
	w.t.Helper()
	_, out := w.input(user, langnghe.Input{Kind: langnghe.InputCommand, Command: name, Text: args}, "")
	return out
}

// take returns the texts queued for chat, checking every button's data.
func (w *world) take(chat string) []string {
	w.t.Helper()
	var out []string
	for _, m := range w.takeMessages(chat) {
		out = append(out, m.Text)
	}
	return out
}

// takeMessages returns the messages queued for chat, checking every
// button's data.
func (w *world) takeMessages(chat string) []langnghe.Message {
	w.t.Helper()
	msgs, err := w.db.TakeChat(context.Background(), langnghe.ChannelTelegram, chat)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []langnghe.Message
	for _, m := range msgs {
		for _, row := range m.Message.Buttons {
			for _, b := range row {
				if b.Data == "" || len(b.Data) > 64 || !(strings.HasPrefix(b.Data, "o:") || strings.HasPrefix(b.Data, "r:")) {
					w.t.Errorf("button %q has data %q", b.Label, b.Data)
				}
			}
		}
		out = append(out, m.Message)
	}
	return out
}

// official invites and binds an official of unit as user.
func (w *world) official(user, unit string) {
	w.t.Helper()
	inv, err := w.core.Invite(context.Background(), w.db, langnghe.RoleUnit, []string{unit}, "", time.Hour)
	if err != nil {
		w.t.Fatal(err)
	}
	if out := w.command(user, flows.CommandStart, langnghe.InvitePrefix+inv.Code); len(out) != 1 || !strings.Contains(out[0], "liên kết") {
		w.t.Fatalf("accepting the invitation said %q", out)
	}
}

// opinion stores an opinion of a new resident (chat "r"+n) as the
// conversation does, and routes it through the desk.
func (w *world) opinion(n int, category string) *langnghe.Opinion {
	w.t.Helper()
	ctx := context.Background()
	r := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: fmt.Sprint("r", n), ChatID: fmt.Sprint("r", n), Language: langnghe.LangEN}
	o := &langnghe.Opinion{Anonymous: true, Category: category, LegalTrack: langnghe.TrackFeedback, AreaCode: "minh_thanh",
		Text: "Đường vào ấp bị sạt lở", Language: langnghe.LangEN, Channel: langnghe.ChannelTelegram,
		Status: langnghe.StatusReceived, DueAt: time.Now().Add(72 * time.Hour)}
	err := w.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.SaveResident(ctx, r); err != nil {
			return err
		}
		code, err := tx.NextOpinionCode(ctx, "DT", 2026)
		if err != nil {
			return err
		}
		o.Code, o.ResidentID = code, &r.ID
		if err := tx.CreateOpinion(ctx, o); err != nil {
			return err
		}
		return w.desk.OpinionCreated(ctx, tx, o)
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return o
}

func (w *world) status(code string) langnghe.Status {
	w.t.Helper()
	o, err := w.db.Opinion(context.Background(), code)
	if err != nil {
		w.t.Fatal(err)
	}
	return o.Status
}

func contains(texts []string, want string) bool {
	for _, s := range texts {
		if strings.Contains(s, want) {
			return true
		}
	}
	return false
}

// TestOfficialActionsAndScope: each command and button acts only within
// the official's units; outside them the answer is the one for a code that
// does not exist, and nothing changes.
func TestOfficialActionsAndScope(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		w.official("land", "land_environment")
		w.official("health", "medical_centre")
		o := w.opinion(1, "land")
		if got := w.take("land"); len(got) != 1 || !strings.Contains(got[0], o.Code) {
			t.Fatalf("the land official was notified with %q", got)
		}
		if got := w.take("health"); len(got) != 0 {
			t.Fatalf("the health official was notified of a land opinion: %q", got)
		}

		tests := []struct {
			name       string
			user       string
			in         langnghe.Input
			replyTo    string
			want       string // in the official's reply
			status     langnghe.Status
			toResident string // in the resident's message; "" for none
		}{
			{name: "view outside scope", user: "health", in: cmd("xem", o.Code), want: "Không tìm thấy ý kiến", status: langnghe.StatusReceived},
			{name: "take outside scope by button", user: "health", in: press("o:t:" + o.Code), want: "Không tìm thấy ý kiến", status: langnghe.StatusReceived},
			{name: "answer outside scope by reply", user: "health", in: text("Đã xong"), replyTo: "Ý kiến mới " + o.Code,
				want: "Không tìm thấy ý kiến", status: langnghe.StatusReceived},
			{name: "unknown button", user: "land", in: press("o:zz:" + o.Code), want: "không còn dùng được", status: langnghe.StatusReceived},
			{name: "view", user: "land", in: cmd("view", strings.ToLower(o.Code)), want: "sạt lở", status: langnghe.StatusReceived},
			{name: "forward choices", user: "land", in: press("o:f:" + o.Code), want: "Chuyển ý kiến", status: langnghe.StatusReceived},
			{name: "take", user: "land", in: press("o:t:" + o.Code), want: "→", status: langnghe.StatusInProgress, toResident: "was taken up by the Agriculture and Environment Office"},
			{name: "take twice", user: "land", in: cmd("nhan", o.Code), want: "không thể nhận xử lý lúc này", status: langnghe.StatusInProgress},
			{name: "extend needs a date", user: "land", in: cmd("giahan", o.Code+" mai"), want: "Cách dùng", status: langnghe.StatusInProgress},
			{name: "extend", user: "land", in: cmd("giahan", o.Code+" 31/12/2099 cần khảo sát thực địa"), want: "→",
				status: langnghe.StatusExtended, toResident: "khảo sát thực địa"},
			{name: "internal note", user: "land", in: cmd("ghichu", o.Code+" gọi điện cho trưởng ấp"), want: "✅", status: langnghe.StatusExtended},
			{name: "reply naming no opinion", user: "land", in: text("Đã xong"), replyTo: "Lệnh cho cán bộ", want: "/traloi", status: langnghe.StatusExtended},
			{name: "answer by reply", user: "land", in: text("Đã sửa đường xong."), replyTo: "🆕 Ý kiến mới\n" + o.Code,
				want: "→", status: langnghe.StatusAnswered, toResident: "Đã sửa đường xong."},
			{name: "unknown command", user: "land", in: cmd("xyz", ""), want: "/xyz", status: langnghe.StatusAnswered},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				handled, out := w.input(tt.user, tt.in, tt.replyTo)
				if !handled || !contains(out, tt.want) {
					t.Errorf("handled %v, replies %q, want one with %q", handled, out, tt.want)
				}
				if got := w.status(o.Code); got != tt.status {
					t.Errorf("status %s, want %s", got, tt.status)
				}
				toResident := w.take("r1")
				switch {
				case tt.toResident == "" && len(toResident) > 0:
					t.Errorf("the resident was told %q", toResident)
				case tt.toResident != "" && !contains(toResident, tt.toResident):
					t.Errorf("the resident was told %q, want %q", toResident, tt.toResident)
				case tt.toResident != "" && !contains(toResident, "Agriculture and Environment Office"):
					t.Errorf("the resident's message does not name the unit: %q", toResident)
				}
			})
		}
	})
}

// TestNotStaffNeverReachTheDesk: someone who is not an official, or whose
// invitation is not valid, goes on to the residents' conversation or is
// told the invitation is no good; a revoked official is refused at once.
func TestNotStaffNeverReachTheDesk(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		if handled, out := w.input("stranger", cmd("xem", "DT-2026-000001"), ""); handled || len(out) > 0 {
			t.Fatalf("a stranger's command: handled %v, replies %q", handled, out)
		}
		if handled, out := w.input("stranger", press("o:t:DT-2026-000001"), ""); handled || len(out) > 0 {
			t.Fatalf("a stranger's forged button: handled %v, replies %q", handled, out)
		}
		if out := w.command("stranger", flows.CommandStart, langnghe.InvitePrefix+"nottherightcode"); !contains(out, "không hợp lệ") {
			t.Fatalf("a wrong invitation said %q", out)
		}
		w.official("land", "land_environment")
		o := w.opinion(1, "land")
		w.take("land")
		off, err := w.db.Officials(context.Background())
		if err != nil || len(off) != 1 {
			t.Fatalf("officials %v, %v", off, err)
		}
		if err := w.core.Revoke(context.Background(), w.db, off[0].ID, "test"); err != nil {
			t.Fatal(err)
		}
		if handled, _ := w.input("land", press("o:t:"+o.Code), ""); handled {
			t.Fatal("a revoked official still reaches the desk")
		}
		if got := w.status(o.Code); got != langnghe.StatusReceived {
			t.Fatalf("status %s after a revoked official's press", got)
		}
	})
}

// TestNotificationsOptOut: /thongbao off stops notifications of new
// opinions, on brings them back.
func TestNotificationsOptOut(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		w.official("land", "land_environment")
		if out := w.command("land", "thongbao", "off"); !contains(out, "tắt") {
			t.Fatalf("/thongbao off said %q", out)
		}
		w.opinion(1, "land")
		if got := w.take("land"); len(got) != 0 {
			t.Fatalf("notified after opting out: %q", got)
		}
		if out := w.command("land", "notify", "on"); !contains(out, "bật") {
			t.Fatalf("/notify on said %q", out)
		}
		o := w.opinion(2, "land")
		if got := w.take("land"); len(got) != 1 || !strings.Contains(got[0], o.Code) {
			t.Fatalf("after opting in again: %q", got)
		}
		if out := w.command("land", "thongbao", "maybe"); !contains(out, "/thongbao bật|tắt") {
			t.Fatalf("/thongbao maybe said %q", out)
		}
	})
}

// rate applies a resident's input to the desk as the conversation would,
// and returns whether the desk took it and what it queued for the chat.
func (w *world) rate(residentChat string, in langnghe.Input, replyTo string) (bool, []string) {
	w.t.Helper()
	handled := w.applyResident(residentChat, in, replyTo)
	return handled, w.take(residentChat)
}

// applyResident is rate leaving what was queued in the outbox.
func (w *world) applyResident(residentChat string, in langnghe.Input, replyTo string) bool {
	w.t.Helper()
	ctx := context.Background()
	var handled bool
	err := w.db.InTx(ctx, func(tx *storage.Tx) error {
		r, err := tx.ResidentByExternal(ctx, langnghe.ChannelTelegram, residentChat)
		if err != nil {
			return err
		}
		handled, err = w.desk.Resident(ctx, tx, r, langnghe.Inbound{Channel: langnghe.ChannelTelegram,
			UpdateID: "x", UserID: residentChat, ChatID: residentChat, Private: true, Input: in, ReplyTo: replyTo})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return handled
}

// TestResidentRatesWithOwnWords: "not satisfied" reopens at the press and
// asks why; a reply to that question is the reason, told to the unit; the
// same reply from another resident, or a rating button for someone else's
// opinion, rates nothing.
func TestResidentRatesWithOwnWords(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		w.official("land", "land_environment")
		o := w.opinion(1, "land")
		w.opinion(2, "land")
		w.input("land", cmd("traloi", o.Code+" Đã sửa xong."), "")
		w.take("r1")
		w.take("land")

		if handled, out := w.rate("r2", press("r:n:"+o.Code), ""); !handled || !contains(out, "cannot be rated") {
			t.Fatalf("another resident's 'not satisfied': handled %v, %q", handled, out)
		}
		_, out := w.rate("r1", press("r:n:"+o.Code), "")
		if !contains(out, "reopened") || !contains(out, "Why") && !contains(out, "why") {
			t.Fatalf("'not satisfied' said %q", out)
		}
		if got := w.status(o.Code); got != langnghe.StatusReopened {
			t.Fatalf("status %s after the press of 'not satisfied', want reopened at once", got)
		}
		if got := w.take("land"); !contains(got, "🔁") || !contains(got, "Đã sửa xong.") {
			t.Fatalf("the unit was told %q, want the reopening with the earlier answer", got)
		}
		if handled, out := w.rate("r2", text("Chưa sửa gì cả"), out[0]); !handled || !contains(out, "cannot be rated") {
			t.Fatalf("another resident's reason: handled %v, %q", handled, out)
		}
		if handled, _ := w.rate("r1", text("hello"), "Some other message "+o.Code); handled {
			t.Fatal("a reply to a message that asks nothing was taken as a reason")
		}
		if _, out := w.rate("r1", text("Chưa sửa gì cả"), out[0]); !contains(out, "Chưa sửa gì cả") || !contains(out, "Agriculture") {
			t.Fatalf("the reason said %q", out)
		}
		if got := w.take("land"); !contains(got, "Chưa sửa gì cả") || !contains(got, "💬") {
			t.Fatalf("the unit was told %q", got)
		}
	})
}

func cmd(name, args string) langnghe.Input {
	return langnghe.Input{Kind: langnghe.InputCommand, Command: name, Text: args}
}
func press(data string) langnghe.Input { return langnghe.Input{Kind: langnghe.InputButton, Data: data} }
func text(s string) langnghe.Input     { return langnghe.Input{Kind: langnghe.InputText, Text: s} }
