package defaults_test

import (
	"testing"

	"langnghe/flows"
	"langnghe/flows/catalogue"
	"langnghe/flows/defaults"
)

// TestDefaultsComplete: every default flow loads without even a warning,
// so all three languages are complete, and each command's flow exists.
func TestDefaultsComplete(t *testing.T) {
	cat := catalogue.Default()
	for name, data := range defaults.Files() {
		_, problems, err := flows.Parse(name, data, cat)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		for _, p := range problems {
			t.Errorf("%s", p)
		}
	}
	defs, err := defaults.Flows(cat)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, d := range defs {
		ids[d.ID] = true
		if d.Revision != 1 {
			t.Errorf("%s: revision %d, want 1", d.ID, d.Revision)
		}
	}
	for cmd, c := range flows.Commands() {
		if cmd != flows.CommandCancel && !ids[c.Flow] {
			t.Errorf("command %q starts flow %q, which is not a default flow", cmd, c.Flow)
		}
	}
}
