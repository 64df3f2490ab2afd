package studio_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"langnghe"
	"langnghe/flows/defaults"
	"langnghe/flows/faq"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// simulateMenu plays one input of the simulator on the stored menu flow
// and returns the panel (unescaped) and the simulator's state.
func (f *settingsFixture) simulateMenu(t *testing.T, state string, fields url.Values) (string, string) {
	t.Helper()
	form := url.Values{"source": {string(defaults.Files()["menu.yaml"])}, "base": {"1"}, "sim_state": {state}, "sim_lang": {"vi"}}
	for k, v := range fields {
		form[k] = v
	}
	form.Set("csrf", f.csrf)
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/console/studio/flows/menu/simulate", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Studio-Fragment", "1")
	req.AddCookie(f.cookie)
	status, body, _ := settingsDo(t, req)
	if status != http.StatusOK {
		t.Fatalf("simulate %v = %d\n%s", fields, status, body)
	}
	m := regexp.MustCompile(`name="sim_state" value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no simulator state in\n%s", body)
	}
	return html.UnescapeString(body), html.UnescapeString(m[1])
}

// askInSimulator starts the menu in the simulator and types a question at
// it; it returns what the simulated resident was told.
func (f *settingsFixture) askInSimulator(t *testing.T, question string) string {
	t.Helper()
	_, state := f.simulateMenu(t, "", url.Values{"sim_action": {"start"}})
	panel, _ := f.simulateMenu(t, state, url.Values{"sim_action": {"say"}, "sim_text": {question}})
	return panel
}

// TestFAQDocument: admins edit the FAQ beside the catalogue: the default
// until a revision is saved, a broken file refused with its lines and
// nothing stored, a changed file saved as a revision with its audit entry,
// and the simulator answering from the stored revision.
func TestFAQDocument(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		ctx := context.Background()
		const question = "cho hỏi xã làm việc mấy giờ?"

		_, index := f.get(t, "/console/studio/settings/")
		if !strings.Contains(index, `href="/console/studio/settings/faq"`) {
			t.Fatalf("the settings index does not offer the FAQ:\n%s", index)
		}
		src, base := f.editor(t, "faq")
		if src != string(faq.DefaultFile()) || base != "0" {
			t.Fatalf("the FAQ editor shows base %q and the default file: %v", base, src == string(faq.DefaultFile()))
		}
		if status, file := f.get(t, "/console/studio/settings/faq/download"); status != http.StatusOK || file != src {
			t.Errorf("download = %d, want the default file", status)
		}
		if panel := f.askInSimulator(t, question); !strings.Contains(panel, "Giờ làm việc, tiếp công dân") {
			t.Errorf("the simulator does not answer from the default FAQ:\n%s", panel)
		}

		// A broken file: every problem with its line, nothing stored.
		answer := settingsLine(t, src, "Cấp Giấy chứng nhận quyền sử dụng đất (sổ đỏ) lần đầu") - 2
		broken := strings.Replace(src, "    answer:\n      vi: |\n        Cấp Giấy chứng nhận", "    answer:\n      vn: |\n        Cấp Giấy chứng nhận", 1)
		tests := []struct {
			name, file string
			places     []string
			messages   []string
		}{
			{"a missing Vietnamese answer and an unknown language", broken,
				[]string{fmt.Sprintf("%d:5", answer), fmt.Sprintf("%d:7", answer+1)},
				[]string{"entry so_do: answer.vi is missing", `entry so_do: answer language "vn" is not one of vi, en, zh`}},
			{"a duplicate id", src + "\n  - id: so_do\n    questions: [sổ đỏ]\n    answer: {vi: Trùng.}\n",
				[]string{fmt.Sprintf("%d:5", strings.Count(src, "\n")+2)}, []string{"entry so_do: id is used twice"}},
			{"not YAML", "entries:\n  - id: a\n    questions: [sổ đỏ\n", []string{"2:5"}, []string{"did not find expected"}},
		}
		before := f.state(t)
		auditBefore, _ := db.Audit(ctx, langnghe.AuditQuery{Limit: 1000})
		for _, tc := range tests {
			for _, via := range []string{"check", "save", "upload"} {
				var status int
				var body string
				if via == "upload" {
					status, body, _ = f.upload(t, "faq", "0", []byte(tc.file))
				} else {
					status, body, _ = f.post(t, "/console/studio/settings/faq",
						url.Values{"source": {strings.ReplaceAll(tc.file, "\n", "\r\n")}, "base": {"0"}, "action": {via}})
				}
				want := http.StatusBadRequest
				if via == "check" {
					want = http.StatusOK
				}
				got := settingsPlaces(body)
				box := html.UnescapeString(settingsProblems(body))
				if status != want || fmt.Sprint(got) != fmt.Sprint(tc.places) {
					t.Errorf("%s, %s: %d with places %v; want %d and %v:\n%s", tc.name, via, status, got, want, tc.places, box)
				}
				for _, m := range tc.messages {
					if !strings.Contains(box, m) {
						t.Errorf("%s, %s: the problems do not say %q:\n%s", tc.name, via, m, box)
					}
				}
				if via != "check" && settingsTextarea(body, "source") != tc.file {
					t.Errorf("%s, %s: the refused text is not kept in the editor", tc.name, via)
				}
			}
		}
		if _, _, err := db.Setting(ctx, langnghe.SettingFAQ); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
			t.Errorf("refused FAQ files stored something: %v", err)
		}
		if after, _ := db.Audit(ctx, langnghe.AuditQuery{Limit: 1000}); f.state(t) != before || len(after) != len(auditBefore) {
			t.Error("refused FAQ files changed the settings or the audit")
		}

		// A changed FAQ is saved as revision 1, audited, and is what the
		// simulator (and the next start) answers from.
		changed := strings.Replace(src, "        Giờ làm việc, tiếp công dân:\n", "        Giờ làm việc, tiếp công dân (sáng từ 7 giờ 30):\n", 1)
		if changed == src {
			t.Fatal("the default FAQ's hours entry changed; update the test")
		}
		status, _, loc := f.post(t, "/console/studio/settings/faq", url.Values{"source": {changed}, "base": {base}, "action": {"save"}})
		if status != http.StatusSeeOther || loc != "/console/studio/settings/faq?saved=1" {
			t.Fatalf("save = %d → %q", status, loc)
		}
		rev, stored, err := db.Setting(ctx, langnghe.SettingFAQ)
		if err != nil || rev != 1 || string(stored) != changed {
			t.Fatalf("stored FAQ = revision %d (%v), want revision 1 with the saved text", rev, err)
		}
		parsed, err := faq.Parse(stored)
		if err != nil {
			t.Fatal(err)
		}
		if a, ok := parsed.Answer(langnghe.LangVI, question); !ok || !strings.Contains(a, "sáng từ 7 giờ 30") {
			t.Errorf("the stored FAQ answers %q with %q, %v", question, a, ok)
		}
		audit, err := db.Audit(ctx, langnghe.AuditQuery{Kind: langnghe.AuditFAQ})
		if err != nil || len(audit) != 1 || audit[0].Action != "save" || audit[0].Revision != 1 ||
			audit[0].Subject != langnghe.SettingFAQ || audit[0].Actor != fmt.Sprintf("official:%d", f.admin) {
			t.Errorf("FAQ audit = %+v %v, want the one save of revision 1 by the admin", audit, err)
		}
		if _, page := f.get(t, "/console/studio/audit?kind=faq"); !strings.Contains(page, "Trần Quản Trị") || !strings.Contains(page, "Hỏi đáp") {
			t.Errorf("the audit page filtered on the FAQ does not show the save:\n%s", page)
		}
		if panel := f.askInSimulator(t, question); !strings.Contains(panel, "sáng từ 7 giờ 30") {
			t.Errorf("the simulator does not answer from the saved revision:\n%s", panel)
		}
		// This replica still runs the default until its next start.
		if _, page := f.get(t, "/console/studio/settings/faq"); !regexp.MustCompile(`(revision|phiên bản) 1`).MatchString(page) {
			t.Errorf("the FAQ page does not say revision 1 is current:\n%s", page)
		}
		// A save on the old base is refused, the text kept.
		again := strings.Replace(src, "Xin chia buồn cùng gia đình.", "Xin thành kính chia buồn cùng gia đình.", 1)
		status, body, _ := f.post(t, "/console/studio/settings/faq", url.Values{"source": {again}, "base": {"0"}, "action": {"save"}})
		if status != http.StatusConflict || settingsTextarea(body, "source") != again {
			t.Errorf("stale FAQ save = %d, want 409 with the text kept", status)
		}
	})
}
