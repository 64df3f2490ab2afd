package digest_test

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/digest"
	"langnghe/flows/catalogue"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// clock is a settable time shared by runners, as the wall clock is shared
// by replicas.
type clock struct{ t atomic.Pointer[time.Time] }

func newClock(t time.Time) *clock { c := &clock{}; c.set(t); return c }
func (c *clock) set(t time.Time)  { c.t.Store(&t) }
func (c *clock) now() time.Time   { return *c.t.Load() }

func newRunner(db *storage.DB, c *clock) *digest.Runner {
	return digest.New(db, catalogue.Default(), calendar.New(hcm),
		digest.Options{TimeZone: hcm, Now: c.now, Log: slog.New(slog.DiscardHandler)})
}

// Personal data seeded into every opinion; no digest may show any of it.
var personal = []string{"Nguyễn Văn Bí", "0909123456", "Trần Thị Mận", "0912345678", "bãi rác sau nhà"}

// fixture is two units, their opinions and three officials.
type fixture struct {
	unitOfficial, board, noUnits *langnghe.Official
	// codes of opinions by unit, in creation order.
	codes map[string][]string
}

// seed stores the fixture. The unit official of ubnd_minh_thanh takes a
// daily Vietnamese digest at 07:30, the board a weekly English one on
// Mondays at 08:00. "Now" is Friday 27 November 2026.
func seed(t *testing.T, db *storage.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	joined := local(2026, 1, 1, 0, 0)
	f := &fixture{
		unitOfficial: &langnghe.Official{Name: "Lê Cán Bộ", Role: langnghe.RoleUnit, Units: []string{"ubnd_minh_thanh"},
			Channel: langnghe.ChannelTelegram, ExternalID: "501", ChatID: "501", Digest: langnghe.DigestDaily,
			DigestTime: "07:30", Language: langnghe.LangVI, CreatedAt: joined},
		board: &langnghe.Official{Name: "Ban Dân vận", Role: langnghe.RoleBoard, Channel: langnghe.ChannelTelegram,
			ExternalID: "502", ChatID: "502", Digest: langnghe.DigestWeekly, DigestTime: "08:00",
			DigestWeekday: time.Monday, Language: langnghe.LangEN, CreatedAt: joined},
		noUnits: &langnghe.Official{Name: "Chưa có đơn vị", Role: langnghe.RoleUnit, Channel: langnghe.ChannelTelegram,
			ExternalID: "503", ChatID: "503", Digest: langnghe.DigestDaily, DigestTime: "07:30", CreatedAt: joined},
		codes: map[string][]string{},
	}
	type op struct {
		unit, category, area string
		created              time.Time
		due                  time.Time
		status               langnghe.Status
		answered             time.Time
		rating               string
	}
	ops := []op{
		// Old and open: overdue, the oldest item of the unit.
		{"ubnd_minh_thanh", "land", "minh_thanh", local(2026, 10, 1, 9, 0), local(2026, 10, 8, 23, 59), langnghe.StatusForwarded, time.Time{}, ""},
		// Due soon: the end of Monday 30 November is one working day after Friday.
		{"ubnd_minh_thanh", "environment", "minh_thanh", local(2026, 11, 20, 9, 0), local(2026, 11, 30, 23, 59), langnghe.StatusInProgress, time.Time{}, ""},
		// New since yesterday's digest: two land, one health.
		{"ubnd_minh_thanh", "land", "minh_thanh", local(2026, 11, 26, 10, 0), local(2026, 12, 10, 23, 59), langnghe.StatusReceived, time.Time{}, ""},
		{"ubnd_minh_thanh", "land", "minh_thanh", local(2026, 11, 26, 15, 0), local(2026, 12, 10, 23, 59), langnghe.StatusReceived, time.Time{}, ""},
		{"ubnd_minh_thanh", "health", "long_hoa", local(2026, 11, 27, 6, 0), local(2026, 12, 10, 23, 59), langnghe.StatusReceived, time.Time{}, ""},
		// Answered yesterday, rated satisfied.
		{"ubnd_minh_thanh", "infrastructure", "minh_thanh", local(2026, 11, 2, 9, 0), local(2026, 11, 16, 23, 59), langnghe.StatusAnswered, local(2026, 11, 26, 16, 0), "satisfied"},
		// Another unit's: never in the unit official's digest.
		{"trung_tam_y_te", "health", "dau_tieng", local(2026, 9, 1, 9, 0), local(2026, 9, 10, 23, 59), langnghe.StatusReceived, time.Time{}, ""},
		{"trung_tam_y_te", "health", "dau_tieng", local(2026, 11, 26, 11, 0), local(2026, 12, 10, 23, 59), langnghe.StatusReceived, time.Time{}, ""},
	}
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		for _, u := range []langnghe.Unit{
			{Code: "ubnd_minh_thanh", Names: map[string]string{"vi": "UBND xã Minh Thạnh", "en": "Minh Thạnh Commune People's Committee"}},
			{Code: "trung_tam_y_te", Names: map[string]string{"vi": "Trung tâm Y tế", "en": "Medical Centre"}},
		} {
			if err := tx.SaveUnit(ctx, u); err != nil {
				return err
			}
		}
		for _, o := range []*langnghe.Official{f.unitOfficial, f.board, f.noUnits} {
			if err := tx.CreateOfficial(ctx, o); err != nil {
				return err
			}
		}
		r := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: "900", ChatID: "900",
			Name: personal[0], Phone: personal[1], Language: langnghe.LangVI}
		if err := tx.SaveResident(ctx, r); err != nil {
			return err
		}
		for _, s := range ops {
			code, err := tx.NextOpinionCode(ctx, "DT", 2026)
			if err != nil {
				return err
			}
			o := &langnghe.Opinion{Code: code, ResidentID: &r.ID, Category: s.category, AreaCode: s.area,
				Text:        "Tôi là " + personal[2] + ", số " + personal[3] + ", phản ánh " + personal[4],
				ContactName: personal[0], ContactPhone: personal[1], Language: langnghe.LangVI,
				Channel: langnghe.ChannelTelegram, Status: s.status, CreatedAt: s.created, DueAt: s.due}
			if err := tx.CreateOpinion(ctx, o); err != nil {
				return err
			}
			u := langnghe.OpinionUpdate{Unit: &s.unit}
			if !s.answered.IsZero() {
				u.AnsweredAt, u.Rating = &s.answered, &s.rating
			}
			if err := tx.UpdateOpinion(ctx, o.ID, u); err != nil {
				return err
			}
			f.codes[s.unit] = append(f.codes[s.unit], code)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// take removes and returns the queued messages of chat, as a sender would
// deliver them.
func take(t *testing.T, db *storage.DB, chat string) []string {
	t.Helper()
	ms, err := db.TakeChat(context.Background(), langnghe.ChannelTelegram, chat)
	if err != nil {
		t.Fatal(err)
	}
	texts := make([]string, len(ms))
	for i, m := range ms {
		texts[i] = m.Message.Text
	}
	return texts
}

func runDue(t *testing.T, r *digest.Runner) int {
	t.Helper()
	n, err := r.RunDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDigestContent(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := seed(t, db)
		c := newClock(local(2026, 11, 26, 7, 30)) // Thursday: the first digest
		r := newRunner(db, c)
		if n := runDue(t, r); n != 3 {
			t.Fatalf("RunDue sent %d first digests, want 3", n)
		}
		for _, chat := range []string{"501", "502", "503"} {
			take(t, db, chat)
		}

		c.set(local(2026, 11, 27, 7, 30, 20)) // Friday, 20 s into the scheduled minute
		if n := runDue(t, r); n != 2 {
			t.Fatalf("RunDue sent %d digests on Friday, want 2 (the two daily ones)", n)
		}
		got := take(t, db, "501")
		if len(got) != 1 {
			t.Fatalf("unit official got %d digests, want 1", len(got))
		}
		text := got[0]
		t.Logf("unit official's digest:\n%s", text)
		mt := f.codes["ubnd_minh_thanh"]
		for _, want := range []string{
			"Bản tin ý kiến hằng ngày — 27/11/2026",
			"Phạm vi: UBND xã Minh Thạnh",
			"Từ 26/11/2026 07:30 đến 27/11/2026 07:30",
			"Ý kiến mới: 3",
			"• Đất đai — xã Minh Thạnh: 2",
			"• Y tế — xã Long Hòa: 1",
			"Quá hạn: 1 · Sắp đến hạn (trong 2 ngày làm việc): 1", // followup.DueSoonBy, as the console's strip
			"Đã trả lời: 1 · Hài lòng: 1 · Chưa hài lòng: 0",
			"• " + mt[0] + " — Đất đai, xã Minh Thạnh — 56 ngày, quá hạn",
			"• " + mt[1] + " — Môi trường",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("unit digest lacks %q:\n%s", want, text)
			}
		}
		// Scope: nothing of the other unit, not even its codes.
		for _, code := range f.codes["trung_tam_y_te"] {
			if strings.Contains(text, code) {
				t.Errorf("unit digest shows %s of another unit:\n%s", code, text)
			}
		}
		if strings.Contains(text, "Trung tâm Y tế") {
			t.Errorf("unit digest names another unit:\n%s", text)
		}
		assertNoPersonalData(t, text)

		// An official without units gets an empty digest, not everyone's.
		empty := take(t, db, "503")
		if len(empty) != 1 || !strings.Contains(empty[0], "Ý kiến mới: 0") || !strings.Contains(empty[0], "Quá hạn: 0") {
			t.Errorf("digest of an official without units = %q, want one with zero figures", empty)
		}

		// The board's weekly digest on Monday, in English, covers everything
		// since its last one (Thursday's, its first).
		c.set(local(2026, 11, 30, 8, 0))
		if n := runDue(t, r); n != 3 {
			t.Fatalf("RunDue sent %d digests on Monday, want 3 (board weekly, two daily)", n)
		}
		board := take(t, db, "502")
		if len(board) != 1 {
			t.Fatalf("board got %d digests, want 1", len(board))
		}
		text = board[0]
		t.Logf("board's digest:\n%s", text)
		for _, want := range []string{
			"Weekly opinions digest — 30/11/2026",
			"Scope: all units",
			"From 26/11/2026 07:30 to 30/11/2026 08:00",
			"New opinions: 4",
			"• Land — Minh Thanh commune: 2",
			"Overdue: 2",
			"Answered: 1 · Satisfied: 1 · Not satisfied: 0",
			"• " + f.codes["trung_tam_y_te"][0] + " — Health, Dau Tieng commune, Medical Centre",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("board digest lacks %q:\n%s", want, text)
			}
		}
		assertNoPersonalData(t, text)
	})
}

func assertNoPersonalData(t *testing.T, text string) {
	t.Helper()
	for _, p := range personal {
		if strings.Contains(text, p) {
			t.Errorf("digest carries personal data %q:\n%s", p, text)
		}
	}
}
