package telegramtest

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
)

// The methods below play residents: each creates one update for the bot
// and returns its update_id.

// SendText is the user writing text. A leading /command is marked as a
// bot_command entity, as Telegram does.
func (s *Server) SendText(user User, text string) int {
	return s.postMessage(user, func(m *wireMessage) {
		m.Text = text
		m.Entities = commandEntities(text)
	})
}

// SendContact is the user sharing their own contact, as a request_contact
// keyboard button does.
func (s *Server) SendContact(user User, phone string) int {
	return s.postMessage(user, func(m *wireMessage) {
		m.Contact = &wireContact{PhoneNumber: phone, FirstName: user.FirstName, LastName: user.LastName, UserID: user.ID}
	})
}

// SendLocation is the user sharing a location.
func (s *Server) SendLocation(user User, lat, lon float64) int {
	return s.postMessage(user, func(m *wireMessage) {
		m.Location = &wireLocation{Latitude: lat, Longitude: lon}
	})
}

// SendPhoto is the user sending a photo; the bot can fetch it with getFile.
func (s *Server) SendPhoto(user User, data []byte) int {
	width, height := photoSize(data)
	return s.postMessage(user, func(m *wireMessage) {
		f := s.files.add("photos", "", "image/jpeg", data)
		m.Photo = []wirePhotoSize{{FileID: f.id, FileUniqueID: "u" + f.id, Width: width, Height: height, FileSize: len(data)}}
	})
}

// SendDocument is the user sending a file; the bot can fetch it with
// getFile.
func (s *Server) SendDocument(user User, name, mimeType string, data []byte) int {
	return s.postMessage(user, func(m *wireMessage) {
		f := s.files.add("documents", name, mimeType, data)
		m.Document = &wireDocument{FileID: f.id, FileUniqueID: "u" + f.id, FileName: name, MimeType: f.mime, FileSize: len(data)}
	})
}

// SendReply is the user replying with text to the bot's message messageID
// in their chat: the update carries reply_to_message as the fake last
// recorded it (the bot as its sender, its text), as Telegram does.
func (s *Server) SendReply(user User, messageID int, text string) int {
	return s.postMessage(user, func(m *wireMessage) {
		m.Text = text
		m.Entities = commandEntities(text)
		c := s.residentChat(user)
		if sent, ok := c.sent.latest(func(x *Message) bool { return x.MessageID == messageID }); ok {
			m.ReplyToMessage = s.wireMessage(c, *sent)
		} else {
			m.ReplyToMessage = &wireMessage{MessageID: messageID, Chat: c.wire, Date: s.now().Unix()}
		}
	})
}

// postMessage queues a message update from user; fill sets its content
// while s.mu is held.
func (s *Server) postMessage(user User, fill func(*wireMessage)) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.residentChat(user)
	c.lastID++
	from := user.wire()
	m := &wireMessage{MessageID: c.lastID, From: &from, Date: s.now().Unix(), Chat: c.wire}
	fill(m)
	return s.enqueue(lineKey{chat: c.wire.ID}, "message", func(id int) ([]byte, []byte) {
		return marshalUpdate(wireUpdate{UpdateID: id, Message: m}), nil
	})
}

// PressButton is the user pressing an inline button with callback data on
// the bot's message messageID. The update carries the message as the fake
// last recorded it. The bot should answer with answerCallbackQuery; see
// Answered.
func (s *Server) PressButton(user User, messageID int, data string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.residentChat(user)
	msg := &wireMessage{MessageID: messageID, Chat: c.wire, Date: s.now().Unix()}
	if m, ok := c.sent.latest(func(m *Message) bool { return m.MessageID == messageID }); ok {
		msg = s.wireMessage(c, *m)
	}
	return s.enqueue(lineKey{chat: c.wire.ID}, "callback_query", func(id int) ([]byte, []byte) {
		s.rememberCallback(id)
		return marshalUpdate(wireUpdate{UpdateID: id, CallbackQuery: &wireCallbackQuery{
			ID:           callbackID(id),
			From:         user.wire(),
			Message:      msg,
			ChatInstance: strconv.FormatInt(c.wire.ID, 10),
			Data:         data,
		}}), nil
	})
}

// rememberCallback keeps a press for answerCallbackQuery, forgetting the
// oldest beyond the retention. Callers hold s.mu.
func (s *Server) rememberCallback(updateID int) {
	if len(s.cbOrder.items) == s.cbOrder.limit {
		delete(s.callbacks, s.cbOrder.items[s.cbOrder.next])
	}
	s.cbOrder.push(updateID)
	s.callbacks[updateID] = &callback{}
}

// SendUpdate queues an arbitrary update body, for robustness tests. A JSON
// object gets its update_id set and is delivered as is (its chat, if it
// names one, orders webhook delivery). Anything else reaches a webhook
// verbatim, and getUpdates returns it as an update with only an update_id,
// as a client sees an update of a kind it does not know.
func (s *Server) SendUpdate(raw json.RawMessage) int {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil || obj == nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		body := append([]byte(nil), raw...)
		return s.enqueue(lineKey{}, "", func(id int) ([]byte, []byte) {
			return marshalUpdate(wireUpdate{UpdateID: id}), body
		})
	}
	kind, chat := describeUpdate(obj)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enqueue(lineKey{chat: chat}, kind, func(id int) ([]byte, []byte) {
		obj["update_id"] = json.RawMessage(strconv.Itoa(id))
		body, err := json.Marshal(obj)
		if err != nil { // values came from valid JSON; cannot happen
			return marshalUpdate(wireUpdate{UpdateID: id}), nil
		}
		return body, nil
	})
}

// updateKinds are the fields that name an update's kind in the Bot API.
var updateKinds = []string{
	"message", "edited_message", "channel_post", "edited_channel_post", "inline_query",
	"chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query", "poll",
	"poll_answer", "my_chat_member", "chat_member", "chat_join_request",
	"message_reaction", "message_reaction_count",
}

// describeUpdate finds an update's kind (its field other than update_id)
// and its chat, if any.
func describeUpdate(obj map[string]json.RawMessage) (kind string, chat int64) {
	keys := slices.Sorted(maps.Keys(obj))
	for _, k := range keys {
		if slices.Contains(updateKinds, k) {
			kind = k
			break
		}
	}
	if kind == "" {
		for _, k := range keys {
			if k != "update_id" {
				kind = k
				break
			}
		}
	}
	var probe struct {
		Chat *struct {
			ID int64 `json:"id"`
		} `json:"chat"`
		Message *struct {
			Chat *struct {
				ID int64 `json:"id"`
			} `json:"chat"`
		} `json:"message"`
	}
	if kind == "" || json.Unmarshal(obj[kind], &probe) != nil {
		return kind, 0
	}
	switch {
	case probe.Chat != nil:
		return kind, probe.Chat.ID
	case probe.Message != nil && probe.Message.Chat != nil:
		return kind, probe.Message.Chat.ID
	}
	return kind, 0
}

func marshalUpdate(u wireUpdate) []byte {
	body, err := json.Marshal(u)
	if err != nil { // plain structs of strings and numbers always marshal
		return []byte(`{"update_id":` + strconv.Itoa(u.UpdateID) + `}`)
	}
	return body
}
