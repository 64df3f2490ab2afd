package storage

import (
	"context"
	"fmt"
	"time"

	"langnghe"
)

// replyTargetsKept is how long a delivered message stays recorded for the
// replies to it: well beyond any opinion's deadline.
const replyTargetsKept = 365 * 24 * time.Hour

// recordReplyTargets records delivered messages that regard an opinion
// (MarkSent's targets), in tx, and forgets their chats' targets older than
// replyTargetsKept. A message sent again (a delivery recorded twice) is
// recorded under its new id too.
func recordReplyTargets(ctx context.Context, tx *Tx, at time.Time, targets []langnghe.ReplyTarget) error {
	for _, t := range targets {
		_, err := exec(ctx, tx.tx, `INSERT INTO reply_targets (channel, chat_id, message_id, opinion_code, reply, sent_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, chat_id, message_id)
			DO UPDATE SET opinion_code = excluded.opinion_code, reply = excluded.reply, sent_at = excluded.sent_at`,
			t.Channel, t.ChatID, t.MessageID, t.Opinion, t.Reply, at)
		if err != nil {
			return fmt.Errorf("record message %s/%s/%s regarding %s: %w", t.Channel, t.ChatID, t.MessageID, t.Opinion, err)
		}
		_, err = exec(ctx, tx.tx, `DELETE FROM reply_targets WHERE channel = ? AND chat_id = ? AND sent_at < ?`,
			t.Channel, t.ChatID, at.Add(-replyTargetsKept))
		if err != nil {
			return fmt.Errorf("forget old messages of %s/%s: %w", t.Channel, t.ChatID, err)
		}
	}
	return nil
}

// ReplyTarget returns what a reply to the message messageID of a chat is
// about, as MarkSent recorded it; ENOTFOUND when the message regards no
// opinion, was sent before messages were recorded, or was forgotten.
func (tx *Tx) ReplyTarget(ctx context.Context, channel, chatID, messageID string) (langnghe.Regarding, error) {
	var row struct {
		Opinion string `db:"opinion_code"`
		Reply   string `db:"reply"`
	}
	err := get(ctx, tx.tx, &row, `SELECT opinion_code, reply FROM reply_targets
		WHERE channel = ? AND chat_id = ? AND message_id = ?`, channel, chatID, messageID)
	if err != nil {
		return langnghe.Regarding{}, notFound(err, "message %s/%s/%s", channel, chatID, messageID)
	}
	return langnghe.Regarding{Opinion: row.Opinion, Reply: row.Reply}, nil
}
