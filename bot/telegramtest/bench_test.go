package telegramtest_test

import (
	"net/http"
	"sync/atomic"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe/bot/telegramtest"
)

// BenchmarkUpdatesThroughPolling measures residents' updates reaching a bot
// that polls with the real library, 100 per getUpdates.
func BenchmarkUpdatesThroughPolling(b *testing.B) {
	s := newServer(b)
	bot := newBot(b, s)
	users := make([]telegramtest.User, 1000)
	for i := range users {
		users[i] = telegramtest.User{ID: int64(10000 + i), FirstName: "R"}
	}
	b.ReportAllocs()
	b.ResetTimer()
	offset := 0
	for i := 0; i < b.N; i++ {
		s.SendText(users[i%len(users)], "đường ấp 3 bị ngập khi mưa")
		if i%100 == 99 || i == b.N-1 {
			got, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: offset})
			if err != nil {
				b.Fatal(err)
			}
			offset = got[len(got)-1].UpdateID + 1
		}
	}
	b.StopTimer()
	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: offset}); err != nil || s.Pending() != 0 {
		b.Fatalf("pending %d after the run: %v", s.Pending(), err)
	}
}

// BenchmarkSendMessage measures the bot's sendMessage calls through the
// real library, from parallel senders to many chats.
func BenchmarkSendMessage(b *testing.B) {
	s := newServer(b)
	bot := newBot(b, s)
	var chat atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			msg := tgbotapi.NewMessage(10000+chat.Add(1)%1000, "Ý kiến DT-2026-000123 đã được tiếp nhận.")
			msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
				tgbotapi.NewInlineKeyboardButtonData("Xem", "op:123"), tgbotapi.NewInlineKeyboardButtonData("Hủy", "cancel")))
			if _, err := bot.Send(msg); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkWebhookDelivery measures updates delivered to a webhook that
// acknowledges at once, from 1000 chats with 40 connections.
func BenchmarkWebhookDelivery(b *testing.B) {
	s := newServer(b)
	bot := newBot(b, s)
	hs, got := hookServer(b, func(delivery, *http.Request) int { return http.StatusOK })
	stop := make(chan struct{})
	defer close(stop)
	go func() { // drain the record of deliveries so that the hook never waits
		for {
			select {
			case <-got:
			case <-stop:
				return
			}
		}
	}()
	setWebhook(b, bot, tgbotapi.Params{"url": hs.URL})
	b.ReportAllocs()
	b.ResetTimer()
	last := 0
	for i := 0; i < b.N; i++ {
		last = s.SendText(telegramtest.User{ID: int64(10000 + i%1000)}, "ngập")
	}
	if err := s.WaitConfirmed(testContext(b), last); err != nil {
		b.Fatal(err)
	}
}
