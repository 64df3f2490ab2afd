package telegramtest_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe/bot/telegramtest"
)

func Example() {
	s := telegramtest.NewServer()
	defer s.Close()
	bot, err := tgbotapi.NewBotAPIWithClient(s.Token(), s.Endpoint(), &http.Client{Timeout: time.Minute})
	if err != nil {
		fmt.Println(err)
		return
	}

	lan := telegramtest.User{ID: 1001, FirstName: "Lan", LanguageCode: "vi"}
	s.SendText(lan, "/start")

	// The bot's side: poll, answer, confirm.
	updates, _ := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 5})
	for _, u := range updates {
		reply := tgbotapi.NewMessage(u.Message.Chat.ID, "Xin chào! Bạn muốn góp ý về lĩnh vực nào?")
		reply.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData("Đất đai", "cat:land")))
		if _, err := bot.Send(reply); err != nil {
			fmt.Println(err)
		}
		_, _ = bot.GetUpdates(tgbotapi.UpdateConfig{Offset: u.UpdateID + 1})
	}

	msgs, _ := s.WaitSent(context.Background(), lan.ID, 1)
	fmt.Println(msgs[0].Text, msgs[0].InlineKeyboard[0][0].CallbackData)
	fmt.Println("pending:", s.Pending())
	// Output:
	// Xin chào! Bạn muốn góp ý về lĩnh vực nào? cat:land
	// pending: 0
}
