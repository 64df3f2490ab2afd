package storage_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// TestMarkSentConcurrently: many senders marking deliveries at once share
// transactions, and each call still learns its own outcome: its message is
// gone from the queue and counted once, and a message that was not queued
// is not found, without failing the others of its batch.
func TestMarkSentConcurrently(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Microsecond)
		const chats = 60
		var ids []int64
		for i := range chats {
			ids = append(ids, enqueue(t, db, fmt.Sprint(9000+i), now, "x")...)
		}
		const missing = int64(1 << 40)
		calls := append(ids, missing)
		errs := make([]error, len(calls))
		var wg sync.WaitGroup
		for i, id := range calls {
			wg.Go(func() { _, errs[i] = db.MarkSent(ctx, id, now.Add(time.Duration(i)*time.Millisecond)) })
		}
		wg.Wait()
		for i, err := range errs {
			switch {
			case calls[i] == missing && code(err) != langnghe.ENOTFOUND:
				t.Errorf("MarkSent of a message never queued: %v, want not found", err)
			case calls[i] != missing && err != nil:
				t.Errorf("MarkSent(%d): %v", calls[i], err)
			}
		}
		depth, _, err := db.OutboxStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if depth != 0 {
			t.Errorf("%d messages still queued after all were marked sent", depth)
		}
		totals, err := db.OutboxTotals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if totals.Sent != chats {
			t.Errorf("OutboxTotals.Sent = %d, want %d", totals.Sent, chats)
		}
		if _, err := db.MarkSent(ctx, ids[0], now); code(err) != langnghe.ENOTFOUND {
			t.Errorf("marking a sent message again: %v, want not found", err)
		}
	})
}
