package langnghe_test

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The packages of the project and the arrows allowed between them. Imports
// point downward: the core (the root package) knows no one of ours, the
// engine knows only the core, storage and the channels implement or reach
// the core, and only cmd wires everything together.

const telegramLibrary = "github.com/go-telegram-bot-api/telegram-bot-api/v5"

var (
	// leaves are the text packages the root may import, because they
	// import nothing of ours themselves: the visibility gate at the root
	// needs the one redaction of personal identifiers (redact), vntext
	// is plain Vietnamese text folding, and wording is the one catalogue
	// of the texts people read (names of statuses, error messages).
	leaves = []string{"redact", "flows/vntext", "wording"}
	// channels are where residents and officials talk to the service.
	channels = []string{"bot"}
	// telegramImporters alone may import the Telegram library: the channel
	// and its fake Bot API for tests.
	telegramImporters = []string{"bot", "bot/telegramtest"}
	// notForTheEngine are the packages the flow engine (pure, no I/O) must
	// not reach: storage, channels, web, and the services built on it.
	notForTheEngine = []string{"storage", "bot", "web", "conversation", "officedesk", "followup", "digest",
		"report", "flowlib", "campaign", "campaigns", "cmd"}
	// notForStorage are the packages storage serves, which it must not reach.
	notForStorage = []string{"bot", "web", "conversation", "flows"}
)

// TestArchitecture reads the imports of every non-test Go file and fails
// on each forbidden arrow, naming the file.
func TestArchitecture(t *testing.T) {
	mod := modulePath(t)
	files := importsByFile(t, mod)
	seen := map[string]bool{}
	for _, f := range files {
		seen[f.pkg] = true
		for _, imp := range f.imports {
			if why := forbidden(mod, f.pkg, imp); why != "" {
				t.Errorf("%s: %s → %s: %s", f.name, f.pkg, imp, why)
			}
		}
	}
	// A walk that found nothing would pass; the rules must have met the
	// packages they rule.
	for _, p := range []string{"", "flows", "storage", "bot", "web", "cmd/langnghe"} {
		if !seen[pkgPath(mod, p)] {
			t.Errorf("package %s not found: the walk missed the tree", pkgPath(mod, p))
		}
	}
}

// forbidden says why from may not import imp, or "" when it may.
func forbidden(mod, from, imp string) string {
	in := func(p string, dirs ...string) bool {
		return slices.ContainsFunc(dirs, func(d string) bool {
			root := pkgPath(mod, d)
			return p == root || strings.HasPrefix(p, root+"/")
		})
	}
	is := func(p string, dirs ...string) bool {
		return slices.ContainsFunc(dirs, func(d string) bool { return p == pkgPath(mod, d) })
	}
	ours := imp == mod || strings.HasPrefix(imp, mod+"/")
	switch {
	case imp == telegramLibrary && !is(from, telegramImporters...):
		return "only the Telegram channel (bot) and its fake (bot/telegramtest) import the Telegram library"
	case !ours:
		return ""
	case in(imp, "cmd"):
		return "nothing imports cmd: it wires everything and is imported by nothing"
	case in(imp, "web") && !in(from, "web", "cmd"):
		return "web packages are imported only by web packages and cmd"
	case from == mod && !is(imp, leaves...):
		return "the root package imports none of ours but the leaf text packages " + strings.Join(leaves, ", ")
	case is(from, leaves...):
		return "a leaf text package imports nothing of ours (the root imports it)"
	case in(from, channels...) && imp != mod && !is(imp, leaves...) && !in(imp, channels...):
		return "channels import only the root package (and the leaf text packages)"
	case in(from, "flows") && in(imp, notForTheEngine...):
		return "the flow engine imports no storage, channel, web or service package"
	case in(from, "officedesk") && in(imp, "conversation"):
		return "the officials' desk does not import the conversation it serves (conversation.Desk; the wiring hands it over)"
	case in(from, "storage") && in(imp, notForStorage...) && !is(imp, "flows/vntext"):
		return "storage imports no channel, web, conversation or engine package (but the leaf flows/vntext)"
	}
	return ""
}

func pkgPath(mod, dir string) string {
	if dir == "" {
		return mod
	}
	return mod + "/" + dir
}

// goFile is one non-test Go file, its package's import path and its imports.
type goFile struct {
	name    string // relative to the module's root
	pkg     string
	imports []string
}

// importsByFile parses the imports of every non-test Go file in the
// module, skipping the directories the go command skips.
func importsByFile(t *testing.T, mod string) []goFile {
	t.Helper()
	var files []goFile
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := d.Name()
		if d.IsDir() {
			if name != "." && (strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") || base == "testdata" || base == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(base, ".go") || strings.HasSuffix(base, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			return fmt.Errorf("parse %s: %w", name, err)
		}
		name = filepath.ToSlash(name)
		dir := path.Dir(name)
		if dir == "." {
			dir = ""
		}
		g := goFile{name: name, pkg: pkgPath(mod, dir)}
		for _, s := range f.Imports {
			p, err := strconv.Unquote(s.Path.Value)
			if err != nil {
				return fmt.Errorf("%s: import %s: %w", name, s.Path.Value, err)
			}
			g.imports = append(g.imports, p)
		}
		files = append(files, g)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// modulePath reads the module's path from go.mod.
func modulePath(t *testing.T) string {
	t.Helper()
	f, err := os.Open("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(s.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	t.Fatalf("go.mod names no module (%v)", s.Err())
	return ""
}
