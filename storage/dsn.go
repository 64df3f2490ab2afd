package storage

import (
	"net/url"
	"regexp"
	"strings"
)

// Database URLs in messages: every error and log line that names the
// database shows its URL with the password hidden, wherever the URL
// carries one: in the userinfo (postgres://u:PASSWORD@host), in the query
// (?password=PASSWORD, ?sslpassword=..., which lib/pq takes as well), or
// in a key=value connection string (password=PASSWORD).

// hidden stands for a hidden password.
const hidden = "xxxxx"

// secretKey reports whether a query or connection-string key carries a
// password (password, sslpassword).
func secretKey(k string) bool { return strings.Contains(strings.ToLower(k), "password") }

// redactQuery hides the values of a raw query's password parameters,
// leaving the rest as written; keys are compared unescaped (pass%77ord),
// and pairs are split at ; as well as &.
func redactQuery(raw string) string {
	var b strings.Builder
	for raw != "" {
		i := strings.IndexAny(raw, "&;")
		pair, sep := raw, ""
		if i >= 0 {
			pair, sep, raw = raw[:i], raw[i:i+1], raw[i+1:]
		} else {
			raw = ""
		}
		k, _, hasValue := strings.Cut(pair, "=")
		key := k
		if u, err := url.QueryUnescape(k); err == nil {
			key = u
		}
		if secretKey(key) && hasValue {
			pair = k + "=" + hidden
		}
		b.WriteString(pair + sep)
	}
	return b.String()
}

// passwordInURL is the userinfo's password of a URL url.Parse rejected:
// everything from the user name's colon to the last @, so a password
// holding / ? # or @ is hidden whole (at worst more than it is hidden).
var passwordInURL = regexp.MustCompile(`(://[^:/@?#]*):.*@`)

// redactURL is the URL s for messages, its passwords hidden; s may be one
// url.Parse rejects.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		c := *u
		c.RawQuery = redactQuery(c.RawQuery)
		return c.Redacted()
	}
	s = passwordInURL.ReplaceAllString(s, "$1:"+hidden+"@")
	if base, q, ok := strings.Cut(s, "?"); ok {
		s = base + "?" + redactQuery(q)
	}
	return s
}

// passwordInConninfo is a password in a key=value connection string:
// quoted (with \' inside, or unterminated to the end) or a single word.
var passwordInConninfo = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|'.*|\S+)`)

// redactConninfo is the key=value connection string s for messages, its
// passwords hidden.
func redactConninfo(s string) string {
	return passwordInConninfo.ReplaceAllString(s, "${1}"+hidden)
}

// scrub removes u's passwords (userinfo and query) from a driver message,
// in case one quotes them, as written and escaped.
func scrub(msg string, u *url.URL) string {
	var secrets []string
	if p, ok := u.User.Password(); ok {
		secrets = append(secrets, p)
	}
	for k, vs := range u.Query() {
		if secretKey(k) {
			secrets = append(secrets, vs...)
		}
	}
	for _, p := range secrets {
		if p == "" {
			continue
		}
		msg = strings.ReplaceAll(msg, p, hidden)
		msg = strings.ReplaceAll(msg, url.QueryEscape(p), hidden)
		msg = strings.ReplaceAll(msg, url.PathEscape(p), hidden)
	}
	return msg
}
