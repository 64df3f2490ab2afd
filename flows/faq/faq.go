// Package faq answers residents' common questions (what to bring, which
// office, how long, where to apply online) from a small file admins edit
// beside the catalogue.
//
// Only questions get an answer. "Làm sổ đỏ cần giấy tờ gì?" is a question
// and gets the land certificate's entry; "nhà tôi làm sổ đỏ 6 tháng chưa
// được cấp" mentions the same topic but is a concern: an opinion for the
// board, which the conversation goes on to take. The matcher reads the text
// folded (with or without diacritics) and in residents' shorthand ("j" for
// gì, "ko" for không, "bhyt", "cccd").
//
// The package is pure: no storage, no channel. A FAQ is immutable once
// parsed and safe for concurrent use.
package faq

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"langnghe"
	"langnghe/flows/vntext"
)

// Limits of a FAQ file. A FAQ is read by people in a chat: a long answer is
// a page nobody reads, and hundreds of entries overlap until the wrong one
// answers.
const (
	MaxEntries        = 200
	MaxAnswerLength   = 1500 // characters, per language
	MaxQuestions      = 60   // phrasings per entry
	MaxQuestionLength = 200  // characters
	MaxLinkLength     = 300
)

// Languages an answer may be written in; vi is required, the others fall
// back to it.
var languages = []string{langnghe.LangVI, langnghe.LangEN, langnghe.LangZH}

//go:embed default.yaml
var defaultFile []byte

// defaultFAQ is parsed once; the package's tests check the embedded file,
// so a broken default never ships.
var defaultFAQ = func() *FAQ {
	f, err := Parse(defaultFile)
	if err != nil {
		panic(fmt.Sprintf("embedded default FAQ: %v", err))
	}
	return f
}()

// Default returns the FAQ shipped with the binary. A FAQ is immutable, so
// every caller shares it.
func Default() *FAQ { return defaultFAQ }

// DefaultFile returns the bytes of the default FAQ, for admins to export,
// edit and load back.
func DefaultFile() []byte { return bytes.Clone(defaultFile) }

// FAQ is a parsed, validated FAQ with its index. The zero value and nil
// answer nothing.
type FAQ struct {
	version string
	entries []*entry
	// weight is each feature's weight: high for the words and pairs only
	// one entry uses, low for those many share.
	weight map[string]float64
}

// entry is one question and its answers.
type entry struct {
	id       string
	answer   map[string]string // language → text, trimmed
	link     string
	features map[string]bool
}

// rawFile is the YAML as written.
type rawFile struct {
	Version string     `yaml:"version"`
	Entries []rawEntry `yaml:"entries"`
}

type rawEntry struct {
	ID        string            `yaml:"id"`
	Questions []string          `yaml:"questions"`
	Answer    map[string]string `yaml:"answer"`
	Link      string            `yaml:"link"`
}

// idPattern keeps ids usable in logs, URLs and tests.
var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// typeNames are Go type names yaml.v3 puts in its messages, which mean
// nothing to an admin.
var typeNames = regexp.MustCompile(` in type [A-Za-z0-9_.\[\]]+`)

// Parse reads a FAQ from YAML and validates it. Every problem found is
// reported, each with its line and entry, in one EINVALID error, so an
// admin fixes the file in one round:
//
//	faq: line 12: entry so_do: answer.vi is missing
//
// An empty list of entries is valid: the FAQ answers nothing.
func Parse(data []byte) (*FAQ, error) {
	var raw rawFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, langnghe.Errorf(langnghe.EINVALID, "faq: the file is empty")
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		return nil, langnghe.Errorf(langnghe.EINVALID, "faq: %s", typeNames.ReplaceAllString(msg, ""))
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil { // cannot fail after Decode succeeded
		return nil, fmt.Errorf("faq: read positions: %w", err)
	}
	v := &validator{places: placesOf(&root)}
	v.check(&raw)
	if len(v.problems) > 0 {
		return nil, langnghe.Errorf(langnghe.EINVALID, "faq: %s", strings.Join(v.problems, "; "))
	}
	return build(&raw), nil
}

// places are the lines of the file's parts: the entries list and, per
// entry, the entry and each of its fields.
type places struct {
	entries int
	entry   []entryPlaces
}

type entryPlaces struct {
	line   int
	fields map[string]int // "id", "questions", "answer", "answer.vi", "link"
	// questions are the lines of each phrasing.
	questions []int
}

func placesOf(root *yaml.Node) places {
	var p places
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return p
	}
	doc := root.Content[0]
	for i := 0; i+1 < len(doc.Content); i += 2 {
		key, val := doc.Content[i], doc.Content[i+1]
		if key.Value != "entries" || val.Kind != yaml.SequenceNode {
			continue
		}
		p.entries = key.Line
		for _, item := range val.Content {
			ep := entryPlaces{line: item.Line, fields: map[string]int{}}
			for j := 0; item.Kind == yaml.MappingNode && j+1 < len(item.Content); j += 2 {
				k, fv := item.Content[j], item.Content[j+1]
				ep.fields[k.Value] = k.Line
				switch {
				case k.Value == "answer" && fv.Kind == yaml.MappingNode:
					for l := 0; l+1 < len(fv.Content); l += 2 {
						ep.fields["answer."+fv.Content[l].Value] = fv.Content[l].Line
					}
				case k.Value == "questions" && fv.Kind == yaml.SequenceNode:
					for _, q := range fv.Content {
						ep.questions = append(ep.questions, q.Line)
					}
				}
			}
			p.entry = append(p.entry, ep)
		}
	}
	return p
}

// validator collects problems instead of stopping at the first.
type validator struct {
	places   places
	problems []string
}

func (v *validator) add(line int, item, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if item != "" {
		msg = item + ": " + msg
	}
	v.problems = append(v.problems, fmt.Sprintf("line %d: %s", line, msg))
}

// line is the line of entry i's field (its own line when the field is
// absent).
func (v *validator) line(i int, field string) int {
	if i >= len(v.places.entry) {
		return 0
	}
	ep := v.places.entry[i]
	if l, ok := ep.fields[field]; ok && field != "" {
		return l
	}
	return ep.line
}

func (v *validator) check(raw *rawFile) {
	if len(raw.Entries) > MaxEntries {
		v.add(v.places.entries, "", "%d entries; the limit is %d", len(raw.Entries), MaxEntries)
	}
	first := map[string]int{} // id → line where it first appears
	for i, e := range raw.Entries {
		item := "entry " + e.ID
		if e.ID == "" {
			item = fmt.Sprintf("entry #%d", i+1)
		}
		switch {
		case e.ID == "":
			v.add(v.line(i, ""), item, "id is missing")
		case !idPattern.MatchString(e.ID):
			v.add(v.line(i, "id"), item, "id must be lower-case letters, digits and _ (at most 40), starting with a letter")
		default:
			if l, dup := first[e.ID]; dup {
				v.add(v.line(i, "id"), item, "id is used twice (first at line %d)", l)
			} else {
				first[e.ID] = v.line(i, "id")
			}
		}
		v.questions(i, item, e.Questions)
		v.answers(i, item, e.Answer)
		if e.Link != "" {
			v.link(i, item, e.Link)
		}
	}
}

func (v *validator) questions(i int, item string, qs []string) {
	if len(qs) == 0 {
		v.add(v.line(i, "questions"), item, "questions are missing: give a few ways residents ask it")
		return
	}
	if len(qs) > MaxQuestions {
		v.add(v.line(i, "questions"), item, "%d questions; the limit is %d", len(qs), MaxQuestions)
	}
	useful := false
	for j, q := range qs {
		line := v.line(i, "questions")
		if ep := v.places.entry; i < len(ep) && j < len(ep[i].questions) {
			line = ep[i].questions[j]
		}
		switch {
		case len(vntext.Words(q)) == 0:
			v.add(line, item, "question %q has no letters or digits", q)
		case utf8.RuneCountInString(q) > MaxQuestionLength:
			v.add(line, item, "a question is %d characters; the limit is %d", utf8.RuneCountInString(q), MaxQuestionLength)
		default:
			if len(analyse(q).features) > 0 {
				useful = true
			}
		}
	}
	if !useful {
		v.add(v.line(i, "questions"), item, "the questions are only question words; add the topic's words (\"sổ đỏ\", \"khai sinh\")")
	}
}

func (v *validator) answers(i int, item string, answer map[string]string) {
	if len(answer) == 0 {
		v.add(v.line(i, "answer"), item, "answer is missing: give at least answer.vi")
		return
	}
	if strings.TrimSpace(answer[langnghe.LangVI]) == "" {
		v.add(v.line(i, "answer"), item, "answer.vi is missing: the Vietnamese answer is required")
	}
	for _, lang := range sortedKeys(answer) {
		text := strings.TrimSpace(answer[lang])
		line := v.line(i, "answer."+lang)
		switch {
		case !knownLanguage(lang):
			v.add(line, item, "answer language %q is not one of %s", lang, strings.Join(languages, ", "))
		case text == "" && lang != langnghe.LangVI:
			v.add(line, item, "answer.%s is empty; remove it to fall back to Vietnamese", lang)
		case utf8.RuneCountInString(text) > MaxAnswerLength:
			v.add(line, item, "answer.%s is %d characters; the limit is %d", lang, utf8.RuneCountInString(text), MaxAnswerLength)
		}
	}
}

func (v *validator) link(i int, item, link string) {
	line := v.line(i, "link")
	u, err := url.Parse(link)
	switch {
	case len(link) > MaxLinkLength:
		v.add(line, item, "link is %d characters; the limit is %d", len(link), MaxLinkLength)
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(link, " \t\n"):
		v.add(line, item, "link %q is not a web address (https://...)", link)
	}
}

func knownLanguage(lang string) bool {
	for _, l := range languages {
		if l == lang {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// A few keys: insertion sort keeps the import list short.
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// Len is the number of entries.
func (f *FAQ) Len() int {
	if f == nil {
		return 0
	}
	return len(f.entries)
}

// Version is the file's version label ("" when it has none).
func (f *FAQ) Version() string {
	if f == nil {
		return ""
	}
	return f.version
}

// Answer returns the answer, in lang, to a resident's text when the text
// reads as a question and one entry matches it well enough; ok is false
// for concerns, greetings and questions the FAQ does not cover. lang falls
// back to Vietnamese when the entry has no answer in it. The entry's link
// ends the answer.
func (f *FAQ) Answer(lang, text string) (answer string, ok bool) {
	e, ok := f.match(text)
	if !ok {
		return "", false
	}
	return e.answerIn(lang), true
}

// Match returns the id of the entry that would answer text, if any.
func (f *FAQ) Match(text string) (id string, ok bool) {
	e, ok := f.match(text)
	if !ok {
		return "", false
	}
	return e.id, true
}

func (e *entry) answerIn(lang string) string {
	lang = strings.ToLower(lang)
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		lang = lang[:i] // "en-US"
	}
	text, ok := e.answer[lang]
	if !ok {
		text = e.answer[langnghe.LangVI]
	}
	if e.link != "" && !strings.Contains(text, e.link) {
		text += "\n" + e.link
	}
	return text
}
