package conversation

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/flowlib"
	"langnghe/flows/catalogue"
	"langnghe/flows/classify"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// gateDesk holds the input of user hold until release is closed (after
// telling entered), fails every input of user fail, and counts the inputs
// it was shown per user.
type gateDesk struct {
	hold, fail string
	entered    chan struct{}
	release    chan struct{}

	mu    sync.Mutex
	calls map[string]int
}

var errDeskDown = errors.New("desk down")

func (d *gateDesk) Official(ctx context.Context, tx *storage.Tx, in langnghe.Inbound) (bool, error) {
	d.mu.Lock()
	d.calls[in.UserID]++
	fail := in.UserID == d.fail
	d.mu.Unlock()
	if in.UserID == d.hold {
		close(d.entered)
		<-d.release
	}
	if fail {
		return false, errDeskDown
	}
	return false, nil
}

func (d *gateDesk) Resident(context.Context, *storage.Tx, *langnghe.Resident, langnghe.Inbound) (bool, error) {
	return false, nil
}

func (d *gateDesk) OpinionCreated(context.Context, *storage.Tx, *langnghe.Opinion) error { return nil }

func (d *gateDesk) EmergencyReported(context.Context, *storage.Tx, *langnghe.Emergency) error {
	return nil
}

func (d *gateDesk) count(user string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.calls[user]
}

// TestBatchFailsAlone: inputs that wait for a busy transaction are applied
// together; when one of them fails, the others are applied once each all
// the same and the failed one changes nothing, so it can be applied later.
func TestBatchFailsAlone(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		cat := catalogue.Default()
		cl, err := classify.New(cat)
		if err != nil {
			t.Fatal(err)
		}
		lib := flowlib.New(cat)
		if _, err := lib.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		desk := &gateDesk{hold: "100", fail: "102", entered: make(chan struct{}), release: make(chan struct{}), calls: map[string]int{}}
		s := New(db, lib, cat, cl, calendar.New(time.UTC), Options{OpinionPrefix: "DT", Desk: desk},
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		s.batches.limit = 1 // one transaction at a time, so the others wait together
		input := func(user string) langnghe.Inbound {
			return langnghe.Inbound{Channel: langnghe.ChannelTelegram, UpdateID: "u" + user, UserID: user, ChatID: user, Private: true,
				LanguageCode: "vi", Input: langnghe.Input{Kind: langnghe.InputText, Text: "xin chào", At: time.Now()}}
		}
		users := []string{"100", "101", "103", "102"} // the failing input last in its batch
		results := make(map[string]chan error, len(users))
		for _, u := range users {
			results[u] = make(chan error, 1)
		}
		go func() { results["100"] <- s.Handle(ctx, input("100")) }()
		<-desk.entered // 100 holds the only transaction
		for i, u := range users[1:] {
			go func() { results[u] <- s.Handle(ctx, input(u)) }()
			waitFor(t, func() bool {
				s.batches.mu.Lock()
				defer s.batches.mu.Unlock()
				return len(s.batches.waiting) == i+1
			})
		}
		close(desk.release)
		for _, u := range users {
			err := <-results[u]
			if (u == "102") != errors.Is(err, errDeskDown) {
				t.Errorf("input of %s: %v", u, err)
			}
		}
		// 101, 103 and 102 went through one failed batch, then alone.
		for _, u := range users[1:] {
			if n := desk.count(u); n != 2 {
				t.Errorf("desk saw %s's input %d times, want 2 (the batch, then alone)", u, n)
			}
		}
		replies := func(user string) int {
			out, err := db.TakeChat(ctx, langnghe.ChannelTelegram, user)
			if err != nil {
				t.Fatal(err)
			}
			return len(out)
		}
		want := replies("100")
		if want == 0 {
			t.Fatal("no reply to a greeting")
		}
		for _, u := range []string{"101", "103"} {
			if n := replies(u); n != want {
				t.Errorf("%s got %d replies, want %d (applied once)", u, n, want)
			}
		}
		if n := replies("102"); n != 0 {
			t.Errorf("the failed input queued %d replies", n)
		}
		// Nothing of the failed input was kept: it applies when retried.
		desk.mu.Lock()
		desk.fail = ""
		desk.mu.Unlock()
		if err := s.Handle(ctx, input("102")); err != nil {
			t.Fatal(err)
		}
		if n := replies("102"); n != want {
			t.Errorf("the retried input got %d replies, want %d", n, want)
		}
		if got := s.Metrics.Duplicates.Load(); got != 0 {
			t.Errorf("%d duplicates counted", got)
		}
	})
}

// waitFor polls cond until it holds; the deadline only guards against a hang.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
