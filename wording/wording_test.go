package wording

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// TestFilesLoad: every file parses and no key is given twice in a language.
func TestFilesLoad(t *testing.T) {
	for _, p := range problems {
		t.Error(p)
	}
	if len(Keys()) < 100 {
		t.Fatalf("only %d keys loaded: the embedded files were not read", len(Keys()))
	}
}

// TestEveryKeyInEveryLanguage: each key has a non-empty text in vi, en
// and zh (an English-text key is its own English; a dotted name needs one).
func TestEveryKeyInEveryLanguage(t *testing.T) {
	for _, k := range Keys() {
		for _, lang := range Languages {
			if s, ok := Lookup(lang, k); !ok || strings.TrimSpace(s) == "" {
				t.Errorf("%q has no %s text", k, lang)
			}
		}
		if _, ok := catalogue["en"][k]; ok && !IsName(k) {
			t.Errorf("%q is an English-text key: it is its own English, en/ must not repeat it", k)
		}
	}
}

// verbs matches the fmt verbs of a text (%% is a literal percent sign).
var verbs = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// placeholders matches the {name} placeholders officedesk fills in.
var placeholders = regexp.MustCompile(`\{[A-Za-z]+\}`)

// shape is what must agree between the languages of a key: its fmt verbs
// (as a sorted multiset: a translation may reorder with %[n]s) and its
// placeholders ({Unit} is {unit} capitalised).
func shape(s string) string {
	var vs []string
	for _, v := range verbs.FindAllStringSubmatch(s, -1) {
		if v[0] == "%%" {
			continue
		}
		vs = append(vs, v[0][len(v[0])-1:])
	}
	slices.Sort(vs)
	ps := placeholders.FindAllString(strings.ToLower(s), -1)
	slices.Sort(ps)
	ps = slices.Compact(ps)
	return strings.Join(vs, ",") + " | " + strings.Join(ps, ",")
}

// TestVerbsAgree: a key's texts take the same arguments in every language.
func TestVerbsAgree(t *testing.T) {
	for _, k := range Keys() {
		vi, _ := Lookup("vi", k)
		want := shape(vi)
		for _, lang := range Languages[1:] {
			s, ok := Lookup(lang, k)
			if !ok {
				continue // TestEveryKeyInEveryLanguage says so
			}
			if got := shape(s); got != want {
				t.Errorf("%q: %s takes %q, vi takes %q", k, lang, got, want)
			}
		}
	}
}

func TestText(t *testing.T) {
	c := map[string]map[string]string{
		"vi": {"a.b": "Xin chào %s", "Sign out": "Đăng xuất", "a.pct": "100%"},
		"en": {"a.b": "Hello %s", "a.pct": "100%"},
		"zh": {"Sign out": "退出登录"},
	}
	old := catalogue
	catalogue = c
	defer func() { catalogue = old }()
	for _, tc := range []struct{ lang, key, want string }{
		{"vi", "a.b", "Xin chào Lan"},
		{"en", "a.b", "Hello Lan"},
		{"zh", "a.b", "Xin chào Lan"}, // falls back to Vietnamese
		{"en", "Sign out", "Sign out"},
		{"zh", "Sign out", "退出登录"},
		{"fr", "Sign out", "Đăng xuất"},
		{"vi", "no.such.key", "no.such.key"},
	} {
		var got string
		if IsName(tc.key) && strings.HasPrefix(tc.key, "a.") {
			got = Text(tc.lang, tc.key, "Lan")
		} else {
			got = Text(tc.lang, tc.key)
		}
		if got != tc.want {
			t.Errorf("Text(%q, %q) = %q, want %q", tc.lang, tc.key, got, tc.want)
		}
	}
	if got := Text("vi", "a.pct"); got != "100%" {
		t.Errorf("a text without args is formatted: %q", got)
	}
}

func TestLoadFindsDuplicatesAndBadFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"vi/a.yaml": {Data: []byte("x.y: một\n")},
		"vi/b.yaml": {Data: []byte("x.y: hai\n")},
		"en/a.yaml": {Data: []byte("x.y: [not, a, text\n")},
	}
	cat, _, probs := load(fsys)
	if len(probs) != 2 {
		t.Fatalf("problems %q, want the duplicate and the broken file", probs)
	}
	if cat["vi"]["x.y"] != "một" {
		t.Errorf("the first file's text should stay: %q", cat["vi"]["x.y"])
	}
}

// TestKeysInCodeExist scans the module's Go sources and templates for texts
// looked up by a literal key — wording.Text(lang, "key", …), a Locale's
// T("…"), {{.L.T "…"}} in a template, and any string literal shaped like a
// name of the catalogue's areas ("desk.help" in a const block) — and fails
// on a key the catalogue does not have.
func TestKeysInCodeExist(t *testing.T) {
	root := ".."
	used := map[string][]string{} // key → where
	literals := map[string]bool{} // every string literal of the Go code
	areas := map[string]bool{}
	for _, k := range Keys() {
		if IsName(k) {
			areas[k[:strings.IndexByte(k, '.')]] = true
		}
	}
	tmplT := regexp.MustCompile(`\bT\s+("(?:[^"\\]|\\.)*")`)
	// The console's pages before sign-in say each text in both languages:
	// {{vi "Sign in"}} / {{en "Sign in"}}, in templates written in Go.
	twoLangs := regexp.MustCompile(`\{\{\s*(?:vi|en|viWith|enWith)\s+("(?:[^"\\]|\\.)*")`)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go"):
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, p, nil, 0)
			if err != nil {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, m := range twoLangs.FindAllStringSubmatch(string(src), -1) {
				if k, err := strconv.Unquote(m[1]); err == nil {
					used[k] = append(used[k], p)
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					k, err := strconv.Unquote(lit.Value)
					if err != nil {
						return true
					}
					literals[k] = true
					if IsName(k) && areas[k[:strings.IndexByte(k, '.')]] {
						used[k] = append(used[k], fset.Position(lit.Pos()).String())
					}
					return true
				}
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				var arg ast.Expr
				switch {
				case sel.Sel.Name == "T" && len(call.Args) == 1:
					arg = call.Args[0]
				case sel.Sel.Name == "Text" && isIdent(sel.X, "wording") && len(call.Args) >= 2:
					arg = call.Args[1]
				default:
					return true
				}
				if lit, ok := arg.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if k, err := strconv.Unquote(lit.Value); err == nil {
						used[k] = append(used[k], fset.Position(lit.Pos()).String())
					}
				}
				return true
			})
		case strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".tmpl"):
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, m := range tmplT.FindAllStringSubmatch(string(src), -1) {
				if k, err := strconv.Unquote(m[1]); err == nil {
					used[k] = append(used[k], p)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys in the code: the scan missed the tree", len(used))
	}
	keys := make([]string, 0, len(used))
	for k := range used {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !Has(k) {
			t.Errorf("%q is used at %s but is not in the catalogue", k, used[k][0])
		}
	}
	// An error's translation is found by its English format: a key of
	// errors.yaml that no code writes (a typo, a message reworded) would
	// never be shown.
	for _, k := range Keys() {
		if strings.HasSuffix(fileOf[k], "/errors.yaml") && !literals[k] {
			t.Errorf("%q (%s) is no format the code writes", k, fileOf[k])
		}
	}
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
