package conversation_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// BenchmarkHandle measures the update path as a channel drives it: many
// residents at once, each typing into the menu (an engine turn, a session
// save, a reply queued), on PostgreSQL.
//
//	go test ./conversation -run '^$' -bench Handle -cpuprofile /tmp/cpu.out
func BenchmarkHandle(b *testing.B) {
	db := storagetest.Postgres(b)
	benchmarkHandle(b, db)
}

func BenchmarkHandleSQLite(b *testing.B) {
	benchmarkHandle(b, storagetest.SQLite(b))
}

func benchmarkHandle(b *testing.B, db *storage.DB) {
	svc := newService(b, db, 0)
	ctx := context.Background()
	var seq, user atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		me := fmt.Sprint(user.Add(1))
		for pb.Next() {
			n := seq.Add(1)
			err := svc.Handle(ctx, langnghe.Inbound{
				Channel: langnghe.ChannelTelegram, UpdateID: fmt.Sprint(n), UserID: me, ChatID: me,
				LanguageCode: "vi", Private: true,
				Input: langnghe.Input{Kind: langnghe.InputText, Text: "xin chào", At: time.Now()},
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
}
