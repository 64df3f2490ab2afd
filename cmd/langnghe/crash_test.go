package main

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"langnghe/bot/telegramtest"
)

// crashResidents is how many residents walk through the whole flow while
// the service is killed. Each reply waits a second for its chat's turn, so
// a resident needs about 15 s however many there are; more residents only
// add load, which is the point.
const crashResidents = 60

// crashFirstID is the first resident's Telegram user id.
const crashFirstID = 5001

// crashPatience is how long a resident waits for a reply. The replies the
// killed process had claimed stay leased to it for up to a lease (15s)
// before the new process takes them over.
const crashPatience = 40 * time.Second

// TestCrashMidLoad is invariants 1, 2 and 4 under a crash: the real binary
// serves many residents at once, is killed with SIGKILL at a random point,
// and is started again on the same database. The fake Bot API still holds
// every update the dead process had not confirmed and hands them to the new
// one. In the end every update is applied exactly once, every opinion code
// a resident saw exists once, and every committed reply was delivered.
func TestCrashMidLoad(t *testing.T) {
	t.Parallel()
	bin := langngheBinary(t)
	// Modes outside, databases inside: each run needs a database of its own.
	modes(t, func(t *testing.T, env map[string]string) {
		eachDatabase(t, func(t *testing.T, dbURL string) {
			crashMidLoad(t, bin, dbURL, env)
		})
	})
}

func crashMidLoad(t *testing.T, bin, dbURL string, mode map[string]string) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	addr := freeAddr(t)
	env := processEnv(fake, dbURL, addr)
	for k, v := range mode {
		env[k] = strings.ReplaceAll(v, "{addr}", addr)
	}
	proc := startProcess(t, bin, addr, env)
	db := sqlDB(t, dbURL)

	// SIGKILL once a random number of replies went out: between 2 and 8 a
	// resident on average, while the flow sends each about 14.
	residents := startCrowd(t, fake, crashFirstID, crashResidents, crashPatience, sendOpinionVI)
	killAt := crashResidents * (2 + rand.IntN(7))
	if !waitFor(60*time.Second, func() bool { return fake.Calls("sendMessage") >= killAt }) {
		t.Fatalf("the crowd got only %d replies before the planned kill at %d", fake.Calls("sendMessage"), killAt)
	}
	proc.kill(t)
	killedAt := fake.Calls("sendMessage")

	// Invariant 1, at the moment of the crash: whatever Telegram was told
	// is done, is committed.
	acked := fake.Confirmed()
	applied, _ := processedUpdates(t, db)
	for id := 1; id <= acked; id++ {
		if !applied[id] {
			t.Errorf("update %d was acknowledged before the crash but is not recorded as applied", id)
		}
	}

	startProcess(t, bin, addr, env)
	codes := residents.wait()
	if t.Failed() {
		t.FailNow()
	}

	// Everything settles: every update confirmed, every reply delivered.
	if !waitFor(30*time.Second, func() bool {
		return fake.Pending() == 0 && count(t, db, `SELECT COUNT(*) FROM outbox`) == 0
	}) {
		t.Fatalf("not settled after 30s: %d updates unconfirmed, %d replies queued",
			fake.Pending(), count(t, db, `SELECT COUNT(*) FROM outbox`))
	}
	if n := count(t, db, `SELECT COUNT(*) FROM outbox_dead`); n != 0 {
		t.Errorf("%d replies were given up (outbox_dead)", n)
	}

	// (a) Every update the fake saw acknowledged was applied, once.
	acked = fake.Confirmed()
	applied, twice := processedUpdates(t, db)
	if len(twice) > 0 {
		t.Errorf("updates recorded twice: %v", twice)
	}
	for id := 1; id <= acked; id++ {
		if !applied[id] {
			t.Errorf("update %d was acknowledged but not applied", id)
		}
	}
	if len(applied) != acked {
		t.Errorf("%d updates recorded as applied, %d were sent", len(applied), acked)
	}

	// (b) and (c) No update applied twice: one opinion per resident, and
	// each code a resident saw is theirs alone and stored once.
	stored := opinionsByResident(t, db)
	owner := make(map[string]int64)
	for id, code := range codes {
		if got := stored[id]; len(got) != 1 || got[0] != code {
			t.Errorf("resident %d was shown %s; stored opinions: %v", id, code, got)
		}
		if other, ok := owner[code]; ok {
			t.Errorf("residents %d and %d were both shown %s", other, id, code)
		}
		owner[code] = id
	}
	if len(stored) != len(codes) {
		t.Errorf("%d residents have opinions, %d residents sent one", len(stored), len(codes))
	}

	// Every resident read the same conversation. The crash hit residents at
	// different steps, so an update applied twice would show in some
	// transcripts and not in others. A reply delivered twice in a row (sent,
	// then killed before MarkSent) is at-least-once delivery and allowed.
	want, _ := transcript(fake.Sent(crashFirstID))
	if killedAt >= crashResidents*len(want) {
		t.Errorf("the kill came after the load: %d of %d replies", killedAt, crashResidents*len(want))
	}
	redelivered := 0
	for id := range codes {
		got, dup := transcript(fake.Sent(id))
		redelivered += dup
		if d := diffTranscripts(want, got); d != "" {
			t.Errorf("resident %d: %s", id, d)
		}
	}
	// Replies queued: a second application would queue more, while a reply
	// sent twice is still one row, counted once.
	if n, w := count(t, db, `SELECT COALESCE(SUM(sent), 0) FROM outbox_totals`), crashResidents*len(want); n != w {
		t.Errorf("%d replies queued and delivered, want %d", n, w)
	}
	t.Logf("killed after %d of %d replies; %d residents, %d updates, %d replies in all, %d delivered twice across the crash",
		killedAt, crashResidents*len(want), len(codes), acked, fake.Calls("sendMessage"), redelivered)
}
