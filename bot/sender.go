package bot

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe"
)

// Outbox is the durable queue of replies (storage.DB implements it).
// ClaimOutgoing returns at most the head (oldest unsent) message of each
// chat in each lane, leased to owner, so order within a chat's lane holds
// across replicas: up to normal messages of the normal lane, and up to bulk
// of the bulk lane (langnghe.Lane).
type Outbox interface {
	ClaimOutgoing(ctx context.Context, channel, owner string, normal, bulk int, lease time.Duration, now time.Time) ([]langnghe.Outgoing, error)
	// MarkSent removes a delivered message, recording the id it was sent
	// as when it regards an opinion (targets); next reports that the
	// chat's next message is unleased, for a claim to find.
	MarkSent(ctx context.Context, id int64, sentAt time.Time, targets ...langnghe.ReplyTarget) (next bool, err error)
	// RetryOutgoing counts an attempt, releases the lease and makes the
	// message eligible again at notBefore.
	RetryOutgoing(ctx context.Context, id int64, notBefore time.Time, lastErr string) error
	// PostponeOutgoing is RetryOutgoing without counting an attempt.
	PostponeOutgoing(ctx context.Context, id int64, notBefore time.Time, lastErr string) error
	// ReleaseOutgoing releases owner's leases on ids without counting an
	// attempt.
	ReleaseOutgoing(ctx context.Context, owner string, ids []int64) error
	FailOutgoing(ctx context.Context, id int64, lastErr string) error
	// MarkUnreachable records that the person blocked the bot.
	MarkUnreachable(ctx context.Context, channel, chatID string) error
}

// Limits are Telegram's per-chat limits and the sender's concurrency (the
// overall rate is Config.SendRate). Zero fields take the defaults, which
// match Telegram's published limits.
type Limits struct {
	ChatInterval time.Duration // between two messages to one private chat (1s)
	// ChatBurst is how many messages may go to a private chat at once
	// before ChatInterval applies (3): a turn's messages arrive together.
	ChatBurst      int
	GroupPerMinute int // messages a minute to one group (20)
	// Workers is how many sends are in flight at once, to different chats:
	// twice the send rate, at least 16 and at most 256, so that a slow
	// Telegram (2 s a call) still takes the whole rate.
	Workers int
}

func (l Limits) withDefaults() Limits {
	if l.ChatInterval <= 0 {
		l.ChatInterval = time.Second
	}
	if l.ChatBurst <= 0 {
		l.ChatBurst = 3
	}
	if l.GroupPerMinute <= 0 {
		l.GroupPerMinute = 20
	}
	if l.Workers <= 0 {
		l.Workers = 16
	}
	return l
}

// Retry is how the sender retries transient failures (5xx, timeouts):
// exponential backoff from Base, capped at Max, with jitter, for at most
// Attempts attempts in all. Zero fields take the defaults.
type Retry struct {
	Attempts int           // 10
	Base     time.Duration // 2s
	Max      time.Duration // 5m
}

func (r Retry) withDefaults() Retry {
	if r.Attempts <= 0 {
		r.Attempts = 10
	}
	if r.Base <= 0 {
		r.Base = 2 * time.Second
	}
	if r.Max <= 0 {
		r.Max = 5 * time.Minute
	}
	return r
}

// backoff returns the wait before attempt n+1 after n failures: Base·2ⁿ⁻¹
// capped at Max, drawn from its upper half so replicas do not retry in step.
func (r Retry) backoff(n int) time.Duration {
	d := r.Max
	if n < 30 {
		d = min(r.Max, r.Base<<max(n-1, 0))
	}
	return d/2 + rand.N(d/2+1)
}

// Stats are the channel's delivery counts since start.
type Stats struct {
	Sent        int64 // replies delivered, every part
	Retried     int64 // failed attempts scheduled again
	Failed      int64 // replies given up: refused, blocked, or out of attempts
	RateLimited int64 // 429 answers from Telegram, sending or polling
	// Withdrawn are messages dropped unsent because the consent they need
	// (an announcement's) was withdrawn after they were queued.
	Withdrawn int64
}

// counters are Stats, updated concurrently.
type counters struct {
	sent, retried, failed, rateLimited, withdrawn atomic.Int64
}

func (c *counters) snapshot() Stats {
	return Stats{Sent: c.sent.Load(), Retried: c.retried.Load(), Failed: c.failed.Load(), RateLimited: c.rateLimited.Load(),
		Withdrawn: c.withdrawn.Load()}
}

// handoffOutbox is an Outbox that can hand this process's new messages to
// the sender as they commit (storage.DB is one).
type handoffOutbox interface {
	SetHandoff(h *langnghe.Handoff) (stop func())
}

// consentOutbox is an Outbox that checks, just before a message that
// needs a consent (Message.Consent: an announcement) is sent, that the
// consent is still in force, and drops the message when it is not
// (storage.DB is one). next is as MarkSent's.
type consentOutbox interface {
	DropWithdrawn(ctx context.Context, m langnghe.Outgoing) (dropped, next bool, err error)
}

// leaseHolder is an Outbox whose leases can end with their holder
// (storage.DB is one): HoldLeases holds the owner's lock until ctx ends or
// the lock is lost, calling held once it is taken.
type leaseHolder interface {
	HoldLeases(ctx context.Context, owner string, held func()) error
}

// Sender delivers queued replies: it takes the messages this process
// queues as they commit (when the Outbox hands them over), claims the
// others' head messages from the Outbox, and sends them under Telegram's
// limits, several chats at once.
type Sender struct {
	client *Client
	outbox Outbox
	// handoff, when not nil, hands this process's new messages over;
	// handed collects them for the delivery loop.
	handoff handoffOutbox
	handed  handedMessages
	// holder, when not nil, ends this sender's leases with its process.
	holder leaseHolder
	// consents, when not nil, checks a message's consent before it is sent.
	consents consentOutbox
	// custody are the messages this sender holds.
	custody custody
	// renewing is outbox when it renews the leases of held messages.
	renewing *renewingOutbox
	log      *slog.Logger
	owner    string
	limits   Limits
	retry    Retry
	// claimRetry paces claims (and the lease lock) after failures.
	claimRetry Retry
	bucket     *bucket
	pacer      *chatPacer
	wake       chan struct{}
	stats      *counters

	// lease is how long a claimed message stays ours; it must cover the
	// pacing waits and the sends of every part of one reply.
	lease time.Duration
	// poll is the fallback interval for finding messages nobody announced
	// (enqueued by another replica, or due again after a retry delay).
	poll time.Duration
	// sendTimeout bounds one sendMessage call.
	sendTimeout time.Duration
	// hold is how many claimed messages the sender keeps at once, in
	// flight or waiting for their chat's turn. A chat's next message waits
	// about ChatInterval after the previous one, so sending perSecond a
	// second needs about perSecond × ChatInterval messages at hand; with
	// fewer, paced messages would fill every slot and starve the rate.
	// It bounds normal messages; bulk ones have half as many more
	// (loop.bulkHold), so a bulk backlog never leaves replies no room.
	hold int
}

// newSender returns a sender of outbox's Telegram messages through client,
// at most perSecond messages a second overall (30 when zero).
func newSender(client *Client, outbox Outbox, perSecond float64, limits Limits, retry Retry, logger *slog.Logger) *Sender {
	if perSecond <= 0 {
		perSecond = 30
	}
	if limits.Workers <= 0 {
		limits.Workers = workersFor(perSecond)
	}
	limits = limits.withDefaults()
	inner := outbox
	renewing, ok := outbox.(*renewingOutbox)
	if ok {
		inner = renewing.Outbox
	}
	handoff, _ := inner.(handoffOutbox)
	holder, _ := inner.(leaseHolder)
	consents, _ := inner.(consentOutbox)
	owner := leaseOwner()
	if holder != nil {
		owner = langnghe.HeldOwner(owner)
	}
	return &Sender{
		client:      client,
		outbox:      outbox,
		handoff:     handoff,
		holder:      holder,
		consents:    consents,
		renewing:    renewing,
		handed:      handedMessages{ready: make(chan struct{}, 1)},
		custody:     custody{held: map[int64]bool{}, again: map[int64]bool{}},
		log:         logger,
		owner:       owner,
		limits:      limits,
		retry:       retry.withDefaults(),
		claimRetry:  claimRetry,
		bucket:      newBucket(perSecond, 1),
		pacer:       newChatPacer(limits),
		wake:        make(chan struct{}, 1),
		stats:       &counters{},
		lease:       5 * time.Minute,
		poll:        time.Second,
		sendTimeout: 30 * time.Second,
		hold:        max(2*limits.Workers, int(2*perSecond*limits.ChatInterval.Seconds())),
	}
}

// slowTelegram is the round trip of a send the workers are sized for:
// Telegram usually answers in tens of milliseconds, but a slow or far one
// (2 s a call was seen) must not cut the rate down to workers/2s.
const slowTelegram = 2 * time.Second

// workersFor is the default Workers for perSecond messages a second.
func workersFor(perSecond float64) int {
	return min(256, max(16, int(perSecond*slowTelegram.Seconds())))
}

// leaseOwner names this process in the outbox's leases.
func leaseOwner() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	return fmt.Sprintf("%s/%d/%x", host, os.Getpid(), rand.Uint32())
}

// Notify wakes the sender at once, to claim what may have been queued
// without being handed over. It never blocks.
func (s *Sender) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// handedMessages are messages the Outbox handed over, waiting for the
// delivery loop.
type handedMessages struct {
	mu     sync.Mutex
	msgs   []langnghe.Outgoing
	closed bool // the loop has stopped: release what comes
	ready  chan struct{}
}

// take receives messages this process queued, leased to the sender, as
// their transaction commits (langnghe.Handoff.Take).
func (s *Sender) take(msgs []langnghe.Outgoing) {
	if s.renewing != nil {
		s.renewing.hold(s.owner, msgs)
	}
	h := &s.handed
	h.mu.Lock()
	closed := h.closed
	if !closed {
		h.msgs = append(h.msgs, msgs...)
	}
	h.mu.Unlock()
	if closed {
		// Stopped: give them back now rather than when the lease runs out.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.release(ctx, msgs)
		return
	}
	select {
	case h.ready <- struct{}{}:
	default:
	}
}

// drainHanded returns the handed messages not yet in the loop, and stops
// taking more when closing.
func (s *Sender) drainHanded(closing bool) []langnghe.Outgoing {
	h := &s.handed
	h.mu.Lock()
	defer h.mu.Unlock()
	msgs := h.msgs
	h.msgs = nil
	h.closed = h.closed || closing
	return msgs
}

// release gives held messages back to the outbox without an attempt, and
// ends the sender's custody of them.
func (s *Sender) release(ctx context.Context, msgs []langnghe.Outgoing) {
	if len(msgs) == 0 {
		return
	}
	ids := make([]int64, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	if err := s.outbox.ReleaseOutgoing(ctx, s.owner, ids); err != nil {
		// Their leases run out and a claim hands them out again.
		s.log.ErrorContext(ctx, "release outgoing messages", "error", err, "messages", len(ids))
	}
	s.letGo(ctx, ids...)
}

// custody is every message the sender holds, from its claim or handoff
// until its outcome is recorded or it is given back. After an outage a
// claim may hand out a message held here again (its lease ran out while
// the database was away, or while its outcome could not be recorded): it
// is not delivered again, and the lease that claim took is given back once
// the outcome is recorded.
type custody struct {
	mu    sync.Mutex
	held  map[int64]bool
	again map[int64]bool // held, and handed out again by a claim
}

// hold takes id into custody; false when it was held already.
func (c *custody) hold(id int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held[id] {
		c.again[id] = true
		return false
	}
	c.held[id] = true
	return true
}

// drop ends custody of id and reports whether a claim handed it out again
// meanwhile.
func (c *custody) drop(id int64) (again bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	again = c.again[id]
	delete(c.held, id)
	delete(c.again, id)
	return again
}

// letGo ends custody of ids and the renewal of their leases (the one place
// either ends), giving back the leases of those a claim took again while
// they were held.
func (s *Sender) letGo(ctx context.Context, ids ...int64) {
	var again []int64
	for _, id := range ids {
		if s.custody.drop(id) {
			again = append(again, id)
		}
		if s.renewing != nil {
			s.renewing.release(id)
		}
	}
	if len(again) == 0 {
		return
	}
	if err := s.outbox.ReleaseOutgoing(context.WithoutCancel(ctx), s.owner, again); err != nil {
		s.log.ErrorContext(ctx, "release outgoing messages claimed twice", "error", err, "messages", len(again))
	}
	s.Notify()
}

// holdLeases keeps the sender's lease lock (leaseHolder) until ctx ends,
// taking it again whenever its connection is lost; held is called each
// time it is taken.
func (s *Sender) holdLeases(ctx context.Context, held func()) {
	for failures := 0; ctx.Err() == nil; {
		err := s.holder.HoldLeases(ctx, s.owner, func() {
			failures = 0
			held()
		})
		if err == nil || ctx.Err() != nil {
			continue
		}
		failures++
		wait := s.claimRetry.backoff(failures)
		if failures == 1 || failures%30 == 0 {
			s.log.WarnContext(ctx, "hold outbox leases", "error", err, "failures", failures, "retry_in", wait)
		}
		_ = Sleep(ctx, wait)
	}
}

// claimRetry is how soon a failed claim (or a lost lease lock) is tried
// again: the database is usually back within seconds, and a reply owed
// then must not wait for a backoff grown during the outage.
var claimRetry = Retry{Base: 100 * time.Millisecond, Max: 2 * time.Second}

// Run delivers until ctx ends, then waits for sends in flight; messages it
// held but did not send are released for the next run or replica.
//
// Messages come two ways. Those this process queues are handed over as
// they commit (langnghe.Handoff), leased already: no database work finds
// them. The others (queued by another replica, behind another message of
// their chat, due again after a retry) are claimed, and the outbox hands
// out only the head of each chat.
//
// Held messages whose chat must stay quiet a little longer (one message a
// second after a burst of three, 20 a minute in groups) wait in a local queue ordered by when
// their chat is free, rather than in a worker, so the workers stay busy
// with chats that are ready. Only a chat's first held message is in that
// queue; the ones handed over behind it wait in loop.chats, and go when it
// was delivered (or given up). When it is given back (a retry, a 429),
// they are released too, and claims hand the chat out again in order.
//
// A claim is a database round trip that takes tens of milliseconds under
// load, so it runs beside this loop, one at a time: while it runs, the
// loop keeps starting ready messages and freeing workers. (Claiming inside
// the loop held every send back for the length of each claim, which under
// load was most of the time: the outbox backed up at ~500 replies a second
// with 50 workers, each send taking 10 ms.)
//
// When the outbox can end leases with their holder, the sender takes its
// lock before it takes any lease, and keeps it until everything it held
// is settled or given back.
//
// What the sender holds and every decision on it are a loop (loop.go); Run
// starts the sends and the claims the loop asks for and brings it their
// outcomes, the handoffs and the wake-ups.
func (s *Sender) Run(ctx context.Context) error {
	if s.holder != nil {
		held, stopHolding := s.takeLeaseLock(ctx)
		defer stopHolding()
		if !held {
			return nil
		}
	}
	stopHandoff := s.startHandoff()
	defer stopHandoff()
	l := newLoop(s)
	done := make(chan delivery, l.workers)
	claimed := make(chan claimResult, 1)
	var settling sync.WaitGroup
	defer settling.Wait()
	timer := time.NewTimer(s.poll)
	defer timer.Stop()
	for {
		now := time.Now()
		for _, m := range l.startReady(now) {
			settling.Go(func() { s.work(ctx, m, done) })
		}
		ask, wake := l.claim(now, ctx.Err() != nil)
		if ask.normal > 0 || ask.bulk > 0 {
			go func() {
				msgs, err := s.outbox.ClaimOutgoing(ctx, langnghe.ChannelTelegram, s.owner, ask.normal, ask.bulk, s.lease, now)
				claimed <- claimResult{msgs: msgs, err: err, room: ask.normal, bulk: ask.bulk}
			}()
		}

		timer.Reset(time.Until(wake))
		select {
		case <-ctx.Done():
			stopHandoff()
			var running []langnghe.Outgoing
			if l.claiming {
				running = (<-claimed).msgs
			}
			release, stopped := l.shutDown(running, s.drainHanded(true))
			for _, m := range stopped {
				settling.Go(func() { s.settle(ctx, m, interrupted, ctx.Err(), "") })
			}
			s.release(context.WithoutCancel(ctx), release)
			for range l.inflight {
				<-done
			}
			return nil
		case d := <-done:
			if queue := l.onDelivered(d, time.Now()); len(queue) > 0 {
				settling.Go(func() { s.release(context.WithoutCancel(ctx), queue) })
			}
		case <-s.handed.ready:
			l.onHanded(s.drainHanded(false), time.Now())
		case r := <-claimed:
			if n := l.onClaimed(r, time.Now(), ctx.Err() != nil); n > 0 && (n == 1 || n%30 == 0) {
				s.log.ErrorContext(ctx, "claim outgoing messages", "error", r.err, "failures", n)
			}
		case <-s.wake:
			l.onWoken()
		case <-timer.C:
		}
	}
}

// takeLeaseLock takes the sender's lease lock (leaseHolder) before any
// lease, and keeps taking it again whenever its connection is lost, until
// stop. held is false when ctx ended before the lock was first taken.
func (s *Sender) takeLeaseLock(ctx context.Context) (held bool, stop func()) {
	holdCtx, stopHolding := context.WithCancel(context.WithoutCancel(ctx))
	taken := make(chan struct{})
	var once sync.Once
	holding := make(chan struct{})
	go func() {
		defer close(holding)
		s.holdLeases(holdCtx, func() { once.Do(func() { close(taken) }) })
	}()
	stop = func() {
		stopHolding()
		<-holding
	}
	select {
	case <-taken:
		return true, stop
	case <-ctx.Done():
		return false, stop
	}
}

// startHandoff has the outbox hand this process's new messages over as
// they commit, when it can; stop ends that (it may be called twice).
func (s *Sender) startHandoff() (stop func()) {
	if s.handoff == nil {
		return func() {}
	}
	lease := s.lease
	if s.renewing != nil {
		lease = s.renewing.lease
	}
	return s.handoff.SetHandoff(&langnghe.Handoff{
		Channel: langnghe.ChannelTelegram, Owner: s.owner, Lease: lease, Take: s.take, Queued: s.Notify,
	})
}

// work is a worker: it delivers m, tells the loop, then records the
// outcome. Recording waits for a commit; the worker is free meanwhile. The
// message stays its chat's head until then, so a claim cannot hand out the
// chat's next one.
func (s *Sender) work(ctx context.Context, m langnghe.Outgoing, done chan<- delivery) {
	if m.Message.Consent != "" && s.consents != nil {
		dropped, next, err := s.consents.DropWithdrawn(ctx, m)
		switch {
		case err != nil:
			// Unsure whether the resident still agrees: not now.
			done <- delivery{chat: m.ChatID, outcome: transient}
			s.settle(ctx, m, transient, fmt.Errorf("check consent %q: %w", m.Message.Consent, err), "")
			return
		case dropped:
			s.log.InfoContext(ctx, "message dropped: consent withdrawn", "outgoing_id", m.ID, "consent", m.Message.Consent)
			s.stats.withdrawn.Add(1)
			done <- delivery{chat: m.ChatID, outcome: delivered}
			s.letGo(ctx, m.ID)
			if next {
				s.Notify()
			}
			return
		}
	}
	sentAs, err := s.deliver(ctx, m)
	o := s.judge(m, err, ctx.Err() != nil)
	done <- delivery{chat: m.ChatID, lane: m.Lane, outcome: o}
	s.settle(ctx, m, o, err, sentAs)
}

// delivery is a worker's word to the loop about a chat's head it sent.
type delivery struct {
	chat    string
	lane    langnghe.Lane
	outcome outcome
}

// claimResult is the outcome of a claim that ran beside the delivery loop.
type claimResult struct {
	msgs []langnghe.Outgoing
	err  error
	room int // how many normal messages the claim asked for
	bulk int // and how many bulk ones
}

// claimGap is the least time between claims once the queue was found
// empty: under load every commit wakes the sender, and a claim per commit
// would cost the database more than the inputs themselves. It bounds the
// delay it adds to a reply.
const claimGap = 5 * time.Millisecond

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// pending is a claimed message and when its chat may be written to.
type pending struct {
	msg   langnghe.Outgoing
	ready time.Time
}

// readyQueue is a min-heap of claimed messages by ready time, then id.
type readyQueue []pending

func (q readyQueue) Len() int { return len(q) }
func (q readyQueue) Less(i, j int) bool {
	if !q[i].ready.Equal(q[j].ready) {
		return q[i].ready.Before(q[j].ready)
	}
	return q[i].msg.ID < q[j].msg.ID
}
func (q readyQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *readyQueue) Push(x any)   { *q = append(*q, x.(pending)) }
func (q *readyQueue) Pop() any {
	old := *q
	p := old[len(old)-1]
	*q = old[:len(old)-1]
	return p
}

// next is the earliest ready time; the queue must not be empty.
func (q readyQueue) next() time.Time { return q[0].ready }

// deliver sends one queued reply, part by part, and returns the outcome
// for settle, with the message id of the part a reply names when the
// reply regards an opinion (carrier). Flood control (429) holds every send
// back at once.
func (s *Sender) deliver(ctx context.Context, m langnghe.Outgoing) (sentAs string, err error) {
	chatID, err := strconv.ParseInt(m.ChatID, 10, 64)
	if err != nil {
		return "", fmt.Errorf("chat id %q: %w", m.ChatID, &APIError{Method: "sendMessage", Kind: KindPermanent, Description: err.Error()})
	}
	r := render(chatID, m.Message)
	if len(r.dropped) > 0 {
		s.log.WarnContext(ctx, "reply rendered without some parts", "outgoing_id", m.ID, "dropped", strings.Join(r.dropped, "; "))
	}
	if len(r.parts) == 0 {
		return "", &APIError{Method: "sendMessage", Kind: KindPermanent, Description: "empty message text"}
	}
	named := -1
	if m.Message.Regarding != nil {
		named = carrier(r.parts, m.Message.Regarding.Opinion)
	}
	group := chatID < 0 // Telegram's group and channel ids are negative
	for i, part := range r.parts {
		if err := s.pace(ctx, m.ChatID, m.Lane == langnghe.LaneBulk); err != nil {
			return "", err
		}
		sendCtx, cancel := context.WithTimeout(ctx, s.sendTimeout)
		sent, err := s.client.send(sendCtx, part, "sendMessage")
		cancel()
		s.pacer.sent(m.ChatID, group, time.Now())
		if kind, retryAfter := kindOf(err); kind == KindRetryAfter {
			until := time.Now().Add(retryAfter)
			s.bucket.pause(until)
			s.pacer.delay(m.ChatID, group, until)
		}
		if err != nil {
			return "", err
		}
		if i == named {
			sentAs = strconv.Itoa(sent.MessageID)
		}
	}
	return sentAs, nil
}

// carrier is the part a reply about the opinion code names: the first that
// carries the code, or else the last, which carries the buttons.
func carrier(parts []tgbotapi.MessageConfig, code string) int {
	for i, p := range parts {
		if strings.Contains(p.Text, code) {
			return i
		}
	}
	return len(parts) - 1
}

// pace waits for the chat's turn, then for a global token (bulk sends
// after normal ones).
func (s *Sender) pace(ctx context.Context, chatID string, bulk bool) error {
	if err := Sleep(ctx, s.pacer.wait(chatID, time.Now())); err != nil {
		return err
	}
	return s.bucket.wait(ctx, bulk)
}

// outcome is what a delivery attempt came to.
type outcome int

const (
	delivered   outcome = iota // Telegram took it: it leaves the queue
	interrupted                // the sender stopped: back to the queue at once
	floodWait                  // a 429: back to the queue after retry_after
	transient                  // a 5xx or a timeout: back after a backoff
	unreachable                // the person blocked the bot: a dead letter
	refused                    // a permanent error: a dead letter
	exhausted                  // out of attempts: a dead letter
)

// givenBack reports whether the message stays its chat's head for a later
// attempt (the others leave the queue, and the chat goes on).
func (o outcome) givenBack() bool { return o == interrupted || o == floodWait || o == transient }

// judge says what a delivery attempt of m that ended with sendErr came to.
func (s *Sender) judge(m langnghe.Outgoing, sendErr error, stopping bool) outcome {
	kind, _ := kindOf(sendErr)
	switch {
	case sendErr == nil:
		return delivered
	case stopping:
		return interrupted
	case kind == KindRetryAfter:
		return floodWait
	case kind == KindBlocked:
		return unreachable
	case kind == KindPermanent:
		return refused
	case m.Attempts+1 >= s.retry.Attempts:
		return exhausted
	default:
		return transient
	}
}

// settle records the outcome of a delivery and ends the sender's custody
// of m. While the database cannot take the outcome it tries again: a
// delivered message left unrecorded would be claimed and sent again once
// its lease ran out, after the chat's later messages. It runs even when
// ctx has just ended (then trying for at most stopRecording), so a message
// Telegram accepted is never left leased and sent twice needlessly, and an
// interrupted one is released at once. sentAs is the id a reply to a
// delivered message regarding an opinion names (deliver).
func (s *Sender) settle(ctx context.Context, m langnghe.Outgoing, o outcome, sendErr error, sentAs string) {
	defer s.letGo(ctx, m.ID)
	if o.givenBack() && ctx.Err() != nil {
		o = interrupted
	}
	now := time.Now()
	log := s.log.With("outgoing_id", m.ID, "chat_id", m.ChatID, "attempts", m.Attempts+1)
	var record func(ctx context.Context) error
	switch o {
	case delivered:
		s.stats.sent.Add(1)
		var targets []langnghe.ReplyTarget
		if r := m.Message.Regarding; r != nil && sentAs != "" {
			targets = append(targets, langnghe.ReplyTarget{Channel: m.Channel, ChatID: m.ChatID, MessageID: sentAs, Regarding: *r})
		}
		record = func(ctx context.Context) error {
			next, err := s.outbox.MarkSent(ctx, m.ID, now, targets...)
			if next {
				s.Notify() // the chat's next message is its head now, and nobody holds it
			}
			return err
		}
	case interrupted:
		// Not an attempt: the message was not refused, the sender stopped.
		record = func(ctx context.Context) error { return s.outbox.PostponeOutgoing(ctx, m.ID, now, "sender stopped") }
	case floodWait:
		_, retryAfter := kindOf(sendErr)
		until := now.Add(retryAfter) // deliver has paused the sends already
		log.WarnContext(ctx, "telegram flood control", "retry_after", retryAfter)
		// Flood control says when, not that the message is undeliverable:
		// it never brings a message closer to the dead letters.
		record = func(ctx context.Context) error { return s.outbox.PostponeOutgoing(ctx, m.ID, until, sendErr.Error()) }
		s.stats.rateLimited.Add(1)
		s.stats.retried.Add(1)
	case transient:
		wait := s.retry.backoff(m.Attempts + 1)
		log.WarnContext(ctx, "reply will be retried", "error", sendErr, "in", wait)
		record = func(ctx context.Context) error {
			return s.outbox.RetryOutgoing(ctx, m.ID, now.Add(wait), sendErr.Error())
		}
		s.stats.retried.Add(1)
	case unreachable:
		log.InfoContext(ctx, "chat unreachable", "error", sendErr)
		record = func(ctx context.Context) error {
			if err := s.outbox.MarkUnreachable(ctx, langnghe.ChannelTelegram, m.ChatID); err != nil {
				return err
			}
			return s.outbox.FailOutgoing(ctx, m.ID, sendErr.Error())
		}
		s.stats.failed.Add(1)
	case refused:
		log.ErrorContext(ctx, "reply refused by telegram", "error", sendErr)
		record = func(ctx context.Context) error { return s.outbox.FailOutgoing(ctx, m.ID, sendErr.Error()) }
		s.stats.failed.Add(1)
	case exhausted:
		log.ErrorContext(ctx, "reply given up after retries", "error", sendErr)
		record = func(ctx context.Context) error { return s.outbox.FailOutgoing(ctx, m.ID, sendErr.Error()) }
		s.stats.failed.Add(1)
	}
	s.record(ctx, log, record)
}

// stopRecording bounds how long a stopping sender keeps trying to record
// outcomes the database does not take.
const stopRecording = 10 * time.Second

// record runs one outcome's writes until they commit, the message is gone
// (an earlier try committed after all), or the sender has been stopping
// for stopRecording; then the lease runs out and a claim retries it.
func (s *Sender) record(ctx context.Context, log *slog.Logger, record func(context.Context) error) {
	var giveUpAt time.Time
	for tries := 1; ; tries++ {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err := record(rctx)
		cancel()
		switch {
		case err == nil:
			return
		case langnghe.ErrorCode(err) == langnghe.ENOTFOUND:
			log.WarnContext(ctx, "delivery outcome recorded already", "error", err, "tries", tries)
			return
		case ctx.Err() != nil && giveUpAt.IsZero():
			giveUpAt = time.Now().Add(stopRecording)
		case ctx.Err() != nil && time.Now().After(giveUpAt):
			log.ErrorContext(ctx, "record delivery outcome: giving up, the sender stops", "error", err, "tries", tries)
			return
		}
		wait := s.claimRetry.backoff(tries)
		if tries == 1 || tries%30 == 0 {
			log.ErrorContext(ctx, "record delivery outcome", "error", err, "tries", tries, "retry_in", wait)
		}
		time.Sleep(wait)
	}
}
