package officedesk

import (
	"context"
	"fmt"

	"langnghe"
	"langnghe/followup"
	"langnghe/storage"
)

// notifyAssigned tells the official an opinion was given to (followup's
// ActAssign), in their language and whatever their notification setting,
// since it is their work now: who gave it, the opinion as they may see it
// (describeIn: the gate), the giver's note, and the desk's buttons. Nobody
// is told of what they gave themselves; an official without a chat with
// the bot finds it in the console's inbox under "mine".
func (d *Desk) notifyAssigned(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, a followup.Action, o *langnghe.Opinion) error {
	if a.Assignee == actor.ID {
		return nil
	}
	w, err := tx.Official(ctx, a.Assignee)
	if err != nil {
		return fmt.Errorf("official %d given %s: %w", a.Assignee, o.Code, err)
	}
	if !w.Active() || w.ChatID == "" {
		return nil
	}
	lang := officialLanguage(w.Language)
	text := fmt.Sprintf(say(lang, msgAssigned), actor.Name) + "\n" + d.describeIn(ctx, tx, w, o, lang)
	if a.Note != "" {
		text += "\n\n" + say(lang, msgAssignNote) + ": " + w.RevealNote(o, a.Note)
	}
	text += "\n\n" + say(lang, msgReplyToAnswer)
	if err := enqueue(ctx, tx, w.Channel, w.ChatID, nil, notice(o.Code, text, lang)); err != nil {
		return fmt.Errorf("tell official %d of %s given to them: %w", w.ID, o.Code, err)
	}
	return nil
}
