package officedesk_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/flows"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// boardOfficial invites and binds a board official as user.
func (w *world) boardOfficial(user string) {
	w.t.Helper()
	inv, err := w.core.Invite(context.Background(), w.db, langnghe.RoleBoard, nil, "", time.Hour)
	if err != nil {
		w.t.Fatal(err)
	}
	if out := w.command(user, flows.CommandStart, langnghe.InvitePrefix+inv.Code); len(out) != 1 {
		w.t.Fatalf("accepting the invitation said %q", out)
	}
}

// emergency stores an emergency reported by r (nil: unknown) as the
// conversation does and has the desk alert of it.
func (w *world) emergency(r *langnghe.Resident, kind langnghe.EmergencyKind, area, text string) *langnghe.Emergency {
	w.t.Helper()
	ctx := context.Background()
	e := &langnghe.Emergency{Channel: langnghe.ChannelTelegram, Kind: kind, Text: text, AreaCode: area,
		At: time.Date(2026, 3, 14, 7, 5, 0, 0, time.UTC)} // 14:05 in Hồ Chí Minh City
	err := w.db.InTx(ctx, func(tx *storage.Tx) error {
		if r != nil {
			if r.ID == 0 {
				if err := tx.SaveResident(ctx, r); err != nil {
					return err
				}
			}
			e.ResidentID = &r.ID
		}
		if err := tx.RecordEmergency(ctx, e); err != nil {
			return err
		}
		return w.desk.EmergencyReported(ctx, tx, e)
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return e
}

// alerts takes what was queued for chat.
func (w *world) alerts(chat string) []langnghe.Outgoing {
	w.t.Helper()
	msgs, err := w.db.TakeChat(context.Background(), langnghe.ChannelTelegram, chat)
	if err != nil {
		w.t.Fatal(err)
	}
	return msgs
}

func (w *world) stored(id int64) *langnghe.Emergency {
	w.t.Helper()
	var e *langnghe.Emergency
	err := w.db.InTx(context.Background(), func(tx *storage.Tx) error {
		var err error
		e, err = tx.Emergency(context.Background(), id)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return e
}

// TestEmergencyAlert: an emergency reaches the officials of the unit that
// holds the emergency duty and the board (notifications off or not), never
// another unit's, with the resident's words, the number they were told,
// the area, the time, how to reach them, and a button that acknowledges it.
// Forged and stale presses are refused with a clear message.
func TestEmergencyAlert(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		w.official("police", "police")
		w.official("police_en", "police")
		w.official("land", "land_environment")
		w.boardOfficial("board")
		// Notifications off holds back new opinions, not emergencies; one
		// officer reads English.
		if out := w.command("board", "thongbao", "off"); len(out) != 1 {
			t.Fatalf("/thongbao off said %q", out)
		}
		err := db.InTx(context.Background(), func(tx *storage.Tx) error {
			o, err := tx.ActiveOfficial(context.Background(), langnghe.ChannelTelegram, "police_en")
			if err != nil {
				return err
			}
			o.Language = langnghe.LangEN
			return tx.SaveOfficialSettings(context.Background(), o)
		})
		if err != nil {
			t.Fatal(err)
		}

		resident := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: "r9", ChatID: "r9",
			Name: "Nguyễn Văn Ba", Phone: "0912345678", Language: langnghe.LangVI}
		e := w.emergency(resident, langnghe.EmergencyFire, "minh_thanh", "cháy nhà ở ấp 3\x07, cứu với!!!")
		if e.Unit != "police" || w.stored(e.ID).Unit != "police" {
			t.Errorf("emergency unit %q (stored %q), want police", e.Unit, w.stored(e.ID).Unit)
		}

		data := "o:e:" + strconv.FormatInt(e.ID, 10)
		for _, chat := range []string{"police", "board"} {
			msgs := w.alerts(chat)
			if len(msgs) != 1 {
				t.Fatalf("%s got %d messages, want the alert", chat, len(msgs))
			}
			m := msgs[0].Message
			for _, want := range []string{"🚨 KHẨN CẤP", "«cháy nhà ở ấp 3, cứu với!!!»", "Cháy, nổ", "gọi 114",
				"Minh Thạnh", "14/03/2026 14:05", "Công an xã", "Nguyễn Văn Ba · 0912345678", "Tin khẩn cấp số " + strconv.FormatInt(e.ID, 10)} {
				if !strings.Contains(m.Text, want) {
					t.Errorf("%s's alert lacks %q:\n%s", chat, want, m.Text)
				}
			}
			if !strings.HasPrefix(m.Text, "🚨 KHẨN CẤP") {
				t.Errorf("%s's alert does not start with the emergency mark:\n%s", chat, m.Text)
			}
			if len(m.Buttons) != 1 || len(m.Buttons[0]) != 1 || m.Buttons[0][0].Data != data ||
				!strings.Contains(m.Buttons[0][0].Label, "Đã nắm thông tin") {
				t.Errorf("%s's alert has buttons %+v, want «Đã nắm thông tin» with %q", chat, m.Buttons, data)
			}
		}
		if msgs := w.alerts("police_en"); len(msgs) != 1 || !strings.HasPrefix(msgs[0].Message.Text, "🚨 KHẨN CẤP — EMERGENCY") ||
			!strings.Contains(msgs[0].Message.Text, "Fire") || !strings.Contains(msgs[0].Message.Buttons[0][0].Label, "Got it") {
			t.Errorf("the English-reading officer got %+v", msgs)
		}
		if msgs := w.alerts("land"); len(msgs) != 0 {
			t.Errorf("another unit's official was alerted: %q", msgs[0].Message.Text)
		}

		// Forged, stale and out-of-scope presses change nothing.
		for _, c := range []struct{ user, data, want string }{
			{"police", "o:e:abc", "không còn dùng được"},
			{"police", "o:e:-1", "không còn dùng được"},
			{"police", "o:e:" + strconv.FormatInt(e.ID+1000, 10), "Không tìm thấy tin khẩn cấp"},
			{"land", data, "Không tìm thấy tin khẩn cấp"},
		} {
			if _, out := w.input(c.user, press(c.data), ""); !contains(out, c.want) {
				t.Errorf("%s pressing %q: %q, want %q", c.user, c.data, out, c.want)
			}
		}
		if got := w.stored(e.ID); got.AcknowledgedAt != nil {
			t.Fatalf("acknowledged by a refused press: %+v", got)
		}

		// The unit's officer acknowledges; the board, later, is told who did.
		if _, out := w.input("police", press(data), ""); !contains(out, "Đã ghi nhận") {
			t.Errorf("acknowledging: %q", out)
		}
		got := w.stored(e.ID)
		if got.AcknowledgedAt == nil || got.AcknowledgedBy == nil {
			t.Fatalf("not acknowledged: %+v", got)
		}
		if _, out := w.input("board", press(data), ""); !contains(out, "đã được Cán bộ police xác nhận") {
			t.Errorf("the board pressing after: %q", out)
		}
		if again := w.stored(e.ID); *again.AcknowledgedBy != *got.AcknowledgedBy || !again.AcknowledgedAt.Equal(*got.AcknowledgedAt) {
			t.Errorf("the second press replaced the first acknowledgement: %+v", again)
		}

		// Unknown reporter, unknown area, a call for help of no kind.
		e2 := w.emergency(nil, langnghe.EmergencyUnknown, "", "cứu với")
		msgs := w.alerts("police")
		if len(msgs) != 1 {
			t.Fatalf("police got %d messages for the second emergency", len(msgs))
		}
		for _, want := range []string{"Chưa rõ", "113, 114, 115, 112", "Địa bàn: chưa rõ", "chưa để lại số điện thoại"} {
			if !strings.Contains(msgs[0].Message.Text, want) {
				t.Errorf("second alert lacks %q:\n%s", want, msgs[0].Message.Text)
			}
		}
		if e2.Unit != "police" {
			t.Errorf("second emergency unit %q", e2.Unit)
		}
	})
}
