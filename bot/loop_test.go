package bot

import (
	"container/heap"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"langnghe"
)

// The delivery loop's decisions, one method at a time, on a plain loop:
// no goroutine, no clock, no database. t0 is "now"; a chat whose pacer
// says it must wait is given by quiet.

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// testLoop is a loop of 2 workers holding at most 8 messages, polling
// every second; quiet chats are not free until the time given.
func testLoop(quiet map[string]time.Time) *loop {
	p := newChatPacer(Limits{}.withDefaults())
	for chat, until := range quiet {
		p.delay(chat, false, until)
	}
	return &loop{custody: &custody{held: map[int64]bool{}, again: map[int64]bool{}}, pacer: p,
		workers: 2, hold: 8, poll: time.Second, claimRetry: Retry{Base: 100 * time.Millisecond, Max: 2 * time.Second},
		chats: map[string][]langnghe.Outgoing{}}
}

func msg(id int64, chat string) langnghe.Outgoing { return langnghe.Outgoing{ID: id, ChatID: chat} }

// put puts m in the loop as its chat's first, the chat free at ready.
func (l *loop) put(m langnghe.Outgoing, ready time.Time) {
	l.custody.hold(m.ID)
	l.chats[m.ChatID] = nil
	heap.Push(&l.waiting, pending{msg: m, ready: ready})
}

// putBehind holds ms behind their chat's first.
func (l *loop) putBehind(ms ...langnghe.Outgoing) {
	for _, m := range ms {
		l.custody.hold(m.ID)
		l.chats[m.ChatID] = append(l.chats[m.ChatID], m)
		l.behind++
	}
}

// describe is the loop's state in words, times from t0: the waiting
// messages by readiness ("id chat +wait", or "now" when their chat is
// free), the messages behind each chat,
// the counts and flags.
func describe(l *loop) string {
	var parts []string
	q := slices.Clone(l.waiting)
	var w []string
	for q.Len() > 0 {
		p := heap.Pop(&q).(pending)
		when := "now"
		if p.ready.After(t0) {
			when = fmt.Sprintf("+%v", p.ready.Sub(t0))
		}
		w = append(w, fmt.Sprintf("%d %s %s", p.msg.ID, p.msg.ChatID, when))
	}
	parts = append(parts, "waiting ["+strings.Join(w, ", ")+"]")
	var chats []string
	for c, queue := range l.chats {
		ids := make([]string, len(queue))
		for i, m := range queue {
			ids[i] = fmt.Sprint(m.ID)
		}
		chats = append(chats, c+":"+strings.Join(ids, ","))
	}
	slices.Sort(chats)
	parts = append(parts, "chats ["+strings.Join(chats, " ")+"]", fmt.Sprintf("behind %d inflight %d", l.behind, l.inflight))
	if l.claiming {
		parts = append(parts, "claiming")
	}
	if l.drained {
		parts = append(parts, fmt.Sprintf("drained +%v", l.drainedAt.Sub(t0)))
	}
	if !l.retryAt.IsZero() {
		parts = append(parts, "retry later")
	}
	return strings.Join(parts, "; ")
}

func ids(ms []langnghe.Outgoing) []int64 {
	out := []int64{}
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func TestLoopStartReady(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(l *loop)
		want      []int64
		wantState string
	}{
		{"nothing held", func(*loop) {}, []int64{}, "waiting []; chats []; behind 0 inflight 0"},
		{
			"the free chats, the earliest first, as many as idle workers",
			func(l *loop) {
				l.put(msg(3, "c"), t0.Add(-time.Second))
				l.put(msg(1, "a"), t0)
				l.put(msg(2, "b"), t0.Add(-2*time.Second))
			},
			[]int64{2, 3},
			"waiting [1 a now]; chats [a: b: c:]; behind 0 inflight 2",
		},
		{
			"a chat not free yet waits",
			func(l *loop) { l.put(msg(1, "a"), t0.Add(time.Second)) },
			[]int64{},
			"waiting [1 a +1s]; chats [a:]; behind 0 inflight 0",
		},
		{
			"no idle worker",
			func(l *loop) {
				l.inflight = 2
				l.put(msg(1, "a"), t0)
			},
			[]int64{},
			"waiting [1 a now]; chats [a:]; behind 0 inflight 2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := testLoop(nil)
			tt.setup(l)
			if got := ids(l.startReady(t0)); !slices.Equal(got, tt.want) {
				t.Errorf("started %v, want %v", got, tt.want)
			}
			if got := describe(l); got != tt.wantState {
				t.Errorf("state\n got %s\nwant %s", got, tt.wantState)
			}
		})
	}
}

func TestLoopClaim(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(l *loop)
		stopping bool
		room     int
		wake     time.Duration // from t0
		claiming bool
	}{
		{"idle with room: all the room", func(*loop) {}, false, 8, time.Second, true},
		{"held, waiting and in flight leave less room", func(l *loop) {
			l.inflight = 1
			l.put(msg(1, "a"), t0.Add(300*time.Millisecond))
			l.putBehind(msg(2, "a"))
		}, false, 5, 300 * time.Millisecond, true},
		{"a claim runs already", func(l *loop) { l.claiming = true }, false, 0, time.Second, true},
		{"stopping", func(*loop) {}, true, 0, time.Second, false},
		{"no room", func(l *loop) { l.hold = 0 }, false, 0, time.Second, false},
		{"busy workers and less than a quarter free: not worth a scan", func(l *loop) {
			l.inflight = 2
			l.hold = 9
			for i := range 6 {
				l.put(msg(int64(i+1), fmt.Sprint(i)), t0)
			}
		}, false, 0, time.Second, false},
		{"a ready chat keeps the workers busy, a quarter free: claim", func(l *loop) {
			l.inflight = 1
			l.put(msg(1, "a"), t0)
		}, false, 6, 0, true},
		{"after a failed claim: at its retry time", func(l *loop) { l.retryAt = t0.Add(150 * time.Millisecond) }, false, 0, 150 * time.Millisecond, false},
		{"the queue was found empty: at the poll after", func(l *loop) {
			l.drained, l.drainedAt = true, t0.Add(-200*time.Millisecond)
		}, false, 0, 800 * time.Millisecond, false},
		{"found empty a poll ago: claim", func(l *loop) {
			l.drained, l.drainedAt = true, t0.Add(-time.Second)
		}, false, 8, time.Second, true},
		{"woken just after an empty claim: after claimGap", func(l *loop) {
			l.drainedAt = t0.Add(-2 * time.Millisecond)
		}, false, 0, claimGap - 2*time.Millisecond, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := testLoop(nil)
			tt.setup(l)
			ask, wake := l.claim(t0, tt.stopping)
			room := ask.normal
			if room != tt.room || wake.Sub(t0) != tt.wake || l.claiming != tt.claiming {
				t.Errorf("claim: room %d, wake %+v, claiming %v; want %d, %+v, %v", room, wake.Sub(t0), l.claiming, tt.room, tt.wake, tt.claiming)
			}
		})
	}
}

func TestLoopOnDelivered(t *testing.T) {
	tests := []struct {
		name        string
		outcome     outcome
		behind      []langnghe.Outgoing
		wantRelease []int64
		wantState   string
	}{
		{"the chat's last: the chat goes", delivered, nil, []int64{}, "waiting []; chats []; behind 0 inflight 0"},
		{"the next waits for the chat's turn", delivered, []langnghe.Outgoing{msg(2, "a"), msg(3, "a")}, []int64{},
			"waiting [2 a +1s]; chats [a:3]; behind 1 inflight 0"},
		{"a dead letter: the next goes on", refused, []langnghe.Outgoing{msg(2, "a")}, []int64{},
			"waiting [2 a +1s]; chats [a:]; behind 0 inflight 0"},
		{"given back (429): those behind are released", floodWait, []langnghe.Outgoing{msg(2, "a"), msg(3, "a")}, []int64{2, 3},
			"waiting []; chats []; behind 0 inflight 0"},
		{"given back, nothing behind", transient, nil, []int64{}, "waiting []; chats []; behind 0 inflight 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := testLoop(map[string]time.Time{"a": t0.Add(time.Second)})
			l.put(msg(1, "a"), t0)
			l.putBehind(tt.behind...)
			l.startReady(t0)
			got := ids(l.onDelivered(delivery{chat: "a", outcome: tt.outcome}, t0))
			if !slices.Equal(got, tt.wantRelease) {
				t.Errorf("released %v, want %v", got, tt.wantRelease)
			}
			if got := describe(l); got != tt.wantState {
				t.Errorf("state\n got %s\nwant %s", got, tt.wantState)
			}
		})
	}
}

// TestLoopAdmits: handed and claimed messages join the loop the same way:
// a chat's first waits for its turn, the others wait behind it in id
// order, and a message held already (claimed again after its lease ran
// out) is not taken twice but marked to be given back. A handoff (a
// commit) says the database is back; a claim says nothing of an earlier
// failure's retry time, which only a handoff or a wake-up clears.
func TestLoopAdmits(t *testing.T) {
	tests := []struct {
		name      string
		admit     func(l *loop, ms []langnghe.Outgoing)
		wantState string
	}{
		{"handed", func(l *loop, ms []langnghe.Outgoing) { l.onHanded(ms, t0) },
			"waiting [1 b now, 5 a +2s]; chats [a:6,7 b:]; behind 2 inflight 0"},
		{"claimed", func(l *loop, ms []langnghe.Outgoing) {
			l.claiming = true
			if n := l.onClaimed(claimResult{msgs: ms, room: 8}, t0, false); n != 0 {
				t.Errorf("a claim that worked counted %d failures", n)
			}
		}, "waiting [1 b now, 5 a +2s]; chats [a:6,7 b:]; behind 2 inflight 0; drained +0s; retry later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := testLoop(map[string]time.Time{"a": t0.Add(2 * time.Second)})
			l.retryAt = t0.Add(time.Second)
			l.custody.hold(9) // held already, in flight
			tt.admit(l, []langnghe.Outgoing{msg(5, "a"), msg(1, "b"), msg(7, "a"), msg(6, "a"), msg(9, "c")})
			if got, want := describe(l), tt.wantState; got != want {
				t.Errorf("state\n got %s\nwant %s", got, want)
			}
			if !l.custody.drop(9) {
				t.Error("message 9, held and handed out again, is not marked to be given back")
			}
		})
	}
}

func TestLoopOnClaimed(t *testing.T) {
	failed := claimResult{err: errors.New("connection refused"), room: 8}
	tests := []struct {
		name         string
		before       int // claims failed in a row before
		result       claimResult
		stopping     bool
		wantFailures int
		wantState    string
	}{
		{"a failure is counted and retried later", 0, failed, false, 1, "waiting []; chats []; behind 0 inflight 0; retry later"},
		{"failures in a row", 29, failed, false, 30, "waiting []; chats []; behind 0 inflight 0; retry later"},
		{"a failure while stopping counts for nothing", 2, failed, true, 0, "waiting []; chats []; behind 0 inflight 0"},
		{"a full claim: there may be more", 3, claimResult{msgs: []langnghe.Outgoing{msg(1, "a"), msg(2, "b")}, room: 2}, false, 0,
			"waiting [1 a now, 2 b now]; chats [a: b:]; behind 0 inflight 0"},
		{"a short claim: the queue is drained", 3, claimResult{msgs: []langnghe.Outgoing{msg(1, "a")}, room: 2}, false, 0,
			"waiting [1 a now]; chats [a:]; behind 0 inflight 0; drained +0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := testLoop(nil)
			l.claiming, l.claimFailures = true, tt.before
			if got := l.onClaimed(tt.result, t0, tt.stopping); got != tt.wantFailures {
				t.Errorf("failures %d, want %d", got, tt.wantFailures)
			}
			if got := describe(l); got != tt.wantState {
				t.Errorf("state\n got %s\nwant %s", got, tt.wantState)
			}
			if l.claiming {
				t.Error("still claiming after the claim's result")
			}
			if wait := l.retryAt.Sub(t0); !l.retryAt.IsZero() && (wait < l.claimRetry.Base/2 || wait > l.claimRetry.Max) {
				t.Errorf("retry in %s, want within the claim backoff", wait)
			}
			if tt.result.err == nil && l.claimFailures != 0 {
				t.Errorf("%d failures still counted after a claim that worked", l.claimFailures)
			}
		})
	}
}

func TestLoopOnWoken(t *testing.T) {
	l := testLoop(nil)
	l.drained, l.drainedAt, l.retryAt = true, t0, t0.Add(time.Second)
	l.onWoken()
	if got, want := describe(l), "waiting []; chats []; behind 0 inflight 0"; got != want {
		t.Errorf("state\n got %s\nwant %s", got, want)
	}
	// Woken within claimGap of a claim that found the queue empty: the
	// next claim waits out the gap.
	if ask, wake := l.claim(t0, false); ask.normal != 0 || wake.Sub(t0) != claimGap {
		t.Errorf("claim after the wake-up: room %d, wake %+v; want 0, %v", ask.normal, wake.Sub(t0), claimGap)
	}
}

// TestLoopShutDown: stopping releases what the running claim found (not a
// message held already: that one is given back when its outcome is
// recorded), what was handed over since, and the messages behind each
// chat's first; the first that wait for their chat's turn are settled as
// interrupted; those in flight stay with their workers.
func TestLoopShutDown(t *testing.T) {
	l := testLoop(nil)
	l.put(msg(1, "a"), t0.Add(time.Second))
	l.putBehind(msg(2, "a"))
	l.put(msg(3, "b"), t0)
	l.startReady(t0) // 3 in flight
	l.put(msg(4, "c"), t0.Add(time.Second))
	release, stopped := l.shutDown([]langnghe.Outgoing{msg(3, "b"), msg(10, "d")}, []langnghe.Outgoing{msg(11, "e")})
	if got, want := ids(release), []int64{10, 11, 2}; !slices.Equal(got, want) {
		t.Errorf("released %v, want %v", got, want)
	}
	got := ids(stopped)
	slices.Sort(got)
	if want := []int64{1, 4}; !slices.Equal(got, want) {
		t.Errorf("interrupted %v, want %v", got, want)
	}
	if l.inflight != 1 {
		t.Errorf("%d in flight, want 1 (message 3)", l.inflight)
	}
	if !l.custody.drop(3) {
		t.Error("message 3, in flight and claimed again, is not marked to be given back")
	}
}
