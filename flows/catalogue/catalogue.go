// Package catalogue loads, validates and searches the admin-editable
// reference data: the categories opinions are sorted into and the area tree
// residents name when they say where something is.
package catalogue

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"langnghe"
	"langnghe/flows/vntext"
)

//go:embed default.yaml
var defaultFile []byte

// defaultCatalogue is parsed once; the embedded file is checked by the
// package's tests, so a broken default never ships.
var defaultCatalogue = mustParse(defaultFile)

func mustParse(data []byte) *langnghe.Catalogue {
	c, err := Parse(data)
	if err != nil {
		panic(fmt.Sprintf("embedded default catalogue: %v", err))
	}
	return c
}

// Default returns the catalogue shipped with the binary. Each call returns a
// deep copy, so callers may modify it.
func Default() *langnghe.Catalogue { return clone(defaultCatalogue) }

func clone(c *langnghe.Catalogue) *langnghe.Catalogue {
	out := &langnghe.Catalogue{Version: c.Version}
	for _, cat := range c.Categories {
		cat.Names = maps.Clone(cat.Names)
		cat.Keywords = slices.Clone(cat.Keywords)
		out.Categories = append(out.Categories, cat)
	}
	for _, a := range c.Areas {
		a.Names = maps.Clone(a.Names)
		a.Aliases = slices.Clone(a.Aliases)
		out.Areas = append(out.Areas, a)
	}
	return out
}

// DefaultFile returns the bytes of the default catalogue, for admins to
// export, edit and load back.
func DefaultFile() []byte { return bytes.Clone(defaultFile) }

// codePattern keeps codes usable in URLs, reports and callback data.
var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Parse reads a catalogue from YAML and validates it. Every problem found is
// reported, each with its line and item, in one EINVALID error, so an admin
// fixes the file in one round:
//
//	catalogue: line 12: category "land": service_days must be more than 0
func Parse(data []byte) (*langnghe.Catalogue, error) {
	var c langnghe.Catalogue
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, langnghe.Errorf(langnghe.EINVALID, "catalogue: the file is empty")
		}
		return nil, langnghe.Errorf(langnghe.EINVALID, "catalogue: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil { // cannot fail after Decode succeeded
		return nil, fmt.Errorf("catalogue: read positions: %w", err)
	}
	v := validator{lines: itemLines(&root)}
	v.categories(c.Categories)
	v.areas(c.Areas)
	if len(v.problems) > 0 {
		return nil, langnghe.Errorf(langnghe.EINVALID, "catalogue: %s", strings.Join(v.problems, "; "))
	}
	return &c, nil
}

// itemLines returns, for "categories" and "areas", the line of each item.
func itemLines(root *yaml.Node) map[string][]int {
	lines := map[string][]int{}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return lines
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return lines
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		key, val := doc.Content[i], doc.Content[i+1]
		if val.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range val.Content {
			lines[key.Value] = append(lines[key.Value], item.Line)
		}
	}
	return lines
}

// validator collects problems instead of stopping at the first.
type validator struct {
	lines    map[string][]int
	problems []string
}

func (v *validator) add(section string, i int, item, format string, args ...any) {
	line := 0
	if ls := v.lines[section]; i < len(ls) {
		line = ls[i]
	}
	v.problems = append(v.problems, fmt.Sprintf("line %d: %s: %s", line, item, fmt.Sprintf(format, args...)))
}

func (v *validator) categories(cats []langnghe.Category) {
	if len(cats) == 0 {
		v.problems = append(v.problems, "no categories")
	}
	seen := map[string]bool{}
	for i, cat := range cats {
		item := v.code("categories", "category", i, cat.Code, seen)
		if strings.TrimSpace(cat.Names[langnghe.LangVI]) == "" {
			v.add("categories", i, item, "names.vi is missing")
		}
		if cat.ServiceDays <= 0 {
			v.add("categories", i, item, "service_days must be more than 0")
		}
		for _, kw := range cat.Keywords {
			if len(vntext.Words(kw)) == 0 {
				v.add("categories", i, item, "keyword %q has no letters or digits", kw)
			}
		}
	}
}

// code checks the code of the ith item of section, a kind (category,
// area), and returns how problems name the item: by its code, or by its
// number when it has none.
func (v *validator) code(section, kind string, i int, code string, seen map[string]bool) (item string) {
	item = fmt.Sprintf("%s %q", kind, code)
	if code == "" {
		item = fmt.Sprintf("%s #%d", kind, i+1)
	}
	switch {
	case code == "":
		v.add(section, i, item, "code is missing")
	case !codePattern.MatchString(code):
		v.add(section, i, item, "code must be lower-case letters, digits and _ (at most 40)")
	case seen[code]:
		v.add(section, i, item, "code is used twice")
	}
	seen[code] = true
	return item
}

func (v *validator) areas(areas []langnghe.Area) {
	seen := map[string]bool{}
	index := map[string]int{}
	for i, a := range areas {
		item := v.code("areas", "area", i, a.Code, seen)
		if _, dup := index[a.Code]; !dup {
			index[a.Code] = i
		}
		if strings.TrimSpace(a.Kind) == "" {
			v.add("areas", i, item, "kind is missing")
		}
		if strings.TrimSpace(a.Names[langnghe.LangVI]) == "" {
			v.add("areas", i, item, "names.vi is missing")
		}
	}
	for i, a := range areas {
		item := fmt.Sprintf("area %q", a.Code)
		if a.Parent != "" && !seen[a.Parent] {
			v.add("areas", i, item, "parent %q does not exist", a.Parent)
		}
		switch {
		case a.ReplacedBy == "":
		case a.Active:
			v.add("areas", i, item, "an active area cannot be replaced_by another")
		case !seen[a.ReplacedBy]:
			v.add("areas", i, item, "replaced_by %q does not exist", a.ReplacedBy)
		}
	}
	v.cycles(areas, index, "parent", func(a langnghe.Area) string { return a.Parent })
	v.cycles(areas, index, "replaced_by", func(a langnghe.Area) string { return a.ReplacedBy })
}

// cycles reports each area from which following link comes back to itself
// (a parent chain or a replacement chain that never ends).
func (v *validator) cycles(areas []langnghe.Area, index map[string]int, link string, next func(langnghe.Area) string) {
	for i, a := range areas {
		steps, code := 0, next(a)
		for code != "" && code != a.Code && steps <= len(areas) {
			j, ok := index[code]
			if !ok {
				break
			}
			code, steps = next(areas[j]), steps+1
		}
		if code == a.Code && a.Code != "" {
			v.add("areas", i, fmt.Sprintf("area %q", a.Code), "%s chain comes back to itself", link)
		}
	}
}
