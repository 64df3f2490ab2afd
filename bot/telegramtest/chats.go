package telegramtest

import (
	"context"
	"fmt"
	"time"
)

// User is a resident as Telegram describes them. A private chat's id is
// the user's id. With Group set, the user's messages come from that group
// chat instead.
type User struct {
	ID           int64
	FirstName    string
	LastName     string
	Username     string
	LanguageCode string
	Group        *Group
}

// Group is a group chat. Its ID is negative, as in Telegram; ids at or
// below -1000000000000 are supergroups.
type Group struct {
	ID    int64
	Title string
}

// InGroup returns the user writing in group g.
func (u User) InGroup(g Group) User {
	u.Group = &g
	return u
}

// ChatID is where the user's messages come from and replies go.
func (u User) ChatID() int64 {
	if u.Group != nil {
		return u.Group.ID
	}
	return u.ID
}

func (u User) wire() wireUser {
	return wireUser{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Username: u.Username, LanguageCode: u.LanguageCode}
}

// Message is one thing the bot did in a chat: a message sent, or an edit of
// an earlier one (Method tells which; an edit carries the edited message's
// id).
type Message struct {
	MessageID int
	ChatID    int64
	// Method is the Bot API method: sendMessage, editMessageText,
	// editMessageReplyMarkup, sendDocument or sendPhoto.
	Method string
	// Text is what the resident sees: the text after entity parsing (tags
	// removed, entities decoded, surrounding white space trimmed), or the
	// caption of a document or photo.
	Text string
	// Source is the text or caption as the bot sent it.
	Source         string
	ParseMode      string
	InlineKeyboard [][]Button
	Keyboard       [][]KeyboardButton
	RemoveKeyboard bool
	// ReplyToMessageID is the message this one answers, if any.
	ReplyToMessageID int
	// Document is set for sendDocument and sendPhoto; the bytes are
	// available from File(Document.FileID) while the file budget keeps them.
	Document *Document
	At       time.Time
}

// Button is an inline keyboard button.
type Button struct {
	Text         string
	CallbackData string
	URL          string
}

// KeyboardButton is a reply keyboard button.
type KeyboardButton struct {
	Text            string
	RequestContact  bool
	RequestLocation bool
}

// Document is a file the bot sent.
type Document struct {
	FileID string
	Name   string
	MIME   string
	Size   int
}

// chat is what the fake knows of one chat.
type chat struct {
	wire   wireChat
	lastID int // the last message id given in this chat, by anyone
	// known is set once a resident wrote from the chat; see
	// WithKnownChatsOnly.
	known   bool
	blocked bool
	sent    ring[Message]
	total   int // entries ever recorded, for WaitSent
	rate    window
	burst   allowance
	changed chan struct{} // closed on the next recorded entry; nil when nobody waits
}

// chat returns the chat with id, creating it. Callers hold s.mu.
func (s *Server) chat(id int64) *chat {
	c, ok := s.chats[id]
	if !ok {
		c = &chat{wire: wireChat{ID: id, Type: chatType(id)}, sent: newRing[Message](s.retainPerChat)}
		s.chats[id] = c
	}
	return c
}

// residentChat returns the chat a resident writes from, learning their
// profile. Writing again unblocks the bot, as a user must unblock a bot to
// write to it. Callers hold s.mu.
func (s *Server) residentChat(u User) *chat {
	c := s.chat(u.ChatID())
	c.known, c.blocked = true, false
	if u.Group != nil {
		c.wire.Title = u.Group.Title
	} else {
		c.wire.FirstName, c.wire.LastName, c.wire.Username = u.FirstName, u.LastName, u.Username
	}
	return c
}

func chatType(id int64) string {
	switch {
	case id <= -1000000000000:
		return "supergroup"
	case id < 0:
		return "group"
	}
	return "private"
}

// record keeps an entry of what the bot did and wakes WaitSent. Callers
// hold s.mu.
func (s *Server) record(c *chat, m Message) {
	c.sent.push(m)
	s.all.push(m)
	c.total++
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
}

// Sent returns the retained entries of a chat in the order accepted.
func (s *Server) Sent(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[chatID]
	if !ok {
		return nil
	}
	return c.sent.list()
}

// AllSent returns the retained entries of all chats in the order accepted.
func (s *Server) AllSent() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.all.list()
}

// WaitSent blocks until at least n entries were recorded for a chat (over
// its lifetime, however many are retained) and returns the retained ones.
// When ctx ends first it returns what there is and an error.
func (s *Server) WaitSent(ctx context.Context, chatID int64, n int) ([]Message, error) {
	for {
		s.mu.Lock()
		c := s.chat(chatID)
		if c.total >= n {
			out := c.sent.list()
			s.mu.Unlock()
			return out, nil
		}
		if c.changed == nil {
			c.changed = make(chan struct{})
		}
		changed, got := c.changed, c.total
		s.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return s.Sent(chatID), fmt.Errorf("wait for %d messages to chat %d, got %d: %w", n, chatID, got, ctx.Err())
		case <-s.done:
			return s.Sent(chatID), fmt.Errorf("wait for %d messages to chat %d, got %d: %w", n, chatID, got, errClosed)
		}
	}
}

// Block makes the chat's resident block the bot: sends to it fail with 403
// "Forbidden: bot was blocked by the user" (for a group: "bot was kicked")
// until the resident writes again.
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chat(chatID)
	c.known, c.blocked = true, true // only someone who talked to the bot can block it
}

// sendable returns the chat the bot may send to, or Telegram's refusal.
// Callers hold s.mu.
func (s *Server) sendable(chatID int64) (*chat, *apiError) {
	c, ok := s.chats[chatID]
	if (!ok || !c.known) && s.knownChatsOnly {
		return nil, badRequest("chat not found")
	}
	c = s.chat(chatID)
	if c.blocked {
		if c.wire.Type == "private" {
			return nil, &apiError{Code: 403, Description: "Forbidden: bot was blocked by the user"}
		}
		return nil, &apiError{Code: 403, Description: "Forbidden: bot was kicked from the group chat"}
	}
	return c, nil
}

// ring keeps the last limit values pushed.
type ring[T any] struct {
	items []T
	next  int // where the next push overwrites, once full
	limit int
}

func newRing[T any](limit int) ring[T] { return ring[T]{limit: limit} }

func (r *ring[T]) push(v T) {
	if len(r.items) < r.limit {
		r.items = append(r.items, v)
		return
	}
	r.items[r.next] = v
	r.next = (r.next + 1) % r.limit
}

// list returns the values oldest first.
func (r *ring[T]) list() []T {
	out := make([]T, 0, len(r.items))
	out = append(out, r.items[r.next:]...)
	return append(out, r.items[:r.next]...)
}

// latest returns the newest value that matches.
func (r *ring[T]) latest(match func(*T) bool) (*T, bool) {
	n := len(r.items)
	for i := 1; i <= n; i++ {
		v := &r.items[(r.next-i+n)%n]
		if match(v) {
			return v, true
		}
	}
	return nil, false
}
