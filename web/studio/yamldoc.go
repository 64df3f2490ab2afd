package studio

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlDoc is a YAML file the studio edits through a form (a flow's texts,
// the units and routing rules): its tree (yaml.v3's Node API), so that the
// comments, order and quoting of what the form did not change survive, and
// the text it was read from, for the blank lines the tree does not keep.
// Written back without edits, a file comes out byte for byte.
type yamlDoc struct {
	doc yaml.Node
	src []byte
	// spacedList is the top-level list whose items the file may set apart
	// with a blank line ("nodes" in a flow) and spacedKey the key each
	// item starts with ("id"); encode puts those blank lines back.
	spacedList, spacedKey string
}

// parseYAMLDoc reads src; the error is yaml.v3's, for the caller to word.
func parseYAMLDoc(src []byte, spacedList, spacedKey string) (*yamlDoc, error) {
	d := &yamlDoc{src: src, spacedList: spacedList, spacedKey: spacedKey}
	if err := yaml.Unmarshal(src, &d.doc); err != nil {
		return nil, err
	}
	return d, nil
}

// root is the document's top node, nil for an empty document.
func (d *yamlDoc) root() *yaml.Node {
	if len(d.doc.Content) == 0 {
		return nil
	}
	return d.doc.Content[0]
}

// encode writes the tree back the way the studio's files are written:
// two-space indents and, before the items the file set apart with a blank
// line, the same blank line.
func (d *yamlDoc) encode() ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&d.doc); err != nil {
		return nil, fmt.Errorf("write the YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("write the YAML: %w", err)
	}
	item, spaced := spacedItems(d.src, d.spacedList, d.spacedKey)
	if len(spaced) == 0 {
		return b.Bytes(), nil
	}
	lines := strings.Split(b.String(), "\n")
	out := make([]string, 0, len(lines)+len(spaced))
	for _, ln := range lines {
		if id, ok := strings.CutPrefix(ln, item+d.spacedKey+": "); ok && spaced[strings.TrimSpace(id)] {
			// The blank line goes before the comments heading the item.
			at := len(out)
			for at > 0 && strings.HasPrefix(strings.TrimSpace(out[at-1]), "#") && indentOf(out[at-1]) == indentOf(ln) {
				at--
			}
			if at > 0 && strings.TrimSpace(out[at-1]) != "" {
				out = slices.Insert(out, at, "")
			}
		}
		out = append(out, ln)
	}
	return []byte(strings.Join(out, "\n")), nil
}

// spacedItems finds how the file starts an item of its top-level list
// named list ("  - ") and the keys (the values of key) of the items a
// blank line sets apart from the one before.
func spacedItems(src []byte, list, key string) (item string, spaced map[string]bool) {
	spaced = map[string]bool{}
	if list == "" {
		return "", spaced
	}
	in, blank := false, false
	for _, ln := range strings.Split(string(src), "\n") {
		trimmed := strings.TrimSpace(ln)
		switch {
		case strings.HasPrefix(ln, list+":"):
			in = true
		case !in:
		case trimmed == "":
			blank = true
		case strings.HasPrefix(trimmed, "#"):
		case strings.HasPrefix(trimmed, "- "):
			prefix := ln[:indentOf(ln)] + "- "
			if item == "" {
				item = prefix
			}
			if id, ok := strings.CutPrefix(trimmed, "- "+key+": "); ok && blank && prefix == item {
				spaced[strings.TrimSpace(id)] = true
			}
			blank = false
		default:
			blank = false
		}
	}
	return item, spaced
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

// yamlValue returns the value of key in mapping n, or nil.
func yamlValue(n *yaml.Node, key string) *yaml.Node {
	_, v := mappingEntry(n, key)
	return v
}

func strNode(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// setScalar sets a text scalar's value in a style that can hold it: a
// literal block for several lines (quoted inside a flow collection), the
// style it had otherwise (the encoder quotes what a plain scalar cannot
// carry).
func setScalar(n *yaml.Node, value string, inFlow bool) {
	n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", value
	multiline := strings.Contains(value, "\n")
	switch {
	case multiline && inFlow:
		n.Style = yaml.DoubleQuotedStyle
	case multiline:
		n.Style = yaml.LiteralStyle
	case n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle:
		n.Style = yaml.DoubleQuotedStyle
	}
}

// setText makes key's value in mapping m the text value, for a file the
// service writes (not an admin's): the scalar that is there changes in
// place (keeping its comments) and takes the style the encoder picks for
// the new value, as the service's own export would write it; a missing key
// is added where order puts it (the keys m may hold, in the order files
// write them); an empty value removes the key. It reports whether m
// changed.
func setText(m *yaml.Node, key, value string, order []string) bool {
	_, v := mappingEntry(m, key)
	switch {
	case v != nil && v.Kind == yaml.ScalarNode && v.Value == value:
		return false
	case value == "":
		return deleteEntry(m, key)
	case v == nil:
		v = strNode("")
		setEntry(m, key, v, order)
	}
	v.Style = 0
	setScalar(v, value, m.Style&yaml.FlowStyle != 0)
	return true
}

// setEntry makes key's value in mapping m the node value, adding the key
// before the first key that order puts after it (at the end when order
// does not say).
func setEntry(m *yaml.Node, key string, value *yaml.Node, order []string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = value
			return
		}
	}
	at := len(m.Content)
	if rank := slices.Index(order, key); rank >= 0 {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if r := slices.Index(order, m.Content[i].Value); r > rank {
				at = i
				break
			}
		}
	}
	m.Content = slices.Insert(m.Content, at, strNode(key), value)
}

// deleteEntry removes key from mapping m and reports whether it was there.
func deleteEntry(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = slices.Delete(m.Content, i, i+2)
			return true
		}
	}
	return false
}
