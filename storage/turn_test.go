package storage_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// TestResidentState: one read gives the resident, the session and whether
// the account is an official's; ActiveOfficial then knows a non-official
// without asking, until CreateOfficial binds the account.
func TestResidentState(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		state := func(id string) langnghe.ResidentState {
			t.Helper()
			var st langnghe.ResidentState
			inTx(t, db, func(ctx context.Context, tx *storage.Tx) (err error) {
				st, err = tx.ResidentState(ctx, langnghe.ChannelTelegram, id)
				return err
			})
			return st
		}
		if st := state("5001"); st.Resident != nil || st.Session != nil || st.Official {
			t.Errorf("a new account: %+v", st)
		}
		r := newResident(t, db, "5001")
		if st := state("5001"); st.Resident == nil || *st.Resident != *r || st.Session != nil || st.Official {
			t.Errorf("a resident without a session: %+v, want resident %+v", st, r)
		}
		timeout := at.Add(time.Hour)
		saved := &langnghe.StoredSession{ResidentID: r.ID, FlowID: "report", Revision: 3, Data: []byte(`{"node":"ask_area"}`), TimeoutAt: &timeout}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.SaveSession(ctx, saved) })
		st := state("5001")
		if s := st.Session; s == nil || s.ResidentID != r.ID || s.FlowID != "report" || s.Revision != 3 || string(s.Data) != string(saved.Data) ||
			s.TimeoutAt == nil || !s.TimeoutAt.Equal(timeout) || !s.UpdatedAt.Equal(saved.UpdatedAt) {
			t.Errorf("session = %+v, want %+v", st.Session, saved)
		}
		if st.Resident == nil || *st.Resident != *r {
			t.Errorf("resident with a session = %+v, want %+v", st.Resident, r)
		}

		o := &langnghe.Official{Role: langnghe.RoleBoard, Channel: langnghe.ChannelTelegram, ExternalID: "5002", ChatID: "5002"}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.CreateOfficial(ctx, o) })
		if st := state("5002"); !st.Official || st.Resident != nil {
			t.Errorf("an official's account: %+v", st)
		}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			if _, err := tx.ResidentState(ctx, langnghe.ChannelTelegram, "5003"); err != nil {
				return err
			}
			if _, err := tx.ActiveOfficial(ctx, langnghe.ChannelTelegram, "5003"); code(err) != langnghe.ENOTFOUND {
				t.Errorf("ActiveOfficial of a resident: %v, want not found", err)
			}
			// Another account is looked up as before.
			if got, err := tx.ActiveOfficial(ctx, langnghe.ChannelTelegram, "5002"); err != nil || got.ID != o.ID {
				t.Errorf("ActiveOfficial(5002) = %+v, %v", got, err)
			}
			// Accepting an invitation binds the account in the same transaction.
			o2 := &langnghe.Official{Role: langnghe.RoleBoard, Channel: langnghe.ChannelTelegram, ExternalID: "5003", ChatID: "5003"}
			if err := tx.CreateOfficial(ctx, o2); err != nil {
				return err
			}
			if got, err := tx.ActiveOfficial(ctx, langnghe.ChannelTelegram, "5003"); err != nil || got.ID != o2.ID {
				t.Errorf("ActiveOfficial after CreateOfficial = %+v, %v", got, err)
			}
			return nil
		})
	})
}

// TestSaveTurn: the session and the replies are written together, the
// replies in order; invalid input writes nothing.
func TestSaveTurn(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := newResident(t, db, "5101")
		reply := func(chat, text string) *langnghe.Outgoing {
			return &langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: chat, ResidentID: &r.ID, NotBefore: at,
				Message: langnghe.Message{Text: text}}
		}
		s := &langnghe.StoredSession{ResidentID: r.ID, FlowID: "report", Revision: 1, Data: []byte(`{"n":1}`)}
		// More replies than the prepared statements cover, too.
		for _, n := range []int{1, 3, 6} {
			var replies []*langnghe.Outgoing
			for i := range n {
				replies = append(replies, reply("5101", fmt.Sprintf("%d/%d", i+1, n)))
			}
			inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
				if _, err := tx.BeginUpdate(ctx, langnghe.ChannelTelegram, fmt.Sprint("turn", n), "5101"); err != nil {
					return err
				}
				return tx.SaveTurn(ctx, s, replies)
			})
			for i, m := range replies {
				if m.ID == 0 || (i > 0 && m.ID <= replies[i-1].ID) || !m.NotBefore.Equal(at) || m.CreatedAt.IsZero() {
					t.Errorf("%d replies: reply %d = id %d, not before %v, created %v", n, i, m.ID, m.NotBefore, m.CreatedAt)
				}
			}
			got, err := db.TakeChat(ctx, langnghe.ChannelTelegram, "5101")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != n {
				t.Fatalf("%d replies: %d queued", n, len(got))
			}
			for i, m := range got {
				if m.ID != replies[i].ID || m.Message.Text != fmt.Sprintf("%d/%d", i+1, n) || m.ResidentID == nil || *m.ResidentID != r.ID {
					t.Errorf("%d replies: queued %d = %+v, want %q, id %d, resident %d", n, i, m, replies[i].Message.Text, replies[i].ID, r.ID)
				}
			}
		}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			got, err := tx.Session(ctx, r.ID)
			if err != nil || string(got.Data) != `{"n":1}` || !got.UpdatedAt.Equal(s.UpdatedAt) {
				t.Errorf("session = %+v, %v; want it saved at %v", got, err, s.UpdatedAt)
			}
			return err
		})

		// A reply to another chat, and no session.
		other := reply("5199", "khác")
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			return tx.SaveTurn(ctx, nil, []*langnghe.Outgoing{other})
		})
		if got, err := db.TakeChat(ctx, langnghe.ChannelTelegram, "5199"); err != nil || len(got) != 1 || got[0].ID != other.ID {
			t.Errorf("reply to another chat: %+v, %v", got, err)
		}

		// Invalid input writes nothing, the valid half included.
		changed := &langnghe.StoredSession{ResidentID: r.ID, FlowID: "report", Revision: 1, Data: []byte(`{"n":2}`)}
		for name, turn := range map[string]func(tx *storage.Tx) error{
			"reply without a chat": func(tx *storage.Tx) error {
				return tx.SaveTurn(ctx, changed, []*langnghe.Outgoing{reply("5101", "a"), {Channel: langnghe.ChannelTelegram}})
			},
			"session without a flow": func(tx *storage.Tx) error {
				return tx.SaveTurn(ctx, &langnghe.StoredSession{ResidentID: r.ID}, []*langnghe.Outgoing{reply("5101", "b")})
			},
		} {
			// The transaction commits what the failed call may have written.
			err := db.InTx(ctx, func(tx *storage.Tx) error {
				if err := turn(tx); code(err) != langnghe.EINVALID {
					t.Errorf("%s: %v, want invalid", name, err)
				}
				got, err := tx.Session(ctx, r.ID)
				if err == nil && string(got.Data) != `{"n":1}` {
					t.Errorf("%s: session written: %s", name, got.Data)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if got, err := db.TakeChat(ctx, langnghe.ChannelTelegram, "5101"); err != nil || len(got) != 0 {
				t.Errorf("%s: queued %+v, %v", name, got, err)
			}
		}
	})
}

// TestBeginUpdateHoldsTheChatsQueue: the lock BeginUpdate takes is the
// chat's queue lock, so a reply queued by another transaction (the console
// answering, a notification) waits for the update and comes after its
// replies, which SaveTurn writes without locking again.
func TestBeginUpdateHoldsTheChatsQueue(t *testing.T) {
	t.Parallel()
	db := storagetest.Postgres(t)
	ctx := context.Background()
	began := make(chan struct{})
	release := make(chan struct{})
	var first langnghe.Outgoing
	firstDone := make(chan error, 1)
	go func() {
		firstDone <- db.InTx(ctx, func(tx *storage.Tx) error {
			if _, err := tx.BeginUpdate(ctx, langnghe.ChannelTelegram, "5201", "5200"); err != nil {
				return err
			}
			close(began)
			<-release
			first = langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: "5200", Message: langnghe.Message{Text: "trả lời"}}
			return tx.SaveTurn(ctx, nil, []*langnghe.Outgoing{&first})
		})
	}()
	<-began
	second := langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: "5200", Message: langnghe.Message{Text: "thông báo"}}
	secondDone := make(chan error, 1)
	go func() {
		secondDone <- db.InTx(ctx, func(tx *storage.Tx) error { return tx.Enqueue(ctx, &second) })
	}()
	waitFor(t, func() bool {
		waiting, err := db.WaitingAdvisoryLocks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return waiting == 1
	})
	close(release)
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	if err := <-secondDone; err != nil {
		t.Fatal(err)
	}
	got, err := db.TakeChat(ctx, langnghe.ChannelTelegram, "5200")
	if err != nil || len(got) != 2 || got[0].Message.Text != "trả lời" || got[1].Message.Text != "thông báo" {
		t.Fatalf("queue = %+v, %v; want the update's reply first", got, err)
	}
}

// TestUpdatePathStatementsArePrepared: on PostgreSQL the update path's
// statements are parsed and planned once per connection, then only run.
func TestUpdatePathStatementsArePrepared(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(storagetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", "2") // one connection for transactions
	u.RawQuery = q.Encode()
	ctx := context.Background()
	db, err := storage.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	r := newResident(t, db, "5301")
	const turns = 7
	for i := range turns {
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			if _, err := tx.BeginUpdate(ctx, langnghe.ChannelTelegram, fmt.Sprint(i), "5301"); err != nil {
				return err
			}
			if _, err := tx.ResidentState(ctx, langnghe.ChannelTelegram, "5301"); err != nil {
				return err
			}
			return tx.SaveTurn(ctx, &langnghe.StoredSession{ResidentID: r.ID, FlowID: "report", Data: []byte("{}")},
				[]*langnghe.Outgoing{{Channel: langnghe.ChannelTelegram, ChatID: "5301", Message: langnghe.Message{Text: "ok"}}})
		})
	}
	inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
		runs, err := tx.PreparedExecutions(ctx)
		if err != nil {
			return err
		}
		for _, part := range []string{"INSERT INTO processed_updates", "LEFT JOIN sessions", "WITH session AS"} {
			var found []int64
			for stmt, n := range runs {
				if strings.Contains(stmt, part) {
					found = append(found, n)
				}
			}
			if len(found) != 1 || found[0] != turns {
				t.Errorf("statement with %q: prepared %d times, runs %v; want once, run %d times", part, len(found), found, turns)
			}
		}
		return nil
	})
}
