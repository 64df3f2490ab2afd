package bot

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe"
	"langnghe/wording"
)

// Telegram's limits on what a message may carry.
const (
	maxTextUnits     = 4096 // message text, in UTF-16 code units
	maxCallbackData  = 64   // callback_data, in bytes
	maxInlineButtons = 100  // buttons in one inline keyboard
)

// The share buttons' labels, in Vietnamese: a Message does not carry its
// reader's language.
var (
	shareContactLabel  = wording.Text(langnghe.LangVI, "bot.share_contact")
	shareLocationLabel = wording.Text(langnghe.LangVI, "bot.share_location")
)

// rendered is one Telegram message to send, and what was dropped on the way
// so the sender can log it.
type rendered struct {
	parts   []tgbotapi.MessageConfig
	dropped []string
}

// render turns a channel-independent reply into Telegram messages: plain
// text (no parse_mode, so residents' words can never break markup), split
// into parts Telegram accepts, with the keyboards on the last parts.
//
// A Telegram message carries one reply_markup. When a reply needs two (take
// away the contact keyboard and show inline buttons), the earlier part gets
// the one that must happen first; with a single part the inline buttons win
// and the removal is reported as dropped (a one-time keyboard hides itself
// after use anyway).
func render(chatID int64, m langnghe.Message) rendered {
	var out rendered
	// Telegram refuses invalid UTF-8 outright; replace it rather than lose
	// the whole reply.
	texts := splitText(strings.ToValidUTF8(m.Text, "\uFFFD"), maxTextUnits)

	var markups []any
	if m.RemoveKeyboard && m.Request == "" {
		// A new reply keyboard replaces the old one, so the removal only
		// matters when no request follows.
		markups = append(markups, tgbotapi.NewRemoveKeyboard(true))
	}
	switch m.Request {
	case "":
		kb, dropped := inlineKeyboard(m.Buttons)
		out.dropped = append(out.dropped, dropped...)
		if len(kb.InlineKeyboard) > 0 {
			markups = append(markups, kb)
		}
	case langnghe.RequestContact:
		markups = append(markups, shareKeyboard(tgbotapi.NewKeyboardButtonContact(shareContactLabel), m.Buttons))
	case langnghe.RequestLocation:
		markups = append(markups, shareKeyboard(tgbotapi.NewKeyboardButtonLocation(shareLocationLabel), m.Buttons))
	default:
		out.dropped = append(out.dropped, "unknown request "+m.Request)
	}
	if len(texts) == 0 && len(markups) > 0 {
		out.dropped = append(out.dropped, "keyboard without text (Telegram needs a text to carry it)")
	}
	if extra := len(markups) - len(texts); extra > 0 {
		// Otherwise only the removal can be in excess: the share keyboard was one-time,
		// so Telegram already folded it away when it was used. Not worth a
		// warning at every contact step.
		markups = markups[extra:]
	}
	first := len(texts) - len(markups)
	for i, text := range texts {
		msg := tgbotapi.NewMessage(chatID, text)
		if i >= first {
			msg.ReplyMarkup = markups[i-first]
		}
		out.parts = append(out.parts, msg)
	}
	return out
}

// shareKeyboard is a one-time reply keyboard with the share button first.
// A Telegram message cannot carry a share request and inline buttons at
// once, so the flow's buttons ("Skip", "Stay anonymous") become text keys
// below it: tapping one sends its label, which the engine accepts as the
// choice.
func shareKeyboard(share tgbotapi.KeyboardButton, choices [][]langnghe.Button) tgbotapi.ReplyKeyboardMarkup {
	rows := [][]tgbotapi.KeyboardButton{tgbotapi.NewKeyboardButtonRow(share)}
	for _, row := range choices {
		var keys []tgbotapi.KeyboardButton
		for _, b := range row {
			if strings.TrimSpace(b.Label) != "" {
				keys = append(keys, tgbotapi.NewKeyboardButton(b.Label))
			}
		}
		if len(keys) > 0 {
			rows = append(rows, keys)
		}
	}
	kb := tgbotapi.NewReplyKeyboard(rows...)
	kb.OneTimeKeyboard = true
	return kb
}

// inlineKeyboard builds the keyboard from the flow's buttons. Telegram
// rejects the whole message for one bad button (BUTTON_DATA_INVALID), so a
// button whose data is empty or longer than 64 bytes, or whose label is
// blank, is left out and reported instead.
func inlineKeyboard(rows [][]langnghe.Button) (tgbotapi.InlineKeyboardMarkup, []string) {
	var kb tgbotapi.InlineKeyboardMarkup
	var dropped []string
	count := 0
	for _, row := range rows {
		var out []tgbotapi.InlineKeyboardButton
		for _, b := range row {
			switch {
			case len(b.Data) == 0 || len(b.Data) > maxCallbackData:
				dropped = append(dropped, "button "+quoteLabel(b.Label)+": data must be 1–64 bytes")
			case strings.TrimSpace(b.Label) == "":
				dropped = append(dropped, "button with data "+quoteLabel(b.Data)+": empty label")
			case count >= maxInlineButtons:
				dropped = append(dropped, "button "+quoteLabel(b.Label)+": more than 100 buttons")
			default:
				out = append(out, tgbotapi.NewInlineKeyboardButtonData(b.Label, b.Data))
				count++
			}
		}
		if len(out) > 0 {
			kb.InlineKeyboard = append(kb.InlineKeyboard, out)
		}
	}
	return kb, dropped
}

func quoteLabel(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "…"
	}
	return "\"" + s + "\""
}

// splitText cuts text into parts of at most limit UTF-16 code units (how
// Telegram counts), preferring a paragraph break, then a line break, then a
// space, and only then cutting a word. Separators at a cut are dropped;
// everything else is kept, in order. Blank text gives no parts.
func splitText(text string, limit int) []string {
	var parts []string
	for {
		text = strings.TrimLeftFunc(text, unicode.IsSpace)
		if strings.TrimSpace(text) == "" {
			return parts
		}
		end := prefixWithin(text, limit) // byte offset
		if end == len(text) {
			return append(parts, strings.TrimRightFunc(text, unicode.IsSpace))
		}
		cut := end
		for _, sep := range []string{"\n\n", "\n", " "} {
			if i := strings.LastIndex(text[:end], sep); i > 0 {
				cut = i
				break
			}
		}
		parts = append(parts, strings.TrimRightFunc(text[:cut], unicode.IsSpace))
		text = text[cut:]
	}
}

// prefixWithin returns the byte length of the longest prefix of s that
// fits in limit UTF-16 code units without splitting a rune.
func prefixWithin(s string, limit int) int {
	units := 0
	for i, r := range s {
		n := utf16.RuneLen(r)
		if n < 0 {
			n = 1 // invalid UTF-8 is sent as U+FFFD: one unit
		}
		if units+n > limit {
			return i
		}
		units += n
	}
	return len(s)
}
