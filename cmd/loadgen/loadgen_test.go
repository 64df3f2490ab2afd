package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunBrief drives the real binary briefly on SQLite and checks that the
// report shows residents answered, end to end, without errors.
func TestRunBrief(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the service")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin, err := buildService(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o := options{
		residents: 20, warmup: time.Second, duration: 3 * time.Second, mode: "webhook", db: "sqlite",
		think: 200 * time.Millisecond, timeout: 10 * time.Second, binary: bin, chatLimits: true,
		logPath: filepath.Join(t.TempDir(), "service.log"),
	}
	r, err := run(ctx, o, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	r.print(&out)
	t.Log("\n" + out.String())
	if r.Errors() != 0 {
		t.Errorf("errors: %d (last: %s)", r.Errors(), r.LastError)
	}
	if r.Sent == 0 || r.Applied == 0 || r.Replies == 0 || r.Latency.N == 0 {
		t.Errorf("no throughput: sent %d, applied %.0f, replies %d, latencies %d", r.Sent, r.Applied, r.Replies, r.Latency.N)
	}
	if r.Latency.P50 <= 0 || r.Latency.P99 < r.Latency.P50 {
		t.Errorf("latency p50 %s, p99 %s", r.Latency.P50, r.Latency.P99)
	}
	// Both journeys were walked: the anonymous one has a turn of two
	// messages, whose last comes no sooner than its first.
	if r.Turns[1].N == 0 || r.Turns[2].N == 0 || r.Turn.N != r.Turns[1].N+r.Turns[2].N {
		t.Errorf("turns measured by messages: %+v, all %+v", r.Turns, r.Turn)
	}
	if r.Turn.P50 < r.Latency.P50 {
		t.Errorf("the last message of a turn (p50 %s) came before its first (p50 %s)", r.Turn.P50, r.Latency.P50)
	}
	if r.PeakRSS <= 0 {
		t.Errorf("peak RSS %d", r.PeakRSS)
	}
	if r.ServiceCPU <= 0 || r.LoadgenCPU <= 0 || r.ServiceCPU > 10*r.Window || r.LoadgenCPU > 10*r.Window {
		t.Errorf("CPU over a %s window: service %s, loadgen %s", r.Window, r.ServiceCPU, r.LoadgenCPU)
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"-residents", "10", "-duration", "1s"}, ""},
		{[]string{"-mode", "smoke"}, "-mode"},
		{[]string{"-residents", "0"}, "-residents"},
		{[]string{"-duration", "0s"}, "-duration or -updates"},
		{[]string{"-duration", "0s", "-updates", "100"}, ""},
		{[]string{"-rate", "-1"}, "negative"},
		{[]string{"extra"}, "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, err := parseFlags(tt.args, io.Discard)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}

func TestSummarise(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	got := summarise(ds)
	want := latency{N: 100, P50: 51 * time.Millisecond, P95: 96 * time.Millisecond, P99: 100 * time.Millisecond, Max: 100 * time.Millisecond}
	if got != want {
		t.Fatalf("summarise = %+v, want %+v", got, want)
	}
	if summarise(nil) != (latency{}) {
		t.Fatal("summarise(nil) is not zero")
	}
}

func TestParseMetrics(t *testing.T) {
	m, err := parseMetrics(strings.NewReader("# HELP x y\n# TYPE x counter\nlanggnhe_a{result=\"applied\"} 12\nb 3.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m[`langgnhe_a{result="applied"}`] != 12 || m["b"] != 3.5 || len(m) != 2 {
		t.Fatalf("parsed %v", m)
	}
	if _, err := parseMetrics(strings.NewReader("a notanumber\n")); err == nil {
		t.Fatal("a bad value was accepted")
	}
}
