package flows

import (
	"cmp"
	"slices"

	"langnghe"
)

// Graph is a read-only view of a flow's shape, for editors and diagrams:
// its nodes in file order, the outcomes leading from one node to another,
// the flows it hands the conversation to, and what the start reaches. It
// copies what it shows, so nothing can change a definition through it.
type Graph struct {
	Flow  string
	Start string
	Nodes []GraphNode
	Edges []GraphEdge
}

// Node kinds in a Graph: what a node does after its messages and action.
const (
	NodeAsk      = "ask"      // waits for the resident; Ask says what for
	NodeRouter   = "router"   // sorts a value into outcomes
	NodeClassify = "classify" // sorts the resident's words into a category
	NodeFAQ      = "faq"      // looks the resident's question up in the FAQ
	NodeEnter    = "enter"    // runs another flow, then goes on at "done"
	NodeSwitch   = "switch"   // hands the conversation to another flow
	NodeSay      = "say"      // says its messages (and does its action), then next
)

// GraphNode is one node of a Graph.
type GraphNode struct {
	ID   string
	Kind string // one of the Node* kinds
	// Ask is the ask's kind (text, choice, yes_no ...) of a NodeAsk.
	Ask string
	// Action is the type of the node's action (submit, consent ...), if any.
	Action string
	// Line is where the node starts in the file (0 when unknown).
	Line int
	// Reachable is false for a node no path from the start leads to.
	Reachable bool
	// End is true when the flow (or the sub-flow) ends after this node.
	End bool
}

// GraphEdge is one way out of a node: to another node of the flow (To), or
// to another flow (Flow) for enter and switch_to.
type GraphEdge struct {
	From string
	// Outcome names the exit taken; empty for a node's next.
	Outcome string
	To      string
	Flow    string
}

// Graph returns the flow's shape. Edges are listed node by node in file
// order, each node's outcomes sorted, its next last.
func (d *Definition) Graph() Graph {
	g := Graph{Flow: d.ID, Start: d.start}
	for _, n := range d.nodes {
		gn := GraphNode{ID: n.id, Kind: n.kind(), Line: n.line}
		if n.ask != nil {
			gn.Ask = n.ask.kind
		}
		if n.action != nil {
			gn.Action = n.action.kind
		}
		g.Nodes = append(g.Nodes, gn)
	}
	slices.SortFunc(g.Nodes, func(a, b GraphNode) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.ID, b.ID))
	})
	for i := range g.Nodes {
		n := d.nodes[g.Nodes[i].ID]
		switch {
		case n.enter != "":
			g.Edges = append(g.Edges, GraphEdge{From: n.id, Flow: n.enter})
		case n.switchTo != "":
			g.Edges = append(g.Edges, GraphEdge{From: n.id, Flow: n.switchTo})
		}
		for _, outcome := range sortedKeys(n.exits) {
			g.Edges = append(g.Edges, GraphEdge{From: n.id, Outcome: outcome, To: n.exits[outcome]})
		}
		if n.next != "" {
			g.Edges = append(g.Edges, GraphEdge{From: n.id, To: n.next})
		}
		// A switch hands over for good; any other node without a way on
		// ends its flow.
		g.Nodes[i].End = n.switchTo == "" && n.next == "" && len(n.exits) == 0
	}
	reached := map[string]bool{}
	if _, ok := d.nodes[d.start]; ok {
		reached[d.start] = true
		queue := []string{d.start}
		for len(queue) > 0 {
			from := queue[0]
			queue = queue[1:]
			for _, e := range g.Edges {
				if _, ok := d.nodes[e.To]; e.From == from && ok && !reached[e.To] {
					reached[e.To] = true
					queue = append(queue, e.To)
				}
			}
		}
	}
	for i := range g.Nodes {
		g.Nodes[i].Reachable = reached[g.Nodes[i].ID]
	}
	return g
}

func (n *node) kind() string {
	switch {
	case n.ask != nil:
		return NodeAsk
	case n.router != nil:
		return NodeRouter
	case n.classify != nil:
		return NodeClassify
	case n.faq != "":
		return NodeFAQ
	case n.enter != "":
		return NodeEnter
	case n.switchTo != "":
		return NodeSwitch
	}
	return NodeSay
}

// GraphOf reads a flow file as Parse does and returns its shape even when
// it has errors, so an editor can draw the flow while the admin fixes it
// (an unreachable node, an exit to a node that does not exist). The graph
// is nil when the file cannot be read as a flow at all (a YAML syntax
// error, an unknown field). The problems are Parse's.
func GraphOf(name string, data []byte, cat *langnghe.Catalogue) (*Graph, []Problem) {
	p := &parser{file: name, cat: cat}
	def := p.parse(data)
	if def == nil {
		return nil, p.problems
	}
	g := def.Graph()
	return &g, p.problems
}
