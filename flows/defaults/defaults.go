// Package defaults holds the default conversation flows, embedded so a new
// installation talks to residents at once. Admins edit copies of them; these
// files are only the starting point.
package defaults

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"langnghe"
	"langnghe/flows"
)

//go:embed *.yaml
var files embed.FS

// Files returns the default flow files by name (e.g. "send_opinion.yaml").
func Files() map[string][]byte {
	out := map[string][]byte{}
	entries, _ := fs.ReadDir(files, ".") // an embedded directory always reads
	for _, e := range entries {
		data, err := files.ReadFile(e.Name())
		if err == nil {
			out[e.Name()] = data
		}
	}
	return out
}

// Flows parses every default flow against cat as revision 1, sorted by id,
// and checks that the flows they enter exist. A problem here is a bug in
// this package: its tests parse the same files.
func Flows(cat *langnghe.Catalogue) ([]*flows.Definition, error) {
	var defs []*flows.Definition
	for name, data := range Files() {
		def, _, err := flows.Parse(name, data, cat)
		if err != nil {
			return nil, fmt.Errorf("default flow %s: %w", name, err)
		}
		if want := strings.TrimSuffix(name, path.Ext(name)); def.ID != want {
			return nil, fmt.Errorf("default flow %s has id %q; the file name must match", name, def.ID)
		}
		def.Revision = 1
		defs = append(defs, def)
	}
	sort.Slice(defs, func(i, j int) bool { return defs[i].ID < defs[j].ID })
	if ps := flows.CheckLinks(defs); len(ps) > 0 {
		return nil, langnghe.Errorf(langnghe.EINVALID, "default flows:\n%s", flows.FormatProblems(ps))
	}
	return defs, nil
}
