package conversation_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/conversation"
	"langnghe/storage"
	"langnghe/storage/storagetest"

	_ "github.com/lib/pq"
)

// holdDesk holds the inputs of the users in holds, each until its release
// channel is closed (after telling on its entered channel); everyone else
// is a resident.
type holdDesk struct {
	holds map[string]*gate
}

type gate struct{ entered, release chan struct{} }

func newGate() *gate { return &gate{entered: make(chan struct{}), release: make(chan struct{})} }

func (d *holdDesk) Official(ctx context.Context, tx *storage.Tx, in langnghe.Inbound) (bool, error) {
	if g, ok := d.holds[in.UserID]; ok {
		close(g.entered)
		<-g.release
	}
	return false, nil
}

func (d *holdDesk) Resident(context.Context, *storage.Tx, *langnghe.Resident, langnghe.Inbound) (bool, error) {
	return false, nil
}

func (d *holdDesk) OpinionCreated(context.Context, *storage.Tx, *langnghe.Opinion) error { return nil }

func (d *holdDesk) EmergencyReported(context.Context, *storage.Tx, *langnghe.Emergency) error {
	return nil
}

// TestBatchCommitsAfterAnOpinion: an input that sends an opinion takes the
// code counter, whose lock every other new opinion waits for until the
// transaction ends; in a batch of inputs, the transaction ends right after
// that input, not after the rest of the batch. Here the opinion is stored
// for everyone to see while the next input of its batch is still being
// applied.
func TestBatchCommitsAfterAnOpinion(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
		cat, cl, lib := parts(t, db)
		first, next := newGate(), newGate()
		desk := &holdDesk{holds: map[string]*gate{"700": first, "702": next}}
		svc := conversation.New(db, lib, cat, cl, calendar.New(hcm), conversation.Options{
			OpinionPrefix: "DT", TimeZone: hcm, Desk: desk,
		}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		conversation.SetTransactions(svc, 1) // one transaction at a time, so the others wait together

		// 701 walks to the summary of an anonymous opinion.
		c := start(t, db, svc, "701")
		c.press("Tôi đồng ý")
		c.press("Gửi ý kiến")
		c.text("Đường vào ấp 4 có nhiều ổ gà lớn, xe máy ngã liên tục, đề nghị sửa chữa")
		c.text("xa Minh Thanh")
		c.press("Bỏ qua")
		c.press("ẩn danh")
		send := c.button("Gửi")

		input := func(user, update string, in langnghe.Input) langnghe.Inbound {
			in.At = c.now
			return langnghe.Inbound{Channel: langnghe.ChannelTelegram, UpdateID: update, UserID: user, ChatID: user,
				LanguageCode: "vi", Private: true, Input: in}
		}
		greeting := langnghe.Input{Kind: langnghe.InputText, Text: "xin chào"}
		results := make(chan error, 3)
		go func() { results <- svc.Handle(ctx, input("700", "u700", greeting)) }()
		<-first.entered // 700 holds the only transaction
		go func() {
			results <- svc.Handle(ctx, input("701", "u701", langnghe.Input{Kind: langnghe.InputButton, Data: send}))
		}()
		conversation.WaitFor(t, func() bool { return conversation.Waiting(svc) == 1 })
		go func() { results <- svc.Handle(ctx, input("702", "u702", greeting)) }()
		conversation.WaitFor(t, func() bool { return conversation.Waiting(svc) == 2 })
		close(first.release) // 701's opinion and 702's greeting are applied together

		<-next.entered // 702's input is being applied
		if _, err := db.Opinion(ctx, "DT-2026-000001"); err != nil {
			t.Errorf("the opinion is not committed while the next input of its batch is applied: %v", err)
		}
		close(next.release)
		for range 3 {
			if err := <-results; err != nil {
				t.Error(err)
			}
		}
		if _, err := db.Opinion(ctx, "DT-2026-000001"); err != nil {
			t.Fatalf("the opinion was not stored: %v", err)
		}
	})
}

// TestOpinionWaitDoesNotHoldUpOthers: a transaction that waits for the
// opinion code counter (another transaction holds it) gives its place
// among the few applied at once to the next input: with one transaction
// at a time, a greeting of another resident is applied while the opinion
// still waits.
func TestOpinionWaitDoesNotHoldUpOthers(t *testing.T) {
	dbURL := storagetest.PostgresURL(t)
	ctx := context.Background()
	db, err := storage.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Del("pool_max_conns") // the service's setting, not PostgreSQL's
	u.RawQuery = q.Encode()
	pg, err := sql.Open("postgres", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()

	svc := newService(t, db, 0)
	conversation.SetTransactions(svc, 1)
	c := start(t, db, svc, "801")
	c.press("Tôi đồng ý")
	c.press("Gửi ý kiến")
	c.text("Đường vào ấp 4 có nhiều ổ gà lớn, xe máy ngã liên tục, đề nghị sửa chữa")
	c.text("xa Minh Thanh")
	c.press("Bỏ qua")
	c.press("ẩn danh")
	send := c.button("Gửi")

	// Another transaction holds the counter, as one storing an opinion
	// does until it commits; it rolls back, so 801's code is the first.
	held, release := make(chan struct{}), make(chan struct{})
	errRollBack := errors.New("roll back")
	holder := make(chan error, 1)
	go func() {
		holder <- db.InTx(ctx, func(tx *storage.Tx) error {
			if _, err := tx.NextOpinionCode(ctx, "DT", 2026); err != nil {
				return err
			}
			close(held)
			<-release
			return errRollBack
		})
	}()
	<-held
	input := func(user string, in langnghe.Input) langnghe.Inbound {
		in.At = c.now
		return langnghe.Inbound{Channel: langnghe.ChannelTelegram, UpdateID: "u" + user, UserID: user, ChatID: user,
			LanguageCode: "vi", Private: true, Input: in}
	}
	opinion := make(chan error, 1)
	go func() {
		opinion <- svc.Handle(ctx, input("801", langnghe.Input{Kind: langnghe.InputButton, Data: send}))
	}()
	conversation.WaitFor(t, func() bool { // 801's transaction waits for the counter
		var n int
		err := pg.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n > 0
	})
	greeting := make(chan error, 1)
	go func() {
		greeting <- svc.Handle(ctx, input("802", langnghe.Input{Kind: langnghe.InputText, Text: "xin chào"}))
	}()
	select {
	case err := <-greeting:
		if err != nil {
			t.Fatal(err)
		}
	case err := <-opinion:
		t.Fatalf("the opinion's transaction ended (%v) before the greeting waiting behind it was applied", err)
	}
	close(release)
	if err := <-holder; !errors.Is(err, errRollBack) {
		t.Fatal(err)
	}
	if err := <-opinion; err != nil {
		t.Fatal(err)
	}
	if _, err := db.Opinion(ctx, "DT-2026-000001"); err != nil {
		t.Errorf("the opinion was not stored once the counter was free: %v", err)
	}
}
