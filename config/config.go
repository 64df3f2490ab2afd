// Package config reads langnghe's settings from LANGNGHE_* environment
// variables and an optional YAML file, and validates them at start so a
// wrong value is reported with the setting's name and what is expected.
//
// Precedence: built-in defaults < the file named by LANGNGHE_CONFIG <
// environment variables.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Telegram modes.
const (
	ModePolling = "polling"
	ModeWebhook = "webhook"
)

// DefaultEndpoint is the Bot API endpoint format: token, then method.
const DefaultEndpoint = "https://api.telegram.org/bot%s/%s"

// Config is every setting of the service.
type Config struct {
	DatabaseURL      string         // LANGNGHE_DATABASE_URL: postgres://... or an SQLite path / sqlite: URL
	TelegramToken    string         // LANGNGHE_TELEGRAM_TOKEN: empty runs without Telegram
	TelegramEndpoint string         // LANGNGHE_TELEGRAM_API_ENDPOINT
	TelegramMode     string         // LANGNGHE_TELEGRAM_MODE: polling | webhook
	WebhookURL       string         // LANGNGHE_WEBHOOK_URL: public https URL ending in /telegram/webhook
	WebhookSecret    string         // LANGNGHE_WEBHOOK_SECRET
	HTTPAddr         string         // LANGNGHE_HTTP_ADDR
	PublicURL        string         // LANGNGHE_PUBLIC_URL: the console's address as browsers reach it
	Admins           []int64        // LANGNGHE_ADMINS: Telegram user ids allowed to manage flows
	OpinionPrefix    string         // LANGNGHE_OPINION_PREFIX: the code prefix, DT-2026-000123
	TimeZone         *time.Location // LANGNGHE_TIMEZONE
	SendRate         int            // LANGNGHE_SEND_RATE: messages per second to Telegram, this replica
	FloodLimit       int            // LANGNGHE_FLOOD_LIMIT: inputs per minute per resident before a polite pause
	AttachmentLimit  int64          // LANGNGHE_ATTACHMENT_MAX_BYTES
	LogLevel         string         // LANGNGHE_LOG_LEVEL: debug | info | warn | error
}

// setting describes one variable: its name, default, and how it is applied.
type setting struct {
	env, def, help string
	apply          func(c *Config, v string) error
}

var settings = []setting{
	{"LANGNGHE_DATABASE_URL", "langnghe.db", "postgres://user@host/db?sslmode=disable, or an SQLite file path", func(c *Config, v string) error {
		c.DatabaseURL = v
		return nil
	}},
	{"LANGNGHE_TELEGRAM_TOKEN", "", "the bot token from @BotFather, like 123456789:AA...", func(c *Config, v string) error {
		if v != "" && !tokenPattern.MatchString(v) {
			// Never echo the value: it may be a real token with a typo.
			return errors.New("is not a Telegram bot token (expected digits, a colon, then letters, digits, _ or -)")
		}
		c.TelegramToken = v
		return nil
	}},
	{"LANGNGHE_TELEGRAM_API_ENDPOINT", DefaultEndpoint, "a URL format with two %s: token then method", func(c *Config, v string) error {
		if strings.Count(v, "%s") != 2 || strings.Count(v, "%") != 2 {
			return fmt.Errorf("%q must contain exactly two %%s (token, then method), like %s", v, DefaultEndpoint)
		}
		u, err := url.Parse(fmt.Sprintf(v, "TOKEN", "getMe"))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%q is not an http(s) URL format", v)
		}
		c.TelegramEndpoint = v
		return nil
	}},
	{"LANGNGHE_TELEGRAM_MODE", ModePolling, "polling or webhook", func(c *Config, v string) error {
		v = strings.ToLower(v)
		if v != ModePolling && v != ModeWebhook {
			return fmt.Errorf("%q is not a mode: expected polling or webhook", v)
		}
		c.TelegramMode = v
		return nil
	}},
	{"LANGNGHE_WEBHOOK_URL", "", "the public https URL Telegram posts to, ending in /telegram/webhook", func(c *Config, v string) error {
		if v != "" {
			u, err := url.Parse(v)
			// Telegram only calls https; plain http is allowed for loopback
			// hosts, where a self-hosted Bot API server or a test fake runs.
			if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname()))) {
				return fmt.Errorf("%q is not an https URL (Telegram only calls https webhooks)", v)
			}
		}
		c.WebhookURL = v
		return nil
	}},
	{"LANGNGHE_WEBHOOK_SECRET", "", "1-256 characters of A-Z, a-z, 0-9, _ and -", func(c *Config, v string) error {
		if v != "" && !secretPattern.MatchString(v) {
			return errors.New("must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule for secret_token)")
		}
		c.WebhookSecret = v
		return nil
	}},
	{"LANGNGHE_HTTP_ADDR", "127.0.0.1:8080", "host:port to listen on", func(c *Config, v string) error {
		_, port, err := net.SplitHostPort(v)
		if err != nil {
			return fmt.Errorf("%q is not host:port (e.g. 127.0.0.1:8080 or :8080)", v)
		}
		if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			return fmt.Errorf("%q has no valid port", v)
		}
		c.HTTPAddr = v
		return nil
	}},
	{"LANGNGHE_PUBLIC_URL", "", "the console's address as officials' browsers reach it, e.g. https://langnghe.example.vn: sign-in links, sign-in posts and Open311 discovery use it (default: http://LANGNGHE_HTTP_ADDR)", func(c *Config, v string) error {
		if v != "" {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" {
				// The console's routes are absolute (/console/, /signin), so it
				// must own the host's root: no path prefix.
				return fmt.Errorf("%q is not an http(s) address of a host without a path, e.g. https://langnghe.example.vn", v)
			}
		}
		c.PublicURL = strings.TrimRight(v, "/")
		return nil
	}},
	{"LANGNGHE_ADMINS", "", "comma-separated Telegram user ids", func(c *Config, v string) error {
		c.Admins = nil
		for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
			id, err := strconv.ParseInt(f, 10, 64)
			if err != nil || id <= 0 {
				return fmt.Errorf("%q is not a Telegram user id (a positive number)", f)
			}
			c.Admins = append(c.Admins, id)
		}
		return nil
	}},
	{"LANGNGHE_OPINION_PREFIX", "DT", "2-6 capital letters, e.g. DT", func(c *Config, v string) error {
		if !prefixPattern.MatchString(v) {
			return fmt.Errorf("%q must be 2-6 capital letters A-Z", v)
		}
		c.OpinionPrefix = v
		return nil
	}},
	{"LANGNGHE_TIMEZONE", "Asia/Ho_Chi_Minh", "an IANA time zone", func(c *Config, v string) error {
		loc, err := time.LoadLocation(v)
		if err != nil {
			return fmt.Errorf("%q is not a known time zone (e.g. Asia/Ho_Chi_Minh)", v)
		}
		c.TimeZone = loc
		return nil
	}},
	{"LANGNGHE_SEND_RATE", "30", "messages per second, 1-10000", intIn(1, 10000, func(c *Config, n int) { c.SendRate = n })},
	{"LANGNGHE_FLOOD_LIMIT", "30", "inputs per minute per resident, 1-600", intIn(1, 600, func(c *Config, n int) { c.FloodLimit = n })},
	{"LANGNGHE_ATTACHMENT_MAX_BYTES", "10485760", "bytes, 1024-20971520 (Telegram bots download at most 20 MB)", intIn(1024, 20<<20, func(c *Config, n int) { c.AttachmentLimit = int64(n) })},
	{"LANGNGHE_LOG_LEVEL", "info", "debug, info, warn or error", func(c *Config, v string) error {
		switch v = strings.ToLower(v); v {
		case "debug", "info", "warn", "error":
			c.LogLevel = v
			return nil
		}
		return fmt.Errorf("%q is not a log level: expected debug, info, warn or error", v)
	}},
}

var (
	tokenPattern  = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{1,100}$`)
	secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	prefixPattern = regexp.MustCompile(`^[A-Z]{2,6}$`)
)

func intIn(lo, hi int, set func(*Config, int)) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("%q must be a whole number from %d to %d", v, lo, hi)
		}
		set(c, n)
		return nil
	}
}

// Load reads the configuration: defaults, then the file named by
// LANGNGHE_CONFIG (if set), then the environment. lookup is os.LookupEnv in
// production and a map in tests.
func Load(lookup func(string) (string, bool)) (*Config, error) {
	values := map[string]string{}
	for _, s := range settings {
		values[s.env] = s.def
	}
	if path, ok := lookup("LANGNGHE_CONFIG"); ok && path != "" {
		file, err := readFile(path)
		if err != nil {
			return nil, err
		}
		for k, v := range file {
			values[k] = v
		}
	}
	for _, s := range settings {
		if v, ok := lookup(s.env); ok {
			values[s.env] = strings.TrimSpace(v)
		}
	}

	c := &Config{}
	var problems []string
	for _, s := range settings {
		if err := s.apply(c, values[s.env]); err != nil {
			problems = append(problems, fmt.Sprintf("%s %v", s.env, err))
		}
	}
	if len(problems) == 0 {
		problems = c.crossCheck()
	}
	if len(problems) > 0 {
		return nil, &Error{Problems: problems}
	}
	return c, nil
}

// crossCheck validates settings that depend on each other.
func (c *Config) crossCheck() []string {
	var p []string
	if c.TelegramToken != "" && c.TelegramMode == ModeWebhook {
		if c.WebhookURL == "" {
			p = append(p, "LANGNGHE_WEBHOOK_URL is required in webhook mode (the public https URL of /telegram/webhook)")
		}
		if c.WebhookSecret == "" {
			p = append(p, "LANGNGHE_WEBHOOK_SECRET is required in webhook mode (it proves a request comes from Telegram)")
		}
	}
	return p
}

// ConsoleURL is the console's address for links sent to officials:
// LANGNGHE_PUBLIC_URL, or http://LANGNGHE_HTTP_ADDR (with 127.0.0.1 for a
// wildcard host) when it is not set.
func (c *Config) ConsoleURL() string {
	if c.PublicURL != "" {
		return c.PublicURL
	}
	host, port, err := net.SplitHostPort(c.HTTPAddr)
	if err != nil {
		return "http://" + c.HTTPAddr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// FromEnv loads the configuration from the process environment.
func FromEnv() (*Config, error) { return Load(os.LookupEnv) }

// IsAdmin reports whether the Telegram user id is listed in LANGNGHE_ADMINS.
func (c *Config) IsAdmin(userID int64) bool {
	for _, id := range c.Admins {
		if id == userID {
			return true
		}
	}
	return false
}

// Error lists every invalid setting at once, so an operator fixes them in
// one go.
type Error struct{ Problems []string }

func (e *Error) Error() string {
	return "invalid configuration:\n  " + strings.Join(e.Problems, "\n  ")
}

// readFile reads a YAML file of settings. Keys are the variable names with
// or without the LANGNGHE_ prefix, in any case: database_url or
// LANGNGHE_DATABASE_URL.
func readFile(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Problems: []string{fmt.Sprintf("LANGNGHE_CONFIG: cannot read %s: %v", path, errors.Unwrap(err))}}
	}
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, &Error{Problems: []string{fmt.Sprintf("LANGNGHE_CONFIG: %s is not valid YAML: %v", path, err)}}
	}
	known := map[string]bool{}
	for _, s := range settings {
		known[s.env] = true
	}
	out := map[string]string{}
	var problems []string
	for k, v := range raw {
		name := strings.ToUpper(k)
		if !strings.HasPrefix(name, "LANGNGHE_") {
			name = "LANGNGHE_" + name
		}
		if !known[name] {
			problems = append(problems, fmt.Sprintf("%s: unknown setting %q", path, k))
			continue
		}
		switch v := v.(type) {
		case []any:
			parts := make([]string, len(v))
			for i, p := range v {
				parts[i] = fmt.Sprint(p)
			}
			out[name] = strings.Join(parts, ",")
		case nil:
			out[name] = ""
		default:
			out[name] = fmt.Sprint(v)
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, &Error{Problems: problems}
	}
	return out, nil
}

// Help lists every setting with its default and what it expects, for
// `langnghe help config` and the README.
func Help() string {
	var b strings.Builder
	for _, s := range settings {
		def := s.def
		if def == "" {
			def = "(empty)"
		}
		fmt.Fprintf(&b, "%-32s default %-36s %s\n", s.env, def, s.help)
	}
	return b.String()
}
