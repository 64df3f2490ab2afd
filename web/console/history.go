package console

import (
	"context"
	"fmt"
	"slices"

	"langnghe"
	"langnghe/followup"
	"langnghe/storage"
)

// An opinion's history as officials read it: each step in words with
// names ("Chuyển đến Trung tâm Y tế", "Giao cho Trần Thị Bình", "Người dân
// hài lòng"), never the service's codes; the opinion page and the case
// sheet show the same words.

// opinionEvent is a step of the history as the page shows it.
type opinionEvent struct {
	At, Actor string
	// What says what happened, in words; From and To the status change,
	// when there was one.
	What, From, To string
	// NoteLabel names Note ("" when the note is what happened itself).
	NoteLabel, Note string
	Public          bool
}

// historyNames are the names a history needs: its actors and the
// officials it was given to.
type historyNames struct {
	actors    map[string]string
	officials map[int64]string
}

// loadHistoryNames names the actors of events and the officials their
// notes give the opinion to: officials by name, the resident only as "the
// resident".
func loadHistoryNames(ctx context.Context, tx *storage.Tx, events []langnghe.OpinionEvent, l Locale) (historyNames, error) {
	var ids []int64
	for _, e := range events {
		if id, ok := langnghe.ActorOfficial(e.Actor); ok {
			ids = append(ids, id)
		}
		if n := followup.ReadNote(e.Note); n.Official != 0 {
			ids = append(ids, n.Official)
		}
	}
	slices.Sort(ids)
	names, err := tx.OfficialNames(ctx, slices.Compact(ids))
	if err != nil {
		return historyNames{}, err
	}
	h := historyNames{actors: map[string]string{}, officials: names}
	for _, e := range events {
		switch id, isOfficial := langnghe.ActorOfficial(e.Actor); {
		case e.Actor == followup.ActorResident:
			h.actors[e.Actor] = l.T("The resident")
		case e.Actor == followup.ActorSystem:
			h.actors[e.Actor] = l.T("The system")
		case isOfficial:
			h.actors[e.Actor] = h.official(id, l)
		default:
			h.actors[e.Actor] = e.Actor
		}
	}
	return h, nil
}

// official is an official's name, or their number when they are gone.
func (h historyNames) official(id int64, l Locale) string {
	if n, ok := h.officials[id]; ok {
		return n
	}
	return fmt.Sprintf(l.T("Official #%d"), id)
}

// history turns the events into the steps officials read, oldest first.
func (c *Console) history(o *langnghe.Opinion, events []langnghe.OpinionEvent, units []langnghe.Unit, h historyNames, l Locale) []opinionEvent {
	var out []opinionEvent
	for _, st := range followup.Steps(events) {
		e, n := st.OpinionEvent, st.Note
		ev := opinionEvent{At: l.DateTime(e.At), Actor: h.actors[e.Actor], Public: e.Public}
		changed := st.Kind == followup.StepStatus
		if changed {
			ev.To = e.StatusTo.Name(l.Lang)
			if e.StatusFrom != "" {
				ev.From = e.StatusFrom.Name(l.Lang)
			}
		}
		switch {
		case changed:
			ev.What, ev.NoteLabel = statusWords(e, o, l)
			ev.Note = e.Note
			if ev.Note == "" {
				ev.NoteLabel = ""
			}
		case n.Kind == followup.NoteRouted:
			ev.What = fmt.Sprintf(l.T("Routed to %s"), unitName(units, n.Unit, l))
		case n.Kind == followup.NoteRoutedDenunciation:
			ev.What = fmt.Sprintf(l.T("Denunciation: routed to %s, the unit that receives denunciations"), unitName(units, n.Unit, l))
		case n.Kind == followup.NoteUnrouted:
			ev.What = l.T("No routing rule matched: waiting for the board to give it to a unit")
		case n.Kind == followup.NoteForwarded:
			ev.What = fmt.Sprintf(l.T("Forwarded to %s"), unitName(units, n.Unit, l))
			ev.NoteLabel, ev.Note = l.T("Internal note"), n.Text
		case n.Kind == followup.NoteRecategorized:
			ev.What = fmt.Sprintf(l.T("Category corrected: %s → %s"), categoryName(c.opts.Catalogue, n.From, l), categoryName(c.opts.Catalogue, n.To, l))
			ev.NoteLabel, ev.Note = l.T("Reason"), n.Text
		case n.Kind == followup.NoteAssigned:
			ev.What = fmt.Sprintf(l.T("Assigned to %s"), h.official(n.Official, l))
			ev.NoteLabel, ev.Note = l.T("Internal note"), n.Text
		case n.Kind == followup.NoteUnassigned:
			ev.What = fmt.Sprintf(l.T("No longer assigned to %s"), h.official(n.Official, l))
			ev.NoteLabel, ev.Note = l.T("Internal note"), n.Text
		case n.Kind == followup.NoteSatisfied:
			ev.What = l.T("The resident is satisfied with the answer")
		case st.Kind == followup.StepWhy:
			ev.What, ev.Note = l.T("Why the resident is not satisfied"), e.Note
		case st.Kind == followup.StepAdded:
			ev.What, ev.Note = l.T("The resident added"), e.Note
		case st.Kind == followup.StepTold:
			ev.What, ev.Note = l.T("Note told to the resident"), e.Note
		default:
			ev.What, ev.Note = l.T("Internal note"), e.Note
		}
		out = append(out, ev)
	}
	return out
}

// statusWords says what a change of status was, and names its note.
func statusWords(e langnghe.OpinionEvent, o *langnghe.Opinion, l Locale) (what, noteLabel string) {
	resident := e.Actor == followup.ActorResident
	switch e.StatusTo {
	case langnghe.StatusReceived:
		if e.StatusFrom == "" {
			return fmt.Sprintf(l.T("Sent the opinion (%s)"), channelName(o.Channel, l)), l.T("Note")
		}
	case langnghe.StatusInProgress:
		return l.T("Took it in hand"), l.T("Note")
	case langnghe.StatusForwarded:
		return l.T("Forwarded it to another unit"), l.T("Note")
	case langnghe.StatusExtended:
		return l.T("Extended the due date"), l.T("Reason told to the resident")
	case langnghe.StatusAnswered:
		return l.T("Answered the resident"), l.T("The answer")
	case langnghe.StatusRejected:
		return l.T("Found it not admissible"), l.T("Reason told to the resident")
	case langnghe.StatusRedirected:
		return l.T("Guided the resident to the proper route"), l.T("Told to the resident")
	case langnghe.StatusDuplicate:
		return l.T("Marked it a duplicate"), l.T("Note")
	case langnghe.StatusClosed:
		return l.T("Closed it"), l.T("Note")
	case langnghe.StatusReopened:
		if resident {
			return l.T("The resident is not satisfied with the answer: reopened"), l.T("Why")
		}
		return l.T("Reopened it"), l.T("Note")
	}
	return fmt.Sprintf(l.T("Status: %s"), e.StatusTo.Name(l.Lang)), l.T("Note")
}

// channelName is where an opinion came from, as officials call it.
func channelName(ch string, l Locale) string {
	switch ch {
	case langnghe.ChannelTelegram:
		return "Telegram"
	case langnghe.ChannelTerminal:
		return l.T("a test chat on the server")
	case "open311":
		return l.T("an app or website (Open311)")
	case "":
		return l.T("channel not recorded")
	}
	return ch
}

func init() {
	AddVietnamese(map[string]string{
		"Routed to %s": "Tự động chuyển đến %s",
		"Denunciation: routed to %s, the unit that receives denunciations":    "Đơn tố cáo: chuyển đến %s, đơn vị được giao tiếp nhận tố cáo",
		"No routing rule matched: waiting for the board to give it to a unit": "Chưa khớp quy tắc phân công nào: chờ Ban phân công đơn vị",
		"Forwarded to %s":                                         "Chuyển đến %s",
		"Category corrected: %s → %s":                             "Sửa lĩnh vực: %s → %s",
		"Reason":                                                  "Lý do",
		"Assigned to %s":                                          "Giao cho %s",
		"No longer assigned to %s":                                "Thôi giao cho %s",
		"The resident is satisfied with the answer":               "Người dân hài lòng với câu trả lời",
		"Why the resident is not satisfied":                       "Lý do người dân chưa hài lòng",
		"The resident added":                                      "Người dân cho biết thêm",
		"Note told to the resident":                               "Ghi chú gửi người dân",
		"Sent the opinion (%s)":                                   "Gửi ý kiến (%s)",
		"Took it in hand":                                         "Nhận xử lý",
		"Forwarded it to another unit":                            "Chuyển đơn vị khác",
		"Extended the due date":                                   "Gia hạn xử lý",
		"Reason told to the resident":                             "Lý do (đã báo người dân)",
		"Answered the resident":                                   "Trả lời người dân",
		"Found it not admissible":                                 "Không thụ lý",
		"Guided the resident to the proper route":                 "Hướng dẫn người dân đúng trình tự",
		"Told to the resident":                                    "Đã báo người dân",
		"Marked it a duplicate":                                   "Đánh dấu trùng",
		"Closed it":                                               "Kết thúc",
		"The resident is not satisfied with the answer: reopened": "Người dân chưa hài lòng với câu trả lời: mở lại để xem xét",
		"Why":                         "Lý do",
		"Reopened it":                 "Mở lại",
		"Status: %s":                  "Trạng thái: %s",
		"Note":                        "Ghi chú",
		"a test chat on the server":   "trò chuyện thử trên máy chủ",
		"an app or website (Open311)": "ứng dụng hoặc cổng thông tin (Open311)",
		"channel not recorded":        "chưa ghi nhận kênh",
		"Received through":            "Kênh tiếp nhận",
	})
}
