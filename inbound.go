package langnghe

import "time"

// This file is what a channel hands the core: one thing a person did, in
// words every channel shares. A channel (bot/ for Telegram, the terminal
// chat) parses its own updates into an Inbound and needs nothing else of
// ours; conversation/ applies it and the flow engine reads its Input.

// InputKind says what a resident did.
type InputKind string

const (
	InputText       InputKind = "text"       // Text
	InputButton     InputKind = "button"     // Data: the pressed button's Data, unchanged
	InputContact    InputKind = "contact"    // Contact
	InputLocation   InputKind = "location"   // Location
	InputAttachment InputKind = "attachment" // Attachment (photo or document)
	InputTimeout    InputKind = "timeout"    // the wait's "no response" time passed
	// Command: the command's word, lower case, without its slash ("huy",
	// "myopinions", "publish"), and Text its arguments. The conversation
	// turns the residents' command words into the engine's command names
	// (flows.Command*) as it applies the input; other words pass as they are.
	InputCommand InputKind = "command"
)

// Contact is a shared phone contact.
type Contact struct {
	Phone string `json:"phone"`
	Name  string `json:"name,omitempty"`
}

// Input is one thing a resident did, already parsed by the channel.
type Input struct {
	Kind       InputKind   `json:"kind"`
	Text       string      `json:"text,omitempty"`
	Data       string      `json:"data,omitempty"`
	Command    string      `json:"command,omitempty"`
	Contact    *Contact    `json:"contact,omitempty"`
	Location   *Location   `json:"location,omitempty"`
	Attachment *Attachment `json:"attachment,omitempty"`
	At         time.Time   `json:"at,omitzero"`
}

// MenuCommand is one command of a chat's command menu (Telegram's
// setMyCommands): its word, without the slash, and what it does. The
// residents' menu is made from their commands' table (flows.Menu).
type MenuCommand struct {
	Word, Description string
}

// Inbound is one thing a person did in a channel, already parsed by it.
// Channels build it; the conversation applies it exactly once.
type Inbound struct {
	Channel string // ChannelTelegram, ...
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
	Input   Input
	// ReplyTo is the text of the bot's message this input replies to (empty
	// when it replies to nothing), and ReplyToID the channel's id for that
	// message in the chat: replying to a notification names the opinion it
	// is about (ReplyTarget).
	ReplyTo, ReplyToID string
	// File holds the bytes of a photo or document the channel fetched
	// (size-limited by the channel); Input.Attachment describes it.
	File []byte
}
