package officedesk

import (
	"fmt"
	"strings"

	"langnghe"
	"langnghe/followup"
)

// An opinion's history in /xem: each step in words with names (followup's
// ReadNote reads the service's own notes), as the console's opinion page
// says it, one line a step.

// words is a step's words (the catalogue's desk.history.*) in the
// official's language.
func (c *desk) words(key string) string { return say(c.lang(), textKey("desk.history."+key)) }

// history writes the opinion's steps, oldest first.
func (c *desk) history(b *strings.Builder, o *langnghe.Opinion, events []langnghe.OpinionEvent) {
	names := map[int64]string{}
	official := func(id int64) string {
		if n, ok := names[id]; ok {
			return n
		}
		n := fmt.Sprintf(c.words("official"), id)
		if off, err := c.tx.Official(c.ctx, id); err == nil && off.Name != "" {
			n = FamilyNameFirst(off.Name)
		}
		names[id] = n
		return n
	}
	lang := c.lang()
	for _, st := range followup.Steps(events) {
		e, n := st.OpinionEvent, st.Note
		who := ""
		switch id, ok := langnghe.ActorOfficial(e.Actor); {
		case e.Actor == followup.ActorResident:
			who = c.words("resident")
		case ok:
			who = official(id)
		}
		what, label, note := "", "", e.Note
		switch {
		case st.Kind == followup.StepStatus:
			what = e.StatusTo.Name(lang)
			if who != "" && e.StatusTo != langnghe.StatusReceived { // received: the resident sent it
				what += " (" + who + ")"
			}
		case n.Kind == followup.NoteRouted:
			what, note = fmt.Sprintf(c.words("routed"), c.unitName(c.ctx, c.tx, n.Unit, lang)), ""
		case n.Kind == followup.NoteRoutedDenunciation:
			what, note = fmt.Sprintf(c.words("denunciation"), c.unitName(c.ctx, c.tx, n.Unit, lang)), ""
		case n.Kind == followup.NoteUnrouted:
			what, note = c.words("unrouted"), ""
		case n.Kind == followup.NoteForwarded:
			what, label, note = fmt.Sprintf(c.words("forwarded"), c.unitName(c.ctx, c.tx, n.Unit, lang)), c.words("internal"), n.Text
		case n.Kind == followup.NoteRecategorized:
			what = fmt.Sprintf(c.words("recategorized"), c.categoryNameIn(n.From, lang), c.categoryNameIn(n.To, lang))
			label, note = c.words("reason"), n.Text
		case n.Kind == followup.NoteAssigned:
			what, label, note = fmt.Sprintf(c.words("assigned"), official(n.Official)), c.words("internal"), n.Text
		case n.Kind == followup.NoteUnassigned:
			what, label, note = fmt.Sprintf(c.words("unassigned"), official(n.Official)), c.words("internal"), n.Text
		case n.Kind == followup.NoteSatisfied:
			what, note = c.words("satisfied"), ""
		case st.Kind == followup.StepWhy:
			what = c.words("why")
		case st.Kind == followup.StepAdded:
			what = c.words("added")
		case st.Kind == followup.StepTold:
			what = c.words("told") + " (" + who + ")"
		default:
			what = c.words("internal") + " (" + who + ")"
		}
		fmt.Fprintf(b, "\n• %s · %s", e.At.In(c.opts.TimeZone).Format(langnghe.DayMonthTimeLayout), what)
		switch {
		case note != "" && label != "":
			fmt.Fprintf(b, " — %s: %s", label, note)
		case note != "":
			fmt.Fprintf(b, ": %s", note)
		}
	}
}
