package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe"
)

// Handler applies one input exactly once (conversation.Service implements
// it). A nil error means the input's effects are committed, or that it was a
// duplicate: only then may the update be acknowledged to Telegram.
type Handler interface {
	Handle(ctx context.Context, in langnghe.Inbound) error
}

// callbackAnswerTimeout bounds the answer to a button press, which only
// stops the client's spinner.
const callbackAnswerTimeout = 10 * time.Second

// commandName is what Telegram accepts as a command: 1–32 of a-z, 0-9, _.
var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// receiver turns Telegram updates into langnghe.Inbound and hands them to
// the Handler. The poller and the webhook share it, so both paths behave the
// same.
type receiver struct {
	client      *Client
	handler     Handler
	log         *slog.Logger
	maxFileSize int64
	now         func() time.Time
}

// process applies one update. A nil error means the update may be
// acknowledged: it was handled, or it is of a kind the bot ignores.
func (r *receiver) process(ctx context.Context, u tgbotapi.Update) error {
	in, ok, err := r.inbound(ctx, u)
	if err != nil {
		return fmt.Errorf("update %d: %w", u.UpdateID, err)
	}
	if ok {
		err = r.handler.Handle(ctx, in)
	}
	if u.CallbackQuery != nil {
		// Always answer, even for stale or forged data, so the client stops
		// its spinner. Nothing waits for the answer: a failure loses
		// nothing, and a slow or failing Telegram must not hold up intake.
		id := u.CallbackQuery.ID
		go func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), callbackAnswerTimeout)
			defer cancel()
			if aerr := r.client.request(ctx, tgbotapi.NewCallback(id, ""), "answerCallbackQuery"); aerr != nil {
				r.log.DebugContext(ctx, "answer callback query", "update_id", u.UpdateID, "error", aerr)
			}
		}()
	}
	if err != nil {
		return fmt.Errorf("handle update %d: %w", u.UpdateID, err)
	}
	if !ok {
		r.log.DebugContext(ctx, "update ignored", "update_id", u.UpdateID)
	}
	return nil
}

// inbound converts u. ok is false for updates the bot does not act on
// (edited messages, channel posts, inline callbacks, unknown kinds); they are
// acknowledged without reaching the Handler. err is set only when a retry may
// succeed (a file download that failed for a transient reason).
func (r *receiver) inbound(ctx context.Context, u tgbotapi.Update) (in langnghe.Inbound, ok bool, err error) {
	in = langnghe.Inbound{
		Channel:  langnghe.ChannelTelegram,
		UpdateID: strconv.Itoa(u.UpdateID),
	}
	switch {
	case u.Message != nil:
		return r.message(ctx, in, u.Message)
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		// Update.FromChat panics here when the button belonged to an inline
		// message; we never send those, so such a press is ignored.
		if q.From == nil || q.Message == nil || q.Message.Chat == nil {
			return in, false, nil
		}
		setSender(&in, q.From, q.Message.Chat)
		in.Input = langnghe.Input{Kind: langnghe.InputButton, Data: q.Data, At: r.now().UTC()}
		return in, true, nil
	default:
		return in, false, nil
	}
}

func setSender(in *langnghe.Inbound, from *tgbotapi.User, chat *tgbotapi.Chat) {
	in.UserID = strconv.FormatInt(from.ID, 10)
	in.Name = strings.TrimSpace(from.FirstName + " " + from.LastName)
	in.LanguageCode = from.LanguageCode
	in.ChatID = strconv.FormatInt(chat.ID, 10)
	in.Private = chat.IsPrivate()
}

// message converts a new message. Content the bot cannot use (stickers,
// polls, someone else's contact) arrives as an empty text so the flow can
// ask again politely instead of leaving the resident without an answer.
func (r *receiver) message(ctx context.Context, in langnghe.Inbound, m *tgbotapi.Message) (langnghe.Inbound, bool, error) {
	if m.From == nil || m.Chat == nil {
		// Anonymous group admins and channels: nobody to talk to.
		return in, false, nil
	}
	setSender(&in, m.From, m.Chat)
	input := langnghe.Input{Kind: langnghe.InputText, At: time.Unix(int64(m.Date), 0).UTC()}
	switch {
	case m.Text != "":
		input.Text = m.Text
		if cmd, args, ok := r.command(m.Text); ok {
			input = langnghe.Input{Kind: langnghe.InputCommand, Command: cmd, Text: args, At: input.At}
		}
	case m.Contact != nil:
		// Only the sender's own contact: a forwarded card is a third
		// party's personal data, which the resident cannot consent for.
		if m.Contact.UserID == m.From.ID {
			input.Kind = langnghe.InputContact
			input.Contact = &langnghe.Contact{
				Phone: m.Contact.PhoneNumber,
				Name:  strings.TrimSpace(m.Contact.FirstName + " " + m.Contact.LastName),
			}
		}
	case m.Location != nil:
		input.Kind = langnghe.InputLocation
		input.Location = &langnghe.Location{Latitude: m.Location.Latitude, Longitude: m.Location.Longitude}
	case m.Venue != nil:
		input.Kind = langnghe.InputLocation
		input.Location = &langnghe.Location{Latitude: m.Venue.Location.Latitude, Longitude: m.Venue.Location.Longitude}
	case len(m.Photo) > 0:
		p := largestPhoto(m.Photo)
		input.Kind = langnghe.InputAttachment
		input.Text = m.Caption
		input.Attachment = &langnghe.Attachment{Kind: "photo", FileID: p.FileID, MIME: "image/jpeg", Size: int64(p.FileSize)}
	case m.Document != nil:
		d := m.Document
		input.Kind = langnghe.InputAttachment
		input.Text = m.Caption
		input.Attachment = &langnghe.Attachment{Kind: "document", FileID: d.FileID, Name: d.FileName, MIME: d.MimeType, Size: int64(d.FileSize)}
	}
	in.Input = input
	in.ReplyTo, in.ReplyToID = r.replyTo(m)
	// Group chats get no conversation, so their files are not worth fetching.
	if input.Attachment != nil && in.Private {
		data, err := r.fetch(ctx, input.Attachment)
		if err != nil {
			return in, false, err
		}
		in.File = data
	}
	return in, true, nil
}

// replyTo is the text and the message id of the bot's own message that m
// replies to. Replies to anyone else's message carry nothing: only what the
// bot said (an opinion's notification, a question) gives a reply its
// meaning.
func (r *receiver) replyTo(m *tgbotapi.Message) (text, id string) {
	q := m.ReplyToMessage
	if q == nil || q.From == nil || !q.From.IsBot || !strings.EqualFold(q.From.UserName, r.client.Username()) {
		return "", ""
	}
	text = q.Text
	if text == "" {
		text = q.Caption
	}
	return text, strconv.Itoa(q.MessageID)
}

// command parses "/name[@bot] args". A command addressed to another bot, or
// text that merely starts with a slash ("/ hello", "/home/x"), is not one.
func (r *receiver) command(text string) (name, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	word, rest := text[1:], ""
	if i := strings.IndexFunc(word, unicode.IsSpace); i >= 0 {
		word, rest = word[:i], word[i:]
	}
	word, at, addressed := strings.Cut(word, "@")
	if addressed && !strings.EqualFold(at, r.client.Username()) {
		return "", "", false
	}
	word = strings.ToLower(word)
	if !commandName.MatchString(word) {
		return "", "", false
	}
	return word, strings.TrimSpace(rest), true
}

// largestPhoto picks the biggest size Telegram offers; sizes come smallest
// first, but the order is not promised.
func largestPhoto(sizes []tgbotapi.PhotoSize) tgbotapi.PhotoSize {
	best := sizes[0]
	for _, p := range sizes[1:] {
		if p.Width*p.Height > best.Width*best.Height || (p.Width*p.Height == best.Width*best.Height && p.FileSize > best.FileSize) {
			best = p
		}
	}
	return best
}

// fetch downloads an attachment's bytes within the size limit. A file that
// is too large, or that Telegram refuses for good, arrives without bytes
// (Inbound.File nil while Attachment.Size says how big it was): the
// application tells the resident. A transient failure is returned so the
// update is retried.
func (r *receiver) fetch(ctx context.Context, a *langnghe.Attachment) ([]byte, error) {
	if a.Size > r.maxFileSize {
		return nil, nil
	}
	data, err := r.client.download(ctx, a.FileID, r.maxFileSize)
	switch {
	case err == nil:
		a.Size = int64(len(data))
		return data, nil
	case errors.Is(err, errFileTooLarge):
		if a.Size <= r.maxFileSize {
			a.Size = r.maxFileSize + 1 // what we know: above the limit
		}
		return nil, nil
	}
	if kind, _ := kindOf(err); kind == KindPermanent || kind == KindBlocked {
		r.log.WarnContext(ctx, "attachment not fetched", "file_kind", a.Kind, "error", err)
		return nil, nil
	}
	return nil, fmt.Errorf("fetch %s: %w", a.Kind, err)
}
