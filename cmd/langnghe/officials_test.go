package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"langnghe"
	"langnghe/storage"
	"langnghe/web/console"
)

// Invite, accept (as the chat would), list and revoke through the CLI.
func TestOfficialsCommands(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "officials.db")
	cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})
	ctx := context.Background()
	cli := func(args ...string) (string, error) {
		var out bytes.Buffer
		var err error
		if args[0] == "units" {
			err = unitsCmd(ctx, cfg, args[1:], &out, io.Discard)
		} else {
			err = officialsCmd(ctx, cfg, args[1:], &out, io.Discard)
		}
		return out.String(), err
	}

	out, err := cli("units", "list")
	if err != nil || !strings.Contains(out, "land_environment") || !strings.Contains(out, "mass_mobilisation") ||
		!strings.Contains(out, "everything else") {
		t.Fatalf("units list: %v\n%s", err, out)
	}
	out, err = cli("officials", "invite", "--role", "unit", "--unit", "land_environment,ubnd_dau_tieng",
		"--name", "Nguyễn Văn Địa chính", "--bot", "@langnghe_bot")
	if err != nil {
		t.Fatalf("invite: %v\n%s", err, out)
	}
	link := regexp.MustCompile(`https://t\.me/langnghe_bot\?start=inv_([a-z2-7]+)`).FindStringSubmatch(out)
	if link == nil || !strings.Contains(out, "/start inv_"+link[1]) {
		t.Fatalf("invite printed no link and code:\n%s", out)
	}
	if out, err := cli("officials", "invite", "--role", "unit", "--unit", "nasa"); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
		t.Fatalf("invite to an unknown unit: %v\n%s", err, out)
	}
	if _, err := cli("officials", "invite"); err == nil {
		t.Fatal("invite without a role succeeded")
	}

	app, err := open(ctx, cfg, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	err = app.db.InTx(ctx, func(tx *storage.Tx) error {
		_, err := app.followup.Accept(ctx, tx, link[1], langnghe.ChannelTelegram, "4242", "4242", "Telegram name")
		return err
	})
	app.Close()
	if err != nil {
		t.Fatal(err)
	}

	out, err = cli("officials", "list")
	if err != nil || !regexp.MustCompile(`(?m)^1\s+Nguyễn Văn Địa chính\s+unit\s+land_environment,ubnd_dau_tieng\s+active$`).MatchString(out) {
		t.Fatalf("list: %v\n%s", err, out)
	}
	out, err = cli("officials", "login-link", "--official", "1", "--base", "http://console.test/")
	if err != nil || !regexp.MustCompile(`http://console\.test/signin\?token=[0-9a-f]{64}\n`).MatchString(out) {
		t.Fatalf("login-link: %v\n%s", err, out)
	}
	if _, err := cli("officials", "login-link"); err == nil {
		t.Fatal("login-link without --official succeeded")
	}
	if out, err := cli("officials", "revoke", "1"); err != nil || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke: %v\n%s", err, out)
	}
	if out, err := cli("officials", "list", "--json"); err != nil || !strings.Contains(out, `"revoked_at"`) {
		t.Fatalf("list --json after revoking: %v\n%s", err, out)
	}
	if out, err := cli("officials", "login-link", "--official", "1"); langnghe.ErrorCode(err) != langnghe.EINVALID {
		t.Fatalf("login-link for a revoked official: %v\n%s", err, out)
	}
	if _, err := cli("officials", "revoke", "99"); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
		t.Fatalf("revoking nobody: %v", err)
	}
	if _, err := cli("officials", "revoke", "x"); err == nil {
		t.Fatal("revoke x succeeded")
	}
}

// The first admin, on a machine without Telegram: `login-link --new-admin`
// creates a console-only admin and prints a link that signs them in, with
// the studio in reach.
func TestLoginLinkForANewAdmin(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "first-admin.db")
	cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})
	ctx := context.Background()
	var out bytes.Buffer
	if err := officialsCmd(ctx, cfg, []string{"login-link", "--new-admin", "Chị Quản trị", "--official", "1"}, &out, io.Discard); err == nil {
		t.Fatal("login-link with both --new-admin and --official succeeded")
	}
	if err := officialsCmd(ctx, cfg, []string{"login-link", "--new-admin", "Chị Quản trị", "--base", "http://console.test"}, &out, io.Discard); err != nil {
		t.Fatalf("login-link --new-admin: %v\n%s", err, out.String())
	}
	token := regexp.MustCompile(`http://console\.test/signin\?token=([0-9a-f]{64})\n`).FindStringSubmatch(out.String())
	if token == nil {
		t.Fatalf("no sign-in link in:\n%s", out.String())
	}
	out.Reset()
	if err := officialsCmd(ctx, cfg, []string{"list"}, &out, io.Discard); err != nil || !regexp.MustCompile(`Chị Quản trị\s+admin`).MatchString(out.String()) {
		t.Fatalf("list: %v\n%s", err, out.String())
	}

	db, core, err := openFollowup(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := httptest.NewServer(console.New(db, console.Options{Followup: core, Studio: http.NotFoundHandler()}))
	defer srv.Close()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(srv.URL+"/signin", url.Values{"token": {token[1]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == console.CookieName && c.Value != "" {
			session = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("sign in = %d, session %v", resp.StatusCode, session)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/console/", nil)
	req.AddCookie(session)
	resp, err = noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `href="/console/studio/"`) {
		t.Fatalf("the new admin's console = %d, want the inbox with the studio in the menu:\n%s", resp.StatusCode, body)
	}
}
