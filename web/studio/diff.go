package studio

import (
	"slices"
	"strings"
)

// A line diff between two revisions of a flow file, Myers' algorithm
// ("An O(ND) Difference Algorithm and Its Variations", 1986) on lines.
// Flow files are small (256 KiB at most), so the whole trace is kept.

// diffLine is one line of a diff: kept ('='), removed ('-') or added
// ('+'), with its numbers in the old and the new file (0 where it has
// none).
type diffLine struct {
	Op       byte
	Old, New int
	Text     string
}

// maxDiffEdits bounds the work on two files that share almost nothing:
// past it the diff removes the rest of one and adds the rest of the other,
// which is still correct, only longer than it could be.
const maxDiffEdits = 2000

// diffLines returns the lines of a and b as a shortest edit script.
func diffLines(a, b []string) []diffLine {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	out := make([]diffLine, 0, max(len(a), len(b)))
	for i := range pre {
		out = append(out, diffLine{Op: '=', Old: i + 1, New: i + 1, Text: a[i]})
	}
	midA, midB := a[pre:len(a)-suf], b[pre:len(b)-suf]
	ops, ok := editScript(midA, midB)
	if !ok {
		ops = slices.Concat([]byte(strings.Repeat("-", len(midA))), []byte(strings.Repeat("+", len(midB))))
	}
	x, y := pre, pre
	for _, op := range ops {
		switch op {
		case '=':
			out = append(out, diffLine{Op: '=', Old: x + 1, New: y + 1, Text: a[x]})
			x, y = x+1, y+1
		case '-':
			out = append(out, diffLine{Op: '-', Old: x + 1, Text: a[x]})
			x++
		case '+':
			out = append(out, diffLine{Op: '+', New: y + 1, Text: b[y]})
			y++
		}
	}
	for i := range suf {
		out = append(out, diffLine{Op: '=', Old: x + i + 1, New: y + i + 1, Text: a[x+i]})
	}
	return out
}

// editScript returns the operations turning a into b ('=', '-', '+'), or
// false when more than maxDiffEdits would be needed.
func editScript(a, b []string) ([]byte, bool) {
	n, m := len(a), len(b)
	// trace[d][k+d] is the furthest x on diagonal k (x-y) after d edits.
	var trace [][]int
	for d := 0; d <= n+m && d <= maxDiffEdits; d++ {
		cur := make([]int, 2*d+1)
		for k := -d; k <= d; k += 2 {
			x := 0
			if d > 0 {
				prev := trace[d-1]
				if k == -d || (k != d && prev[k-1+d-1] < prev[k+1+d-1]) {
					x = prev[k+1+d-1] // down: an insertion
				} else {
					x = prev[k-1+d-1] + 1 // right: a deletion
				}
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			cur[k+d] = x
			if x >= n && y >= m {
				return backtrack(append(trace, cur), n, m), true
			}
		}
		trace = append(trace, cur)
	}
	return nil, false
}

// backtrack walks the trace from the end back to the start.
func backtrack(trace [][]int, n, m int) []byte {
	x, y := n, m
	var ops []byte
	for d := len(trace) - 1; d > 0; d-- {
		prev := trace[d-1]
		k := x - y
		down := k == -d || (k != d && prev[k-1+d-1] < prev[k+1+d-1])
		pk := k - 1
		if down {
			pk = k + 1
		}
		px := prev[pk+d-1]
		py := px - pk
		for x > px && y > py {
			ops = append(ops, '=')
			x, y = x-1, y-1
		}
		if down {
			ops = append(ops, '+')
			y--
		} else {
			ops = append(ops, '-')
			x--
		}
	}
	for x > 0 && y > 0 {
		ops = append(ops, '=')
		x, y = x-1, y-1
	}
	slices.Reverse(ops)
	return ops
}

// diffRow is a line of the diff as shown: a line, or a gap of unchanged
// lines left out.
type diffRow struct {
	diffLine
	Gap int // lines left out here
}

// Class is the row's CSS class.
func (r diffRow) Class() string {
	switch {
	case r.Gap > 0:
		return "gap"
	case r.Op == '+':
		return "add"
	case r.Op == '-':
		return "del"
	}
	return "same"
}

// Sign is the row's marker column.
func (r diffRow) Sign() string {
	if r.Op == '=' || r.Gap > 0 {
		return ""
	}
	return string(r.Op)
}

// hunks keeps the changed lines with context lines around each change and
// replaces longer runs of unchanged lines with a gap.
func hunks(lines []diffLine, context int) []diffRow {
	keep := make([]bool, len(lines))
	for i, l := range lines {
		if l.Op != '=' {
			for j := max(0, i-context); j <= min(len(lines)-1, i+context); j++ {
				keep[j] = true
			}
		}
	}
	var rows []diffRow
	skipped := 0
	for i, l := range lines {
		if !keep[i] {
			skipped++
			continue
		}
		if skipped > 0 {
			rows = append(rows, diffRow{Gap: skipped})
			skipped = 0
		}
		rows = append(rows, diffRow{diffLine: l})
	}
	if skipped > 0 && len(rows) > 0 {
		rows = append(rows, diffRow{Gap: skipped})
	}
	return rows
}

// sourceLines splits a file into lines without their line ends.
func sourceLines(src []byte) []string {
	s := strings.ReplaceAll(string(src), "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
