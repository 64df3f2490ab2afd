package followup

import (
	"strconv"
	"strings"

	"langnghe"
)

// An opinion's history keeps what the service and officials did as notes
// that say it in the service's own terms ("routed to land_environment",
// "category: land → health", "assigned: official:12"); officials read them
// in words, with names (ReadNote is what the console and the case sheet
// translate). The notes written before are read too, so an old history
// reads as well as a new one.

// NoteKind is what a note of the history records.
type NoteKind int

const (
	// NoteText is anything else: an official's note, an answer, a
	// reason, as written.
	NoteText NoteKind = iota
	// NoteRouted: the service routed the new opinion to Unit.
	NoteRouted
	// NoteRoutedDenunciation: a denunciation routed to Unit, the unit
	// designated for denunciations (or the catch-all's without one).
	NoteRoutedDenunciation
	// NoteUnrouted: no routing rule matched; the board triages it.
	NoteUnrouted
	// NoteForwarded: an official forwarded it to Unit; Text is their
	// internal note.
	NoteForwarded
	// NoteRecategorized: the category went From → To; Text is the reason.
	NoteRecategorized
	// NoteAssigned: given to Official; Text is the internal note.
	NoteAssigned
	// NoteUnassigned: the assignment to Official was taken back.
	NoteUnassigned
	// NoteSatisfied: the resident rated the answer satisfying.
	NoteSatisfied
)

// Note is a note of the history as ReadNote reads it.
type Note struct {
	Kind NoteKind
	// Unit is the unit routed or forwarded to; From and To the
	// categories of a correction; Official the official given it.
	Unit, From, To string
	Official       int64
	// Text is the note's free text: all of it for NoteText, the official's
	// own words after the recorded fact otherwise ("" for none).
	Text string
}

// The notes' own words. Routing's are written by Route.
const (
	routedPrefix       = "routed to "
	denunciationPrefix = "denunciation: routed to "
	denunciationTail   = ", the unit designated for denunciations"
	catchAllPrefix     = "denunciation: no unit is designated for denunciations; routed to the catch-all "
	unroutedNote       = "no routing rule matched; left to the board"
	forwardedPrefix    = "forwarded to "
	categoryPrefix     = "category: "
	assignedPrefix     = "assigned: official:"
	unassignedPrefix   = "unassigned: official:"
	ratedSatisfied     = "rated: satisfied"
)

// ForwardedNote is the history's note of a forward to unit, with the
// official's internal note.
func ForwardedNote(unit, note string) string {
	return strings.TrimSpace(forwardedPrefix + unit + "\n" + note)
}

// AssignedNote is the history's note of giving an opinion to official id
// (0: taking back the assignment to was), with an internal note.
func AssignedNote(id, was int64, note string) string {
	if id == 0 {
		return strings.TrimSpace(unassignedPrefix + strconv.FormatInt(was, 10) + "\n" + note)
	}
	return strings.TrimSpace(assignedPrefix + strconv.FormatInt(id, 10) + "\n" + note)
}

// ReadNote reads a note of the history.
func ReadNote(note string) Note {
	first, rest, _ := strings.Cut(note, "\n")
	rest = strings.TrimSpace(rest)
	id := func(prefix string) int64 {
		n, err := strconv.ParseInt(strings.TrimPrefix(first, prefix), 10, 64)
		if err != nil || n <= 0 {
			return 0
		}
		return n
	}
	switch {
	case note == unroutedNote:
		return Note{Kind: NoteUnrouted}
	case note == ratedSatisfied:
		return Note{Kind: NoteSatisfied}
	case strings.HasPrefix(first, catchAllPrefix) && isCode(strings.TrimPrefix(first, catchAllPrefix)):
		return Note{Kind: NoteRoutedDenunciation, Unit: strings.TrimPrefix(first, catchAllPrefix), Text: rest}
	case strings.HasPrefix(first, denunciationPrefix) && strings.HasSuffix(first, denunciationTail) &&
		isCode(strings.TrimSuffix(strings.TrimPrefix(first, denunciationPrefix), denunciationTail)):
		return Note{Kind: NoteRoutedDenunciation, Unit: strings.TrimSuffix(strings.TrimPrefix(first, denunciationPrefix), denunciationTail), Text: rest}
	case strings.HasPrefix(first, routedPrefix) && isCode(strings.TrimPrefix(first, routedPrefix)):
		return Note{Kind: NoteRouted, Unit: strings.TrimPrefix(first, routedPrefix), Text: rest}
	case strings.HasPrefix(first, forwardedPrefix) && isCode(strings.TrimPrefix(first, forwardedPrefix)):
		return Note{Kind: NoteForwarded, Unit: strings.TrimPrefix(first, forwardedPrefix), Text: rest}
	case strings.HasPrefix(first, categoryPrefix):
		from, to, ok := strings.Cut(strings.TrimPrefix(first, categoryPrefix), " → ")
		if ok && isCode(from) && isCode(to) {
			return Note{Kind: NoteRecategorized, From: from, To: to, Text: rest}
		}
	case strings.HasPrefix(first, assignedPrefix) && id(assignedPrefix) > 0:
		return Note{Kind: NoteAssigned, Official: id(assignedPrefix), Text: rest}
	case strings.HasPrefix(first, unassignedPrefix) && id(unassignedPrefix) > 0:
		return Note{Kind: NoteUnassigned, Official: id(unassignedPrefix), Text: rest}
	}
	return Note{Kind: NoteText, Text: note}
}

// isCode reports whether s looks like a code of the catalogue or the
// units file: lower-case letters, digits and underscores.
func isCode(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' && r != '-' {
			return false
		}
	}
	return true
}

// StepKind is what an event of an opinion's history is to the officials
// reading it.
type StepKind int

const (
	// StepStatus: the status changed; the event's note goes with it.
	StepStatus StepKind = iota
	// StepNoted: a note of the service's own (Step.Note.Kind is not
	// NoteText): routed, forwarded, recategorized, assigned, satisfied.
	StepNoted
	// StepWhy: the resident's words after they said they were not
	// satisfied with the answer: why.
	StepWhy
	// StepAdded: anything else the resident added.
	StepAdded
	// StepTold: an official's note told to the resident.
	StepTold
	// StepInternal: an official's internal note.
	StepInternal
)

// Step is one event of an opinion's history, read.
type Step struct {
	langnghe.OpinionEvent
	Kind StepKind
	// Note is the event's note read (ReadNote).
	Note Note
}

// Steps reads an opinion's history, oldest first, the one way the console
// and the chat tell it: the resident's words after they reopened it (not
// satisfied) are why, until an answer or their satisfied verdict.
func Steps(events []langnghe.OpinionEvent) []Step {
	out := make([]Step, 0, len(events))
	reopened := false
	for _, e := range events {
		st := Step{OpinionEvent: e, Note: ReadNote(e.Note)}
		resident := e.Actor == ActorResident
		switch {
		case e.StatusTo != "" && e.StatusTo != e.StatusFrom:
			st.Kind = StepStatus
			switch {
			case resident && e.StatusTo == langnghe.StatusReopened:
				reopened = true
			case e.StatusTo == langnghe.StatusAnswered:
				reopened = false
			}
		case st.Note.Kind != NoteText:
			st.Kind = StepNoted
			if st.Note.Kind == NoteSatisfied {
				reopened = false
			}
		case resident && reopened:
			st.Kind = StepWhy
		case resident:
			st.Kind = StepAdded
		case e.Public:
			st.Kind = StepTold
		default:
			st.Kind = StepInternal
		}
		out = append(out, st)
	}
	return out
}
