package bot

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"langnghe"
	"langnghe/bot/telegramtest"
)

// downOutbox is an Outbox whose database can be down: every call fails
// while down is set, as it does while PostgreSQL is stopped.
type downOutbox struct {
	Outbox
	down   atomic.Bool
	claims atomic.Int64
	// downMarks, when above zero, fails that many MarkSent calls even
	// while up: the outcome of a delivery that could not be recorded.
	downMarks atomic.Int64
}

var errDatabaseDown = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

func (o *downOutbox) ClaimOutgoing(ctx context.Context, channel, owner string, limit, bulk int, lease time.Duration, now time.Time) ([]langnghe.Outgoing, error) {
	o.claims.Add(1)
	if o.down.Load() {
		return nil, errDatabaseDown
	}
	return o.Outbox.ClaimOutgoing(ctx, channel, owner, limit, bulk, lease, now)
}

func (o *downOutbox) MarkSent(ctx context.Context, id int64, sentAt time.Time, targets ...langnghe.ReplyTarget) (bool, error) {
	if o.down.Load() || o.downMarks.Add(-1) >= 0 {
		return false, errDatabaseDown
	}
	return o.Outbox.MarkSent(ctx, id, sentAt, targets...)
}

// TestSenderClaimsWhenACommitSaysTheDatabaseIsBack: after failed claims the
// next one waits for the claim backoff, but a commit (Notify) brings it
// forward. (A failed claim used the delivery backoff, which grew to
// minutes during an outage, and nothing brought it forward: after a 60 s
// outage every chat with a reply behind another stalled for 25 s.)
func TestSenderClaimsWhenACommitSaysTheDatabaseIsBack(t *testing.T) {
	fake := newFake(t)
	tb := newTestBot(t, fake, Config{})
	outbox := &downOutbox{Outbox: tb.sender.outbox}
	outbox.down.Store(true)
	tb.sender.outbox = outbox
	// No claim would come again in this test but for a commit's word.
	tb.sender.claimRetry = Retry{Base: time.Hour, Max: time.Hour}
	tb.outbox.enqueue(8501, langnghe.Message{Text: "sau sự cố"})
	tb.run(t)
	waitFor(t, 5*time.Second, func() bool { return outbox.claims.Load() >= 1 })
	time.Sleep(100 * time.Millisecond)
	if n := outbox.claims.Load(); n != 1 {
		t.Fatalf("%d claims; want 1 and then none during the backoff", n)
	}

	outbox.down.Store(false)
	tb.sender.Notify() // a commit that queued a message behind another
	wait, stop := context.WithTimeout(t.Context(), 5*time.Second)
	defer stop()
	if _, err := fake.WaitSent(wait, 8501, 1); err != nil {
		t.Fatalf("not delivered after a commit said the database was back: %v (%d claims)", err, outbox.claims.Load())
	}
}

// TestSenderDeliversOnceWhileItsOutcomeWaits: a delivered message whose
// MarkSent fails (the database went away) is recorded again until it
// commits; meanwhile its lease runs out and a claim hands it out again,
// but it is not sent twice, and the chat's next message follows it once.
// (The outcome was given up after one try: the message was sent again
// after the chat's later messages, "nghe 3", "xong 3", "nghe 3".)
func TestSenderDeliversOnceWhileItsOutcomeWaits(t *testing.T) {
	fake := newFake(t)
	tb := newTestBot(t, fake, Config{Limits: Limits{ChatInterval: 50 * time.Millisecond, ChatBurst: 1}})
	outbox := &downOutbox{Outbox: tb.sender.outbox}
	outbox.downMarks.Store(8)
	tb.sender.outbox = outbox
	tb.sender.lease = 30 * time.Millisecond // runs out while MarkSent fails
	tb.sender.claimRetry = Retry{Base: 20 * time.Millisecond, Max: 50 * time.Millisecond}
	tb.outbox.enqueue(8502, langnghe.Message{Text: "một"})
	tb.outbox.enqueue(8502, langnghe.Message{Text: "hai"})
	tb.run(t)
	tb.sender.Notify()
	st := tb.outbox.waitSettled(t, 10*time.Second)
	var texts []string
	for _, m := range fake.Sent(8502) {
		texts = append(texts, m.Text)
	}
	if strings.Join(texts, "|") != "một|hai" {
		t.Errorf("chat read %q; want một, hai once each", texts)
	}
	if st.sent != 2 || len(st.failed) != 0 {
		t.Errorf("outbox: %d sent, failed %v", st.sent, st.failed)
	}
	if claims := outbox.claims.Load(); claims < 3 {
		t.Errorf("%d claims: the test means the first message to be claimed again while held", claims)
	}
}

// TestFloodControlIsNotAnAttempt: a reply that meets 429s and then one
// 5xx is retried, not given up: only failures count toward the attempts,
// and flood control is Telegram saying when, not that it failed.
func TestFloodControlIsNotAnAttempt(t *testing.T) {
	fake := newFake(t, telegramtest.WithLimits(telegramtest.Limits{RetryAfter: 1}))
	tb := newTestBot(t, fake, Config{}) // 5 attempts
	fake.FailNext("sendMessage", 4, http.StatusTooManyRequests, "")
	fake.FailNext("sendMessage", 1, http.StatusBadGateway, "")
	id := tb.outbox.enqueue(8503, langnghe.Message{Text: "cuối cùng"})
	tb.run(t)
	tb.sender.Notify()
	st := tb.outbox.waitSettled(t, 20*time.Second)
	if _, failed := st.failed[id]; failed || st.sent != 1 {
		t.Fatalf("failed %v, sent %d after 4 429s and a 502; want it delivered", st.failed, st.sent)
	}
	if n := fake.Calls("sendMessage"); n != 6 {
		t.Errorf("%d sends; want 6", n)
	}
}

// TestRunWaitsForTelegram: while getMe fails the bot keeps trying and is
// not ready, saying what it waits for; once Telegram answers it is.
func TestRunWaitsForTelegram(t *testing.T) {
	fake := newFake(t)
	fake.FailFor("getMe", time.Second, http.StatusBadGateway, "")
	var connected atomic.Value
	tb := newTestBot(t, fake, Config{Connected: func(username string) { connected.Store(username) }})
	if err := tb.Ready(); err == nil || !strings.Contains(langnghe.ErrorMessage(err), "getMe") {
		t.Fatalf("Ready() before Run = %v; want not ready, waiting for getMe", err)
	}
	tb.run(t)
	waitFor(t, 3*time.Second, func() bool { return strings.Contains(tb.logs.String(), "connect to telegram") })
	if err := tb.Ready(); err == nil || !strings.Contains(langnghe.ErrorMessage(err), "getMe (transient 502)") {
		t.Errorf("Ready() while getMe fails = %v", err)
	}
	waitFor(t, 10*time.Second, func() bool { return tb.Ready() == nil })
	if got := connected.Load(); got != fake.BotUsername() || tb.Username() != fake.BotUsername() {
		t.Errorf("Connected(%v), Username() = %q; want %q", got, tb.Username(), fake.BotUsername())
	}
	fake.SendText(alice, "chào")
	tb.handler.waitApplied(t, 1)
}

// TestRunStopsOnARefusedToken: a token Telegram refuses will not work on
// a retry; Run says so.
func TestRunStopsOnARefusedToken(t *testing.T) {
	fake := newFake(t, telegramtest.WithToken("999:other-token"))
	tb := newTestBot(t, fake, Config{})
	tb.cfg.Token = telegramtest.DefaultToken
	tb.client.token = telegramtest.DefaultToken
	tb.client.api.Token = telegramtest.DefaultToken
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	err := tb.Run(ctx)
	if err == nil || ctx.Err() != nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("Run = %v; want the 401 at once", err)
	}
	if strings.Contains(err.Error(), telegramtest.DefaultToken) {
		t.Error("the error shows the token")
	}
}

func TestWorkersKeepTheRateAtASlowTelegram(t *testing.T) {
	for _, tt := range []struct {
		perSecond float64
		want      int
	}{{1, 16}, {30, 60}, {100, 200}, {1000, 256}} {
		if got := workersFor(tt.perSecond); got != tt.want {
			t.Errorf("workersFor(%v) = %d, want %d", tt.perSecond, got, tt.want)
		}
	}
}
