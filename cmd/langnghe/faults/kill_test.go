package faults

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"langnghe/bot/telegramtest"
	"langnghe/storage/storagetest"
)

// TestReplicaKilled runs two replicas in webhook mode on PostgreSQL
// behind a balancer while residents talk, and kills one with SIGKILL: the
// other takes over the replies the dead one held (its leases end with it)
// and no chat waits anywhere near the 15 s a timed lease would hold it. A
// new replica then starts and the survivor is stopped with SIGTERM, which
// finishes what is in flight and gives back what it held: again no chat
// waits that long, and in the end every update was applied once and every
// reply delivered. The bound leaves room for a busy 2-core machine (about
// 1.1 s on a quiet one, BENCHMARKS.md); the figures are measured there.
func TestReplicaKilled(t *testing.T) {
	const maxWait = 8 * time.Second
	bin := langngheBinary(t)
	dbURL := storagetest.PostgresURL(t)
	// Telegram takes 200 ms a call, as it may from Vietnam: a replica
	// always has replies in flight and waiting when it dies.
	fake := telegramtest.NewServer(telegramtest.WithLatency(200 * time.Millisecond))
	defer fake.Close()
	lb := &failover{}
	front := httptest.NewServer(lb)
	defer front.Close()

	replica := func(slot int) (*process, string) {
		addr := freeAddr(t)
		p := startProcess(t, bin, addr, map[string]string{
			"LANGNGHE_DATABASE_URL":          dbURL,
			"LANGNGHE_TELEGRAM_TOKEN":        fake.Token(),
			"LANGNGHE_TELEGRAM_API_ENDPOINT": fake.Endpoint(),
			"LANGNGHE_TELEGRAM_MODE":         "webhook",
			"LANGNGHE_WEBHOOK_URL":           front.URL + "/telegram/webhook",
			"LANGNGHE_WEBHOOK_SECRET":        hookSecret,
			"LANGNGHE_HTTP_ADDR":             addr,
			"LANGNGHE_SEND_RATE":             "1000",
			"LANGNGHE_FLOOD_LIMIT":           "600",
			"LANGNGHE_LOG_LEVEL":             "info",
		})
		lb.set(slot, addr)
		return p, addr
	}
	a, _ := replica(0)
	b, _ := replica(1)
	publishFlow(t, dbURL, echoFlow)

	ts := startTalking(fake, 40001, 80, time.Second, 60*time.Second)
	time.Sleep(10 * time.Second)

	a.kill(t)
	killedAt := time.Now()
	lb.set(0, "")
	time.Sleep(8 * time.Second)

	replica(0)
	time.Sleep(4 * time.Second)
	termAt := time.Now()
	b.stop(t) // SIGTERM; fails the test unless it exits cleanly within 20 s
	lb.set(1, "")
	t.Logf("the stopped replica took %s to exit", time.Since(termAt).Round(time.Millisecond))
	db := sqlDB(t, dbURL)
	stopped := fmt.Sprintf(`SELECT COUNT(*) FROM outbox WHERE lease_owner LIKE '%%/%d/%%' AND lease_until > now()`, b.cmd.Process.Pid)
	if n := count(t, db, stopped); n != 0 {
		t.Errorf("%d replies are still leased to the replica stopped with SIGTERM", n)
	}
	time.Sleep(8 * time.Second)

	texts, messages := ts.finish(t)
	afterKill := ts.waitsSince(killedAt)
	afterTerm := ts.waitsSince(termAt)
	t.Logf("80 residents, %d texts; waits since the SIGKILL: %s", texts, afterKill)
	t.Logf("waits since the SIGTERM: %s", afterTerm)
	for what, w := range map[string]waits{"killed": afterKill, "stopped": afterTerm} {
		if w.longest > maxWait {
			t.Errorf("after a replica was %s a chat waited %s (%s), want at most %s",
				what, w.longest.Round(time.Millisecond), w.who, maxWait)
		}
	}
	t.Run("settled", func(t *testing.T) { settled(t, fake, dbURL, texts, messages) })
}

// hookSecret is the replicas' webhook secret.
const hookSecret = "faults-secret"
