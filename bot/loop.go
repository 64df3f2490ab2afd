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
	// workers is how many sends may be in flight; hold how many messages
	// the sender keeps at once (Sender.hold).
	workers, hold int
	poll          time.Duration
	claimRetry    Retry

	// waiting are held messages, each the first of its chat, by when
	// their chat is free.
	waiting readyQueue
	// chats holds each chat with a message here (waiting, in flight or
	// being settled), and the messages held behind it, in id order.
	chats    map[string][]langnghe.Outgoing
	behind   int // messages held behind their chat's first
	inflight int
	claiming bool // a claim runs
	// claimFailures counts the claims failed in a row.
	claimFailures int
	drainedAt     time.Time // the end of the last claim that found fewer messages than it asked for
	drained       bool      // and nothing said since that there may be more
	retryAt       time.Time // no claim before this after a failed one
}

func newLoop(s *Sender) *loop {
	return &loop{custody: &s.custody, pacer: s.pacer, workers: s.limits.Workers, hold: s.hold, poll: s.poll,
		claimRetry: s.claimRetry, chats: map[string][]langnghe.Outgoing{}}
}

// admit takes a claimed or handed message into the loop at now: as its
// chat's first, waiting for the chat's turn, or behind the one held.
func (l *loop) admit(m langnghe.Outgoing, now time.Time) {
	if !l.custody.hold(m.ID) {
		return // held already: claimed again after its lease ran out
	}
	if queue, ok := l.chats[m.ChatID]; ok {
		i, _ := slices.BinarySearchFunc(queue, m.ID, func(q langnghe.Outgoing, id int64) int { return cmp.Compare(q.ID, id) })
		l.chats[m.ChatID] = slices.Insert(queue, i, m)
		l.behind++
		return
	}
	l.chats[m.ChatID] = nil
	heap.Push(&l.waiting, pending{msg: m, ready: now.Add(l.pacer.wait(m.ChatID, now))})
}

// startReady returns the messages to send now: those whose chat is free
// at now, as many as idle workers take. They are in flight until
// onDelivered.
func (l *loop) startReady(now time.Time) []langnghe.Outgoing {
	var start []langnghe.Outgoing
	for l.inflight < l.workers && l.waiting.Len() > 0 && !l.waiting.next().After(now) {
		start = append(start, heap.Pop(&l.waiting).(pending).msg)
		l.inflight++
	}
	return start
}

// claim says how many messages to claim now (0: none), and when the loop
// must look again at the latest: after the poll, when a waiting chat is
// free for an idle worker, or when a claim that is wanted may go.
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
func (l *loop) claim(now time.Time, stopping bool) (room int, wake time.Time) {
	wake = now.Add(l.poll)
	if l.waiting.Len() > 0 && l.inflight < l.workers {
		wake = earliest(wake, l.waiting.next())
	}
	room = l.hold - l.inflight - l.waiting.Len() - l.behind
	idle := l.inflight < l.workers && (l.waiting.Len() == 0 || l.waiting.next().After(now))
	want := !l.claiming && room > 0 && (idle || room >= l.hold/4) && !stopping
	if l.drained && !now.Before(l.drainedAt.Add(l.poll)) {
		l.drained = false
	}
	switch {
	case want && now.Before(l.retryAt):
		wake = earliest(wake, l.retryAt)
	case want && l.drained:
		wake = earliest(wake, l.drainedAt.Add(l.poll))
	case want && now.Before(l.drainedAt.Add(claimGap)):
		wake = earliest(wake, l.drainedAt.Add(claimGap))
	case want:
		l.claiming = true
		return room, wake
	}
	return 0, wake
}

// onDelivered takes a worker's word that its chat's head was sent (or
// not) at now: the chat's next held message waits for the chat's turn. It
// returns the messages held behind a head given back to the outbox (a
// retry, a 429), for the caller to release: they must not overtake it, and
// claims hand the chat out again in order.
func (l *loop) onDelivered(d delivery, now time.Time) (release []langnghe.Outgoing) {
	l.inflight--
	queue := l.chats[d.chat]
	switch {
	case len(queue) == 0:
		delete(l.chats, d.chat)
	case d.outcome.givenBack():
		delete(l.chats, d.chat)
		l.behind -= len(queue)
		return queue
	default:
		l.chats[d.chat] = queue[1:]
		l.behind--
		heap.Push(&l.waiting, pending{msg: queue[0], ready: now.Add(l.pacer.wait(d.chat, now))})
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
		if len(r.msgs) < r.room {
			l.drainedAt, l.drained = now, true
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
	l.drained = false
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
	for _, p := range l.waiting {
		interrupted = append(interrupted, p.msg)
	}
	return release, interrupted
}
