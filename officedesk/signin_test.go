package officedesk_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"langnghe/flows/catalogue"
	"langnghe/officedesk"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

func TestSignInLink(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		w.official("7", "land_environment")
		hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
		w.desk = officedesk.New(w.core, catalogue.Default(), officedesk.Options{
			TimeZone:   hcm,
			SignInLink: func(token string) string { return "https://console.test/signin?token=" + token },
		}, slog.New(slog.NewTextHandler(io.Discard, nil)))

		out := w.command("7", "dangnhap", "")
		if len(out) != 1 {
			t.Fatalf("/dangnhap said %q, want one message", out)
		}
		_, token, ok := strings.Cut(out[0], "https://console.test/signin?token=")
		if !ok || token == "" {
			t.Fatalf("/dangnhap said %q, want a sign-in link", out[0])
		}
		use := func() error {
			return db.InTx(context.Background(), func(tx *storage.Tx) error {
				_, err := tx.UseSignInToken(context.Background(), token, time.Now())
				return err
			})
		}
		if err := use(); err != nil {
			t.Fatalf("the link's token does not sign in: %v", err)
		}
		if err := use(); err == nil {
			t.Error("the link's token signed in twice")
		}

		// Strangers get no link: the desk does not take their input.
		if handled, out := w.input("8", cmd("dangnhap", ""), ""); handled || contains(out, "token=") {
			t.Errorf("a stranger's /dangnhap: handled %v, said %q", handled, out)
		}
	})
}
