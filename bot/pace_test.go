package bot

import (
	"fmt"
	"testing"
	"time"
)

var paceStart = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)

// send is one step of a chat's pacing: after advancing the clock, the
// pacer must ask for wait before the send; the send takes took.
type paceStep struct {
	advance time.Duration
	wait    time.Duration
	took    time.Duration
}

// playPacer sends to chat as steps say, each after waiting what the pacer
// asked, and checks what it asked.
func playPacer(t *testing.T, p *chatPacer, chat string, group bool, steps []paceStep) time.Time {
	t.Helper()
	now := paceStart
	for i, st := range steps {
		now = now.Add(st.advance)
		// Waits are rounded up to the nanosecond so they are always enough.
		if got := p.wait(chat, now); got.Round(time.Microsecond) != st.wait {
			t.Fatalf("step %d (+%s): wait %s, want %s", i, now.Sub(paceStart), got, st.wait)
		}
		now = now.Add(st.wait + st.took)
		p.sent(chat, group, now)
	}
	return now
}

func TestChatPacerPrivateBurstThenOneASecond(t *testing.T) {
	p := newChatPacer(Limits{}.withDefaults())
	playPacer(t, p, "1001", false, []paceStep{
		{wait: 0}, {wait: 0}, {wait: 0}, // a turn's three messages at once
		{wait: time.Second}, // then one a second
		{wait: time.Second}, //
		{advance: 400 * time.Millisecond, wait: 600 * time.Millisecond},     // counted from the last send
		{advance: 2 * time.Second, wait: 0}, {wait: 0}, {wait: time.Second}, // two seconds' quiet earn two
		{advance: time.Hour, wait: 0}, {wait: 0}, {wait: 0}, {wait: time.Second}, // never more than three
	})
	if w := p.wait("1002", paceStart); w != 0 {
		t.Errorf("another chat waits %s for this one", w)
	}
}

// TestChatPacerCountsTheEndOfASend: sends that took 300 ms each are counted
// when they ended (0.3, 0.6 and 0.9 s), so the fourth waits 0.4 s more; had
// they been counted at their start (0, 0.3, 0.6 s), 0.1 s, and a slow
// network could have brought them closer together than Telegram allows.
func TestChatPacerCountsTheEndOfASend(t *testing.T) {
	p := newChatPacer(Limits{}.withDefaults())
	playPacer(t, p, "1001", false, []paceStep{
		{took: 300 * time.Millisecond}, {took: 300 * time.Millisecond}, {took: 300 * time.Millisecond},
		{wait: 400 * time.Millisecond},
	})
}

// TestChatPacerBurstOne is the pacer before bursts (Limits.ChatBurst 1):
// one message a second from the first.
func TestChatPacerBurstOne(t *testing.T) {
	p := newChatPacer(Limits{ChatBurst: 1}.withDefaults())
	playPacer(t, p, "1001", false, []paceStep{{wait: 0}, {wait: time.Second}, {advance: time.Hour, wait: 0}, {wait: time.Second}})
}

func TestChatPacerGroupsHaveNoBurst(t *testing.T) {
	p := newChatPacer(Limits{}.withDefaults())
	playPacer(t, p, "-4001", true, []paceStep{
		{wait: 0}, {wait: 3 * time.Second}, {wait: 3 * time.Second}, // 20 a minute
		{advance: time.Hour, wait: 0}, {wait: 3 * time.Second},
	})
}

// TestChatPacerAfter429: a 429 keeps the chat quiet for its retry_after;
// then one message goes at once and the next a second later, not a burst.
func TestChatPacerAfter429(t *testing.T) {
	p := newChatPacer(Limits{}.withDefaults())
	now := playPacer(t, p, "1001", false, []paceStep{{wait: 0}})
	until := now.Add(5 * time.Second)
	p.delay("1001", false, until)
	if w := p.wait("1001", now); w != 5*time.Second {
		t.Fatalf("after a 429 with retry_after 5s: wait %s", w)
	}
	// An earlier retry_after (another message's) does not shorten it.
	p.delay("1001", false, now.Add(time.Second))
	if w := p.wait("1001", now); w != 5*time.Second {
		t.Fatalf("a shorter retry_after shortened the wait to %s", w)
	}
	if w := p.wait("1001", until); w != 0 {
		t.Fatalf("at retry_after: wait %s", w)
	}
	p.sent("1001", false, until)
	if w := p.wait("1001", until); w != time.Second {
		t.Fatalf("the second after retry_after: wait %s, want 1s", w)
	}
}

// TestChatPacerForgetsIdleChats: the map stays bounded; a chat still
// owing its wait is kept.
func TestChatPacerForgetsIdleChats(t *testing.T) {
	p := newChatPacer(Limits{}.withDefaults())
	now := time.Now()
	for i := range pruneAbove {
		p.sent(fmt.Sprint(i), false, now.Add(-time.Hour))
	}
	for range 3 {
		p.sent("busy", false, now)
	}
	if len(p.chats) > 2 {
		t.Fatalf("%d chats remembered, want the idle ones forgotten", len(p.chats))
	}
	if w := p.wait("busy", now); w != time.Second {
		t.Fatalf("a busy chat was forgotten: wait %s", w)
	}
}

// TestBucket: the global bucket lets perSecond through from a standstill to
// the end of the first second (its burst and a second's refill), and a
// pause holds everything. A sender that waits for its reserved token is
// not asked to wait again.
func TestBucket(t *testing.T) {
	b := newBucket(30, 1)
	now := paceStart
	sent := 0
	for t := now; !t.After(now.Add(time.Second)); {
		d, turn := b.take(t, false)
		t = t.Add(d)
		if turn != nil && !t.After(now.Add(time.Second)) {
			sent++
		}
	}
	if sent != 30 {
		t.Errorf("%d sends from 0 to 1 s, want 30", sent)
	}
	end := now.Add(10 * time.Second)
	b.pause(end)
	if d, turn := b.take(end.Add(-time.Second), false); d != time.Second || turn != nil {
		t.Errorf("during a pause: wait %s (turn %v), want 1s, no turn", d, turn)
	}
	if d, turn := b.take(end, false); d != 0 || turn == nil {
		t.Errorf("at the pause's end: wait %s (turn %v), want a send at once", d, turn)
	}
	// The pause widened the window a step: 29 in 1.025 s.
	if d, turn := b.take(end, false); turn == nil || d.Round(time.Millisecond) != ((time.Second+spanStep)/29).Round(time.Millisecond) {
		t.Errorf("right after the pause: wait %s (turn %v), want about 1.025/29 s (no burst)", d, turn)
	}
}

// TestBucketLanes: a bulk send reserves a token only when none is
// outstanding; a normal send takes over the token a bulk send waits for,
// so it waits for no bulk send that has not started.
func TestBucketLanes(t *testing.T) {
	b := newBucket(30, 1)
	step := time.Second / 29
	near := func(d, want time.Duration) bool { return d.Round(time.Millisecond) == want.Round(time.Millisecond) }
	if d, turn := b.take(paceStart, true); d != 0 || turn == nil {
		t.Fatalf("a bulk send with a free token: wait %s (turn %v), want at once", d, turn)
	}
	// The bucket is empty: one bulk send may reserve the next token...
	d, bulkTurn := b.take(paceStart, true)
	if bulkTurn == nil || !near(d, step) {
		t.Fatalf("a bulk send with no token: wait %s (turn %v), want the next token in %s", d, bulkTurn, step)
	}
	// ...and no other bulk send: they ask again when it comes.
	for range 5 {
		if d, turn := b.take(paceStart, true); turn != nil || !near(d, step) {
			t.Fatalf("another bulk send: wait %s (turn %v), want to ask again in %s", d, turn, step)
		}
	}
	// A reply takes over the bulk send's token; that bulk send asks again.
	if d, turn := b.take(paceStart, false); turn == nil || !near(d, step) {
		t.Fatalf("a reply while a bulk send waits: wait %s (turn %v), want its token in %s", d, turn, step)
	}
	if b.kept(bulkTurn, 0) {
		t.Fatal("the bulk send kept the token the reply took over")
	}
	// A second reply reserves the token after.
	if d, turn := b.take(paceStart, false); turn == nil || !near(d, 2*step) {
		t.Fatalf("a second reply: wait %s (turn %v), want %s", d, turn, 2*step)
	}
	// Bulk sends wait for the replies' tokens.
	if d, turn := b.take(paceStart.Add(step), true); turn != nil || !near(d, step) {
		t.Fatalf("a bulk send behind a reply: wait %s (turn %v), want to ask again in %s", d, turn, step)
	}
	// A bulk send that wakes late loses nothing: its token is the next on
	// the bucket's timeline, not a full step from when it woke.
	late := paceStart.Add(2*step + 5*time.Millisecond)
	d, turn := b.take(late, true)
	if turn == nil || !near(d, step-5*time.Millisecond) {
		t.Fatalf("a bulk send 5 ms late: wait %s (turn %v), want %s", d, turn, step-5*time.Millisecond)
	}
	if !b.kept(turn, 0) {
		t.Error("a bulk send lost a token nobody took over")
	}
}

// TestBucketStarts: however the reserved tokens fell, no more than
// perSecond sends start within the starts' window.
func TestBucketStarts(t *testing.T) {
	b := newBucket(3, 1)
	for i := range 3 {
		if d := b.start(paceStart.Add(time.Duration(i) * time.Millisecond)); d != 0 {
			t.Fatalf("start %d: wait %s, want none", i, d)
		}
	}
	if d := b.start(paceStart.Add(10 * time.Millisecond)); d != startsSpan-10*time.Millisecond {
		t.Errorf("a fourth start within the window: wait %s, want %s", d, startsSpan-10*time.Millisecond)
	}
	if d := b.start(paceStart.Add(startsSpan)); d != 0 {
		t.Errorf("once the first start left the window: wait %s, want none", d)
	}
}

// TestBucketWidensAfterA429: each pause widens the starts' window, up to
// its most; quiet time narrows it back a little at a time.
func TestBucketWidensAfterA429(t *testing.T) {
	b := newBucket(30, 1)
	end := paceStart.Add(time.Second)
	b.pause(end)
	b.pause(end)
	if b.span != startsSpan+2*spanStep {
		t.Fatalf("after two pauses: window %s, want %s", b.span, startsSpan+2*spanStep)
	}
	// The refill follows: 29 sends (30 less the burst) in 1.05 s.
	if got, want := float64(b.a.lim.Limit()), 29/(time.Second+2*spanStep).Seconds(); got != want {
		t.Errorf("after two pauses: refill %.2f a second, want %.2f", got, want)
	}
	for range 100 {
		b.pause(end)
	}
	if b.span != spanMost {
		t.Fatalf("after many pauses: window %s, want at most %s", b.span, spanMost)
	}
	b.start(end.Add(spanEase - time.Millisecond))
	if b.span != spanMost {
		t.Errorf("before a quiet %s: window %s, want %s still", spanEase, b.span, spanMost)
	}
	b.start(end.Add(spanEase))
	if want := spanMost - spanStep/5; b.span != want {
		t.Errorf("after a quiet %s: window %s, want %s", spanEase, b.span, want)
	}
	for range 100 {
		b.narrowed = time.Time{}
		b.start(end.Add(spanEase))
	}
	if b.span != startsSpan || b.a.lim.Limit() != 29 {
		t.Errorf("after long quiet: window %s, refill %.2f; want %s, 29", b.span, float64(b.a.lim.Limit()), startsSpan)
	}
}
