package studio

import (
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strings"

	"langnghe/flows"
	"langnghe/flows/vntext"
	"langnghe/web/console"
)

// The diagram of a flow: a layered drawing, top to bottom by the number of
// steps from the start, drawn as SVG on the server from flows.Graph, so the
// page needs no drawing library and the picture follows the text through
// the check call.

// Sizes in SVG units (pixels at 100%).
const (
	boxW, boxH = 176, 44
	colPitch   = boxW + 44
	rowPitch   = boxH + 84
	margin     = 24
	maxPerRow  = 5 // a wider layer wraps onto the next row
)

// placed is a box of the diagram: a node of the flow, another flow it hands
// over to, or a node an exit names that does not exist.
type placed struct {
	id      string
	node    *flows.GraphNode // nil for the other two
	flow    string           // another flow
	missing bool
	// layer is the number of steps from the start; row and col are where
	// the box is drawn once wide layers wrap.
	layer    int
	row, col int
	x, y     int
}

// arrow joins two boxes, with the outcomes that take it. A downward arrow
// leaves its box's bottom at x1 and enters the other's top at x2: each box
// spreads its arrows along its edge so they (and their labels) part. An
// arrow back up runs in a lane of its own right of the boxes.
type arrow struct {
	from, to *placed
	labels   []string
	x1, x2   int
	// lane is the x of the lane of an arrow back up; gap how far below
	// its source's row and above its target's row it turns.
	lane, gap int
}

// Arrows back up run in lanes this far apart, right of every box.
const laneGap = 14

// diagramSVG draws g. The words it shows besides the flow's own ids are in
// l's language.
func diagramSVG(g *flows.Graph, l console.Locale) template.HTML {
	if g == nil || len(g.Nodes) == 0 {
		return ""
	}
	boxes, arrows := layoutGraph(g)
	width, height := 0, 0
	for _, b := range boxes {
		width, height = max(width, b.x+boxW+margin), max(height, b.y+boxH+margin)
	}
	for _, a := range arrows {
		width = max(width, a.lane+margin)
	}
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" class="flow-diagram" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		width, height, width, height, svgEsc(l.T("Diagram of flow")+" "+g.Flow))
	s.WriteString(`<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>`)
	for _, a := range arrows {
		drawArrow(&s, a)
	}
	for _, b := range boxes {
		drawBox(&s, b, g.Start, l)
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String()) // every text in it went through esc
}

// layoutGraph gives every box its row (layer) and column, and merges the edges
// between the same two boxes into one arrow.
func layoutGraph(g *flows.Graph) ([]*placed, []*arrow) {
	byID := map[string]*placed{}
	var boxes []*placed
	add := func(p *placed) *placed {
		byID[p.id] = p
		boxes = append(boxes, p)
		return p
	}
	for i := range g.Nodes {
		add(&placed{id: "n:" + g.Nodes[i].ID, node: &g.Nodes[i], layer: -1})
	}
	// Edges to other flows and to nodes that do not exist get boxes of
	// their own, one per target.
	var arrows []*arrow
	arrowOf := map[[2]*placed]*arrow{}
	for _, e := range g.Edges {
		from := byID["n:"+e.From]
		var to *placed
		switch {
		case e.Flow != "":
			if to = byID["f:"+e.Flow]; to == nil {
				to = add(&placed{id: "f:" + e.Flow, flow: e.Flow, layer: -1})
			}
		default:
			if to = byID["n:"+e.To]; to == nil {
				if to = byID["m:"+e.To]; to == nil {
					to = add(&placed{id: "m:" + e.To, missing: true, layer: -1})
				}
			}
		}
		if from == nil {
			continue
		}
		key := [2]*placed{from, to}
		a := arrowOf[key]
		if a == nil {
			a = &arrow{from: from, to: to}
			arrowOf[key] = a
			arrows = append(arrows, a)
		}
		if e.Outcome != "" {
			a.labels = append(a.labels, e.Outcome)
		}
	}
	// Layers: steps from the start (breadth first); what the start does
	// not reach goes below everything, in file order.
	if start := byID["n:"+g.Start]; start != nil {
		start.layer = 0
		queue := []*placed{start}
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			for _, a := range arrows {
				if a.from == p && a.to.layer < 0 {
					a.to.layer = p.layer + 1
					queue = append(queue, a.to)
				}
			}
		}
	}
	last := 0
	for _, b := range boxes {
		last = max(last, b.layer)
	}
	for _, b := range boxes {
		if b.layer < 0 {
			b.layer = last + 1
		}
	}
	// Order each layer by where its parents are (the barycentre), which
	// uncrosses most arrows, then wrap wide layers.
	layers := map[int][]*placed{}
	for _, b := range boxes {
		layers[b.layer] = append(layers[b.layer], b)
	}
	rows := slices.Sorted(func(yield func(int) bool) {
		for r := range layers {
			if !yield(r) {
				return
			}
		}
	})
	pos := map[*placed]float64{}
	line := 0
	for _, r := range rows {
		layer := layers[r]
		centre := map[*placed]float64{}
		for i, b := range layer {
			sum, n := 0.0, 0
			for _, a := range arrows {
				if a.to == b && a.from.layer < r {
					sum += pos[a.from]
					n++
				}
			}
			centre[b] = float64(i) + 1000 // no parent above: keep file order, after the others
			if n > 0 {
				centre[b] = sum / float64(n)
			}
		}
		slices.SortStableFunc(layer, func(a, b *placed) int { return cmp.Compare(centre[a], centre[b]) })
		for i, b := range layer {
			b.row, b.col = line+i/maxPerRow, i%maxPerRow
			pos[b] = float64(b.col)
		}
		line += (len(layer) + maxPerRow - 1) / maxPerRow
	}
	// Centre each row under the widest.
	perRow := map[int]int{}
	widest := 0
	for _, b := range boxes {
		perRow[b.row]++
		widest = max(widest, perRow[b.row])
	}
	for _, b := range boxes {
		offset := (widest - perRow[b.row]) * colPitch / 2
		b.x = margin + offset + b.col*colPitch
		b.y = margin + 16 + b.row*rowPitch
	}
	spreadPorts(boxes, arrows)
	right := 0
	for _, b := range boxes {
		right = max(right, b.x+boxW)
	}
	n := 0
	for _, a := range arrows {
		if a.to.row < a.from.row {
			a.lane = right + (2+n)*laneGap
			a.gap = 8 + (n%5)*5
			n++
		}
	}
	return boxes, arrows
}

// spreadPorts gives each arrow between rows its place on the bottom of its
// source and on the top of its target, in the order of the boxes at the
// other end (arrows back up, which run on the right, last), so arrows do
// not cross at their ends.
func spreadPorts(boxes []*placed, arrows []*arrow) {
	far := func(p *placed, a *arrow) int {
		if a.to.row < a.from.row {
			return 1 << 30
		}
		return p.x
	}
	for _, b := range boxes {
		var out, in []*arrow
		for _, a := range arrows {
			if a.to.row == a.from.row {
				continue
			}
			if a.from == b {
				out = append(out, a)
			}
			if a.to == b {
				in = append(in, a)
			}
		}
		slices.SortStableFunc(out, func(p, q *arrow) int { return cmp.Compare(far(p.to, p), far(q.to, q)) })
		for i, a := range out {
			a.x1 = b.x + boxW*(i+1)/(len(out)+1)
		}
		slices.SortStableFunc(in, func(p, q *arrow) int { return cmp.Compare(far(p.from, p), far(q.from, q)) })
		for i, a := range in {
			a.x2 = b.x + boxW*(i+1)/(len(in)+1)
		}
	}
}

// bezier is the point at t on the cubic curve through p0..p3 (one axis).
func bezier(t float64, p0, p1, p2, p3 int) int {
	u := 1 - t
	return int(u*u*u*float64(p0) + 3*u*u*t*float64(p1) + 3*u*t*t*float64(p2) + t*t*t*float64(p3))
}

func drawArrow(s *strings.Builder, a *arrow) {
	var d string
	var lx, ly int
	switch f, t := a.from, a.to; {
	case t == f:
		// A loop on its box's right.
		x, y := f.x+boxW, f.y+boxH/2
		d = fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x, y+6, x+50, y+40, x+50, y-40, x, y-6)
		lx, ly = x+30, f.y-6
	case t.row > f.row:
		x1, y1, x2, y2 := a.x1, f.y+boxH, a.x2, t.y
		mid := (y1 + y2) / 2
		d = fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x1, y1, x1, mid, x2, mid, x2, y2)
		// The label sits before the middle, where a node's arrows have
		// parted but not yet met others at their targets.
		const at = 0.4
		lx, ly = bezier(at, x1, x1, x2, x2), bezier(at, y1, mid, mid, y2)+4
	case t.row == f.row:
		// An arch over the boxes between them.
		x1, x2, y := f.x+boxW/2, t.x+boxW/2, f.y
		d = fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x1, y, x1, y-46, x2, y-46, x2, y)
		lx, ly = (x1+x2)/2, y-30
	default:
		// Back up: down into the gap below the source's row, right to its
		// lane, up to the gap above the target's row, and into its top;
		// between rows, so it crosses no box.
		y1, y2 := f.y+boxH+a.gap, t.y-a.gap
		d = fmt.Sprintf("M%d,%d V%d H%d V%d H%d V%d", a.x1, f.y+boxH, y1, a.lane, y2, a.x2, t.y)
		lx, ly = a.x1+7*len([]rune(strings.Join(a.labels, ", ")))/2+10, y1+4
	}
	class := "edge"
	if a.to.missing {
		class += " broken"
	}
	fmt.Fprintf(s, `<path class="%s" d="%s" marker-end="url(#arrowhead)"/>`, class, d)
	if len(a.labels) > 0 {
		label := strings.Join(a.labels, ", ")
		w := 7*len([]rune(label)) + 8
		fmt.Fprintf(s, `<g class="label"><rect x="%d" y="%d" width="%d" height="16" rx="3"/><text x="%d" y="%d">%s</text></g>`,
			lx-w/2, ly-12, w, lx, ly, svgEsc(label))
	}
}

func drawBox(s *strings.Builder, b *placed, start string, l console.Locale) {
	class, title, sub := "node", "", ""
	name := b.id[2:]
	switch {
	case b.flow != "":
		class += " flow"
		sub = l.T("another flow")
		title = l.T("Goes on in flow") + " " + b.flow
	case b.missing:
		class += " missing"
		sub = l.T("no such node")
		title = l.T("An exit leads here, but the flow has no node") + " " + name
	default:
		n := b.node
		class += " " + n.Kind
		sub = n.Kind
		if n.Ask != "" {
			sub += " · " + n.Ask
		}
		if n.Action != "" {
			sub += " · " + n.Action
		}
		if n.End {
			class += " end"
		}
		if !n.Reachable {
			class += " unreachable"
			sub = l.T("unreachable") + " · " + sub
		}
		title = fmt.Sprintf("%s (%s %d)", name, l.T("line"), n.Line)
	}
	line := 0
	if b.node != nil {
		line = b.node.Line
	}
	fmt.Fprintf(s, `<g class="%s" data-line="%d"><title>%s</title>`, class, line, svgEsc(title))
	if b.node != nil && b.node.ID == start {
		fmt.Fprintf(s, `<text class="start" x="%d" y="%d">▼ %s</text>`, b.x+boxW/2, b.y-6, svgEsc(l.T("start")))
	}
	rx := 6
	if b.flow != "" {
		rx = boxH / 2
	}
	fmt.Fprintf(s, `<rect x="%d" y="%d" width="%d" height="%d" rx="%d"/>`, b.x, b.y, boxW, boxH, rx)
	fmt.Fprintf(s, `<text class="id" x="%d" y="%d">%s</text>`, b.x+boxW/2, b.y+18, svgEsc(vntext.Clip(name, 24)))
	fmt.Fprintf(s, `<text class="kind" x="%d" y="%d">%s</text></g>`, b.x+boxW/2, b.y+35, svgEsc(vntext.Clip(sub, 30)))
}

func svgEsc(s string) string { return template.HTMLEscapeString(s) }
