package telegramtest

import (
	"fmt"
	"strings"
)

// markdownV2Reserved are the characters MarkdownV2 reserves: outside
// markup each must be escaped with a backslash, or Telegram refuses the
// message. Opinion codes (DT-2026-000123) and dates trip this.
const markdownV2Reserved = "_*[]()~`>#+-=|{}.!"

// v2Markers are MarkdownV2's paired markers, longest first, and the names
// Telegram uses for them in errors.
var v2Markers = []struct{ marker, name string }{
	{"```", "Pre"}, {"||", "Spoiler"}, {"__", "Underline"},
	{"*", "Bold"}, {"_", "Italic"}, {"~", "Strikethrough"}, {"`", "Code"},
}

// parseMarkdownV2 strips MarkdownV2 to plain text and reports what
// Telegram reports: a reserved character left unescaped, or an entity left
// open. It follows tdlib closely enough for the mistakes bots make, not
// every corner of the grammar.
func parseMarkdownV2(text string) (string, error) {
	type open struct {
		marker, name string
		at           int
	}
	var out strings.Builder
	var stack []open
	inCode := func() bool {
		return len(stack) > 0 && (stack[len(stack)-1].marker == "`" || stack[len(stack)-1].marker == "```")
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c == '\\' && i+1 < len(text) && text[i+1] > 0 && text[i+1] <= 126 {
			out.WriteByte(text[i+1])
			i += 2
			continue
		}
		if inCode() {
			top := stack[len(stack)-1]
			if strings.HasPrefix(text[i:], top.marker) {
				stack = stack[:len(stack)-1]
				i += len(top.marker)
				continue
			}
			out.WriteByte(c)
			i++
			continue
		}
		if !strings.ContainsRune(markdownV2Reserved, rune(c)) {
			out.WriteByte(c)
			i++
			continue
		}
		switch c {
		case '[':
			stack = append(stack, open{marker: "[", name: "TextUrl", at: i})
			i++
			continue
		case ']':
			if len(stack) == 0 || stack[len(stack)-1].marker != "[" {
				return "", reserved(c)
			}
			stack = stack[:len(stack)-1]
			i++
			if i < len(text) && text[i] == '(' {
				end := closingParen(text, i+1)
				if end < 0 {
					return "", fmt.Errorf("Can't find end of a URL at byte offset %d", i)
				}
				i = end + 1
			}
			continue
		case '>':
			if i == 0 || text[i-1] == '\n' { // a blockquote line
				i++
				continue
			}
			return "", reserved(c)
		}
		matched := false
		for _, m := range v2Markers {
			if !strings.HasPrefix(text[i:], m.marker) {
				continue
			}
			matched = true
			if n := len(stack); n > 0 && stack[n-1].marker == m.marker {
				stack = stack[:n-1]
			} else {
				stack = append(stack, open{marker: m.marker, name: m.name, at: i})
			}
			i += len(m.marker)
			break
		}
		if !matched {
			return "", reserved(c)
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		return "", fmt.Errorf("Can't find end of %s entity at byte offset %d", top.name, top.at)
	}
	return out.String(), nil
}

func reserved(c byte) error {
	return fmt.Errorf("Character '%c' is reserved and must be escaped with the preceding '\\'", c)
}

// closingParen finds the ')' ending a link URL from i, honouring escapes.
func closingParen(text string, i int) int {
	for ; i < len(text); i++ {
		switch text[i] {
		case '\\':
			i++
		case ')':
			return i
		}
	}
	return -1
}

// parseMarkdown strips legacy Markdown (*bold*, _italic_, `code`,
// ```pre```, [text](url)); an entity left open is an error.
func parseMarkdown(text string) (string, error) {
	var out strings.Builder
	for i := 0; i < len(text); {
		c := text[i]
		marker := ""
		switch {
		case strings.HasPrefix(text[i:], "```"):
			marker = "```"
		case c == '*' || c == '_' || c == '`':
			marker = string(c)
		case c == '[':
			end := strings.IndexByte(text[i+1:], ']')
			if end < 0 {
				return "", fmt.Errorf("Can't find end of the entity starting at byte offset %d", i)
			}
			out.WriteString(text[i+1 : i+1+end])
			i += end + 2
			if i < len(text) && text[i] == '(' {
				if paren := strings.IndexByte(text[i:], ')'); paren >= 0 {
					i += paren + 1
				}
			}
			continue
		default:
			out.WriteByte(c)
			i++
			continue
		}
		end := strings.Index(text[i+len(marker):], marker)
		if end < 0 {
			return "", fmt.Errorf("Can't find end of the entity starting at byte offset %d", i)
		}
		out.WriteString(text[i+len(marker) : i+len(marker)+end])
		i += 2*len(marker) + end
	}
	return out.String(), nil
}
