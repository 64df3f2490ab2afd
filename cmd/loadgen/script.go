package main

import (
	"strings"

	"langnghe/bot/telegramtest"
)

// step is one thing a resident does, and the text that tells them the bot
// has answered it: the bot may send several messages for one input (a
// turn), and the resident reads on until one contains expect
// (case-insensitive), the question that ends the turn.
type step struct {
	action action
	arg    string // the text to write, or the label of the button to press
	expect string
}

type action int

const (
	write   action = iota // send arg as text
	press                 // press the inline button whose label contains arg
	contact               // share the resident's own phone number
)

// The journeys are the default flows walked in Vietnamese by a first-time
// resident as residents write now (see flows/journey_test.go): /start, the
// concern typed at the language picker (the language is read from it), the
// consent, the place, no photo (in words), and the summary. Residents take
// them in turn.
var (
	// consenting agrees to be contacted, confirms the place named in the
	// text and shares a phone number: every turn is one message.
	consenting = []step{
		{write, "/start", "chọn ngôn ngữ"},
		{write, "Gia đình tôi ở xã Minh Thạnh nộp hồ sơ cấp sổ đỏ (giấy chứng nhận quyền sử dụng đất) từ tháng 3 mà đến nay vẫn chưa được cấp", "đồng ý không"},
		{press, "Tôi đồng ý", "đúng không"},
		{press, "xã Minh Thạnh", "ảnh"},
		{write, "không có ảnh", "Chia sẻ số điện thoại"},
		{contact, "+84 912 345 678", "kiểm tra lại"},
		{press, "Gửi", "DT-"},
	}
	// anonymous declines the consent and types the commune: the turn after
	// the photo step is two messages (that the opinion goes anonymous, then
	// the summary with its buttons, which cannot share a message with the
	// removal of the location keyboard).
	anonymous = []step{
		{write, "/start", "chọn ngôn ngữ"},
		{write, "Đường vào ấp 4 có nhiều ổ gà lớn, xe máy ngã liên tục, đề nghị sửa chữa", "đồng ý không"},
		{press, "Không đồng ý", "xã/phường nào"},
		{write, "minh thanh", "ảnh"},
		{write, "không có ảnh", "kiểm tra lại"},
		{press, "Gửi", "DT-"},
	}
	journeys = [][]step{consenting, anonymous}
)

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
