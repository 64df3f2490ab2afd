package storage_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"langnghe/storage"
)

// A password given in the URL's query (lib/pq takes ?password= as well as
// the userinfo) never appears in Open's errors: `langnghe migrate` printed
// it in clear, since only the userinfo was hidden.
func TestOpenErrorsHideQueryPasswords(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-pa55"
	escaped := url.QueryEscape("s3cr3t/pa55 wörd&x=1")
	tests := []struct {
		name     string
		url      string
		want     string // in the message
		postgres bool   // needs the server on 127.0.0.1:5432
	}{
		{"refused", "postgres://u@127.0.0.1:1/x?sslmode=disable&connect_timeout=1&password=" + secret, "password=xxxxx", false},
		{"refused, sslpassword", "postgres://u@127.0.0.1:1/x?sslpassword=" + secret + "&sslmode=disable&connect_timeout=1", "sslpassword=xxxxx", false},
		{"refused, an escaped key", "postgres://u@127.0.0.1:1/x?sslmode=disable&connect_timeout=1&pass%77ord=" + secret, "xxxxx", false},
		{"bad pool size", "postgres://u@db/x?password=" + secret + "&pool_max_conns=abc", "pool_max_conns", false},
		{"not a valid URL", "postgres://u@127.0.0.1:abc/x?password=" + secret, "not a valid URL", false},
		{"not a valid URL, userinfo with a slash", "postgres://u:" + secret + "/x@127.0.0.1:5432/x", "not a valid URL", false},
		{"unknown scheme", "mysql://db/x?password=" + secret, "unsupported scheme", false},
		{"conninfo, quoted with a quote", `host=db user=u password='` + secret + `\' ` + secret + `'`, "not supported", false},
		{"conninfo, sslpassword", "host=db user=u sslpassword=" + secret, "not supported", false},
		{"sqlite, bad query", "sqlite:x.db?password=" + secret + "&a=%zz", "bad query", false},
		{"unknown role", "postgres://nosuchuser@127.0.0.1:5432/x?sslmode=disable&password=" + secret, "nosuchuser@", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.postgres && os.Getenv("LANGNGHE_TEST_POSTGRES") == "" {
				t.Skip("no PostgreSQL (LANGNGHE_TEST_POSTGRES)")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			db, err := storage.Open(ctx, tt.url)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) succeeded", tt.url)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("error leaks the password: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
	t.Run("escaped value", func(t *testing.T) {
		t.Parallel()
		_, err := storage.Open(context.Background(), "postgres://u@db/x?pool_max_conns=1&password="+escaped)
		if err == nil || strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), escaped) {
			t.Errorf("error %v leaks the password", err)
		}
	})
}
