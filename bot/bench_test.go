package bot

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/bot/telegramtest"
)

// BenchmarkRender measures rendering a long reply with a keyboard (split
// into three parts).
func BenchmarkRender(b *testing.B) {
	m := langnghe.Message{
		Text:    strings.Repeat("Ý kiến của bạn về sổ đỏ đã được ghi nhận. ", 250),
		Buttons: [][]langnghe.Button{{{Label: "Có", Data: "yes"}, {Label: "Không", Data: "no"}}},
	}
	for b.Loop() {
		if r := render(1, m); len(r.parts) != 3 {
			b.Fatalf("%d parts", len(r.parts))
		}
	}
}

// BenchmarkPollerThroughput measures updates received and handled per
// second through the real library and the fake (no flood limits), across
// 200 residents.
func BenchmarkPollerThroughput(b *testing.B) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	h := newRecordingHandler()
	bot, err := New(Config{Token: fake.Token(), Endpoint: fake.Endpoint(), PollTimeout: time.Second},
		h, newMemOutbox(), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = bot.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	b.ResetTimer()
	for i := range b.N {
		fake.SendText(telegramtest.User{ID: int64(10000 + i%200), FirstName: "R"}, "ngập nước")
	}
	for len(h.snapshot()) < b.N {
		<-h.changed
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
}

// BenchmarkSenderThroughput measures replies delivered per second from the
// outbox through the real library and the fake, with the global rate set
// out of the way (one reply per chat, so per-chat pacing does not apply).
func BenchmarkSenderThroughput(b *testing.B) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	client, err := NewClient(context.Background(), fake.Token(), fake.Endpoint())
	if err != nil {
		b.Fatal(err)
	}
	outbox := newMemOutbox()
	for i := range b.N {
		outbox.enqueue(int64(20000+i), langnghe.Message{Text: "Cảm ơn bạn đã gửi ý kiến."})
	}
	s := newSender(client, outbox, 100000, Limits{}, Retry{}, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	b.ResetTimer()
	go func() { _ = s.Run(ctx); close(done) }()
	for outbox.state().queued > 0 {
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	cancel()
	<-done
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "replies/s")
}

// BenchmarkSenderSlowTelegram measures replies delivered per second at
// Telegram's rate (30/s) when every Bot API call takes 2 s: 300 replies,
// one per chat. Run it with -benchtime=1x; each run takes about 15 s.
// The global bucket lets 29 a second through in the long run (30 in any
// one second), and the first replies take a round trip.
func BenchmarkSenderSlowTelegram(b *testing.B) {
	const replies = 300
	fake := telegramtest.NewServer(telegramtest.WithLatency(2 * time.Second))
	defer fake.Close()
	client, err := NewClient(context.Background(), fake.Token(), fake.Endpoint())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		outbox := newMemOutbox()
		for i := range replies {
			outbox.enqueue(int64(30000+i), langnghe.Message{Text: "Cảm ơn bạn đã gửi ý kiến."})
		}
		s := newSender(client, outbox, 30, Limits{}, Retry{}, slog.New(slog.DiscardHandler))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { _ = s.Run(ctx); close(done) }()
		for outbox.state().queued > 0 {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		<-done
	}
	b.ReportMetric(float64(replies*b.N)/b.Elapsed().Seconds(), "replies/s")
}
