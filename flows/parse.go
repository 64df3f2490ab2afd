package flows

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"langnghe"
)

// Limits on a flow file. They keep a flow small enough to read, to store as
// one revision, and to run within a turn's step cap.
const (
	MaxFileSize   = 256 << 10
	MaxNodes      = 200
	MaxOptions    = 20 // buttons a question offers
	MaxRetries    = 10
	MaxLabelRunes = 64
	// Button data is "<wait counter>:<value>" and must fit Telegram's 64
	// bytes; values are kept short so the counter has room.
	maxValueLen = 40
)

var (
	idPattern    = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
	valuePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_]{0,39}$`)
	langPattern  = regexp.MustCompile(`^[a-z]{2,3}$`)
)

// Severity says whether a problem blocks a flow from loading.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Problem is one thing wrong with a flow file, with its place.
type Problem struct {
	File     string   `json:"file"`
	Line     int      `json:"line,omitempty"`
	Column   int      `json:"column,omitempty"`
	Node     string   `json:"node,omitempty"`
	Severity Severity `json:"severity"`
	Language string   `json:"language,omitempty"` // for missing translations
	Message  string   `json:"message"`
}

// String formats p as `file:line:col: node "id": message`, the way
// compilers and editors expect.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, p.Column)
	}
	b.WriteString(": ")
	if p.Severity == SeverityWarning {
		b.WriteString("warning: ")
	}
	if p.Node != "" {
		fmt.Fprintf(&b, "node %q: ", p.Node)
	}
	b.WriteString(p.Message)
	return b.String()
}

// FormatProblems lists problems one a line, errors before warnings, each
// group in file order.
func FormatProblems(ps []Problem) string {
	sorted := append([]Problem(nil), ps...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Severity != b.Severity {
			return a.Severity == SeverityError
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	var b strings.Builder
	for _, p := range sorted {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// rawFlow is a flow file as written. Its yaml tags are the file format (and
// flow.schema.json must agree with them; a test checks).
type rawFlow struct {
	ID           string    `yaml:"id"`
	Name         rawText   `yaml:"name"`
	BaseLanguage string    `yaml:"base_language"`
	Languages    []string  `yaml:"languages"`
	Start        string    `yaml:"start"`
	Nodes        []rawNode `yaml:"nodes"`
}

type rawNode struct {
	ID       string            `yaml:"id"`
	Say      []rawText         `yaml:"say"`
	Action   *rawAction        `yaml:"action"`
	Ask      *rawAsk           `yaml:"ask"`
	Router   *rawRouter        `yaml:"router"`
	Classify *rawClassify      `yaml:"classify"`
	FAQ      *rawFAQ           `yaml:"faq"`
	Enter    string            `yaml:"enter"`
	SwitchTo string            `yaml:"switch_to"`
	Exits    map[string]string `yaml:"exits"`
	Next     string            `yaml:"next"`

	node *yaml.Node // its place in the file
}

// UnmarshalYAML keeps the node's place in the file.
func (n *rawNode) UnmarshalYAML(v *yaml.Node) error {
	type plain rawNode
	if err := v.Decode((*plain)(n)); err != nil {
		return err
	}
	n.node = v
	return nil
}

type rawAction struct {
	Type          string `yaml:"type"`
	Purpose       string `yaml:"purpose"`
	NoticeVersion string `yaml:"notice_version"`
	Granted       *bool  `yaml:"granted"`
	To            string `yaml:"to"`
	From          string `yaml:"from"`
	Text          string `yaml:"text"`
	Category      string `yaml:"category"`
}

type rawAsk struct {
	Kind      string       `yaml:"kind"`
	Key       string       `yaml:"key"`
	Message   *rawText     `yaml:"message"`
	Retry     *rawText     `yaml:"retry"`
	Retries   *int         `yaml:"retries"`
	Timeout   string       `yaml:"timeout"`
	Options   []rawOption  `yaml:"options"`
	Min       *float64     `yaml:"min"`
	Max       *float64     `yaml:"max"`
	MinLength *int         `yaml:"min_length"`
	MaxLength *int         `yaml:"max_length"`
	FreeText  *rawFreeText `yaml:"free_text"`
	PassOn    bool         `yaml:"pass_on"`
}

// rawFreeText lets a choice take words that name no option: a concern
// typed at the menu instead of a tap.
type rawFreeText struct {
	Key       string `yaml:"key"`
	MinLength int    `yaml:"min_length"`
}

type rawFAQ struct {
	Text string `yaml:"text"`
}

type rawOption struct {
	Value string  `yaml:"value"`
	Label rawText `yaml:"label"`
}

type rawRouter struct {
	On      *rawText  `yaml:"on"`
	Cases   []rawCase `yaml:"cases"`
	Default string    `yaml:"default"`
}

type rawCase struct {
	Equals   *string  `yaml:"equals"`
	AnyOf    []string `yaml:"any_of"`
	Category string   `yaml:"category"`
	Area     string   `yaml:"area"`
	Empty    bool     `yaml:"empty"`
	Outcome  string   `yaml:"outcome"`
}

type rawClassify struct {
	Text      string  `yaml:"text"`
	Threshold float64 `yaml:"threshold"`
	Choices   int     `yaml:"choices"`
}

// Parse reads and validates one flow file. It returns either a complete
// *Definition (with warnings, such as missing translations) or a nil
// definition, every problem found, and an EINVALID error listing the
// errors: a broken file is never half-loaded. cat may be nil, which skips
// the checks of category and area codes.
func Parse(name string, data []byte, cat *langnghe.Catalogue) (*Definition, []Problem, error) {
	p := &parser{file: name, cat: cat}
	def := p.parse(data)
	var errs []string
	for _, pr := range p.problems {
		if pr.Severity == SeverityError {
			errs = append(errs, pr.String())
		}
	}
	if len(errs) > 0 {
		return nil, p.problems, langnghe.Errorf(langnghe.EINVALID, "flow %s has %d error(s):\n%s", name, len(errs), strings.Join(errs, "\n"))
	}
	def.Source = bytes.Clone(data)
	return def, p.problems, nil
}

type parser struct {
	file     string
	cat      *langnghe.Catalogue
	problems []Problem
	base     string
	langs    []string
}

func (p *parser) add(sev Severity, line, col int, nodeID, format string, args ...any) {
	p.problems = append(p.problems, Problem{File: p.file, Line: line, Column: col, Node: nodeID,
		Severity: sev, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) errorAt(n *yaml.Node, nodeID, format string, args ...any) {
	line, col := 0, 0
	if n != nil {
		line, col = n.Line, n.Column
	}
	p.add(SeverityError, line, col, nodeID, format, args...)
}

var yamlLine = regexp.MustCompile(`line (\d+)(?:, column (\d+))?: (.*)`)

// yamlProblem turns a yaml.v3 error, whose text carries the line, into a
// Problem with its place.
func (p *parser) yamlProblem(msg string) {
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		p.add(SeverityError, line, col, "", "%s", m[3])
		return
	}
	p.add(SeverityError, 0, 0, "", "%s", msg)
}

func (p *parser) parse(data []byte) *Definition {
	if len(data) > MaxFileSize {
		p.add(SeverityError, 1, 1, "", "file is %d bytes; the limit is %d", len(data), MaxFileSize)
		return nil
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.add(SeverityError, 1, 1, "", "the file is empty")
		} else {
			p.yamlProblem(err.Error())
		}
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		p.add(SeverityError, extra.Line, extra.Column, "", "one flow a file: a second YAML document follows")
		return nil
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		p.errorAt(root, "", "a flow file is a mapping with id, start and nodes")
		return nil
	}
	// yaml.v3 forgets KnownFields inside custom unmarshalers, so unknown
	// fields are checked on the tree, which also gives their column.
	p.checkFields(root, reflect.TypeFor[rawFlow](), "")
	if len(p.problems) > 0 {
		return nil
	}
	var raw rawFlow
	if err := root.Decode(&raw); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, e := range te.Errors {
				p.yamlProblem(e)
				// The type error names only its line; the value's column
				// is the last node starting on it.
				if last := &p.problems[len(p.problems)-1]; last.Column == 0 {
					last.Column = lastColumn(root, last.Line)
				}
			}
		} else {
			p.yamlProblem(err.Error())
		}
		return nil
	}
	return p.compile(root, &raw)
}

var rawTextType = reflect.TypeFor[rawText]()

// checkFields reports mapping keys that t has no yaml field for.
func (p *parser) checkFields(n *yaml.Node, t reflect.Type, nodeID string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawTextType {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return // Decode reports the type error
		}
		fields := map[string]reflect.Type{}
		for i := range t.NumField() {
			f := t.Field(i)
			if tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); tag != "" && f.IsExported() {
				fields[tag] = f.Type
			}
		}
		id := nodeID
		if t == reflect.TypeFor[rawNode]() {
			if v := mapValue(n, "id"); v != nil {
				id = v.Value
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				p.errorAt(k, id, "unknown field %q (known: %s)", k.Value, strings.Join(sortedKeys(fields), ", "))
				continue
			}
			p.checkFields(v, ft, id)
		}
	case reflect.Slice:
		if n.Kind == yaml.SequenceNode {
			for _, c := range n.Content {
				p.checkFields(c, t.Elem(), nodeID)
			}
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode {
			for i := 1; i < len(n.Content); i += 2 {
				p.checkFields(n.Content[i], t.Elem(), nodeID)
			}
		}
	}
}

// mapValue returns the value of key in mapping n, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// mapKey returns the key node of key in mapping n, or n itself so a problem
// still has a place.
func mapKey(n *yaml.Node, key string) *yaml.Node {
	if n != nil && n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i]
			}
		}
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lastColumn returns the column of the last node in n's tree that starts on
// line, or 0.
func lastColumn(n *yaml.Node, line int) int {
	col := 0
	if n.Line == line {
		col = n.Column
	}
	for _, c := range n.Content {
		col = max(col, lastColumn(c, line))
	}
	return col
}
