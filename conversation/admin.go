package conversation

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"langnghe"
	"langnghe/flows"
)

// Admins manage flows from the chat: they send a flow file as a document
// (validated, saved as a draft revision) and publish or roll back with a
// command. The change happens in the transaction of the update, so a
// repeated update cannot save a revision twice.
//
//	/flows                    list flows with their published and latest revisions
//	/publish FLOW [REVISION]  publish a revision (default: the latest)
//	/rollback FLOW REVISION   publish an earlier revision again

// IsFlowFile reports whether a document's name looks like a flow file.
func IsFlowFile(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml":
		return true
	}
	return false
}

// adminInput handles an admin's flow commands and files; handled is false
// for everything else, which goes to the conversation like anyone's.
func (t *turn) adminInput() (handled bool, err error) {
	actor := t.in.Channel + ":" + t.in.UserID
	in := t.in.Input
	switch {
	case in.Kind == langnghe.InputAttachment && in.Attachment != nil && IsFlowFile(in.Attachment.Name):
		return true, t.importFlow(actor, in.Attachment.Name)
	case in.Kind != langnghe.InputCommand:
		return false, nil
	}
	args := strings.Fields(in.Text)
	switch in.Command {
	case "flows":
		return true, t.listFlows()
	case "publish", "rollback":
		if len(args) < 1 || (in.Command == "rollback" && len(args) < 2) {
			return true, t.send(langnghe.Message{Text: "Cách dùng / Usage: /publish FLOW [REVISION], /rollback FLOW REVISION"})
		}
		rev := 0
		if len(args) > 1 {
			if rev, err = strconv.Atoi(args[1]); err != nil || rev <= 0 {
				return true, t.send(langnghe.Message{Text: fmt.Sprintf("%q không phải số phiên bản / is not a revision number.", args[1])})
			}
		}
		return true, t.publish(actor, args[0], rev)
	}
	return false, nil
}

func (t *turn) importFlow(actor, name string) error {
	if len(t.in.File) == 0 {
		return t.send(langnghe.Message{Text: "Không tải được tệp (quá lớn hoặc rỗng). / The file could not be fetched (too large or empty)."})
	}
	id, rev, problems, err := t.s.library.Import(t.ctx, t.tx, actor, name, t.in.File, 0)
	switch langnghe.ErrorCode(err) {
	case "":
		text := fmt.Sprintf("✅ %s: đã lưu bản nháp phiên bản %d / saved as draft revision %d.\nXuất bản / publish: /publish %s %d", id, rev, rev, id, rev)
		if len(problems) > 0 {
			text += "\n\n⚠️ " + flows.FormatProblems(problems)
		}
		return t.send(langnghe.Message{Text: text})
	case langnghe.EINVALID, langnghe.ECONFLICT, langnghe.ETOOLARGE:
		text := "❌ " + name + ": " + langnghe.ErrorMessage(err)
		if len(problems) > 0 {
			text += "\n" + flows.FormatProblems(problems)
		}
		return t.send(langnghe.Message{Text: text})
	default:
		return err
	}
}

func (t *turn) publish(actor, flowID string, rev int) error {
	if rev == 0 {
		infos, err := t.tx.Flows(t.ctx)
		if err != nil {
			return fmt.Errorf("list flows: %w", err)
		}
		for _, f := range infos {
			if f.ID == flowID {
				rev = f.LatestRevision
			}
		}
		if rev == 0 {
			return t.send(langnghe.Message{Text: fmt.Sprintf("Không có luồng %q. / No flow %q.", flowID, flowID)})
		}
	}
	err := t.s.library.Publish(t.ctx, t.tx, actor, flowID, rev)
	switch langnghe.ErrorCode(err) {
	case "":
		return t.send(langnghe.Message{Text: fmt.Sprintf("✅ %s: đã xuất bản phiên bản %d / revision %d published. Các cuộc trò chuyện đang diễn ra giữ phiên bản cũ / running conversations stay on their revision.", flowID, rev, rev)})
	case langnghe.EINVALID, langnghe.ENOTFOUND, langnghe.ECONFLICT:
		return t.send(langnghe.Message{Text: "❌ " + langnghe.ErrorMessage(err)})
	default:
		return err
	}
}

func (t *turn) listFlows() error {
	infos, err := t.tx.Flows(t.ctx)
	if err != nil {
		return fmt.Errorf("list flows: %w", err)
	}
	var b strings.Builder
	b.WriteString("Luồng / Flows (xuất bản / published · mới nhất / latest):\n")
	for _, f := range infos {
		fmt.Fprintf(&b, "• %s: %d · %d\n", f.ID, f.PublishedRevision, f.LatestRevision)
	}
	return t.send(langnghe.Message{Text: b.String()})
}
