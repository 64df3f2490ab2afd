package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/config"
	"langnghe/flows/catalogue"
	"langnghe/storage"
)

func testConfig(t *testing.T, vars map[string]string) *config.Config {
	t.Helper()
	return must(config.Load(func(k string) (string, bool) { v, ok := vars[k]; return v, ok }))
}

// The terminal chat runs the same engine and storage: a whole opinion,
// typed.
func TestChatInTerminal(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "chat.db")
	cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})
	script := strings.Join([]string{
		"1", // Tiếng Việt
		"2", // consent: no
		"1", // send an opinion
		"Đường vào ấp 4 xã Long Hòa có nhiều ổ gà rất nguy hiểm cho xe máy",
		"long hoa",             // area (the category is sure: not asked)
		"/location 11.3,106.4", // the photo, document or location step
		"1",                    // send
		"/ykiencuatoi",
	}, "\n") + "\n"
	var out, logs bytes.Buffer
	if err := chatCmd(context.Background(), cfg, []string{"--as", "tester"}, strings.NewReader(script), &out, &logs); err != nil {
		t.Fatalf("chat: %v\n%s", err, logs.String())
	}
	text := out.String()
	code := opinionCode.FindString(text)
	if code == "" {
		t.Fatalf("no opinion code in the conversation:\n%s", text)
	}
	ops := opinionsJSON(t, dbURL)
	if len(ops) != 1 || ops[0].Code != code || ops[0].Category != "infrastructure" || ops[0].AreaCode != "long_hoa" ||
		ops[0].Channel != "terminal" || ops[0].Location == nil {
		t.Fatalf("stored: %+v", ops)
	}
	if strings.Count(text, code) < 2 {
		t.Fatalf("/ykiencuatoi did not list %s:\n%s", code, text)
	}
}

// TestChatResumes: a resident who quits the terminal chat at the summary
// and comes back goes on there; the opinion is not thrown away by a menu.
func TestChatResumes(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "chat.db")
	cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})
	chat := func(lines ...string) string {
		var out, logs bytes.Buffer
		in := strings.NewReader(strings.Join(lines, "\n") + "\n")
		if err := chatCmd(context.Background(), cfg, []string{"--as", "tester"}, in, &out, &logs); err != nil {
			t.Fatalf("chat: %v\n%s", err, logs.String())
		}
		return out.String()
	}
	chat("1", "2", "1", "Duong vao ap 4 xa Long Hoa co nhieu o ga rat nguy hiem", "long hoa", "bo qua")
	text := chat("ok")
	if !strings.Contains(text, "còn dở") || opinionCode.FindString(text) == "" {
		t.Fatalf("the second chat did not go on at the summary:\n%s", text)
	}
	if ops := opinionsJSON(t, dbURL); len(ops) != 1 {
		t.Fatalf("stored %d opinions, want 1", len(ops))
	}
}

func TestClassifyPrintsJSON(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"classify", "so do nha toi nop 6 thang chua dc cap"}, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Category     string  `json:"category"`
		Track        string  `json:"legal_track"`
		Confidence   float64 `json:"confidence"`
		Alternatives []struct {
			Category string `json:"category"`
		} `json:"alternatives"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %q", out.String())
	}
	if got.Category != "land" || got.Track != "feedback" || got.Confidence <= 0 || got.Confidence > 1 {
		t.Fatalf("classify: %+v", got)
	}
	if err := run(context.Background(), []string{"classify"}, nil, &out, &out); err == nil {
		t.Fatal("classify without text must be a usage error")
	}
}

func TestClassifyEvalOnTheDevSet(t *testing.T) {
	var out bytes.Buffer
	dev := filepath.Join("..", "..", "flows", "classify", "testdata", "devset.tsv")
	if err := run(context.Background(), []string{"classify", "--eval", dev}, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "%") {
		t.Fatalf("no accuracy printed:\n%s", out.String())
	}
}

// Without a token the service starts, says how to add one, and serves
// health and metrics.
func TestServeWithoutToken(t *testing.T) {
	addr := freeAddr(t)
	cfg := testConfig(t, map[string]string{
		"LANGNGHE_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "x.db"),
		"LANGNGHE_HTTP_ADDR":    addr,
	})
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, logs) }()
	waitReady(t, "http://"+addr+"/readyz", done)
	for _, path := range []string{"/healthz", "/metrics", "/"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", path, err, resp)
		}
		resp.Body.Close()
	}
	resp, _ := http.Post("http://"+addr+"/telegram/webhook", "application/json", strings.NewReader("{}"))
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("webhook without Telegram: %d", resp.StatusCode)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(logs.String(), "LANGNGHE_TELEGRAM_TOKEN") {
		t.Fatalf("the log does not say how to add a token:\n%s", logs.String())
	}
}

func TestFlowsCommands(t *testing.T) {
	dir := t.TempDir()
	dbURL := "sqlite:" + filepath.Join(dir, "flows.db")
	cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})
	ctx := context.Background()
	var out bytes.Buffer
	runFlows := func(args ...string) error {
		out.Reset()
		return flowsCmd(ctx, cfg, args, &out, io.Discard)
	}
	if err := runFlows("export", "help"); err != nil || !strings.Contains(out.String(), "id: help") {
		t.Fatalf("export: %v %s", err, out.String())
	}
	src := out.String()
	edited := filepath.Join(dir, "help.yaml")
	os.WriteFile(edited, []byte(strings.Replace(src, "start: ", "# edited\nstart: ", 1)), 0o600)
	brokenPath := filepath.Join(dir, "broken.yaml")
	os.WriteFile(brokenPath, []byte("id: help\nstart: nowhere\nnodes: []\n"), 0o600)

	if err := runFlows("validate", brokenPath); err == nil || !strings.Contains(out.String(), "broken.yaml:") {
		t.Fatalf("validate of a broken file: %v\n%s", err, out.String())
	}
	if err := runFlows("import", edited); err != nil || !strings.Contains(out.String(), "revision 2") {
		t.Fatalf("import: %v %s", err, out.String())
	}
	if err := runFlows("publish", "help"); err != nil {
		t.Fatal(err)
	}
	if err := runFlows("list"); err != nil || !regexpLine(out.String(), `help\s+2\s+2`) {
		t.Fatalf("list after publish: %v\n%s", err, out.String())
	}
	if err := runFlows("rollback", "help", "1"); err != nil {
		t.Fatal(err)
	}
	if err := runFlows("list"); err != nil || !regexpLine(out.String(), `help\s+1\s+2`) {
		t.Fatalf("list after rollback: %v\n%s", err, out.String())
	}
	if err := runFlows("publish", "help", "9"); err == nil {
		t.Fatal("publishing a missing revision must fail")
	}
}

func regexpLine(text, pattern string) bool {
	for _, line := range strings.Split(text, "\n") {
		if regexp.MustCompile(pattern).MatchString(line) {
			return true
		}
	}
	return false
}

func TestUnitsExportImport(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": "sqlite:" + filepath.Join(dir, "units.db")})
	ctx := context.Background()
	var out bytes.Buffer
	if err := unitsCmd(ctx, cfg, []string{"export"}, &out, io.Discard); err != nil || !strings.Contains(out.String(), "ubnd_dau_tieng") {
		t.Fatalf("export: %v\n%s", err, out.String())
	}
	// Route land everywhere to the mass-mobilisation board instead.
	edited := strings.Replace(out.String(), "rules:\n", "rules:\n  - category: land\n    unit: mass_mobilisation\n", 1)
	path := filepath.Join(dir, "units.yaml")
	os.WriteFile(path, []byte(edited), 0o600)
	out.Reset()
	if err := unitsCmd(ctx, cfg, []string{"import", path}, &out, io.Discard); err == nil || !strings.Contains(err.Error(), "appears twice") {
		// the export already has a land rule with no area: the edit duplicates it
		t.Fatalf("a duplicated rule must be refused: %v", err)
	}
	broken := filepath.Join(dir, "broken.yaml")
	os.WriteFile(broken, []byte("units: []\nrules:\n  - {category: land, unit: nowhere}\n"), 0o600)
	if err := unitsCmd(ctx, cfg, []string{"import", broken}, &out, io.Discard); err == nil || !strings.Contains(err.Error(), "unknown unit") {
		t.Fatalf("broken units file: %v", err)
	}
	out.Reset()
	if err := unitsCmd(ctx, cfg, []string{"export"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	renamed := strings.Replace(out.String(), "mass_mobilisation\n    names:\n", "mass_mobilisation\n    names:\n      # renamed\n", 1)
	os.WriteFile(path, []byte(strings.Replace(renamed, "Mass Mobilisation", "Mass-Mobilisation Board (renamed)", 1)), 0o600)
	if err := unitsCmd(ctx, cfg, []string{"import", path}, &out, io.Discard); err != nil {
		t.Fatalf("re-importing an export: %v", err)
	}
	out.Reset()
	if err := unitsCmd(ctx, cfg, []string{"list"}, &out, io.Discard); err != nil || !strings.Contains(out.String(), "(renamed)") {
		t.Fatalf("the import did not apply: %v\n%s", err, out.String())
	}
}

// The commands check against the catalogue the service runs on: a category
// an admin added in the studio can be routed with `units import`.
func TestUnitsImportUsesTheStoredCatalogue(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": "sqlite:" + filepath.Join(dir, "units.db")})
	ctx := context.Background()
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	withMarkets := strings.Replace(string(catalogue.DefaultFile()), "  - code: other\n",
		"  - code: markets\n    names: {vi: \"Chợ\", en: \"Markets\", zh: \"市场\"}\n    service_days: 10\n    keywords: [chợ, market]\n  - code: other\n", 1)
	err = db.InTx(ctx, func(tx *storage.Tx) error {
		_, err := tx.SaveSetting(ctx, langnghe.SettingChange{Name: langnghe.SettingCatalogue, Source: []byte(withMarkets), Author: "official:1", Action: "save"})
		return err
	})
	db.Close()
	if err != nil {
		t.Fatalf("save a catalogue: %v", err)
	}
	var out bytes.Buffer
	if err := unitsCmd(ctx, cfg, []string{"export"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "units.yaml")
	os.WriteFile(path, []byte(strings.Replace(out.String(), "rules:\n", "rules:\n  - category: markets\n    unit: mass_mobilisation\n", 1)), 0o600)
	if err := unitsCmd(ctx, cfg, []string{"import", path}, &out, io.Discard); err != nil {
		t.Fatalf("routing a category of the stored catalogue: %v", err)
	}
}
