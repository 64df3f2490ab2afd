package bot

import (
	"slices"
	"testing"
	"time"

	"langnghe"
)

// testLaneLoop is testLoop with 5 workers, 2 of them for bulk sends, and
// at most 4 bulk messages held.
func testLaneLoop() *loop {
	l := testLoop(nil)
	l.workers, l.bulkWorkers, l.bulkHold = 5, 2, 4
	return l
}

func bulk(id int64, chat string) langnghe.Outgoing {
	return langnghe.Outgoing{ID: id, ChatID: chat, Lane: langnghe.LaneBulk}
}

// TestLoopReplyOvertakesBulk: with a bulk backlog held, a reply starts
// first; bulk sends take at most their workers, so a reply always finds
// one; a reply to a chat whose bulk message waits takes its place, and one
// to a chat whose bulk message is in flight waits only for that send.
func TestLoopReplyOvertakesBulk(t *testing.T) {
	l := testLaneLoop()
	l.onClaimed(claimResult{msgs: []langnghe.Outgoing{bulk(1, "a"), bulk(2, "b"), bulk(3, "c"), bulk(4, "d")}, bulk: 4}, t0, false)
	if got := ids(l.startReady(t0)); !slices.Equal(got, []int64{1, 2}) {
		t.Fatalf("bulk sends started %v, want [1 2]: two bulk workers", got)
	}
	if got := ids(l.startReady(t0)); len(got) != 0 {
		t.Fatalf("started %v with the bulk workers busy, want none", got)
	}
	// Replies to a new chat, to c (its bulk message waits) and to a (its
	// bulk message is in flight).
	l.onHanded([]langnghe.Outgoing{msg(10, "e"), msg(11, "c"), msg(12, "a")}, t0)
	if got := ids(l.startReady(t0)); !slices.Equal(got, []int64{10, 11}) {
		t.Errorf("started %v, want the replies to e and c [10 11] before any bulk message", got)
	}
	if got := ids(l.chats["c"]); !slices.Equal(got, []int64{3}) {
		t.Errorf("behind c's reply %v, want its bulk message [3]", got)
	}
	if got := ids(l.chats["a"]); !slices.Equal(got, []int64{12}) {
		t.Errorf("behind a's bulk send %v, want the reply [12]", got)
	}
	// a's bulk send ends: its reply goes when the chat is free, before
	// the bulk message of d, which waited longer.
	l.onDelivered(delivery{chat: "a", lane: langnghe.LaneBulk, outcome: delivered}, t0)
	if got := ids(l.startReady(t0)); !slices.Equal(got, []int64{12, 4}) {
		t.Errorf("after a's bulk send: started %v, want a's reply, then d's bulk message [12 4]", got)
	}
	if l.bulkHeld != 3 || l.inflightBulk != 2 {
		t.Errorf("bulk held %d, in flight %d; want 3, 2", l.bulkHeld, l.inflightBulk)
	}
}

// TestLoopClaimsBulkByItsBound: the bulk lane is claimed when half its
// bound is free, whatever the normal lane holds, and a claim that found
// fewer bulk messages than asked waits for the poll or a wake-up.
func TestLoopClaimsBulkByItsBound(t *testing.T) {
	l := testLaneLoop()
	l.drained, l.drainedAt = true, t0.Add(-10*time.Millisecond) // the normal lane is empty
	ask, _ := l.claim(t0, false)
	if ask.bulk != 4 || !l.claiming {
		t.Fatalf("claim %+v (claiming %v), want 4 bulk messages", ask, l.claiming)
	}
	l.onClaimed(claimResult{msgs: []langnghe.Outgoing{bulk(1, "a"), bulk(2, "b"), bulk(3, "c"), bulk(4, "d")}, room: ask.normal, bulk: ask.bulk}, t0, false)
	if ask, _ := l.claim(t0, false); ask != (claimAsk{}) {
		t.Errorf("with the bulk bound full: claim %+v, want none", ask)
	}
	l.startReady(t0)
	l.onDelivered(delivery{chat: "a", lane: langnghe.LaneBulk, outcome: delivered}, t0)
	if ask, _ := l.claim(t0, false); ask != (claimAsk{}) {
		t.Errorf("one bulk message gone: claim %+v, want none before half the bound is free", ask)
	}
	l.onDelivered(delivery{chat: "b", lane: langnghe.LaneBulk, outcome: delivered}, t0)
	at := t0.Add(claimGap)
	ask, _ = l.claim(at, false)
	if ask.bulk != 2 {
		t.Fatalf("half the bound free: claim %+v, want 2 bulk messages", ask)
	}
	l.onClaimed(claimResult{msgs: []langnghe.Outgoing{bulk(5, "e")}, room: ask.normal, bulk: ask.bulk}, at, false)
	l.startReady(at)
	l.onDelivered(delivery{chat: "c", lane: langnghe.LaneBulk, outcome: delivered}, at)
	l.onDelivered(delivery{chat: "d", lane: langnghe.LaneBulk, outcome: delivered}, at)
	l.startReady(at) // e
	if ask, wake := l.claim(at.Add(claimGap), false); ask != (claimAsk{}) || wake != at.Add(l.poll) {
		t.Errorf("the bulk lane drained: claim %+v, wake +%s; want none until the poll", ask, wake.Sub(at))
	}
	l.onWoken()
	if ask, _ := l.claim(at.Add(claimGap), false); ask.bulk != 3 {
		t.Errorf("woken: claim %+v, want 3 bulk messages", ask)
	}
}
