package telegramtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestProbe(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	start := time.Now()
	for range 300 {
		bot.Send(tgbotapi.NewMessage(5, "x"))
	}
	t.Logf("lib %v/op", time.Since(start)/300)
	start = time.Now()
	for range 300 {
		resp, _ := http.Post(s.URL()+"/bot"+s.Token()+"/sendMessage", "application/x-www-form-urlencoded", strings.NewReader("chat_id=5&text=x"))
		var v any
		json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
	}
	t.Logf("decoder %v/op", time.Since(start)/300)
}
