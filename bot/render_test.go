package bot

import (
	"strings"
	"testing"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe"
)

func units(s string) int { return len(utf16.Encode([]rune(s))) }

func TestSplitText(t *testing.T) {
	para := strings.Repeat("a", 30)
	tests := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"short", "Xin chào", 4096, []string{"Xin chào"}},
		{"blank", " \n ", 10, nil},
		{"paragraph boundary first", para + "\n\n" + "bb cc\ndd", 38, []string{para, "bb cc\ndd"}},
		{"line boundary", "aaaa bbbb\ncccc dddd", 12, []string{"aaaa bbbb", "cccc dddd"}},
		{"word boundary", "aaaa bbbb cccc", 10, []string{"aaaa bbbb", "cccc"}},
		{"hard cut inside a word", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		// Vietnamese letters are one UTF-16 unit each (NFC), emoji two.
		{"diacritics count as one unit", "Đất đai ổn", 10, []string{"Đất đai ổn"}},
		{"emoji is two units and never split", "ab😀cd", 3, []string{"ab", "😀c", "d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitText(tt.text, tt.limit)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Fatalf("splitText(%q, %d) = %q, want %q", tt.text, tt.limit, got, tt.want)
			}
			for _, p := range got {
				if units(p) > tt.limit {
					t.Errorf("part %q has %d units > %d", p, units(p), tt.limit)
				}
			}
		})
	}
}

func TestSplitTextKeepsEveryWordOfALongReply(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 20000; i++ {
		b.WriteString("Ý kiến của bạn về sổ đỏ đã được ghi nhận 🙏. ")
		if i%7 == 0 {
			b.WriteString("\n\n")
		}
	}
	text := b.String()
	parts := splitText(text, maxTextUnits)
	if len(parts) < 3 {
		t.Fatalf("got %d parts, want several", len(parts))
	}
	for i, p := range parts {
		if n := units(p); n > maxTextUnits {
			t.Errorf("part %d: %d UTF-16 units", i, n)
		}
	}
	if got, want := strings.Join(strings.Fields(strings.Join(parts, " ")), " "), strings.Join(strings.Fields(text), " "); got != want {
		t.Error("joined parts differ from the text (words lost or reordered)")
	}
}

func TestRenderKeyboards(t *testing.T) {
	long := strings.Repeat("x", 5000)
	tests := []struct {
		name string
		msg  langnghe.Message
		// kinds of reply_markup per part: "" none, "inline", "contact", "location", "remove"
		want    []string
		dropped int
	}{
		{"plain", langnghe.Message{Text: "hi"}, []string{""}, 0},
		{"buttons", langnghe.Message{Text: "hi", Buttons: [][]langnghe.Button{{{Label: "Có", Data: "yes"}}}}, []string{"inline"}, 0},
		{"contact request", langnghe.Message{Text: "số?", Request: langnghe.RequestContact}, []string{"contact"}, 0},
		{"location request", langnghe.Message{Text: "ở đâu?", Request: langnghe.RequestLocation}, []string{"location"}, 0},
		{"remove", langnghe.Message{Text: "ok", RemoveKeyboard: true}, []string{"remove"}, 0},
		{"request replaces remove", langnghe.Message{Text: "ok", RemoveKeyboard: true, Request: langnghe.RequestContact}, []string{"contact"}, 0},
		{"buttons on the last part", langnghe.Message{Text: long, Buttons: [][]langnghe.Button{{{Label: "A", Data: "a"}}}}, []string{"", "inline"}, 0},
		{"remove then buttons over two parts", langnghe.Message{Text: long, RemoveKeyboard: true, Buttons: [][]langnghe.Button{{{Label: "A", Data: "a"}}}}, []string{"remove", "inline"}, 0},
		{"one part: buttons win over remove", langnghe.Message{Text: "x", RemoveKeyboard: true, Buttons: [][]langnghe.Button{{{Label: "A", Data: "a"}}}}, []string{"inline"}, 0},
		{"invalid buttons dropped", langnghe.Message{Text: "x", Buttons: [][]langnghe.Button{
			{{Label: "too long", Data: strings.Repeat("d", 65)}, {Label: "empty", Data: ""}},
			{{Label: " ", Data: "blank-label"}, {Label: "ok", Data: strings.Repeat("d", 64)}},
		}}, []string{"inline"}, 3},
		{"all buttons invalid: no keyboard", langnghe.Message{Text: "x", Buttons: [][]langnghe.Button{{{Label: "bad", Data: ""}}}}, []string{""}, 1},
		{"unknown request", langnghe.Message{Text: "x", Request: "poll"}, []string{""}, 1},
		{"empty text: nothing to send", langnghe.Message{Buttons: [][]langnghe.Button{{{Label: "A", Data: "a"}}}}, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := render(42, tt.msg)
			var got []string
			for _, p := range r.parts {
				if p.ChatID != 42 || p.ParseMode != "" {
					t.Errorf("part to %d with parse mode %q", p.ChatID, p.ParseMode)
				}
				got = append(got, markupKind(t, p.ReplyMarkup))
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") || len(got) != len(tt.want) {
				t.Errorf("markups = %q, want %q", got, tt.want)
			}
			if len(r.dropped) != tt.dropped {
				t.Errorf("dropped = %q, want %d entries", r.dropped, tt.dropped)
			}
		})
	}
}

// A share request and inline buttons cannot travel in one message: the
// buttons become text keys under the share button, and their labels come
// back as text the engine accepts.
func TestRenderShareRequestWithChoices(t *testing.T) {
	r := render(42, langnghe.Message{Text: "Số điện thoại?", Request: langnghe.RequestContact,
		Buttons: [][]langnghe.Button{{{Label: "Giữ ẩn danh", Data: "7:anonymous"}}}})
	if len(r.parts) != 1 || len(r.dropped) != 0 {
		t.Fatalf("parts %d, dropped %q", len(r.parts), r.dropped)
	}
	kb, ok := r.parts[0].ReplyMarkup.(tgbotapi.ReplyKeyboardMarkup)
	if !ok || len(kb.Keyboard) != 2 || !kb.Keyboard[0][0].RequestContact || kb.Keyboard[1][0].Text != "Giữ ẩn danh" {
		t.Fatalf("keyboard = %+v", r.parts[0].ReplyMarkup)
	}
}

func markupKind(t *testing.T, m any) string {
	t.Helper()
	switch m := m.(type) {
	case nil:
		return ""
	case tgbotapi.InlineKeyboardMarkup:
		for _, row := range m.InlineKeyboard {
			for _, b := range row {
				if b.CallbackData == nil || len(*b.CallbackData) == 0 || len(*b.CallbackData) > 64 {
					t.Errorf("button %q has invalid data", b.Text)
				}
			}
		}
		return "inline"
	case tgbotapi.ReplyKeyboardMarkup:
		b := m.Keyboard[0][0]
		if !m.OneTimeKeyboard {
			t.Error("share keyboard is not one-time")
		}
		switch {
		case b.RequestContact:
			return "contact"
		case b.RequestLocation:
			return "location"
		}
		return "reply"
	case tgbotapi.ReplyKeyboardRemove:
		return "remove"
	}
	t.Fatalf("unexpected markup %T", m)
	return ""
}

func TestRenderReplacesInvalidUTF8(t *testing.T) {
	r := render(1, langnghe.Message{Text: "a\xffb"})
	if len(r.parts) != 1 || r.parts[0].Text != "a\uFFFDb" {
		t.Fatalf("parts = %+v", r.parts)
	}
}
