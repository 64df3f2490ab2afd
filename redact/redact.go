// Package redact hides personal identifiers in free text: phone numbers,
// e-mail addresses, Telegram user names and citizen ID numbers, plus any
// identifier the caller knows belongs to the person (their name, their
// phone). It is the one redaction every public or retained text goes
// through: Open311's descriptions and status notes, and what stays of an
// opinion after its resident's data is deleted.
//
// What it keeps: dates (12/05/2026), amounts (2.500.000 đồng), years,
// opinion codes (DT-2026-000123), house numbers (số 12), percentages.
//
// It imports nothing of langnghe, so every room may use it.
package redact

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Mark replaces what is hidden.
const Mark = "[…]"

// Text returns s with personal identifiers replaced by Mark: Vietnamese
// phone numbers however they are written (spaces, dots, dashes, slashes,
// brackets, +84 or 84, full-width digits), e-mail addresses (also
// "hung @ gmail.com", "hung(at)gmail.com"), Telegram user names
// (@name), and citizen ID numbers (12-digit CCCD, 9-digit CMND).
//
// known are identifiers the caller knows to be the person's. One written
// with digits only (a phone) is found however its digits are spaced or
// prefixed (0912345678, 912 345 678, +84 912 345 678); any other (a name)
// is found as whole words, in any case, with or without diacritics.
// Blank known values are ignored.
//
// The text comes back in Unicode NFC.
func Text(s string, known ...string) string {
	if s == "" {
		return s
	}
	s = norm.NFC.String(s)
	v := newView(s)
	var spans []span
	spans = append(spans, v.emails()...)
	spans = append(spans, v.handles()...)
	numbers, names := splitKnown(known)
	spans = append(spans, v.numbers(numbers)...)
	for _, n := range names {
		spans = append(spans, v.words(n)...)
	}
	if len(spans) == 0 {
		return s
	}
	return v.replace(spans)
}

// view is s as the matchers read it: rune for rune, full-width forms made
// ASCII, letters lower-cased without diacritics (đ → d), unusual spaces
// made ' ', dashes made '-'. off maps each byte offset of text that starts
// a rune to the offset of the same rune in src.
type view struct {
	src  string
	text string
	off  []int // len(text)+1 entries; only rune starts and the end are meaningful
}

func newView(s string) *view {
	var b strings.Builder
	b.Grow(len(s))
	off := make([]int, 0, len(s)+1)
	for i, r := range s {
		n, _ := b.WriteRune(fold(r))
		for range n {
			off = append(off, i)
		}
	}
	off = append(off, len(s))
	return &view{src: s, text: b.String(), off: off}
}

// fold maps one rune to the rune the matchers see.
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		return unicode.ToLower(r)
	}
	if p := width.LookupRune(r); p.Kind() == width.EastAsianFullwidth {
		if n := p.Narrow(); n != 0 {
			r = n
		}
	}
	switch {
	case r == 'đ' || r == 'Đ':
		return 'd'
	case r == '\u2010' || r == '\u2011' || r == '\u2012' || r == '\u2013' || r == '\u2014' || r == '\u2015' || r == '\u2212':
		return '-'
	case r != '\n' && unicode.IsSpace(r):
		return ' '
	}
	if d := norm.NFD.String(string(r)); d != string(r) {
		if base, _ := utf8.DecodeRuneInString(d); !unicode.Is(unicode.Mn, base) {
			r = base
		}
	}
	return unicode.ToLower(r)
}

// span is a part of view.text to hide, [start, end) in bytes.
type span struct{ start, end int }

// replace hides spans (in view offsets, overlapping or not) in src.
func (v *view) replace(spans []span) string {
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var b strings.Builder
	last := 0 // in src
	for i := 0; i < len(spans); {
		start, end := spans[i].start, spans[i].end
		for i++; i < len(spans) && spans[i].start <= end; i++ {
			end = max(end, spans[i].end)
		}
		s, e := v.off[start], v.off[end]
		b.WriteString(v.src[last:s])
		b.WriteString(Mark)
		last = e
	}
	b.WriteString(v.src[last:])
	return b.String()
}

// E-mail addresses, with "@" or "(at)" / "[at]" and optional spaces around
// it, and "." or "(dot)" / "[dot]" in the domain.
var emailPattern = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+\s*(?:@|[(\[{]\s*at\s*[)\]}])\s*[\p{L}\p{N}\-]+(?:(?:\.|\s*[(\[{]\s*dot\s*[)\]}]\s*)[\p{L}\p{N}\-]+)+`)

func (v *view) emails() []span {
	var out []span
	for _, m := range emailPattern.FindAllStringIndex(v.text, -1) {
		out = append(out, span{m[0], m[1]})
	}
	return out
}

// Telegram user names: 5 to 32 letters, digits and underscores after "@",
// not inside a word (an e-mail's "@" is the e-mail's).
var handlePattern = regexp.MustCompile(`@[a-z][a-z0-9_]{4,31}`)

func (v *view) handles() []span {
	var out []span
	for _, m := range handlePattern.FindAllStringIndex(v.text, -1) {
		if r, _ := utf8.DecodeLastRuneInString(v.text[:m[0]]); m[0] > 0 && (wordRune(r) || r == '.') {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(v.text[m[1]:]); m[1] < len(v.text) && wordRune(r) {
			continue
		}
		out = append(out, span{m[0], m[1]})
	}
	return out
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' }

// splitKnown sorts known identifiers into digit strings (with the forms
// the same phone takes: 0912345678, 912345678, 84912345678) and folded
// names.
func splitKnown(known []string) (numbers map[string]bool, names [][]string) {
	for _, k := range known {
		var digits strings.Builder
		letters := false
		for _, r := range k {
			r = fold(r)
			switch {
			case r >= '0' && r <= '9':
				digits.WriteRune(r)
			case unicode.IsLetter(r):
				letters = true
			}
		}
		switch d := digits.String(); {
		case !letters && len(d) >= 6:
			if numbers == nil {
				numbers = map[string]bool{}
			}
			for _, f := range phoneForms(d) {
				numbers[f] = true
			}
		case letters:
			if w := nameWords(k); len(w) > 0 {
				names = append(names, w)
			}
		}
	}
	return numbers, names
}

// nameWords are the folded words of a known name, without what is not a
// letter or digit at their ends ("Hùng 🌸" is "hung"). A name of fewer
// than three letters in all ("Ba", "Út") is too common a word to hide.
func nameWords(name string) []string {
	var words []string
	letters := 0
	for _, w := range strings.Fields(newView(norm.NFC.String(name)).text) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
		if w != "" {
			words = append(words, w)
			letters += utf8.RuneCountInString(w)
		}
	}
	if letters < 3 {
		return nil
	}
	return words
}

// phoneForms are the digit strings one phone number is written as.
func phoneForms(d string) []string {
	national := d
	switch {
	case strings.HasPrefix(d, "840"):
		national = d[3:]
	case strings.HasPrefix(d, "84") && len(d) >= 11:
		national = d[2:]
	case strings.HasPrefix(d, "0"):
		national = d[1:]
	}
	return []string{d, national, "0" + national, "84" + national, "840" + national}
}

// words finds the name (folded words) as whole words, any spacing between.
func (v *view) words(name []string) []span {
	quoted := make([]string, len(name))
	for i, w := range name {
		quoted[i] = regexp.QuoteMeta(w)
	}
	re := regexp.MustCompile(strings.Join(quoted, `\s+`))
	var out []span
	for at := 0; at < len(v.text); {
		m := re.FindStringIndex(v.text[at:])
		if m == nil {
			break
		}
		start, end := at+m[0], at+m[1]
		before, _ := utf8.DecodeLastRuneInString(v.text[:start])
		after, _ := utf8.DecodeRuneInString(v.text[end:])
		if (start == 0 || !wordRune(before)) && (end == len(v.text) || !wordRune(after)) {
			out = append(out, span{start, end})
			at = end
			continue
		}
		_, size := utf8.DecodeRuneInString(v.text[start:])
		at = start + size
	}
	return out
}

// group is a run of ASCII digits in the view.
type group struct{ start, end int }

// numbers finds phone and ID numbers, and the known numbers, among the
// view's digits. Digits written in groups ("0912 345 678", "(091)
// 234-5678") are read together when the gap between two groups is one or
// two separators (space, dot, dash, slash, brackets) and a few spaces; the
// longest run of groups that makes a number is hidden, with its "+" and
// brackets.
func (v *view) numbers(known map[string]bool) []span {
	t := v.text
	var groups []group
	for i := 0; i < len(t); {
		if !isDigit(t[i]) {
			i++
			continue
		}
		j := i
		for j < len(t) && isDigit(t[j]) {
			j++
		}
		groups = append(groups, group{i, j})
		i = j
	}
	var out []span
	for c := 0; c < len(groups); {
		// A chain: groups joined by separators.
		e := c + 1
		for e < len(groups) && joins(t[groups[e-1].end:groups[e].start]) {
			e++
		}
		out = append(out, v.chain(groups[c:e], known)...)
		c = e
	}
	return out
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// joins reports whether gap, the text between two digit groups, joins
// them into one number: up to four characters of " .-/()", at most two of
// them spaces and two not.
func joins(gap string) bool {
	if gap == "" || len(gap) > 4 {
		return false
	}
	marks := 0
	for _, r := range gap {
		switch r {
		case ' ':
		case '.', '-', '/', '(', ')':
			marks++
		default:
			return false
		}
	}
	return marks <= 2 && len(gap)-marks <= 2
}

// maxGroups is how many groups one number may be written in.
const maxGroups = 6

// chain hides the numbers in one chain of joined groups: from each group,
// the longest run of groups that makes a number.
func (v *view) chain(gs []group, known map[string]bool) []span {
	t := v.text
	money := amounts(t, gs)
	var out []span
	for i := 0; i < len(gs); {
		best := -1
		plus := v.plusBefore(gs[i].start)
		var digits strings.Builder
		for j := i; j < len(gs) && j < i+maxGroups && !money[j]; j++ {
			digits.WriteString(t[gs[j].start:gs[j].end])
			if digits.Len() > 15 {
				break
			}
			switch classify(t, digits.String(), plus, gs[i:j+1], known) {
			case phoneNumber:
				best = j
			case idNumber:
				if !v.unitAfter(gs[j].end) {
					best = j
				}
			}
		}
		if best < 0 {
			i++
			continue
		}
		out = append(out, v.widen(gs[i].start, gs[best].end))
		i = best + 1
	}
	return out
}

// amounts marks the groups that belong to an amount written with
// thousands separators (2.500.000, 1,200,000): a leading group of one to
// three digits, not starting with 0, then groups of three, each after the
// same single "." or ",".
func amounts(t string, gs []group) map[int]bool {
	money := map[int]bool{}
	for i := 0; i < len(gs); {
		j, sep := i+1, ""
		for ; j < len(gs); j++ {
			gap := t[gs[j-1].end:gs[j].start]
			if (gap != "." && gap != ",") || (sep != "" && gap != sep) {
				break
			}
			sep = gap
		}
		// Groups i..j-1 are joined by one separator throughout.
		if j-i >= 2 {
			ok := gs[i].end-gs[i].start <= 3 && t[gs[i].start] != '0'
			for k := i + 1; k < j && ok; k++ {
				ok = gs[k].end-gs[k].start == 3
			}
			if ok {
				for k := i; k < j; k++ {
					money[k] = true
				}
			}
		}
		i = j
	}
	return money
}

// plusBefore reports a "+" (with or without a space or bracket) just
// before offset i: an international number.
func (v *view) plusBefore(i int) bool {
	return strings.HasSuffix(strings.TrimRight(v.text[:i], " ("), "+")
}

// widen takes in the "+" and an opening bracket just before a number, and
// a closing bracket after it when one is open.
func (v *view) widen(start, end int) span {
	t := v.text
	k := start
	for k > 0 && strings.IndexByte(" (+", t[k-1]) >= 0 {
		k--
	}
	s := start
	if lead := t[k:start]; strings.ContainsAny(lead, "+(") {
		s = k + len(lead) - len(strings.TrimLeft(lead, " "))
	}
	e := end
	if e < len(t) && t[e] == ')' && strings.Count(t[s:e], "(") > strings.Count(t[s:e], ")") {
		e++
	}
	return span{s, e}
}

// What a run of digits is.
const (
	notPersonal = iota
	phoneNumber // a phone number, or a number the caller knows
	idNumber    // a citizen ID number, or an amount without separators
)

// classify tells what digits, written as the groups gs of t, are.
func classify(t, d string, plus bool, gs []group, known map[string]bool) int {
	if known[d] {
		return phoneNumber
	}
	n := len(d)
	switch {
	case strings.HasPrefix(d, "84") && nationalNumber(strings.TrimPrefix(d[2:], "0")):
		return phoneNumber // +84 912 345 678, 84912345678
	case plus && !strings.HasPrefix(d, "84") && n >= 8:
		return phoneNumber // another country's number
	case n == 10 && d[0] == '0' && strings.IndexByte("35789", d[1]) >= 0:
		return phoneNumber // a mobile number
	case n == 11 && strings.HasPrefix(d, "02"):
		return phoneNumber // a landline with its area code
	}
	// ID numbers: 12 digits (CCCD, starting with the province's 0) or 9
	// (CMND, or a mobile number without its 0). Written in groups, each
	// group has at least three digits, so that a number and a count after
	// it ("0912345678 12 hộ") are not read as one ID, and no group after a
	// dot has more than four, so that a decimal number (106.370000) is not
	// either.
	if (n == 12 && d[0] == '0') || n == 9 {
		for k, g := range gs {
			if size := g.end - g.start; size < 3 && len(gs) > 1 || k > 0 && size > 4 && t[gs[k-1].end:g.start] == "." {
				return notPersonal
			}
		}
		return idNumber
	}
	return notPersonal
}

// nationalNumber: a number after +84, without its leading 0.
func nationalNumber(d string) bool {
	switch len(d) {
	case 9:
		return strings.IndexByte("35789", d[0]) >= 0
	case 10:
		return d[0] == '2'
	}
	return false
}

// unitAfter reports an amount's unit or a percent sign after offset i: a
// nine-digit amount (250000000 đồng) is not an ID number.
func (v *view) unitAfter(i int) bool {
	rest := strings.TrimLeft(v.text[i:], " ")
	if strings.HasPrefix(rest, "%") {
		return true
	}
	word := rest
	if k := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) }); k >= 0 {
		word = rest[:k]
	}
	switch word {
	case "d", "dong", "vnd", "usd", "trieu", "ty", "nghin", "ngan":
		return true
	}
	return false
}
