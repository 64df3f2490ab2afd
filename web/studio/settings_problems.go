package studio

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"langnghe"
)

// problem is one thing wrong with a settings file, with its place when it
// has one (Line 0: the file as a whole, or another file it would break).
type problem struct {
	Line, Column int
	Message      string
	// Excerpt is the file's text on Line, to show beside the message.
	Excerpt string
}

// Place is "line:col", or "" for a problem without a place.
func (p problem) Place() string {
	if p.Line == 0 {
		return ""
	}
	return fmt.Sprintf("%d:%d", p.Line, p.Column)
}

// placeInMessage finds "line 12: " and "line 12, column 5: " in the parsers'
// messages: the catalogue's, the holidays', the units', the FAQ's and
// yaml.v3's.
var placeInMessage = regexp.MustCompile(`line (\d+)(?:, column (\d+))?: `)

// labels the parsers put before their first problem.
var messageLabels = []string{"catalogue:", "units file:", "holidays file:", "faq:", "yaml:", "unmarshal errors:"}

// problemsOf turns a parser's EINVALID error into problems with their
// places in src; any other error is returned as it is. The parsers report
// a line; the column is where that line's content starts (after a list's
// "- "), which is where the item or the key at fault begins.
func problemsOf(err error, src []byte) ([]problem, error) {
	if err == nil {
		return nil, nil
	}
	if langnghe.ErrorCode(err) != langnghe.EINVALID {
		return nil, err
	}
	msg := langnghe.ErrorMessage(err)
	lines := bytes.Split(src, []byte("\n"))
	var out []problem
	matches := placeInMessage.FindAllStringSubmatchIndex(msg, -1)
	head := msg
	if len(matches) > 0 {
		head = msg[:matches[0][0]]
	}
	for _, label := range messageLabels {
		head = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(head), label))
	}
	if head = strings.Trim(head, "; \n"); head != "" {
		out = append(out, problem{Message: head})
	}
	for i, m := range matches {
		end := len(msg)
		if i+1 < len(matches) {
			end = matches[i+1][0]
		}
		p := problem{Message: strings.Trim(msg[m[1]:end], "; \n")}
		p.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
		if m[4] >= 0 {
			p.Column, _ = strconv.Atoi(msg[m[4]:m[5]])
		}
		if p.Line >= 1 && p.Line <= len(lines) {
			text := strings.TrimRight(string(lines[p.Line-1]), " \t\r")
			p.Excerpt = text
			if p.Column == 0 {
				p.Column = contentColumn(text)
			}
		}
		if p.Column == 0 {
			p.Column = 1
		}
		out = append(out, p)
	}
	return out, nil
}

// contentColumn returns the 1-based column where a YAML line's content
// starts: after its indentation and any "- " list markers.
func contentColumn(line string) int {
	i := 0
	for i < len(line) {
		switch {
		case line[i] == ' ' || line[i] == '\t':
			i++
		case line[i] == '-' && (i+1 == len(line) || line[i+1] == ' '):
			i++
		default:
			return i + 1
		}
	}
	return 1
}
