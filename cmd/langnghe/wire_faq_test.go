package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"langnghe"
	"langnghe/flows/faq"
	"langnghe/storage"
)

// The FAQ admins save in the studio answers residents after the next
// start, through the conversation; a stored revision that no longer parses
// falls back to the default, loudly.
func TestOpenLoadsTheStoredFAQ(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})
		const question = "cho hỏi xã làm việc mấy giờ?"
		// chat plays a new resident (language, consent) who asks at the menu.
		chat := func(who, text string) string {
			t.Helper()
			var out, logs bytes.Buffer
			if err := chatCmd(ctx, cfg, []string{"--as", who}, strings.NewReader("1\n1\n"+text+"\n"), &out, &logs); err != nil {
				t.Fatalf("chat: %v\n%s", err, logs.String())
			}
			return out.String()
		}
		a, err := open(ctx, cfg, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if a.faq != faq.Default() || a.faqRevision != 0 {
			t.Fatalf("a fresh database runs FAQ revision %d", a.faqRevision)
		}
		if out := chat("an", question); !strings.Contains(out, "Giờ làm việc, tiếp công dân:") || !strings.Contains(out, "Gửi thành ý kiến") {
			t.Errorf("the default FAQ does not answer at the menu, with the button to send it anyway:\n%s", out)
		}
		if out := chat("binh", "nhà tôi làm sổ đỏ 6 tháng chưa được cấp"); strings.Contains(out, "Mẫu số 04/ĐK") {
			t.Errorf("a concern got the FAQ's answer:\n%s", out)
		}
		changed := bytes.Replace(faq.DefaultFile(), []byte("        Giờ làm việc, tiếp công dân:\n"),
			[]byte("        Giờ làm việc, tiếp công dân (sáng từ 7 giờ 30):\n"), 1)
		save := func(src []byte, base int) {
			t.Helper()
			err := a.db.InTx(ctx, func(tx *storage.Tx) error {
				_, err := tx.SaveSetting(ctx, langnghe.SettingChange{Name: langnghe.SettingFAQ, Source: src, Author: "official:1", Base: base, Action: "save"})
				return err
			})
			if err != nil {
				t.Fatalf("save the FAQ: %v", err)
			}
		}
		save(changed, 0)
		a.Close()

		a, err = open(ctx, cfg, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if a.faqRevision != 1 {
			t.Errorf("after a restart the FAQ runs revision %d, want 1", a.faqRevision)
		}
		if out := chat("chi", question); !strings.Contains(out, "sáng từ 7 giờ 30") {
			t.Errorf("after a restart the saved FAQ does not answer:\n%s", out)
		}
		// Only a newer binary's stricter parser can make a checked revision
		// unreadable.
		save([]byte("entries:\n  - id: broken\n"), 1)
		a.Close()
		var logs bytes.Buffer
		a, err = open(ctx, cfg, &logs)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if a.faq != faq.Default() || a.faqRevision != 0 || !strings.Contains(logs.String(), "the stored FAQ does not parse") {
			t.Errorf("with a broken stored FAQ: revision %d, logs:\n%s", a.faqRevision, logs.String())
		}
	})
}
