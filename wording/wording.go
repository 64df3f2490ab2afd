// Package wording is the one catalogue of the texts people read: residents
// in the chat, officials in the chat and on the console. Each language has
// its own files (vi/, en/, zh/, one YAML file per area), embedded and loaded
// once. Flows keep their own texts in their YAML files (admins edit those);
// this is everything else.
//
// A key is either a dotted name ("resident.slow_down") or, for the console
// and the studio, the English text itself ("Sign out"): such a key is its
// own English and needs no entry in en/. A text missing in a language falls
// back to Vietnamese; a key missing everywhere is a programming error the
// package's tests catch, and at run time shows as the key itself.
//
// The package imports nothing of ours, so every package, the root too, may
// use it.
package wording

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"

	"gopkg.in/yaml.v3"
)

// Languages are the catalogue's languages, the fallback first.
var Languages = []string{"vi", "en", "zh"}

const fallback = "vi"

//go:embed vi en zh
var files embed.FS

// catalogue maps a language to its texts by key.
var catalogue map[string]map[string]string

// files of the keys: key → the file (vi/errors.yaml) that first gave it,
// for the tests.
var fileOf map[string]string

// problems are what loading found wrong with the files (a file that does
// not parse, a key given twice); the tests fail on any.
var problems []string

func init() { catalogue, fileOf, problems = load(files) }

// load reads every <lang>/*.yaml file of fsys.
func load(fsys fs.FS) (map[string]map[string]string, map[string]string, []string) {
	cat := map[string]map[string]string{}
	fileOf := map[string]string{}
	var probs []string
	for _, lang := range Languages {
		texts := map[string]string{}
		cat[lang] = texts
		names, err := fs.Glob(fsys, lang+"/*.yaml")
		if err != nil {
			probs = append(probs, fmt.Sprintf("%s: %v", lang, err))
			continue
		}
		sort.Strings(names)
		for _, name := range names {
			src, err := fs.ReadFile(fsys, name)
			if err != nil {
				probs = append(probs, fmt.Sprintf("%s: %v", name, err))
				continue
			}
			var m map[string]string
			if err := yaml.Unmarshal(src, &m); err != nil {
				probs = append(probs, fmt.Sprintf("%s: %v", name, err))
				continue
			}
			for k, v := range m {
				if _, dup := texts[k]; dup {
					probs = append(probs, fmt.Sprintf("%s: %q is also in another file of %s", name, k, path.Dir(name)))
					continue
				}
				texts[k] = v
				if _, ok := fileOf[k]; !ok {
					fileOf[k] = name
				}
			}
		}
	}
	return cat, fileOf, probs
}

// dotted matches the keys that are names, not English texts.
var dotted = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*(\.[a-z0-9]+(_[a-z0-9]+)*)+$`)

// IsName reports whether key is a dotted name ("desk.help") rather than an
// English text that is its own English translation.
func IsName(key string) bool { return dotted.MatchString(key) }

// Lookup returns key's text in lang exactly, without falling back.
func Lookup(lang, key string) (string, bool) {
	if s, ok := catalogue[lang][key]; ok {
		return s, true
	}
	if lang == "en" && !IsName(key) && Has(key) {
		return key, true
	}
	return "", false
}

// Has reports whether the catalogue knows key.
func Has(key string) bool {
	for _, texts := range catalogue {
		if _, ok := texts[key]; ok {
			return true
		}
	}
	return false
}

// Text returns key's text in lang (Vietnamese when lang lacks it), with
// args formatted in as fmt.Sprintf does; without args the text is returned
// as written (a literal % stays). An unknown key returns the key itself.
func Text(lang, key string, args ...any) string {
	s, ok := Lookup(lang, key)
	if !ok {
		if s, ok = Lookup(fallback, key); !ok {
			s = key
		}
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Keys are every key of the catalogue, sorted.
func Keys() []string {
	seen := map[string]bool{}
	for _, texts := range catalogue {
		for k := range texts {
			seen[k] = true
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Supported reports whether lang is one of the catalogue's languages.
func Supported(lang string) bool { return slices.Contains(Languages, lang) }
