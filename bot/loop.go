package bot

import (
	"cmp"
	"container/heap"
	"slices"
	"time"

	"langnghe"
)

// loop is the state of the sender's delivery loop (Sender.Run): the
// messages the sender holds, where each stands, and when to claim more.
// Its methods decide and keep count; they start nothing and wait for
// nothing. Run does what they ask (sends, a claim, releases) and brings
// back the outcomes, so each decision is tested without goroutines.
type loop struct {
	custody *custody
	pacer   *chatPacer
	// workers is how many sends may be in flight; hold how many normal
	// messages the sender keeps at once (Sender.hold).
	workers, hold int
	// bulkWorkers is how many of the workers bulk sends may take, and
	// bulkHold how many bulk messages the sender keeps at once: the rest
	// is for normal ones (langnghe.Lane).
	bulkWorkers, bulkHold int
	poll                  time.Duration
	claimRetry            Retry

	// waiting are held normal messages, each the first of its chat, by
	// when their chat is free; bulkWaiting the same for bulk messages.
	// A ready normal message starts before any bulk one.
	waiting, bulkWaiting readyQueue
	// chats holds each chat with a message here (waiting, in flight or
	// being settled), and the messages held behind it, normal ones first,
	// each lane in id order.
	chats        map[string][]langnghe.Outgoing
	behind       int // messages held behind their chat's first
	inflight     int
	inflightBulk int  // of inflight, bulk messages
	bulkHeld     int  // bulk messages held: waiting, in flight, behind
	claiming     bool // a claim runs
	// claimFailures counts the claims failed in a row.
	claimFailures int
	drainedAt     time.Time // the end of the last claim that found fewer normal messages than it asked for
	drained       bool      // and nothing said since that there may be more
	// bulkDrainedAt and bulkDrained are the same for the bulk lane.
	bulkDrainedAt time.Time
	bulkDrained   bool
	retryAt       time.Time // no claim before this after a failed one
}

func newLoop(s *Sender) *loop {
	return &loop{custody: &s.custody, pacer: s.pacer, workers: s.limits.Workers, hold: s.hold, poll: s.poll,
		bulkWorkers: bulkWorkers(s.limits.Workers), bulkHold: s.hold / 2,
		claimRetry: s.claimRetry, chats: map[string][]langnghe.Outgoing{}}
}

// bulkWorkers is how many of workers bulk sends may take: half, so that
// however long a bulk send waits for its turn in the global rate, a reply
// finds an idle worker.
func bulkWorkers(workers int) int { return max(1, workers/2) }

// queueOrder orders a chat's held messages: normal before bulk, then by id.
func queueOrder(a, b langnghe.Outgoing) int {
	if a.Lane != b.Lane {
		return cmp.Compare(a.Lane, b.Lane)
	}
	return cmp.Compare(a.ID, b.ID)
}

// lane is the queue of waiting messages of m's lane.
func (l *loop) lane(m langnghe.Outgoing) *readyQueue {
	if m.Lane == langnghe.LaneBulk {
		return &l.bulkWaiting
	}
	return &l.waiting
}

// wait puts m, its chat's first, in its lane's queue at now.
func (l *loop) wait(m langnghe.Outgoing, now time.Time) {
	heap.Push(l.lane(m), pending{msg: m, ready: now.Add(l.pacer.wait(m.ChatID, now))})
}

// admit takes a claimed or handed message into the loop at now: as its
// chat's first, waiting for the chat's turn, or behind the one held. A
// normal message takes the place of its chat's bulk message that waits
// (not in flight), which goes behind it: a reply never waits behind a bulk
// message for longer than one send.
func (l *loop) admit(m langnghe.Outgoing, now time.Time) {
	if !l.custody.hold(m.ID) {
		return // held already: claimed again after its lease ran out
	}
	if m.Lane == langnghe.LaneBulk {
		l.bulkHeld++
	}
	queue, ok := l.chats[m.ChatID]
	if !ok {
		l.chats[m.ChatID] = nil
		l.wait(m, now)
		return
	}
	if m.Lane == langnghe.LaneNormal {
		if i := slices.IndexFunc(l.bulkWaiting, func(p pending) bool { return p.msg.ChatID == m.ChatID }); i >= 0 {
			first := heap.Remove(&l.bulkWaiting, i).(pending).msg
			l.chats[m.ChatID] = slices.Insert(queue, 0, first) // bulk goes behind the chat's normal messages
			l.behind++
			l.wait(m, now)
			return
		}
	}
	i, _ := slices.BinarySearchFunc(queue, m, queueOrder)
	l.chats[m.ChatID] = slices.Insert(queue, i, m)
	l.behind++
}

// startReady returns the messages to send now: those whose chat is free
// at now, as many as idle workers take, normal ones first; bulk ones take
// at most bulkWorkers. They are in flight until onDelivered.
func (l *loop) startReady(now time.Time) []langnghe.Outgoing {
	var start []langnghe.Outgoing
	for l.inflight < l.workers && l.waiting.Len() > 0 && !l.waiting.next().After(now) {
		start = append(start, heap.Pop(&l.waiting).(pending).msg)
		l.inflight++
	}
	for l.inflight < l.workers && l.inflightBulk < l.bulkWorkers && l.bulkWaiting.Len() > 0 && !l.bulkWaiting.next().After(now) {
		start = append(start, heap.Pop(&l.bulkWaiting).(pending).msg)
		l.inflight++
		l.inflightBulk++
	}
	return start
}

// claimAsk is how many messages of each lane a claim asks for.
type claimAsk struct {
	normal, bulk int
}

// claim says how many messages of each lane to claim now (none: zero),
// and when the loop must look again at the latest: after the poll, when a
// waiting chat is free for an idle worker, or when a claim that is wanted
// may go.
//
// Claiming costs a scan of the queue, so it is done in batches: when a
// quarter of the hold is free, or when no held message is ready and a
// worker is idle. After a claim that emptied the queue the next waits
// until there may be something new (onWoken: a commit that queued messages
// it could not hand over, or a delivery with an unleased message behind
// it), or the poll (other replicas, retries that came due); and then not
// within claimGap of its end however often we are woken. A failed claim is
// tried again within claimRetry's Max, or at once when a commit or a
// handoff shows the database is back. A stopping sender claims nothing.
//
// The bulk lane is claimed the same way, by its own bound (bulkHold) and
// in batches of half of it: a bulk backlog is claimed about once per
// bulkHold/2 sends, not after each. A claim for one lane asks for the
// other's room too: the same statement finds both.
func (l *loop) claim(now time.Time, stopping bool) (ask claimAsk, wake time.Time) {
	wake = now.Add(l.poll)
	if l.inflight < l.workers {
		if l.waiting.Len() > 0 {
			wake = earliest(wake, l.waiting.next())
		}
		if l.bulkWaiting.Len() > 0 && l.inflightBulk < l.bulkWorkers {
			wake = earliest(wake, l.bulkWaiting.next())
		}
	}
	held := l.inflight + l.waiting.Len() + l.bulkWaiting.Len() + l.behind
	room := l.hold - (held - l.bulkHeld)
	bulkRoom := max(0, l.bulkHold-l.bulkHeld)
	idle := l.inflight < l.workers && (l.waiting.Len() == 0 || l.waiting.next().After(now))
	if l.drained && !now.Before(l.drainedAt.Add(l.poll)) {
		l.drained = false
	}
	if l.bulkDrained && !now.Before(l.bulkDrainedAt.Add(l.poll)) {
		l.bulkDrained = false
	}
	wantNormal := room > 0 && (idle || room >= l.hold/4)
	wantBulk := bulkRoom > 0 && bulkRoom >= l.bulkHold/2
	want := !l.claiming && !stopping && (wantNormal || wantBulk)
	gapFrom := l.drainedAt
	if l.bulkDrainedAt.After(gapFrom) {
		gapFrom = l.bulkDrainedAt
	}
	switch {
	case want && now.Before(l.retryAt):
		wake = earliest(wake, l.retryAt)
	case want && (!wantNormal || l.drained) && (!wantBulk || l.bulkDrained):
		if wantNormal {
			wake = earliest(wake, l.drainedAt.Add(l.poll))
		}
		if wantBulk {
			wake = earliest(wake, l.bulkDrainedAt.Add(l.poll))
		}
	case want && now.Before(gapFrom.Add(claimGap)):
		wake = earliest(wake, gapFrom.Add(claimGap))
	case want:
		l.claiming = true
		return claimAsk{normal: max(0, room), bulk: bulkRoom}, wake
	}
	return claimAsk{}, wake
}

// onDelivered takes a worker's word that its chat's head was sent (or
// not) at now: the chat's next held message waits for the chat's turn. It
// returns the messages held behind a head given back to the outbox (a
// retry, a 429), for the caller to release: they must not overtake it, and
// claims hand the chat out again in order.
func (l *loop) onDelivered(d delivery, now time.Time) (release []langnghe.Outgoing) {
	l.inflight--
	if d.lane == langnghe.LaneBulk {
		l.inflightBulk--
		l.bulkHeld--
	}
	queue := l.chats[d.chat]
	switch {
	case len(queue) == 0:
		delete(l.chats, d.chat)
	case d.outcome.givenBack():
		delete(l.chats, d.chat)
		l.behind -= len(queue)
		for _, m := range queue {
			if m.Lane == langnghe.LaneBulk {
				l.bulkHeld--
			}
		}
		return queue
	default:
		l.chats[d.chat] = queue[1:]
		l.behind--
		l.wait(queue[0], now)
	}
	return nil
}

// onHanded admits the messages the outbox handed over at now; the commit
// that queued them shows the database is back.
func (l *loop) onHanded(msgs []langnghe.Outgoing, now time.Time) {
	for _, m := range msgs {
		l.admit(m, now)
	}
	l.retryAt = time.Time{}
}

// onClaimed admits what a claim that ended at now found. After a failure
// it returns how many claims failed in a row, for the log, and sets when
// to try again; a claim that failed because the sender stops counts for
// nothing.
func (l *loop) onClaimed(r claimResult, now time.Time, stopping bool) (failures int) {
	l.claiming = false
	switch {
	case r.err != nil && !stopping:
		l.claimFailures++
		l.retryAt = now.Add(l.claimRetry.backoff(l.claimFailures))
		return l.claimFailures
	case r.err != nil:
		// Stopping: the next pass through the loop returns.
	default:
		l.claimFailures = 0
		bulk := 0
		for _, m := range r.msgs {
			if m.Lane == langnghe.LaneBulk {
				bulk++
			}
		}
		if len(r.msgs)-bulk < r.room {
			l.drainedAt, l.drained = now, true
		}
		if r.bulk > 0 && bulk < r.bulk {
			l.bulkDrainedAt, l.bulkDrained = now, true
		}
		for _, m := range r.msgs {
			l.admit(m, now)
		}
	}
	return 0
}

// onWoken takes word (Notify) that there may be messages no claim has
// found yet, and that the database is back.
func (l *loop) onWoken() {
	l.drained, l.bulkDrained = false, false
	l.retryAt = time.Time{}
}

// shutDown ends the loop: it returns what to release to the outbox
// without an attempt (what the claim still running found, unless held
// already; what was handed over since; the messages held behind their
// chat's first) and the messages waiting for their chat's turn, to settle
// as interrupted. The messages in flight are still l.inflight: their
// workers settle them.
func (l *loop) shutDown(claimed, handed []langnghe.Outgoing) (release, interrupted []langnghe.Outgoing) {
	for _, m := range claimed {
		if l.custody.hold(m.ID) {
			release = append(release, m)
		}
	}
	release = append(release, handed...)
	for _, queue := range l.chats {
		release = append(release, queue...)
	}
	for _, p := range slices.Concat(l.waiting, l.bulkWaiting) {
		interrupted = append(interrupted, p.msg)
	}
	return release, interrupted
}
