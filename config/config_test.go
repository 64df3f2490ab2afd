package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "langnghe.db" || c.HTTPAddr != "127.0.0.1:8080" || c.TelegramMode != ModePolling ||
		c.TelegramEndpoint != DefaultEndpoint || c.OpinionPrefix != "DT" || c.TimeZone.String() != "Asia/Ho_Chi_Minh" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if c.TelegramToken != "" {
		t.Fatal("no token by default")
	}
}

func TestInvalidSettingsNameTheSetting(t *testing.T) {
	const token = "123456789:AAsecretsecretsecret"
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"mode", map[string]string{"LANGNGHE_TELEGRAM_MODE": "push"}, `LANGNGHE_TELEGRAM_MODE "push" is not a mode`},
		{"addr", map[string]string{"LANGNGHE_HTTP_ADDR": "8080"}, `LANGNGHE_HTTP_ADDR "8080" is not host:port`},
		{"endpoint", map[string]string{"LANGNGHE_TELEGRAM_API_ENDPOINT": "http://x/bot%s"}, "must contain exactly two %s"},
		{"token", map[string]string{"LANGNGHE_TELEGRAM_TOKEN": "not a token"}, "LANGNGHE_TELEGRAM_TOKEN is not a Telegram bot token"},
		{"admins", map[string]string{"LANGNGHE_ADMINS": "12,abc"}, `LANGNGHE_ADMINS "abc" is not a Telegram user id`},
		{"prefix", map[string]string{"LANGNGHE_OPINION_PREFIX": "dt"}, "LANGNGHE_OPINION_PREFIX"},
		{"timezone", map[string]string{"LANGNGHE_TIMEZONE": "Mars/Olympus"}, "not a known time zone"},
		{"rate", map[string]string{"LANGNGHE_SEND_RATE": "0"}, "LANGNGHE_SEND_RATE \"0\" must be a whole number from 1 to 10000"},
		{"webhook without url", map[string]string{"LANGNGHE_TELEGRAM_TOKEN": token, "LANGNGHE_TELEGRAM_MODE": "webhook", "LANGNGHE_WEBHOOK_SECRET": "s"}, "LANGNGHE_WEBHOOK_URL is required"},
		{"webhook without secret", map[string]string{"LANGNGHE_TELEGRAM_TOKEN": token, "LANGNGHE_TELEGRAM_MODE": "webhook", "LANGNGHE_WEBHOOK_URL": "https://x.example/telegram/webhook"}, "LANGNGHE_WEBHOOK_SECRET is required"},
		{"webhook over http", map[string]string{"LANGNGHE_WEBHOOK_URL": "http://x.example/telegram/webhook"}, "is not an https URL"},
		{"bad secret", map[string]string{"LANGNGHE_WEBHOOK_SECRET": "has space"}, "LANGNGHE_WEBHOOK_SECRET must be"},
		{"public url without scheme", map[string]string{"LANGNGHE_PUBLIC_URL": "langnghe.example.vn"}, `LANGNGHE_PUBLIC_URL "langnghe.example.vn" is not an http(s) address`},
		{"public url with query", map[string]string{"LANGNGHE_PUBLIC_URL": "https://x.example/?a=1"}, "LANGNGHE_PUBLIC_URL"},
		{"public url with a path", map[string]string{"LANGNGHE_PUBLIC_URL": "https://x.example/langnghe"}, "without a path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "AAsecretsecretsecret") {
				t.Fatal("the token leaked into the error")
			}
		})
	}
}

func TestSeveralProblemsReportedAtOnce(t *testing.T) {
	_, err := Load(env(map[string]string{"LANGNGHE_TELEGRAM_MODE": "x", "LANGNGHE_HTTP_ADDR": "y"}))
	if err == nil || !strings.Contains(err.Error(), "LANGNGHE_TELEGRAM_MODE") || !strings.Contains(err.Error(), "LANGNGHE_HTTP_ADDR") {
		t.Fatalf("want both problems, got %v", err)
	}
}

func TestFileThenEnvironment(t *testing.T) {
	path := filepath.Join(t.TempDir(), "langnghe.yaml")
	os.WriteFile(path, []byte("database_url: postgres://db/x\nhttp_addr: ':9090'\nadmins: [11, 22]\n"), 0o600)
	c, err := Load(env(map[string]string{"LANGNGHE_CONFIG": path, "LANGNGHE_HTTP_ADDR": "0.0.0.0:80"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "postgres://db/x" || c.HTTPAddr != "0.0.0.0:80" || !c.IsAdmin(22) || c.IsAdmin(33) {
		t.Fatalf("got %+v", c)
	}

	os.WriteFile(path, []byte("databse_url: x\n"), 0o600)
	if _, err := Load(env(map[string]string{"LANGNGHE_CONFIG": path})); err == nil || !strings.Contains(err.Error(), `unknown setting "databse_url"`) {
		t.Fatalf("a misspelt key must be reported, got %v", err)
	}
	if _, err := Load(env(map[string]string{"LANGNGHE_CONFIG": filepath.Join(t.TempDir(), "missing.yaml")})); err == nil {
		t.Fatal("a missing file must be reported")
	}
}

func TestConsoleURL(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "http://127.0.0.1:8080"},
		{map[string]string{"LANGNGHE_HTTP_ADDR": ":9000"}, "http://127.0.0.1:9000"},
		{map[string]string{"LANGNGHE_HTTP_ADDR": "0.0.0.0:9000"}, "http://127.0.0.1:9000"},
		{map[string]string{"LANGNGHE_HTTP_ADDR": "10.0.0.5:9000"}, "http://10.0.0.5:9000"},
		{map[string]string{"LANGNGHE_PUBLIC_URL": "https://langnghe.example.vn/"}, "https://langnghe.example.vn"},
	}
	for _, tt := range tests {
		c, err := Load(env(tt.env))
		if err != nil {
			t.Fatalf("load %v: %v", tt.env, err)
		}
		if got := c.ConsoleURL(); got != tt.want {
			t.Errorf("ConsoleURL with %v = %q, want %q", tt.env, got, tt.want)
		}
	}
}
