package bot

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	"langnghe/bot/telegramtest"
)

// TestReplyToCarriesOnlyTheBotsText: a reply to the bot's own message brings
// that message's id and text (an official's answer names the opinion this
// way); a reply to anyone else's message brings nothing.
func TestReplyToCarriesOnlyTheBotsText(t *testing.T) {
	fake := newFake(t)
	tb := newTestBot(t, fake, Config{})
	tb.run(t)

	now := strconv.FormatInt(time.Now().Unix(), 10)
	reply := func(quoted string) func() int {
		return func() int {
			return fake.SendUpdate(json.RawMessage(`{"message":{"message_id":60,"date":` + now + `,
				"from":{"id":1001,"first_name":"Lan"},"chat":{"id":1001,"type":"private"},
				"text":"Đã xử lý xong","reply_to_message":` + quoted + `}}`))
		}
	}
	quote := func(from, field, text string) string {
		return fmt.Sprintf(`{"message_id":5,"date":%s,"chat":{"id":1001,"type":"private"},"from":%s,%q:%q}`, now, from, field, text)
	}
	us := fmt.Sprintf(`{"id":42,"is_bot":true,"first_name":"bot","username":%q}`, telegramtest.DefaultBotUsername)
	tests := []struct {
		name   string
		do     func() int
		want   string
		wantID string
	}{
		{"the bot's text", reply(quote(us, "text", "Ý kiến DT-2026-000007 mới")), "Ý kiến DT-2026-000007 mới", "5"},
		{"the bot's caption", reply(quote(us, "caption", "Ảnh DT-2026-000008")), "Ảnh DT-2026-000008", "5"},
		{"the bot's message without text", reply(quote(us, "text", "")), "", "5"},
		{"another bot's message", reply(quote(`{"id":43,"is_bot":true,"first_name":"x","username":"other_bot"}`, "text", "DT-2026-000009")), "", ""},
		{"the person's own message", reply(quote(`{"id":1001,"first_name":"Lan"}`, "text", "DT-2026-000010")), "", ""},
		{"no reply", func() int { return fake.SendText(alice, "DT-2026-000011") }, "", ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := tt.do()
			got := tb.handler.waitApplied(t, i+1)[i]
			if got.UpdateID != strconv.Itoa(id) {
				t.Fatalf("applied update %s, want %d", got.UpdateID, id)
			}
			if got.ReplyTo != tt.want || got.ReplyToID != tt.wantID {
				t.Errorf("ReplyTo, ReplyToID = %q, %q; want %q, %q", got.ReplyTo, got.ReplyToID, tt.want, tt.wantID)
			}
		})
	}
}
