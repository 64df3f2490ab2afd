package faults

import (
	"fmt"
	"testing"
	"time"

	"langnghe/bot/telegramtest"
)

// TestDatabaseOutage stops PostgreSQL (a cluster of the test's own)
// for a minute while residents talk to two services on it, one polling
// and one receiving by webhook, then starts it again. Once the database is
// back no chat waits more than 10 s for its next reply (the bound is
// generous for a busy machine: 1.5–2 s on a quiet one, against 31–41 s
// before claims followed the database), and nothing
// is lost or applied twice. LANGNGHE_OPS_OUTAGE_SECONDS changes the
// outage's length.
func TestDatabaseOutage(t *testing.T) {
	cluster := newPGCluster(t)
	bin := langngheBinary(t)
	outage := opsDuration(t, "LANGNGHE_OPS_OUTAGE_SECONDS", 60*time.Second)
	const maxWait = 10 * time.Second

	type side struct {
		mode      string
		residents int
		firstID   int64
		fake      *telegramtest.Server
		dbURL     string
		talkers   *talkers
	}
	sides := []*side{
		{mode: "polling", residents: 80, firstID: 30001},
		{mode: "webhook", residents: 40, firstID: 31001},
	}
	for _, s := range sides {
		// Telegram takes 200 ms a call: replies are in flight and held
		// when the database goes, and their outcomes wait for it.
		s.fake = telegramtest.NewServer(telegramtest.WithLatency(200 * time.Millisecond))
		defer s.fake.Close()
		// Each service keeps 14 connections, so both fit the cluster.
		s.dbURL = cluster.createDB("langnghe_"+s.mode) + "&pool_max_conns=14"
		addr := freeAddr(t)
		env := map[string]string{
			"LANGNGHE_DATABASE_URL":          s.dbURL,
			"LANGNGHE_TELEGRAM_TOKEN":        s.fake.Token(),
			"LANGNGHE_TELEGRAM_API_ENDPOINT": s.fake.Endpoint(),
			"LANGNGHE_TELEGRAM_MODE":         s.mode,
			"LANGNGHE_HTTP_ADDR":             addr,
			"LANGNGHE_SEND_RATE":             "1000",
			"LANGNGHE_FLOOD_LIMIT":           "600",
			"LANGNGHE_LOG_LEVEL":             "info",
		}
		if s.mode == "webhook" {
			env["LANGNGHE_WEBHOOK_URL"] = "http://" + addr + "/telegram/webhook"
			env["LANGNGHE_WEBHOOK_SECRET"] = "ops-secret"
		}
		startProcess(t, bin, addr, env)
		publishFlow(t, s.dbURL, echoFlow)
	}
	for _, s := range sides {
		s.talkers = startTalking(s.fake, s.firstID, s.residents, time.Second, outage+60*time.Second)
	}

	time.Sleep(10 * time.Second)
	cluster.stop("fast")
	downAt := time.Now()
	time.Sleep(outage)
	cluster.start()
	backAt := time.Now()
	t.Logf("PostgreSQL was down %s", backAt.Sub(downAt).Round(time.Millisecond))
	time.Sleep(20 * time.Second)

	for _, s := range sides {
		texts, messages := s.talkers.finish(t)
		w := s.talkers.waitsSince(backAt)
		recovery := time.Duration(0)
		if !w.first.IsZero() {
			recovery = w.first.Sub(backAt)
		}
		t.Logf("%s, %d residents, %d texts: first reply %s after PostgreSQL was back; waits since: %s",
			s.mode, s.residents, texts, recovery.Round(time.Millisecond), w)
		if w.longest > maxWait {
			t.Errorf("%s: a chat waited %s after PostgreSQL was back (%s), want at most %s",
				s.mode, w.longest.Round(time.Millisecond), w.who, maxWait)
		}
		t.Run(fmt.Sprintf("%s settled", s.mode), func(t *testing.T) { settled(t, s.fake, s.dbURL, texts, messages) })
	}
}
