package telegramtest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Telegram's limits on what the bot sends, counted in UTF-16 code units
// after entity parsing.
const (
	maxTextLen    = 4096
	maxCaptionLen = 1024
)

// utf16Len counts s as Telegram does: in UTF-16 code units, so an emoji
// outside the Basic Multilingual Plane counts twice.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// parseText turns text in a parse mode into what the resident sees, or
// Telegram's complaint. The caller checks emptiness and length.
func parseText(text, parseMode string) (string, *apiError) {
	if !utf8.ValidString(text) {
		return "", badRequest("text must be encoded in UTF-8")
	}
	var plain string
	switch strings.ToLower(parseMode) {
	case "":
		plain = text
	case "html":
		var err error
		if plain, err = parseHTML(text); err != nil {
			return "", badRequest("can't parse entities: %v", err)
		}
	case "markdownv2":
		var err error
		if plain, err = parseMarkdownV2(text); err != nil {
			return "", badRequest("can't parse entities: %v", err)
		}
	case "markdown":
		var err error
		if plain, err = parseMarkdown(text); err != nil {
			return "", badRequest("can't parse entities: %v", err)
		}
	default:
		return "", badRequest("unsupported parse_mode")
	}
	return strings.TrimSpace(plain), nil
}

// htmlTags are the tags Telegram's HTML parse mode supports.
var htmlTags = map[string]bool{
	"a": true, "b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true, "tg-emoji": true,
	"code": true, "pre": true, "blockquote": true,
}

// parseHTML strips Telegram HTML to plain text and reports malformed
// markup with Telegram's (tdlib's) wording: every '<' must start a supported
// tag; '&' starts an entity only when one of &lt; &gt; &amp; &quot; or a
// numeric reference follows, else it is a plain '&'.
func parseHTML(text string) (string, error) {
	var out strings.Builder
	var open []string
	for i := 0; i < len(text); {
		c := text[i]
		switch c {
		case '&':
			if r, n := htmlEntity(text[i:]); n > 0 {
				out.WriteRune(r)
				i += n
				continue
			}
			out.WriteByte(c)
			i++
			continue
		case '<':
		default:
			out.WriteByte(c)
			i++
			continue
		}
		begin := i
		i++
		if i < len(text) && text[i] == '/' {
			if len(open) == 0 {
				return "", fmt.Errorf("Unexpected end tag at byte offset %d", begin)
			}
			i++
			start := i
			for i < len(text) && !isSpace(text[i]) && text[i] != '>' {
				i++
			}
			name := strings.ToLower(text[start:i])
			for i < len(text) && isSpace(text[i]) {
				i++
			}
			if i >= len(text) || text[i] != '>' {
				return "", fmt.Errorf("Unclosed end tag at byte offset %d", begin)
			}
			i++
			want := open[len(open)-1]
			if name != "" && name != want {
				return "", fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, want, name)
			}
			open = open[:len(open)-1]
			continue
		}
		start := i
		for i < len(text) && !isSpace(text[i]) && text[i] != '>' {
			i++
		}
		if i >= len(text) {
			return "", fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		name := strings.ToLower(text[start:i])
		if !htmlTags[name] {
			return "", fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", name, begin)
		}
		end, err := skipAttributes(text, i, name, begin)
		if err != nil {
			return "", err
		}
		i = end
		open = append(open, name)
	}
	if len(open) > 0 {
		return "", fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", open[len(open)-1])
	}
	return out.String(), nil
}

// skipAttributes reads a start tag's attributes from i and returns the
// position after its '>'.
func skipAttributes(text string, i int, tag string, begin int) (int, error) {
	for {
		for i < len(text) && isSpace(text[i]) {
			i++
		}
		if i >= len(text) {
			return 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		if text[i] == '>' {
			return i + 1, nil
		}
		start := i
		for i < len(text) && !isSpace(text[i]) && text[i] != '=' && text[i] != '>' {
			i++
		}
		if i == start {
			return 0, fmt.Errorf("Empty attribute name in the tag \"%s\" at byte offset %d", tag, begin)
		}
		for i < len(text) && isSpace(text[i]) {
			i++
		}
		if i >= len(text) || text[i] != '=' {
			return 0, fmt.Errorf("Expected equal sign in declaration of an attribute of the tag \"%s\" at byte offset %d", tag, begin)
		}
		i++
		for i < len(text) && isSpace(text[i]) {
			i++
		}
		if i >= len(text) {
			return 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		if q := text[i]; q == '"' || q == '\'' {
			end := strings.IndexByte(text[i+1:], q)
			if end < 0 {
				return 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
			}
			i += end + 2
			continue
		}
		for i < len(text) && !isSpace(text[i]) && text[i] != '>' {
			i++
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// namedEntities are the only named HTML entities Telegram decodes.
var namedEntities = []struct {
	name string
	r    rune
}{{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}}

// htmlEntity decodes the entity at the start of s, returning the rune and
// its length in bytes, or 0 when s does not start with a supported entity.
func htmlEntity(s string) (rune, int) {
	for _, e := range namedEntities {
		if strings.HasPrefix(s, e.name) {
			return e.r, len(e.name)
		}
	}
	if !strings.HasPrefix(s, "&#") {
		return 0, 0
	}
	end := strings.IndexByte(s, ';')
	if end < 3 {
		return 0, 0
	}
	digits, base := s[2:end], 10
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, base = digits[1:], 16
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil || n == 0 || !utf8.ValidRune(rune(n)) {
		return 0, 0
	}
	return rune(n), end + 1
}

// commandEntities marks a leading /command as Telegram does, so that the
// library's Message.IsCommand and Command work.
func commandEntities(text string) []wireEntity {
	if !strings.HasPrefix(text, "/") {
		return nil
	}
	end := strings.IndexAny(text, " \n\t")
	if end < 0 {
		end = len(text)
	}
	if end == 1 {
		return nil
	}
	return []wireEntity{{Type: "bot_command", Offset: 0, Length: utf16Len(text[:end])}}
}
