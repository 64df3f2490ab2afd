package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `langnghe migrate` prints no password of the database URL, whether in
// the userinfo or in the query (it printed ?password= in clear), and
// `langnghe config` prints none either.
func TestMigrateAndConfigPrintNoPassword(t *testing.T) {
	const secret = "s3cr3t-pa55"
	for _, dsn := range []string{
		"postgres://u@127.0.0.1:1/x?sslmode=disable&connect_timeout=1&password=" + secret,
		"postgres://u:" + secret + "@127.0.0.1:1/x?sslmode=disable&connect_timeout=1",
		"postgres://u@127.0.0.1:abc/x?password=" + secret,
		"host=127.0.0.1 user=u password=" + secret,
	} {
		t.Setenv("LANGNGHE_DATABASE_URL", dsn)
		for _, cmd := range []string{"migrate", "config"} {
			var out bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			err := run(ctx, []string{cmd}, nil, &out, &out)
			cancel()
			if cmd == "migrate" && err == nil {
				t.Fatalf("migrate on %q succeeded", dsn)
			}
			if err != nil {
				out.WriteString(err.Error())
			}
			if strings.Contains(out.String(), secret) {
				t.Errorf("langnghe %s with %q printed the password: %s", cmd, dsn, out.String())
			}
		}
	}
}

// The terminal chat's /location takes decimal degrees only: NaN,
// infinities and hexadecimal floats (0x1p-2) are not a place.
func TestTerminalLocationIsDecimal(t *testing.T) {
	c := &terminalChat{}
	for _, args := range []string{"NaN,NaN", "0x1p-2,106", "Inf,0", "10,-Infinity", "1_0,106", "91,106", "10.7"} {
		if in := c.input("/location " + args); in.Location != nil {
			t.Errorf("/location %s = %+v, want no location", args, in.Location)
		}
	}
	if in := c.input("/location 10.7769, 106.7009"); in.Location == nil || in.Location.Latitude != 10.7769 || in.Location.Longitude != 106.7009 {
		t.Errorf("/location 10.7769, 106.7009 = %+v", in)
	}
}

// The service hands LANGNGHE_PUBLIC_URL to Open311's discovery (not the
// request's Host) and to the console's sign-in, which takes posts from it
// through a proxy that changes Host and refuses other sites'.
func TestServeUsesThePublicURL(t *testing.T) {
	addr := freeAddr(t)
	cfg := testConfig(t, map[string]string{
		"LANGNGHE_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "x.db"),
		"LANGNGHE_HTTP_ADDR":    addr,
		"LANGNGHE_PUBLIC_URL":   "https://langnghe.example.vn",
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, &syncBuffer{}) }()
	defer func() {
		cancel()
		<-done
	}()
	waitReady(t, "http://"+addr+"/readyz", done)

	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/open311/v2/discovery.json", nil)
	req.Host = "evil.example"
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Endpoints []struct{ URL string } `json:"endpoints"`
	}
	err = json.NewDecoder(resp.Body).Decode(&d)
	resp.Body.Close()
	if err != nil || len(d.Endpoints) != 1 || d.Endpoints[0].URL != "https://langnghe.example.vn/open311/v2" {
		t.Errorf("discovery endpoints %+v (%v), want https://langnghe.example.vn/open311/v2", d.Endpoints, err)
	}

	for origin, want := range map[string]int{
		"https://langnghe.example.vn": http.StatusUnauthorized, // the token is unknown, but the post is the console's
		"https://evil.example":        http.StatusForbidden,
	} {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/signin", strings.NewReader("token=abc"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", origin)
		req.Host = "127.0.0.1:8080" // as a proxy may pass it
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("a sign-in from %s = %d, want %d", origin, resp.StatusCode, want)
		}
	}
}
