package officedesk

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"langnghe"
)

var update_ = flag.Bool("update", false, "rewrite testdata/resident_updates.golden")

// TestResidentUpdates prints every message a resident gets about their
// opinion, in Vietnamese, English and Chinese, with the office and the
// dates, and compares them with testdata/resident_updates.golden (go test
// -run TestResidentUpdates -update rewrites it). Each says what happened,
// which office, and when; the Vietnamese ones hold no English word.
func TestResidentUpdates(t *testing.T) {
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 5, 9, 30, 0, 0, hcm)
	due := time.Date(2026, 3, 12, 23, 59, 59, 0, hcm)
	prev := time.Date(2026, 3, 10, 23, 59, 59, 0, hcm)
	units := map[string]string{
		langnghe.LangVI: "Phòng Nông nghiệp và Môi trường",
		langnghe.LangEN: "Agriculture and Environment Office",
		langnghe.LangZH: "农业与环境科",
	}
	cases := []struct {
		name     string
		from, to langnghe.Status
		note     string
		noUnit   bool
		noDue    bool
		prevDue  bool
		orig     string
	}{
		{name: "taken (in progress)", from: langnghe.StatusReceived, to: langnghe.StatusInProgress},
		{name: "taken, no due date, no unit yet", from: langnghe.StatusReceived, to: langnghe.StatusInProgress, noUnit: true, noDue: true},
		{name: "forwarded", from: langnghe.StatusReceived, to: langnghe.StatusForwarded},
		{name: "forwarded with a public note", from: langnghe.StatusInProgress, to: langnghe.StatusForwarded, note: "Đề nghị liên hệ ông Tư, trưởng ấp 3."},
		{name: "extended", from: langnghe.StatusInProgress, to: langnghe.StatusExtended, prevDue: true, note: "Cần khảo sát thực địa cùng các hộ liền kề."},
		{name: "extended again", from: langnghe.StatusExtended, to: langnghe.StatusExtended, prevDue: true, note: "Chờ ý kiến của Sở."},
		{name: "answered", from: langnghe.StatusInProgress, to: langnghe.StatusAnswered, note: "Ngày 04/03/2026, đơn vị đã san lấp ổ gà trước chợ Minh Thạnh."},
		{name: "closed", from: langnghe.StatusAnswered, to: langnghe.StatusClosed},
		{name: "closed with a public note", from: langnghe.StatusInProgress, to: langnghe.StatusClosed, note: "Hộ gia đình đã nhận sổ."},
		{name: "rejected", from: langnghe.StatusReceived, to: langnghe.StatusRejected, note: "Nội dung thuộc thẩm quyền của Tòa án."},
		{name: "redirected", from: langnghe.StatusReceived, to: langnghe.StatusRedirected, note: "Ông/bà mang đơn đến Bộ phận Một cửa, UBND xã Minh Thạnh, sáng thứ Hai đến thứ Sáu."},
		{name: "duplicate", from: langnghe.StatusReceived, to: langnghe.StatusDuplicate, orig: "DT-2026-000007"},
		{name: "public note", from: langnghe.StatusInProgress, to: langnghe.StatusInProgress, note: "Đoàn kiểm tra sẽ đến hiện trường sáng 09/03/2026."},
		{name: "reopened (the resident was not satisfied)", from: langnghe.StatusAnswered, to: langnghe.StatusReopened},
	}
	english := regexp.MustCompile(`(?i)\b(reply|the|opinion|status|answer|unit|office|forwarded|extended|reopened|in progress|received)\b`)
	var out strings.Builder
	for _, lang := range []string{langnghe.LangVI, langnghe.LangEN, langnghe.LangZH} {
		for _, c := range cases {
			u := update{lang: lang, code: "DT-2026-000123", from: c.from, to: c.to, unit: units[lang], at: at, due: due,
				note: c.note, orig: c.orig, answer: at.Unix(), tz: hcm}
			if c.noUnit {
				u.unit = ""
			}
			if c.noDue {
				u.due = time.Time{}
			}
			if c.prevDue {
				u.prevDue = prev
			}
			m := u.message()
			fmt.Fprintf(&out, "=== %s · %s\n%s\n", lang, c.name, m.Text)
			for _, row := range m.Buttons {
				for _, b := range row {
					fmt.Fprintf(&out, "[%s → %s] ", b.Label, b.Data)
				}
				out.WriteString("\n")
			}
			out.WriteString("\n")

			if !strings.Contains(m.Text, "DT-2026-000123") {
				t.Errorf("%s %s: no code in %q", lang, c.name, m.Text)
			}
			if date := dayIn(at, lang, hcm); !strings.Contains(m.Text, date) {
				t.Errorf("%s %s: no date %s in %q", lang, c.name, date, m.Text)
			}
			if !c.noUnit && !strings.Contains(m.Text, units[lang]) {
				t.Errorf("%s %s: the office is not named in %q", lang, c.name, m.Text)
			}
			if !c.noDue && (c.to == langnghe.StatusInProgress || c.to == langnghe.StatusForwarded || c.to == langnghe.StatusExtended ||
				c.to == langnghe.StatusReopened) && c.from != c.to && !strings.Contains(m.Text, dayIn(due, lang, hcm)) {
				t.Errorf("%s %s: no date to hear back by in %q", lang, c.name, m.Text)
			}
			if c.prevDue && !strings.Contains(m.Text, dayIn(prev, lang, hcm)) {
				t.Errorf("%s %s: the earlier due date is missing from %q", lang, c.name, m.Text)
			}
			if c.note != "" && !strings.Contains(m.Text, c.note) {
				t.Errorf("%s %s: the note is missing from %q", lang, c.name, m.Text)
			}
			if lang == langnghe.LangVI {
				if w := english.FindString(m.Text); w != "" {
					t.Errorf("vi %s: English word %q in %q", c.name, w, m.Text)
				}
			}
			if strings.Contains(m.Text, "{") {
				t.Errorf("%s %s: a placeholder is left in %q", lang, c.name, m.Text)
			}
		}
	}
	const golden = "testdata/resident_updates.golden"
	if *update_ {
		if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if got := out.String(); got != string(want) {
		t.Errorf("the residents' messages differ from %s (run with -update and review the diff):\n%s", golden, got)
	}
}

// TestFamilyNameFirst: names read family name first, whichever order
// Telegram's first and last name gave.
func TestFamilyNameFirst(t *testing.T) {
	for in, want := range map[string]string{
		"Lan Nguyễn Thị":    "Nguyễn Thị Lan",
		"Nguyễn Thị Lan":    "Nguyễn Thị Lan",
		"Văn An Trần":       "Trần Văn An",
		"Hoàng Nguyễn Văn":  "Nguyễn Văn Hoàng",
		"Hoàng Văn Nam":     "Hoàng Văn Nam",
		"Mai Lê":            "Lê Mai",
		"Dũng Hoàng":        "Hoàng Dũng",
		"John Smith":        "John Smith",
		"Lan":               "Lan",
		"  Thu  Phạm  Thị ": "Phạm Thị Thu",
		langnghe.Concealed:  langnghe.Concealed,
		"":                  "",
	} {
		if got := FamilyNameFirst(in); got != want {
			t.Errorf("FamilyNameFirst(%q) = %q, want %q", in, got, want)
		}
	}
}
