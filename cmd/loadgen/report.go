package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// stats are what the residents observed, collected concurrently.
type stats struct {
	sent  atomic.Int64 // inputs pushed into the fake
	walks atomic.Int64 // opinions sent to the end (code shown)

	mu        sync.Mutex
	latencies []time.Duration // update → first reply, one per answered input
	// turns are update → the last message of its turn, one per answered
	// input, by how many messages the turn was.
	turns      map[int][]time.Duration
	timeouts   int
	unexpected int
	lastErr    error
}

func (s *stats) reply(d time.Duration) {
	s.mu.Lock()
	s.latencies = append(s.latencies, d)
	s.mu.Unlock()
}

// turn records an input's answer: the time to its last message, and how
// many messages it was.
func (s *stats) turn(d time.Duration, messages int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.turns == nil {
		s.turns = map[int][]time.Duration{}
	}
	s.turns[messages] = append(s.turns[messages], d)
}

func (s *stats) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if errors.Is(err, errTimeout) {
		s.timeouts++
	} else {
		s.unexpected++
	}
	s.lastErr = err
}

// report is one run's figures.
type report struct {
	Mode      string
	Database  string // sqlite or postgres
	Residents int
	Rate      float64 // target inputs per second; 0: closed loop
	Think     time.Duration
	Window    time.Duration // how long inputs were sent

	Sent    int64 // inputs sent in the window
	Walks   int64
	Latency latency // update → first reply
	// Turn is update → the last message of its turn, over all turns;
	// Turns the same by how many messages the turn was.
	Turn  latency
	Turns map[int]latency
	// Applied and Duplicates are the service's update counters over the
	// window, Failed since the start (from /metrics).
	Applied, Failed, Duplicates float64
	Replies                     int // sendMessage calls the fake received in the window
	// SendRate is the service's send rate; Bulk how many bulk messages
	// were queued before the start, and BulkSent how many of them the fake
	// received in the window.
	SendRate               float64
	Bulk, BulkSent         int
	RepliesFailed, Retried float64 // the service's reply counters since the start
	OutboxDepth            float64 // replies still queued at the end of the window
	Timeouts, Unexpected   int
	LastError              string
	Rejected429            int
	PeakRSS, RSS           int64 // bytes, the service process
	// CPU time over the window of the service and of this process (the
	// residents and the fake Bot API), which share the machine with it.
	ServiceCPU, LoadgenCPU time.Duration
}

// latency summarises update → first reply times.
type latency struct {
	N                  int
	P50, P95, P99, Max time.Duration
}

func summarise(ds []time.Duration) latency {
	if len(ds) == 0 {
		return latency{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(q float64) time.Duration { return s[min(len(s)-1, int(q*float64(len(s))))] }
	return latency{N: len(s), P50: at(0.50), P95: at(0.95), P99: at(0.99), Max: s[len(s)-1]}
}

// Errors is every failure the run saw: replies that never came or were not
// what the flow says, updates the service failed to apply, replies it gave
// up on, and 429s from the fake.
func (r *report) Errors() int {
	return r.Timeouts + r.Unexpected + int(r.Failed) + int(r.RepliesFailed) + r.Rejected429
}

func (r *report) perSecond(n float64) float64 { return n / r.Window.Seconds() }

func (r *report) print(w io.Writer) {
	target := "closed loop"
	if r.Rate > 0 {
		target = fmt.Sprintf("%.0f inputs/s", r.Rate)
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }
	fmt.Fprintf(w, "loadgen: %s, %s, %d residents, %s, think %s, %s\n",
		r.Mode, r.Database, r.Residents, target, r.Think, r.Window.Round(time.Millisecond))
	fmt.Fprintf(w, "  inputs sent       %8d  %8.0f/s\n", r.Sent, r.perSecond(float64(r.Sent)))
	fmt.Fprintf(w, "  updates applied   %8.0f  %8.0f/s  (service; failed %.0f, duplicates %.0f)\n",
		r.Applied, r.perSecond(r.Applied), r.Failed, r.Duplicates)
	fmt.Fprintf(w, "  replies sent      %8d  %8.0f/s  (outbox depth at the end %.0f)\n",
		r.Replies, r.perSecond(float64(r.Replies)), r.OutboxDepth)
	if r.Bulk > 0 {
		fmt.Fprintf(w, "  bulk sent         %8d  %8.1f/s  (of %d queued); all sends %.1f/s = %.1f%% of the send rate %.0f/s\n",
			r.BulkSent, r.perSecond(float64(r.BulkSent)), r.Bulk, r.perSecond(float64(r.Replies)),
			100*r.perSecond(float64(r.Replies))/r.SendRate, r.SendRate)
	}
	fmt.Fprintf(w, "  opinions sent     %8d  %8.1f/s\n", r.Walks, r.perSecond(float64(r.Walks)))
	fmt.Fprintf(w, "  update → first reply: p50 %s  p95 %s  p99 %s  max %s  (n=%d)\n",
		ms(r.Latency.P50), ms(r.Latency.P95), ms(r.Latency.P99), ms(r.Latency.Max), r.Latency.N)
	fmt.Fprintf(w, "  update → last message of its turn: p50 %s  p95 %s  p99 %s  max %s  (n=%d)\n",
		ms(r.Turn.P50), ms(r.Turn.P95), ms(r.Turn.P99), ms(r.Turn.Max), r.Turn.N)
	for _, n := range slices.Sorted(maps.Keys(r.Turns)) {
		l := r.Turns[n]
		fmt.Fprintf(w, "    turns of %d message(s): p50 %s  p95 %s  p99 %s  max %s  (n=%d)\n",
			n, ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max), l.N)
	}
	fmt.Fprintf(w, "  errors %d: timeouts %d, unexpected answers %d, failed updates %.0f, replies given up %.0f (retried %.0f), 429s %d\n",
		r.Errors(), r.Timeouts, r.Unexpected, r.Failed, r.RepliesFailed, r.Retried, r.Rejected429)
	if r.LastError != "" {
		fmt.Fprintf(w, "  last error: %s\n", r.LastError)
	}
	fmt.Fprintf(w, "  service memory: peak RSS %.1f MB, RSS at the end %.1f MB\n", float64(r.PeakRSS)/(1<<20), float64(r.RSS)/(1<<20))
	cores := func(d time.Duration) float64 { return d.Seconds() / r.Window.Seconds() }
	fmt.Fprintf(w, "  CPU: service %.2f cores, loadgen (residents and the fake Bot API) %.2f cores, of %d\n",
		cores(r.ServiceCPU), cores(r.LoadgenCPU), runtime.NumCPU())
}
