package main

import (
	"strings"

	"langnghe/bot/telegramtest"
)

// step is one thing a resident does, and the text that tells them the bot
// has answered it: the bot may send several messages for one input, and the
// resident reads on until one contains expect (case-insensitive).
type step struct {
	action action
	arg    string // the text to write, or the label of the button to press
	expect string
}

type action int

const (
	write   action = iota // send arg as text
	press                 // press the button whose label contains arg
	contact               // share the resident's own phone number
)

// sendOpinion is the default "send an opinion" flow walked in Vietnamese by
// a first-time resident who leaves a phone number: the same walk as the
// end-to-end tests (cmd/langnghe/e2e_test.go). The last step's answer
// carries the opinion code.
var sendOpinion = []step{
	{write, "/start", "chọn ngôn ngữ"},
	{press, "Tiếng Việt", "đồng ý không"},
	{press, "Tôi đồng ý", "cần gì"},
	{press, "Gửi ý kiến", "mô tả"},
	{write, "Gia đình tôi nộp hồ sơ cấp sổ đỏ (giấy chứng nhận quyền sử dụng đất) từ tháng 3 mà đến nay vẫn chưa được cấp", "xã/phường"},
	{write, "xa Minh Thanh", "ảnh"},
	{press, "Bỏ qua", "Chia sẻ số điện thoại"},
	{contact, "+84 912 345 678", "kiểm tra lại"},
	{press, "Gửi", "DT-"},
}

// contains reports whether text contains want, ignoring case.
func contains(text, want string) bool {
	return strings.Contains(strings.ToLower(text), strings.ToLower(want))
}

// findButton returns the callback data of the button whose label contains
// label on the newest message with an inline keyboard among msgs.
func findButton(msgs []telegramtest.Message, label string) (messageID int, data string, ok bool) {
	for i := len(msgs) - 1; i >= 0; i-- {
		if len(msgs[i].InlineKeyboard) == 0 {
			continue
		}
		for _, row := range msgs[i].InlineKeyboard {
			for _, b := range row {
				if contains(b.Text, label) {
					return msgs[i].MessageID, b.CallbackData, true
				}
			}
		}
		return 0, "", false
	}
	return 0, "", false
}
