package campaigns

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"langnghe"
	"langnghe/redact"
)

// What the service says to residents by itself: the leaders' answer to a
// question they sent. Vietnamese first, in the service's voice («chúng
// tôi», «ông/bà»).

// maxQuoted is how much of the resident's own question the answer quotes.
const maxQuoted = 300

// answerText is the message that brings the leaders' answer to an asker,
// in the asker's language: which conference, their question, the answer,
// who gave it and when. The board writes in Vietnamese; the answer is
// given as written.
func answerText(c *langnghe.Campaign, asker langnghe.CampaignAsker, a langnghe.GroupAnswer, loc *time.Location) string {
	question := quote(asker.Question)
	day := a.At.In(loc)
	var b strings.Builder
	switch asker.Language {
	case langnghe.LangEN:
		fmt.Fprintf(&b, "The answer to your question for the %s «%s»", strings.ToLower(c.Kind.Name(langnghe.LangEN)), c.Title)
		if question != "" {
			fmt.Fprintf(&b, ":\n“%s”", question)
		} else {
			b.WriteString(".")
		}
		fmt.Fprintf(&b, "\n\n%s\n\n— %s, %s", a.Text, by(a, langnghe.LangEN), day.Format("02/01/2006"))
		b.WriteString("\n\nThank you for taking part. Whenever you need, type /menu.")
	case langnghe.LangZH:
		fmt.Fprintf(&b, "您向%s「%s」提出的问题的答复", c.Kind.Name(langnghe.LangZH), c.Title)
		if question != "" {
			fmt.Fprintf(&b, "：\n“%s”", question)
		} else {
			b.WriteString("。")
		}
		fmt.Fprintf(&b, "\n\n%s\n\n——%s，%d年%d月%d日", a.Text, by(a, langnghe.LangZH), day.Year(), day.Month(), day.Day())
		b.WriteString("\n\n感谢您的参与。需要时请输入 /menu。")
	default:
		fmt.Fprintf(&b, "Chúng tôi xin gửi ông/bà câu trả lời cho câu hỏi ông/bà gửi %s «%s»", strings.ToLower(c.Kind.Name(langnghe.LangVI)), c.Title)
		if question != "" {
			fmt.Fprintf(&b, ":\n“%s”", question)
		} else {
			b.WriteString(".")
		}
		fmt.Fprintf(&b, "\n\n%s\n\n— %s, ngày %s", a.Text, by(a, langnghe.LangVI), day.Format("02/01/2006"))
		b.WriteString("\n\nXin cảm ơn ông/bà đã tham gia. Khi cần, ông/bà gõ /menu.")
	}
	return b.String()
}

// by names who answered: the leader as the conference named them, or the
// organisers.
func by(a langnghe.GroupAnswer, lang string) string {
	if a.AnsweredBy != "" {
		return a.AnsweredBy
	}
	switch lang {
	case langnghe.LangEN:
		return "The organisers"
	case langnghe.LangZH:
		return "主办方"
	}
	return "Ban tổ chức hội nghị"
}

// quote is the resident's question as the answer quotes it: one line, at
// most maxQuoted characters, identifiers masked (the message stays in the
// outbox until sent).
func quote(q string) string {
	q = redact.Text(strings.Join(strings.Fields(q), " "))
	if utf8.RuneCountInString(q) <= maxQuoted {
		return q
	}
	return string([]rune(q)[:maxQuoted-1]) + "…"
}
