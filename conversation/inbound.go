package conversation

import "langnghe/flows"

// Inbound is one thing a person did in a channel, already parsed by it.
// Channels (bot/ for Telegram, the terminal chat) build it; Handle applies it
// exactly once.
type Inbound struct {
	Channel string // langnghe.ChannelTelegram, ...
	// UpdateID is the channel's unique id for this input: a second Inbound
	// with the same (Channel, UpdateID) changes nothing.
	UpdateID string
	UserID   string // the person (for Telegram: the user id)
	ChatID   string // where replies go
	Name     string // display name from the channel's profile
	// LanguageCode is the client's language hint ("vi", "en-US", ...).
	LanguageCode string
	// Private is false for group chats, where the bot does not hold conversations.
	Private bool
	Input   flows.Input
	// ReplyTo is the text of the bot's message this input replies to (empty
	// when it replies to nothing), and ReplyToID the channel's id for that
	// message in the chat: replying to a notification names the opinion it
	// is about (langnghe.ReplyTarget).
	ReplyTo, ReplyToID string
	// File holds the bytes of a photo or document the channel fetched
	// (size-limited by the channel); Input.Attachment describes it.
	File []byte
}
