package telegramtest

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// markup is a parsed reply_markup.
type markup struct {
	inline   [][]Button
	keyboard [][]KeyboardButton
	remove   bool
}

// maxInlineButtons is how many inline buttons Telegram takes on a message.
const maxInlineButtons = 100

// parseMarkup reads reply_markup, a JSON object the library sends as a
// string, and checks it as Telegram does.
func parseMarkup(raw string) (markup, *apiError) {
	var m markup
	if raw == "" {
		return m, nil
	}
	var wire struct {
		InlineKeyboard [][]wireInlineButton `json:"inline_keyboard"`
		Keyboard       [][]json.RawMessage  `json:"keyboard"`
		RemoveKeyboard bool                 `json:"remove_keyboard"`
		ForceReply     bool                 `json:"force_reply"`
	}
	if err := json.Unmarshal([]byte(raw), &wire); err != nil {
		return m, badRequest("can't parse reply keyboard markup JSON object")
	}
	count := 0
	for _, row := range wire.InlineKeyboard {
		var out []Button
		for _, b := range row {
			if count++; count > maxInlineButtons {
				return m, badRequest("reply markup is too long")
			}
			button, err := inlineButton(b)
			if err != nil {
				return m, err
			}
			out = append(out, button)
		}
		m.inline = append(m.inline, out)
	}
	for _, row := range wire.Keyboard {
		var out []KeyboardButton
		for _, raw := range row {
			b, err := keyboardButton(raw)
			if err != nil {
				return m, err
			}
			out = append(out, b)
		}
		m.keyboard = append(m.keyboard, out)
	}
	m.remove = wire.RemoveKeyboard
	return m, nil
}

func inlineButton(b wireInlineButton) (Button, *apiError) {
	out := Button{Text: b.Text}
	switch {
	case b.CallbackData != nil:
		if n := len(*b.CallbackData); n < 1 || n > 64 {
			return out, badRequest("BUTTON_DATA_INVALID")
		}
		out.CallbackData = *b.CallbackData
	case b.URL != nil:
		u, err := url.Parse(*b.URL)
		if err != nil || !slices.Contains([]string{"http", "https", "tg"}, u.Scheme) {
			return out, badRequest("BUTTON_URL_INVALID")
		}
		out.URL = *b.URL
	case b.SwitchInlineQuery != nil, b.SwitchInlineQueryCurrentChat != nil, b.LoginURL != nil,
		b.WebApp != nil, b.CallbackGame != nil, b.Pay:
	default:
		return out, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	}
	if strings.TrimSpace(b.Text) == "" {
		return out, badRequest("can't parse inline keyboard button: Field \"text\" must be of type String")
	}
	return out, nil
}

// keyboardButton reads a reply keyboard button: an object, or a bare
// string as Telegram also accepts.
func keyboardButton(raw json.RawMessage) (KeyboardButton, *apiError) {
	var text string
	if json.Unmarshal(raw, &text) == nil {
		return KeyboardButton{Text: text}, nil
	}
	var b struct {
		Text            *string `json:"text"`
		RequestContact  bool    `json:"request_contact"`
		RequestLocation bool    `json:"request_location"`
	}
	if json.Unmarshal(raw, &b) != nil || b.Text == nil {
		return KeyboardButton{}, badRequest("can't parse keyboard button: Field \"text\" must be of type String")
	}
	return KeyboardButton{Text: *b.Text, RequestContact: b.RequestContact, RequestLocation: b.RequestLocation}, nil
}

// chatID reads chat_id. Channel usernames (@name) are not known here.
func chatID(p params) (int64, *apiError) {
	raw := strings.TrimSpace(p.get("chat_id"))
	if raw == "" {
		return 0, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id == 0 {
		return 0, badRequest("chat not found")
	}
	return id, nil
}

// messageText reads and checks a message text or caption against limit.
func messageText(p params, key string, limit int) (plain string, ae *apiError) {
	plain, ae = parseText(p.get(key), p.get("parse_mode"))
	if ae != nil {
		return "", ae
	}
	if utf16Len(plain) > limit {
		if key == "caption" {
			return "", badRequest("message caption is too long")
		}
		return "", badRequest("message is too long")
	}
	return plain, nil
}

// sendMessage checks the text (UTF-8, entities, 1–4096 UTF-16 units after
// parsing) and the markup, then the chat and the flood limits.
func (s *Server) sendMessage(_ context.Context, p params) (any, *apiError) {
	id, ae := chatID(p)
	if ae != nil {
		return nil, ae
	}
	text, mk, ae := textMessage(p)
	if ae != nil {
		return nil, ae
	}
	replyTo, ae := p.int("reply_to_message_id")
	if ae != nil {
		return nil, ae
	}
	return s.withChat(id, func(c *chat) (any, *apiError) {
		if replyTo != 0 && (replyTo < 0 || int(replyTo) > c.lastID) {
			if !p.bool("allow_sending_without_reply") {
				return nil, badRequest("message to reply not found")
			}
			replyTo = 0
		}
		if ae := s.admit(c); ae != nil {
			return nil, ae
		}
		c.lastID++
		m := Message{
			MessageID: c.lastID, ChatID: id, Method: "sendMessage",
			Text: text, Source: p.get("text"), ParseMode: p.get("parse_mode"),
			InlineKeyboard: mk.inline, Keyboard: mk.keyboard, RemoveKeyboard: mk.remove,
			ReplyToMessageID: int(replyTo), At: s.now(),
		}
		s.record(c, m)
		return s.wireMessage(c, m), nil
	})
}

// withChat runs fn, holding s.mu, on the chat with id when the bot may
// send to it; otherwise it returns Telegram's error.
func (s *Server) withChat(id int64, fn func(c *chat) (any, *apiError)) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ae := s.sendable(id)
	if ae != nil {
		return nil, ae
	}
	return fn(c)
}

// textMessage reads the text (non-empty) and the markup of a message sent
// or edited.
func textMessage(p params) (string, markup, *apiError) {
	text, ae := messageText(p, "text", maxTextLen)
	if ae != nil {
		return "", markup{}, ae
	}
	if text == "" {
		return "", markup{}, badRequest("message text is empty")
	}
	mk, ae := parseMarkup(p.get("reply_markup"))
	return text, mk, ae
}

// wireMessage is a message the bot sent as Telegram returns it. Callers
// hold s.mu.
func (s *Server) wireMessage(c *chat, m Message) *wireMessage {
	bot := s.bot
	w := &wireMessage{MessageID: m.MessageID, From: &bot, Date: m.At.Unix(), Chat: c.wire, Text: m.Text}
	if m.ReplyToMessageID != 0 {
		w.ReplyToMessage = &wireMessage{MessageID: m.ReplyToMessageID, Chat: c.wire}
	}
	if m.Method == "editMessageText" || m.Method == "editMessageReplyMarkup" {
		w.EditDate = m.At.Unix()
	}
	if len(m.InlineKeyboard) > 0 {
		w.ReplyMarkup = &wireInlineReply{}
		for _, row := range m.InlineKeyboard {
			var out []wireInlineButton
			for _, b := range row {
				wb := wireInlineButton{Text: b.Text}
				if b.CallbackData != "" {
					wb.CallbackData = &b.CallbackData
				}
				if b.URL != "" {
					wb.URL = &b.URL
				}
				out = append(out, wb)
			}
			w.ReplyMarkup.InlineKeyboard = append(w.ReplyMarkup.InlineKeyboard, out)
		}
	}
	if d := m.Document; d != nil {
		w.Text, w.Caption = "", m.Text
		if m.Method == "sendPhoto" {
			w.Photo = []wirePhotoSize{{FileID: d.FileID, FileUniqueID: "u" + d.FileID, FileSize: d.Size}}
		} else {
			w.Document = &wireDocument{FileID: d.FileID, FileUniqueID: "u" + d.FileID, FileName: d.Name, MimeType: d.MIME, FileSize: d.Size}
		}
	}
	return w
}

// editTarget finds the message an edit names and what it shows now.
// Messages older than the retained history are taken on trust. Callers
// hold s.mu.
func (s *Server) editTarget(p params) (*chat, Message, *apiError) {
	if p.get("inline_message_id") != "" {
		return nil, Message{}, badRequest("MESSAGE_ID_INVALID")
	}
	c, msgID, ae := s.sentMessage(p, "edit")
	if ae != nil {
		return nil, Message{}, ae
	}
	cur := Message{MessageID: msgID, ChatID: c.wire.ID}
	if m, ok := c.sent.latest(func(m *Message) bool { return m.MessageID == msgID }); ok {
		cur = *m
	}
	return c, cur, nil
}

// sentMessage finds the chat and the id of a message the bot sent there,
// which the request names to verb (edit, delete). Callers hold s.mu.
func (s *Server) sentMessage(p params, verb string) (*chat, int, *apiError) {
	id, ae := chatID(p)
	if ae != nil {
		return nil, 0, ae
	}
	msgID, ae := p.int("message_id")
	if ae != nil {
		return nil, 0, ae
	}
	c, ae := s.sendable(id)
	if ae != nil {
		return nil, 0, ae
	}
	if msgID <= 0 || int(msgID) > c.lastID {
		return nil, 0, badRequest("message to %s not found", verb)
	}
	return c, int(msgID), nil
}

const errNotModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

func (s *Server) editMessageText(_ context.Context, p params) (any, *apiError) {
	text, mk, ae := textMessage(p)
	if ae != nil {
		return nil, ae
	}
	return s.edit(p, "editMessageText", func(m *Message) {
		m.Text, m.Source, m.ParseMode, m.InlineKeyboard = text, p.get("text"), p.get("parse_mode"), mk.inline
	})
}

func (s *Server) editMessageReplyMarkup(_ context.Context, p params) (any, *apiError) {
	mk, ae := parseMarkup(p.get("reply_markup"))
	if ae != nil {
		return nil, ae
	}
	return s.edit(p, "editMessageReplyMarkup", func(m *Message) { m.InlineKeyboard = mk.inline })
}

// edit records the edit of the message p names: change turns what it shows
// (its text and inline keyboard) into the edited message. An edit that
// changes neither fails, as Telegram's does.
func (s *Server) edit(p params, method string, change func(m *Message)) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, cur, ae := s.editTarget(p)
	if ae != nil {
		return nil, ae
	}
	m := Message{
		MessageID: cur.MessageID, ChatID: cur.ChatID, Method: method,
		Text: cur.Text, Source: cur.Source, ParseMode: cur.ParseMode,
	}
	change(&m)
	if cur.Method != "" && cur.Text == m.Text && keyboardsEqual(cur.InlineKeyboard, m.InlineKeyboard) {
		return nil, badRequest(errNotModified)
	}
	m.At = s.now()
	s.record(c, m)
	return s.wireMessage(c, m), nil
}

func keyboardsEqual(a, b [][]Button) bool {
	return slices.EqualFunc(a, b, func(x, y []Button) bool { return slices.Equal(x, y) })
}

func (s *Server) deleteMessage(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, _, ae := s.sentMessage(p, "delete"); ae != nil {
		return nil, ae
	}
	return true, nil
}

var chatActions = []string{
	"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
	"upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
}

func (s *Server) sendChatAction(_ context.Context, p params) (any, *apiError) {
	id, ae := chatID(p)
	if ae != nil {
		return nil, ae
	}
	if !slices.Contains(chatActions, p.get("action")) {
		return nil, badRequest("wrong parameter action in request")
	}
	return s.withChat(id, func(*chat) (any, *apiError) { return true, nil })
}

// callback is a button press and the bot's answer to it.
type callback struct {
	answered bool
	answer   CallbackAnswer
}

// CallbackAnswer is how the bot answered a button press.
type CallbackAnswer struct {
	Text      string
	ShowAlert bool
}

// callbackID is the callback_query id of the press that made update id.
func callbackID(updateID int) string { return "cq" + strconv.Itoa(updateID) }

// Answered reports how the bot answered the button press that made update
// updateID, and whether it answered at all.
func (s *Server) Answered(updateID int) (CallbackAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cb, ok := s.callbacks[updateID]
	if !ok || !cb.answered {
		return CallbackAnswer{}, false
	}
	return cb.answer, true
}

func (s *Server) answerCallbackQuery(_ context.Context, p params) (any, *apiError) {
	errInvalid := badRequest("query is too old and response timeout expired or query ID is invalid")
	raw, ok := strings.CutPrefix(p.get("callback_query_id"), "cq")
	if !ok {
		return nil, errInvalid
	}
	updateID, err := strconv.Atoi(raw)
	if err != nil {
		return nil, errInvalid
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cb, ok := s.callbacks[updateID]
	if !ok || cb.answered {
		return nil, errInvalid
	}
	cb.answered = true
	cb.answer = CallbackAnswer{Text: p.get("text"), ShowAlert: p.bool("show_alert")}
	return true, nil
}

// Command is a bot command as set by setMyCommands.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// Commands returns the commands the bot last set.
func (s *Server) Commands() []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands)
}

func (s *Server) setMyCommands(_ context.Context, p params) (any, *apiError) {
	var cmds []Command
	if err := json.Unmarshal([]byte(p.get("commands")), &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, badRequest("too many commands specified")
	}
	for _, c := range cmds {
		if !validCommand(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := len([]rune(strings.TrimSpace(c.Description))); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands = cmds
	return true, nil
}

// validCommand: 1–32 lower-case letters, digits and underscores.
func validCommand(c string) bool {
	if len(c) < 1 || len(c) > 32 {
		return false
	}
	for _, r := range c {
		if !(r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')) {
			return false
		}
	}
	return true
}

func (s *Server) getMyCommands(context.Context, params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.commands == nil {
		return []Command{}, nil
	}
	return slices.Clone(s.commands), nil
}

func (s *Server) deleteMyCommands(context.Context, params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands = nil
	return true, nil
}
