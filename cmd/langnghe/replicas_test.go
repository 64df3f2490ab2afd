package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"langnghe/bot/telegramtest"
	"langnghe/flowlib"
	"langnghe/flows/catalogue"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// echoFlow replaces the welcome flow so that every reply names the input
// it answers and the one applied before it, which the flow only knows from
// the stored session: each text N after P gets "nghe N sau P" then
// "xong N" (one message: a turn's texts are joined). Replies of two
// updates applied at once to one chat would come out of order or name a
// stale P; an update applied twice would be answered twice. Answers alternate between two
// keys so that the previous one is still at hand.
const echoFlow = `id: welcome
name: {vi: Tiếng vọng}
base_language: vi
languages: [vi]
start: ask_a
nodes:
  - id: ask_a
    ask:
      kind: text
      key: a
      message: {vi: "{{if .answers.b}}xong {{.answers.b}}{{else}}mời nói{{end}}"}
      retry: {vi: "nói lại"}
    next: echo_a
  - id: echo_a
    say:
      - vi: "nghe {{.answers.a}}{{if .answers.b}} sau {{.answers.b}}{{end}}"
    next: ask_b
  - id: ask_b
    ask:
      kind: text
      key: b
      message: {vi: "xong {{.answers.a}}"}
      retry: {vi: "nói lại"}
    next: echo_b
  - id: echo_b
    say:
      - vi: "nghe {{.answers.b}} sau {{.answers.a}}"
    next: ask_a
`

const replicaSecret = "replica-secret"

// TestTwoReplicasKeepChatsInOrder is invariants 2 and 3 across replicas:
// two services in webhook mode share one PostgreSQL database behind a
// round-robin proxy. Residents write through the fake (one chat's updates
// one at a time, alternating replicas); and, bypassing the fake, the same
// update is posted to both replicas at once (a retry racing the original),
// and consecutive updates of one chat reach both replicas concurrently.
// Every update is applied once and each chat's replies stay whole and in
// the order the updates were applied.
func TestTwoReplicasKeepChatsInOrder(t *testing.T) {
	t.Parallel()
	dbURL := storagetest.PostgresURL(t)
	fake := telegramtest.NewServer()
	defer fake.Close()

	lb := &roundRobin{}
	proxy := httptest.NewServer(lb)
	defer proxy.Close()
	env := map[string]string{
		"LANGNGHE_TELEGRAM_MODE":  "webhook",
		"LANGNGHE_WEBHOOK_URL":    proxy.URL + "/telegram/webhook",
		"LANGNGHE_WEBHOOK_SECRET": replicaSecret,
		"LANGNGHE_FLOOD_LIMIT":    "600",
		"LANGNGHE_LOG_LEVEL":      "info",
	}
	a := startService(t, fake, dbURL, env)
	b := startService(t, fake, dbURL, env)
	lb.add(t, a.addr)
	lb.add(t, b.addr)

	ctx := context.Background()
	publishFlow(t, dbURL, echoFlow)

	const (
		chats  = 20 // residents per way of arriving
		inputs = 6  // numbered texts each
	)
	// want is what a chat reads after its texts were applied in order:
	// the first starts the flow, each later one is echoed.
	want := func(order []int) []string {
		out := []string{"mời nói"}
		for i := 1; i < len(order); i++ {
			echo := fmt.Sprintf("nghe %d", order[i])
			if i > 1 {
				echo += fmt.Sprintf(" sau %d", order[i-1])
			}
			// One turn's echo and next question leave as one message.
			out = append(out, echo+"\n\n"+fmt.Sprintf("xong %d", order[i]))
		}
		return out
	}
	var wg sync.WaitGroup

	// 1. Through the fake: it delivers a chat's updates one at a time, the
	// proxy alternates replicas, so consecutive updates of a chat are
	// applied by different replicas.
	for c := range chats {
		user := telegramtest.User{ID: 8000 + int64(c), FirstName: "Lan", LanguageCode: "vi"}
		for n := 1; n <= inputs; n++ {
			fake.SendText(user, strconv.Itoa(n))
		}
	}

	// 2. A retry racing the original: every update to both replicas at once.
	// 3. One chat's consecutive updates at both replicas at once: 1 and 2
	// together, then 3 and 4, ...; either order is right, but each update
	// must be applied once and its two replies must stay together.
	nextID := atomic.Int64{}
	nextID.Store(900_000)
	post := func(t *testing.T, addr string, body []byte) {
		if err := deliver(addr, body); err != nil {
			t.Error(err)
		}
	}
	for c := range chats {
		dup := int64(8100 + c)
		wg.Go(func() {
			for n := 1; n <= inputs; n++ {
				body := textUpdate(int(nextID.Add(1)), dup, strconv.Itoa(n))
				var both sync.WaitGroup
				both.Go(func() { post(t, a.addr, body) })
				both.Go(func() { post(t, b.addr, body) })
				both.Wait()
			}
		})
		split := int64(8200 + c)
		wg.Go(func() {
			for n := 1; n <= inputs; n += 2 {
				first, second := textUpdate(int(nextID.Add(1)), split, strconv.Itoa(n)), textUpdate(int(nextID.Add(1)), split, strconv.Itoa(n+1))
				var both sync.WaitGroup
				both.Go(func() { post(t, a.addr, first) })
				both.Go(func() { post(t, b.addr, second) })
				both.Wait()
			}
		})
	}
	wg.Wait()

	// Every chat reads 1 + 2×(inputs-1) messages; wait for them all.
	perChat := len(want(make([]int, inputs)))
	deadline, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	redelivered := 0
	read := func(chat int64) []string {
		msgs, err := fake.WaitSent(deadline, chat, perChat)
		if err != nil {
			t.Errorf("chat %d: %v", chat, err)
		}
		texts, dup := transcript(msgs)
		redelivered += dup
		return texts
	}
	inOrder := make([]int, inputs)
	for i := range inOrder {
		inOrder[i] = i + 1
	}
	for c := range chats {
		for _, chat := range []int64{8000 + int64(c), 8100 + int64(c)} {
			if got, w := read(chat), want(inOrder); strings.Join(got, "|") != strings.Join(w, "|") {
				t.Errorf("chat %d read %q, want %q", chat, got, w)
			}
		}
		chat := 8200 + int64(c)
		got := read(chat)
		order, err := appliedOrder(got)
		if err != nil {
			t.Errorf("chat %d read %q: %v", chat, got, err)
			continue
		}
		if w := want(order); strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("chat %d read %q, want %q", chat, got, w)
		}
	}

	if !waitFor(10*time.Second, func() bool { return fake.Pending() == 0 }) {
		t.Fatalf("%d updates never acknowledged", fake.Pending())
	}
	sql := sqlDB(t, dbURL)
	if !waitFor(10*time.Second, func() bool { return count(t, sql, `SELECT COUNT(*) FROM outbox`) == 0 }) {
		t.Errorf("%d replies still queued", count(t, sql, `SELECT COUNT(*) FROM outbox`))
	}
	if n := count(t, sql, `SELECT COUNT(*) FROM outbox_dead`); n != 0 {
		t.Errorf("%d replies were given up (outbox_dead)", n)
	}
	applied, _ := processedUpdates(t, sql)
	if n, w := len(applied), 3*chats*inputs; n != w {
		t.Errorf("%d updates applied, want %d", n, w)
	}
	// Replies queued: a second application would queue more, while a reply
	// sent twice is still one row, counted once.
	if n, w := count(t, sql, `SELECT COALESCE(SUM(sent), 0) FROM outbox_totals`), 3*chats*perChat; n != w {
		t.Errorf("%d replies queued and delivered, want %d", n, w)
	}
	// A reply sent again because its MarkSent failed (the database refused
	// a connection, say) is at-least-once delivery; without such errors
	// there are none.
	t.Logf("replica a handled %d deliveries from the fake, replica b %d; %d replies delivered twice",
		lb.served[0].Load(), lb.served[1].Load(), redelivered)
}

// appliedOrder reads, from a transcript like want's, the order in which a
// chat's texts were applied: each echoed text appears once.
func appliedOrder(texts []string) ([]int, error) {
	if len(texts) == 0 || texts[0] != "mời nói" {
		return nil, fmt.Errorf("does not start the flow")
	}
	seen := map[int]bool{}
	var order []int
	for _, text := range texts[1:] {
		echo, ok := strings.CutPrefix(text, "nghe ")
		if !ok {
			continue
		}
		echo, _, _ = strings.Cut(echo, "\n")
		echo, _, _ = strings.Cut(echo, " ")
		n, err := strconv.Atoi(echo)
		if err != nil {
			return nil, fmt.Errorf("echo %q: %v", text, err)
		}
		if seen[n] {
			return nil, fmt.Errorf("text %d answered twice", n)
		}
		seen[n] = true
		order = append(order, n)
	}
	// The first text applied started the flow without an echo: it is the
	// one text never echoed.
	for n := 1; n <= len(order)+1; n++ {
		if !seen[n] {
			return append([]int{n}, order...), nil
		}
	}
	return nil, fmt.Errorf("no text started the flow")
}

// roundRobin is a reverse proxy that sends each request to the next
// replica in turn, as a load balancer in front of replicas would.
type roundRobin struct {
	mu       sync.Mutex
	replicas []*httputil.ReverseProxy
	next     atomic.Uint64
	served   [2]atomic.Int64
}

func (lb *roundRobin) add(t *testing.T, addr string) {
	u, err := url.Parse("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	lb.mu.Lock()
	defer lb.mu.Unlock()
	lb.replicas = append(lb.replicas, httputil.NewSingleHostReverseProxy(u))
}

func (lb *roundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	lb.mu.Lock()
	replicas := lb.replicas
	lb.mu.Unlock()
	if len(replicas) < 2 {
		// Not both up yet: Telegram retries, as it would.
		http.Error(w, "replicas starting", http.StatusBadGateway)
		return
	}
	i := int(lb.next.Add(1) % uint64(len(replicas)))
	lb.served[i].Add(1)
	replicas[i].ServeHTTP(w, r)
}

// deliver posts an update to a replica's webhook with the secret until it
// answers 200, as Telegram retries a delivery that failed.
func deliver(addr string, body []byte) error {
	var last string
	for range 50 {
		req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/telegram/webhook", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", replicaSecret)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("replica %s refused an update 50 times, last: %s", addr, last)
}

// publishFlow imports a flow file and publishes it, as an admin would.
func publishFlow(t *testing.T, dbURL, file string) {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close() // the replicas need the connections more
	lib := flowlib.New(catalogue.Default())
	id, rev, _, err := lib.Import(ctx, db, "test", "flow.yaml", []byte(file), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Publish(ctx, db, "test", id, rev); err != nil {
		t.Fatal(err)
	}
}
