package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"langnghe/bot/telegramtest"
	"langnghe/config"
)

// setHotline gives a unit a hotline through `langnghe units export|import`,
// as an admin would.
func setHotline(t *testing.T, cfg *config.Config, unit, hotline string) {
	t.Helper()
	ctx := context.Background()
	var out bytes.Buffer
	if err := unitsCmd(ctx, cfg, []string{"export"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	marker := "code: " + unit + "\n"
	file := strings.Replace(out.String(), marker, marker+"    hotline: \""+hotline+"\"\n", 1)
	if file == out.String() {
		t.Fatalf("no unit %s in the export:\n%s", unit, out.String())
	}
	path := filepath.Join(t.TempDir(), "units.yaml")
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := unitsCmd(ctx, cfg, []string{"import", path}, &out, io.Discard); err != nil {
		t.Fatalf("units import: %v\n%s", err, out.String())
	}
}

// An emergency typed anywhere reaches the resident's numbers first and the
// emergency unit's official at once; the conversation goes on; the event is
// stored; another unit hears nothing.
func TestEmergencyReachesOfficial(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dbURL string) {
		fake := telegramtest.NewServer()
		defer fake.Close()
		cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})
		setHotline(t, cfg, "ubnd_minh_thanh", "0274 3000 114")
		startService(t, fake, dbURL, map[string]string{"LANGNGHE_TELEGRAM_MODE": "polling"})
		police := inviteUnitOfficial(t, fake, cfg, 7101, "police", "Anh Công an")
		land := inviteUnitOfficial(t, fake, cfg, 7102, "land_environment", "Chị Địa chính")
		// Telegram paces a chat to a message a second; an official's chat
		// is quiet when an emergency comes, not a second after its
		// invitation was confirmed.
		time.Sleep(1100 * time.Millisecond)

		// A new resident's first words: the number before the language.
		r := newResident(t, fake, 7201, "Hoa", "vi")
		sent := time.Now()
		r.say("co nguoi duoi nuoc o ho, cuu voi")
		first := r.next()
		t.Logf("emergency numbers to the resident: %v", time.Since(sent))
		if !strings.HasPrefix(first.Text, "🚨") || !strings.Contains(first.Text, "112") {
			t.Fatalf("the first reply to a drowning is %q, want the emergency numbers", first.Text)
		}
		alert := police.expect("KHẨN CẤP")
		latency := time.Since(sent)
		t.Logf("emergency to the police official's chat: %v", latency)
		if !strings.Contains(alert.Text, "duoi nuoc") || len(alert.InlineKeyboard) == 0 {
			t.Errorf("the alert reads %q with buttons %v", alert.Text, alert.InlineKeyboard)
		}
		r.expect("chọn ngôn ngữ") // the conversation goes on: the language picker

		// Later, inside "send an opinion" with the commune known: the
		// local hotline follows the national numbers.
		r.press("Tiếng Việt")
		r.expect("đồng ý không")
		r.press("Tôi đồng ý")
		r.expect("cần gì")
		r.press("Gửi ý kiến")
		r.expect("mô tả")
		r.say("cháy nhà")
		if m := r.next(); !strings.Contains(m.Text, "114") {
			t.Errorf("at the description step \"cháy nhà\" got %q", m.Text)
		}
		r.expect("mô tả") // asked again, not refused as too short
		r.say("Đường vào ấp 3 xã Minh Thạnh có ổ gà lớn, xe máy ngã nhiều lần")
		r.expect("xã/phường")
		r.say("minh thanh")
		r.expect("ảnh")
		r.say("tai nạn, có người bị thương nặng")
		if m := r.next(); !strings.Contains(m.Text, "115") || !strings.Contains(m.Text, "0274 3000 114") {
			t.Errorf("with the commune known the emergency reply is %q, want 115 and the hotline", m.Text)
		}
		r.expect("ảnh")
		police.expect("KHẨN CẤP")

		db := sqlDB(t, dbURL)
		if n := count(t, db, `SELECT count(*) FROM emergencies`); n != 3 {
			t.Errorf("%d emergencies stored, want 3", n)
		}
		if n := count(t, db, `SELECT count(*) FROM emergencies WHERE area_code = 'minh_thanh' AND kind = 'medical'`); n != 1 {
			t.Errorf("the accident with the commune known is stored %d times with its area and kind", n)
		}
		for _, m := range fake.Sent(land.user.ChatID()) {
			if strings.Contains(m.Text, "KHẨN CẤP") {
				t.Errorf("the land official was alerted: %q", m.Text)
			}
		}
		if n := count(t, db, `SELECT count(*) FROM opinions`); n != 0 {
			t.Errorf("%d opinions stored from emergencies; an emergency is not an opinion", n)
		}
	})
}
