package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// A sender renews the leases of the messages it holds; a lease it lost
// (run out, claimed by another sender) is not taken back.
func TestExtendLeases(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Now().Add(time.Second).Truncate(time.Microsecond)
		a := enqueue(t, db, "chat-a", time.Time{}, "a1")
		b := enqueue(t, db, "chat-b", time.Time{}, "b1")
		claim := func(owner string, at time.Time) []int64 {
			t.Helper()
			ms, err := db.ClaimOutgoing(ctx, langnghe.ChannelTelegram, owner, 10, 10, 15*time.Second, at)
			if err != nil {
				t.Fatal(err)
			}
			return claimedIDs(ms)
		}
		if got := claim("one", now); len(got) != 2 {
			t.Fatalf("first claim: %v", got)
		}
		// "one" renews a's lease only; b's runs out and "two" takes it.
		if err := db.ExtendLeases(ctx, "one", []int64{a[0]}, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		later := now.Add(20 * time.Second)
		if got := claim("two", later); fmt.Sprint(got) != fmt.Sprint(b) {
			t.Fatalf("after the renewal, another sender claimed %v, want only %v", got, b)
		}
		// "one" renewing b now must not take it back from "two".
		if err := db.ExtendLeases(ctx, "one", b, later.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := claim("three", later.Add(20*time.Second)); fmt.Sprint(got) != fmt.Sprint(b) {
			t.Fatalf("a lost lease was renewed by its former owner: claimed %v, want %v", got, b)
		}
		if err := db.ExtendLeases(ctx, "one", nil, later); err != nil {
			t.Errorf("renewing nothing: %v", err)
		}
	})
}
