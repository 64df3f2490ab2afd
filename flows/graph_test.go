package flows_test

import (
	"slices"
	"strings"
	"testing"

	"langnghe/flows"
	"langnghe/flows/catalogue"
	"langnghe/flows/defaults"
)

func TestGraphOfSendOpinion(t *testing.T) {
	cat := catalogue.Default()
	def, _, err := flows.Parse("send_opinion.yaml", defaults.Files()["send_opinion.yaml"], cat)
	if err != nil {
		t.Fatal(err)
	}
	g := def.Graph()
	if g.Flow != "send_opinion" || g.Start != "described" || len(g.Nodes) != def.Nodes() {
		t.Fatalf("graph of send_opinion: flow %q start %q, %d nodes of %d", g.Flow, g.Start, len(g.Nodes), def.Nodes())
	}
	if g.Nodes[0].ID != "described" || g.Nodes[0].Kind != flows.NodeRouter || g.Nodes[0].Line != 14 {
		t.Errorf("first node = %+v, want the router described at line 14", g.Nodes[0])
	}
	for i := 1; i < len(g.Nodes); i++ {
		if g.Nodes[i-1].Line >= g.Nodes[i].Line {
			t.Fatalf("nodes not in file order: %+v before %+v", g.Nodes[i-1], g.Nodes[i])
		}
	}
	nodes := map[string]flows.GraphNode{}
	for _, n := range g.Nodes {
		nodes[n.ID] = n
		if !n.Reachable {
			t.Errorf("node %s of a valid flow marked unreachable", n.ID)
		}
	}
	for id, want := range map[string]struct {
		kind, action string
		end          bool
	}{
		"classify":        {flows.NodeClassify, "", false},
		"submit":          {flows.NodeSay, flows.ActionSubmit, false},
		"announcements":   {flows.NodeEnter, "", true},
		"complaint":       {flows.NodeSay, flows.ActionSetTrack, false},
		"contact_allowed": {flows.NodeRouter, "", false},
		"no_response":     {flows.NodeSay, "", true},
	} {
		if n := nodes[id]; n.Kind != want.kind || n.Action != want.action || n.End != want.end {
			t.Errorf("node %s = %+v, want kind %s action %q end %v", id, n, want.kind, want.action, want.end)
		}
	}
	for _, want := range []flows.GraphEdge{
		{From: "describe", Outcome: "ok", To: "classify"},
		{From: "describe", Outcome: "no_response", To: "no_response"},
		{From: "classify", Outcome: "unsure", To: "pick"},
		{From: "classify", Outcome: "track", To: "which_track"},
		{From: "which_track", Outcome: "complaint", To: "complaint"},
		{From: "complaint", To: "classified"},
		{From: "summary", Outcome: "edit_place", To: "area"},
		{From: "placed", Outcome: "changed", To: "summary"},
	} {
		if !slices.Contains(g.Edges, want) {
			t.Errorf("no edge %+v in %+v", want, g.Edges)
		}
	}
}

func TestGraphShowsOtherFlows(t *testing.T) {
	def, _, err := flows.Parse("menu.yaml", defaults.Files()["menu.yaml"], catalogue.Default())
	if err != nil {
		t.Fatal(err)
	}
	g := def.Graph()
	if !slices.Contains(g.Edges, flows.GraphEdge{From: "send", Flow: "send_opinion"}) {
		t.Fatalf("menu's switch to send_opinion missing: %+v", g.Edges)
	}
	for _, n := range g.Nodes {
		if n.ID == "send" && (n.Kind != flows.NodeSwitch || n.End) {
			t.Errorf("switch node = %+v, want kind switch, not an end", n)
		}
	}
}

// A file with errors still has a shape to draw: the unreachable node and
// the exit to a missing node are there, with the problems.
func TestGraphOfBrokenFile(t *testing.T) {
	broken := strings.Replace(validFlow, "retries_exhausted: thanks", "retries_exhausted: thank", 1) +
		"  - id: orphan\n    say: [{vi: a, en: b}]\n"
	g, problems := flows.GraphOf("tiny.yaml", []byte(broken), catalogue.Default())
	if g == nil {
		t.Fatal("no graph for a file that reads as a flow")
	}
	var msgs []string
	for _, p := range problems {
		msgs = append(msgs, p.String())
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, `tiny.yaml:14:26: node "ask_name": exit "retries_exhausted" leads to unknown node "thank"`) ||
		!strings.Contains(all, `node "orphan": node is unreachable`) {
		t.Errorf("problems:\n%s", all)
	}
	if !slices.Contains(g.Edges, flows.GraphEdge{From: "ask_name", Outcome: "retries_exhausted", To: "thank"}) {
		t.Errorf("the dangling exit is not drawn: %+v", g.Edges)
	}
	for _, n := range g.Nodes {
		if (n.ID == "orphan") == n.Reachable {
			t.Errorf("node %s reachable = %v", n.ID, n.Reachable)
		}
	}

	if g, problems := flows.GraphOf("tiny.yaml", []byte("id: [\n"), nil); g != nil || len(problems) == 0 {
		t.Errorf("a YAML syntax error gave graph %+v and problems %v", g, problems)
	}
}
