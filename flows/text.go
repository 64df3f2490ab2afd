package flows

import (
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MaxTextLength is the longest text a message may carry, in characters,
// both in a flow file and after rendering (Telegram's limit is 4096).
const MaxTextLength = 4096

// rawText is a translatable text as written in a flow file: a mapping of
// language to text, or a plain string in the flow's base language. It keeps
// its place in the file so problems can point at it.
type rawText struct {
	values       map[string]string
	line, column int
}

// UnmarshalYAML accepts `{vi: ..., en: ...}` or a plain string.
func (t *rawText) UnmarshalYAML(n *yaml.Node) error {
	t.line, t.column = n.Line, n.Column
	if n.Kind == yaml.ScalarNode {
		t.values = map[string]string{"": n.Value}
		return nil
	}
	return n.Decode(&t.values)
}

// Template data keys a flow text may use, with what they hold. Keeping the
// list closed lets validation catch a misspelt {{.nmae}} at load time.
var templateKeys = map[string]bool{
	"answers":        true, // {{.answers.description}}: what the resident answered, by ask key
	"name":           true, // the resident's name
	"opinion":        true, // {{.opinion.code}}, {{.opinion.due}} (DD/MM/YYYY), {{.opinion.office}} (the unit it goes to) after a submit
	"category":       true, // the category's name in the resident's language
	"category_code":  true,
	"track":          true, // feedback, complaint, denunciation
	"area":           true, // the area's name in the resident's language
	"area_code":      true,
	"place":          true, // the place as the resident wrote it, when it says more than the area's name
	"suggested_area": true, // at an area ask: the place the description names, offered for a yes
	"phone":          true,
	"saved_phone":    true, // the number the resident left before, masked: 0912 xxx 678
	"anonymous":      true,
	"consent":        true,
	// announcements_asked: the resident answered the announcements notice
	// already (it is asked once)
	"announcements_asked": true,
	"language":            true,
	"faq":                 true, // the FAQ's answer after a faq node
	"reception":           true, // {{.reception.unit}}, .address, .hours, .phone: where a complaint or denunciation is filed in person
}

// templateFuncs are the only functions a template may call: comparisons and
// lookups. printf and friends are left out since a width such as %999999999d
// would let an admin make the bot allocate without bound.
var templateFuncs = map[string]bool{
	"and": true, "or": true, "not": true, "eq": true, "ne": true,
	"lt": true, "le": true, "gt": true, "ge": true, "len": true, "index": true,
}

// text is a compiled translatable text: per language either a static string
// or a parsed template.
type text struct {
	static map[string]string
	tmpl   map[string]*template.Template
}

// compileText parses every translation of t. Problems name the language.
func compileText(t rawText, base string) (*text, []error) {
	out := &text{static: map[string]string{}, tmpl: map[string]*template.Template{}}
	var errs []error
	for lang, s := range t.values {
		if lang == "" {
			lang = base
		}
		if n := utf8.RuneCountInString(s); n > MaxTextLength {
			errs = append(errs, fmt.Errorf("text in %q is %d characters long; the limit is %d", lang, n, MaxTextLength))
			continue
		}
		if !strings.Contains(s, "{{") {
			out.static[lang] = s
			continue
		}
		tm, err := template.New(lang).Option("missingkey=zero").Parse(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("template in %q: %w", lang, err))
			continue
		}
		if err := checkTemplate(tm); err != nil {
			errs = append(errs, fmt.Errorf("template in %q: %w", lang, err))
			continue
		}
		out.tmpl[lang] = tm
	}
	return out, errs
}

// has reports whether t has a translation for lang.
func (t *text) has(lang string) bool {
	_, s := t.static[lang]
	_, m := t.tmpl[lang]
	return s || m
}

// render returns t in lang, falling back to base and then to any language.
// data is called only when the text is a template.
func (t *text) render(lang, base string, data func() map[string]any) (string, error) {
	for _, l := range [...]string{lang, base} {
		if s, ok := t.static[l]; ok {
			return s, nil
		}
		if tm, ok := t.tmpl[l]; ok {
			var b limitedBuilder
			if err := tm.Execute(&b, data()); err != nil {
				return "", fmt.Errorf("render %s text: %w", l, err)
			}
			return b.String(), nil
		}
	}
	return "", nil
}

// limitedBuilder keeps the first MaxTextLength characters written to it, so a
// template that grows with a long answer cannot produce an unsendable text.
type limitedBuilder struct {
	strings.Builder
	runes int
}

func (b *limitedBuilder) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 && b.runes < MaxTextLength {
		r, size := utf8.DecodeRune(p)
		b.WriteRune(r)
		p = p[size:]
		b.runes++
	}
	return n, nil
}

// checkTemplate rejects what could loop, recurse or reach outside the data:
// range, nested template definitions, unknown keys and functions.
func checkTemplate(tm *template.Template) error {
	if len(tm.Templates()) > 1 {
		return fmt.Errorf("defining templates is not allowed")
	}
	return checkTemplateNode(tm.Tree.Root, false)
}

// checkTemplateNodes checks each of nodes, stopping at the first error.
func checkTemplateNodes[N parse.Node](nodes []N, rebound bool) error {
	for _, n := range nodes {
		if err := checkTemplateNode(n, rebound); err != nil {
			return err
		}
	}
	return nil
}

func checkTemplateNode(n parse.Node, rebound bool) error {
	switch n := n.(type) {
	case nil:
		return nil
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		return checkTemplateNodes(n.Nodes, rebound)
	case *parse.ActionNode:
		return checkTemplateNode(n.Pipe, rebound)
	case *parse.PipeNode:
		if n == nil {
			return nil
		}
		return checkTemplateNodes(n.Cmds, rebound)
	case *parse.CommandNode:
		return checkTemplateNodes(n.Args, rebound)
	case *parse.IfNode:
		return checkBranch(&n.BranchNode, rebound, rebound)
	case *parse.WithNode:
		// Inside with, dot is the tested value, so field names are no
		// longer top-level keys.
		return checkBranch(&n.BranchNode, true, rebound)
	case *parse.FieldNode:
		if !rebound && !templateKeys[n.Ident[0]] {
			return fmt.Errorf("unknown field .%s (known: %s)", n.Ident[0], strings.Join(sortedKeys(templateKeys), ", "))
		}
	case *parse.ChainNode:
		return checkTemplateNode(n.Node, rebound)
	case *parse.IdentifierNode:
		if !templateFuncs[n.Ident] {
			return fmt.Errorf("function %q is not allowed", n.Ident)
		}
	case *parse.RangeNode:
		return fmt.Errorf("range is not allowed")
	case *parse.TemplateNode:
		return fmt.Errorf("calling templates is not allowed")
	case *parse.TextNode, *parse.DotNode, *parse.VariableNode, *parse.StringNode,
		*parse.NumberNode, *parse.BoolNode, *parse.NilNode, *parse.CommentNode:
		return nil
	default:
		return fmt.Errorf("%s is not allowed", n)
	}
	return nil
}

func checkBranch(b *parse.BranchNode, bodyRebound, rebound bool) error {
	if err := checkTemplateNode(b.Pipe, rebound); err != nil {
		return err
	}
	if err := checkTemplateNode(b.List, bodyRebound); err != nil {
		return err
	}
	return checkTemplateNode(b.ElseList, rebound)
}
