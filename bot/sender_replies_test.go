package bot

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"langnghe"
)

// TestSenderRecordsTheIDARepliesName: a delivered message that regards an
// opinion is recorded under the Telegram message id of the part that
// carries the opinion's code (a long one is sent in parts), or of its last
// part, with the buttons, when no part names it; a message about nothing
// is recorded under no id.
func TestSenderRecordsTheIDARepliesName(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	tb := newTestBot(t, fake, Config{})
	const chat = 8201
	answer := func(code string) *langnghe.Regarding {
		return &langnghe.Regarding{Opinion: code, Reply: langnghe.ReplyAnswer}
	}
	long := strings.Repeat("Nội dung ý kiến rất dài. ", 200) // about 5,000 units: two parts
	buttons := [][]langnghe.Button{{{Label: "Nhận xử lý", Data: "o:t:DT-2026-000002"}}}
	tb.outbox.enqueue(chat, langnghe.Message{Text: "Ý kiến mới DT-2026-000001", Regarding: answer("DT-2026-000001")})
	tb.outbox.enqueue(chat, langnghe.Message{Text: long + "\n\nMã DT-2026-000002", Buttons: buttons, Regarding: answer("DT-2026-000002")})
	tb.outbox.enqueue(chat, langnghe.Message{Text: long + "\n\nKhông có mã", Buttons: buttons, Regarding: answer("DT-2026-000003")})
	tb.outbox.enqueue(chat, langnghe.Message{Text: "Cảm ơn DT-2026-000004"})
	tb.run(t)
	tb.sender.Notify()
	if st := tb.outbox.waitSettled(t, 20*time.Second); st.sent != 4 {
		t.Fatalf("sent %d of 4", st.sent)
	}
	sent := fake.Sent(chat)
	if len(sent) != 6 {
		t.Fatalf("%d Telegram messages, want 6 (1 + 2 + 2 + 1)", len(sent))
	}
	if !strings.Contains(sent[2].Text, "DT-2026-000002") || strings.Contains(sent[1].Text, "DT-2026-000002") {
		t.Fatalf("the code is not in the second message's second part: %q / %q", sent[1].Text, sent[2].Text)
	}
	want := []langnghe.ReplyTarget{
		{Channel: langnghe.ChannelTelegram, ChatID: "8201", MessageID: strconv.Itoa(sent[0].MessageID), Regarding: *answer("DT-2026-000001")},
		{Channel: langnghe.ChannelTelegram, ChatID: "8201", MessageID: strconv.Itoa(sent[2].MessageID), Regarding: *answer("DT-2026-000002")},
		{Channel: langnghe.ChannelTelegram, ChatID: "8201", MessageID: strconv.Itoa(sent[4].MessageID), Regarding: *answer("DT-2026-000003")},
	}
	tb.outbox.mu.Lock()
	got := tb.outbox.targets
	tb.outbox.mu.Unlock()
	if len(got) != len(want) {
		t.Fatalf("recorded %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("target %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
