package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/bot/telegramtest"
	"langnghe/storage"
)

// TestRepliesMatchedByMessageID, end to end through the fake Bot API on
// both databases: a reply reaches the opinion its message was about by the
// message's id, whatever the text the reply quotes. An official's reply to
// a notification whose text now names another opinion answers the
// notification's own; a reply to one whose text names none answers it
// too; a resident's reply to the question why they are not satisfied,
// without its ❓ or code, is their reason. (Reading the quoted text, the
// first answered the wrong opinion and the others went nowhere.)
func TestRepliesMatchedByMessageID(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dbURL string) {
		fake, official, db := landOffice(t, dbURL, 7521)
		ctx := context.Background()

		lan := newResident(t, fake, 7621, "Lan", "vi")
		a := fileOpinionVI(lan, "Gia đình tôi nộp hồ sơ cấp sổ đỏ từ tháng 3 mà đến nay vẫn chưa được cấp", photo)
		noticeA := official.expect(a)
		hung := newResident(t, fake, 7622, "Hùng", "vi")
		b := fileOpinionVI(hung, "Đất nhà tôi bị lấn chiếm, đã báo xã nhiều lần nhưng chưa ai xuống đo đạc", photo)
		noticeB := official.expect(b)

		recorded(t, db, official, noticeA.MessageID)
		recorded(t, db, official, noticeB.MessageID)
		edit(t, fake, official, noticeA.MessageID, "Ý kiến "+b+" (thông báo đã sửa)")
		answerByReply(official, noticeA.MessageID, lan, "Hồ sơ của gia đình đã chuyển Văn phòng đăng ký đất đai.")
		if got := must(db.Opinion(ctx, a)); got.Status != langnghe.StatusAnswered {
			t.Fatalf("%s after the reply to its notification: %s, want answered", a, got.Status)
		}
		if got := must(db.Opinion(ctx, b)); got.Status != langnghe.StatusReceived {
			t.Fatalf("%s, named by the edited text only: %s, want received", b, got.Status)
		}

		edit(t, fake, official, noticeB.MessageID, "Thông báo đã được cập nhật")
		answerByReply(official, noticeB.MessageID, hung, "Ngày mai cán bộ địa chính xuống đo đạc lại.")
		if got := must(db.Opinion(ctx, b)); got.Status != langnghe.StatusAnswered {
			t.Fatalf("%s after the reply to its notification without a code: %s, want answered", b, got.Status)
		}

		lan.press("Chưa hài lòng")
		question := lan.expect("❓")
		official.expect("được mở lại")
		recorded(t, db, lan, question.MessageID)
		edit(t, fake, lan, question.MessageID, "Xin ông/bà cho biết thêm.")
		const reason = "Văn phòng đăng ký đất đai nói chưa nhận được hồ sơ"
		fake.SendReply(lan.user, question.MessageID, reason)
		lan.expect("Chúng tôi đã chuyển lý do")
		if got := official.expect("💬").Text; !strings.Contains(got, reason) {
			t.Errorf("the unit was told %q, want the reason", got)
		}
	})
}

// recorded waits until the service has recorded which opinion who's
// message id is about. The sender records it once Telegram has answered
// sendMessage, in the transaction that marks the message sent; a person
// reads a message before replying, but this test replies within
// milliseconds of its arrival, before that commit on a busy machine.
func recorded(t *testing.T, db *storage.DB, who *resident, id int) {
	t.Helper()
	chat, msg := strconv.FormatInt(who.user.ChatID(), 10), strconv.Itoa(id)
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := db.InTx(context.Background(), func(tx *storage.Tx) error {
			_, err := tx.ReplyTarget(context.Background(), langnghe.ChannelTelegram, chat, msg)
			return err
		})
		if err == nil {
			return
		}
		if langnghe.ErrorCode(err) != langnghe.ENOTFOUND || time.Now().After(deadline) {
			t.Fatalf("message %d in chat %s: %v", id, chat, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// answerByReply has official answer with Telegram's reply to their
// message id, and waits for the resident to read it and the official to
// be told so.
func answerByReply(official *resident, id int, to *resident, answer string) {
	official.t.Helper()
	official.fake.SendReply(official.user, id, answer)
	to.expect(answer)
	official.expect("Người dân đã được báo")
}

// edit changes the text of the bot's message id in who's chat through the
// Bot API, as the bot itself could, and reads the edit off the chat.
func edit(t *testing.T, fake *telegramtest.Server, who *resident, id int, text string) {
	t.Helper()
	form := url.Values{"chat_id": {strconv.FormatInt(who.user.ChatID(), 10)}, "message_id": {strconv.Itoa(id)}, "text": {text}}
	resp, err := http.PostForm(fmt.Sprintf(fake.Endpoint(), fake.Token(), "editMessageText"), form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("editMessageText: %s", resp.Status)
	}
	who.expect(text)
}
