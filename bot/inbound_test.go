package bot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/bot/telegramtest"
)

var (
	alice = telegramtest.User{ID: 1001, FirstName: "Lan", LastName: "Nguyễn", LanguageCode: "vi"}
	bob   = telegramtest.User{ID: 1002, FirstName: "Bob", LanguageCode: "en-US"}
	board = telegramtest.Group{ID: -2001, Title: "Ban dân vận"}
)

// TestInboundConversion drives the real library through the fake: each case
// is something a resident does, and what the Handler must receive.
func TestInboundConversion(t *testing.T) {
	fake := newFake(t)
	const limit = 1024
	tb := newTestBot(t, fake, Config{AttachmentLimit: limit})
	tb.run(t)

	smallPhoto := bytes.Repeat([]byte{0xFF}, 300)
	bigPhoto := bytes.Repeat([]byte{0xAB}, limit+1)
	doc := []byte("name: demo\nnodes: []\n")
	at := func(in langnghe.Inbound) time.Time { return in.Input.At }

	tests := []struct {
		name string
		do   func() int // returns the update id
		// want is the Input expected; At is checked separately.
		want    langnghe.Input
		user    telegramtest.User
		private bool
		file    []byte
		check   func(t *testing.T, in langnghe.Inbound)
	}{
		{name: "text", user: alice, private: true,
			do:   func() int { return fake.SendText(alice, "Đường ấp 3 bị ngập") },
			want: langnghe.Input{Kind: langnghe.InputText, Text: "Đường ấp 3 bị ngập"}},
		{name: "vietnamese command", user: alice, private: true,
			do:   func() int { return fake.SendText(alice, "/huy") },
			want: langnghe.Input{Kind: langnghe.InputCommand, Command: "huy"}},
		{name: "english command with bot suffix and args", user: alice, private: true,
			do:   func() int { return fake.SendText(alice, "/MyOpinions@"+fake.BotUsername()+"  DT-2026-000001 ") },
			want: langnghe.Input{Kind: langnghe.InputCommand, Command: "myopinions", Text: "DT-2026-000001"}},
		{name: "every resident command", user: alice, private: true,
			do:   func() int { return fake.SendText(alice, "/xoadulieu") },
			want: langnghe.Input{Kind: langnghe.InputCommand, Command: "xoadulieu"}},
		{name: "admin command passes through", user: alice, private: true,
			do:   func() int { return fake.SendText(alice, "/publish report 3") },
			want: langnghe.Input{Kind: langnghe.InputCommand, Command: "publish", Text: "report 3"}},
		{name: "command for another bot is text", user: alice, private: true,
			do:   func() int { return fake.SendText(alice, "/start@other_bot") },
			want: langnghe.Input{Kind: langnghe.InputText, Text: "/start@other_bot"}},
		{name: "slash that is no command", user: alice, private: true,
			do:   func() int { return fake.SendText(alice, "/ đường") },
			want: langnghe.Input{Kind: langnghe.InputText, Text: "/ đường"}},
		{name: "button", user: alice, private: true,
			do:   func() int { return fake.PressButton(alice, 7, "cat:land") },
			want: langnghe.Input{Kind: langnghe.InputButton, Data: "cat:land"}},
		{name: "own contact", user: bob, private: true,
			do:   func() int { return fake.SendContact(bob, "+84901234567") },
			want: langnghe.Input{Kind: langnghe.InputContact, Contact: &langnghe.Contact{Phone: "+84901234567", Name: "Bob"}}},
		{name: "someone else's contact is dropped", user: alice, private: true,
			do: func() int {
				return fake.SendUpdate(json.RawMessage(`{"message":{"message_id":50,"date":` + strconv.FormatInt(time.Now().Unix(), 10) + `,
					"from":{"id":1001,"first_name":"Lan","last_name":"Nguyễn","language_code":"vi"},
					"chat":{"id":1001,"type":"private"},
					"contact":{"phone_number":"+84999999999","first_name":"Stranger","user_id":4242}}}`))
			},
			want: langnghe.Input{Kind: langnghe.InputText}},
		{name: "location", user: alice, private: true,
			do:   func() int { return fake.SendLocation(alice, 11.3, 106.4) },
			want: langnghe.Input{Kind: langnghe.InputLocation, Location: &langnghe.Location{Latitude: 11.3, Longitude: 106.4}}},
		{name: "photo fetched", user: alice, private: true, file: smallPhoto,
			do: func() int { return fake.SendPhoto(alice, smallPhoto) },
			want: langnghe.Input{Kind: langnghe.InputAttachment, Attachment: &langnghe.Attachment{
				Kind: "photo", MIME: "image/jpeg", Size: int64(len(smallPhoto))}}},
		{name: "photo over the limit arrives without bytes", user: alice, private: true,
			do: func() int { return fake.SendPhoto(alice, bigPhoto) },
			want: langnghe.Input{Kind: langnghe.InputAttachment, Attachment: &langnghe.Attachment{
				Kind: "photo", MIME: "image/jpeg", Size: int64(len(bigPhoto))}}},
		{name: "document", user: bob, private: true, file: doc,
			do: func() int { return fake.SendDocument(bob, "flow.yaml", "application/yaml", doc) },
			want: langnghe.Input{Kind: langnghe.InputAttachment, Attachment: &langnghe.Attachment{
				Kind: "document", Name: "flow.yaml", MIME: "application/yaml", Size: int64(len(doc))}}},
		{name: "group message", user: alice.InGroup(board), private: false,
			do:   func() int { return fake.SendText(alice.InGroup(board), "/menu@"+fake.BotUsername()) },
			want: langnghe.Input{Kind: langnghe.InputCommand, Command: "menu"}},
	}
	before := time.Now().Add(-time.Minute)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := tt.do()
			got := tb.handler.waitApplied(t, i+1)[i]
			if got.UpdateID != strconv.Itoa(id) {
				t.Fatalf("applied update %s, want %d", got.UpdateID, id)
			}
			wantName := strings.TrimSpace(tt.user.FirstName + " " + tt.user.LastName)
			if got.Channel != langnghe.ChannelTelegram || got.UserID != fmt.Sprint(tt.user.ID) ||
				got.ChatID != fmt.Sprint(tt.user.ChatID()) || got.Private != tt.private ||
				got.Name != wantName || got.LanguageCode != tt.user.LanguageCode {
				t.Errorf("inbound = %+v", got)
			}
			if at(got).Before(before) || at(got).After(time.Now().Add(time.Minute)) {
				t.Errorf("Input.At = %v", at(got))
			}
			in := got.Input
			in.At = time.Time{}
			if in.Attachment != nil {
				if in.Attachment.FileID == "" {
					t.Error("attachment without file id")
				}
				a := *in.Attachment
				a.FileID = ""
				in.Attachment = &a
			}
			gotJSON, _ := json.Marshal(in)
			wantJSON, _ := json.Marshal(tt.want)
			if !bytes.Equal(gotJSON, wantJSON) {
				t.Errorf("input\n got %s\nwant %s", gotJSON, wantJSON)
			}
			if !bytes.Equal(got.File, tt.file) {
				t.Errorf("file = %d bytes, want %d", len(got.File), len(tt.file))
			}
		})
	}
}

// TestUpdatesTheBotIgnores: unknown, malformed and unusable updates are
// acknowledged without reaching the Handler, never crash the bot, and
// never hold up the updates after them.
func TestUpdatesTheBotIgnores(t *testing.T) {
	fake := newFake(t)
	tb := newTestBot(t, fake, Config{})
	tb.run(t)

	for _, raw := range []string{
		`{"edited_message":{"message_id":1,"date":1,"chat":{"id":1001,"type":"private"},"from":{"id":1001,"first_name":"Lan"},"text":"sửa"}}`,
		`{"channel_post":{"message_id":1,"date":1,"chat":{"id":-100123,"type":"channel"},"text":"tin"}}`,
		`{"poll":{"id":"p1","question":"?","options":[]}}`,
		`{"message":"this is not a message object"}`,
		`not json at all`,
		// A press on an inline-mode message has no message: Update.FromChat
		// would panic on it.
		`{"callback_query":{"id":"cq-inline","from":{"id":1001,"first_name":"Lan"},"inline_message_id":"abc","chat_instance":"1","data":"x"}}`,
		// No sender (an anonymous group admin).
		`{"message":{"message_id":2,"date":1,"chat":{"id":-2001,"type":"group"},"text":"hi"}}`,
	} {
		fake.SendUpdate(json.RawMessage(raw))
	}
	last := fake.SendText(alice, "sau cùng")
	got := tb.handler.waitApplied(t, 1)
	if len(got) != 1 || got[0].UpdateID != strconv.Itoa(last) {
		t.Fatalf("handler got %+v, want only update %d", got, last)
	}
	ctx := t.Context()
	if err := fake.WaitConfirmed(ctx, last); err != nil {
		t.Fatalf("updates not confirmed: %v (pending %d)", err, fake.Pending())
	}
	if !strings.Contains(tb.logs.String(), "malformed update ignored") {
		t.Error("the undecodable update was not logged")
	}
	// The press is answered beside the update, not before it is confirmed.
	waitFor(t, 5*time.Second, func() bool { return fake.Calls("answerCallbackQuery") >= 1 })
	if n := fake.Calls("answerCallbackQuery"); n != 1 {
		t.Errorf("answerCallbackQuery called %d times for the inline press, want 1", n)
	}
}

func TestCallbackQueryIsAlwaysAnswered(t *testing.T) {
	fake := newFake(t)
	tb := newTestBot(t, fake, Config{})
	tb.handler.setFail(func(in langnghe.Inbound, call int) error {
		if call == 1 {
			return fmt.Errorf("database down")
		}
		return nil
	})
	tb.run(t)

	// Forged data no flow ever sent, and a handler that fails once: the
	// press is answered anyway, and applied on the retry.
	id := fake.PressButton(alice, 999, "forged:"+strings.Repeat("z", 100))
	got := tb.handler.waitApplied(t, 1)
	if got[0].Input.Data != "forged:"+strings.Repeat("z", 100) {
		t.Errorf("data = %q", got[0].Input.Data)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, ok := fake.Answered(id); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("callback query never answered")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
