package studio

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestDiffLines(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want string // one op and text per line
	}{
		{"same", "a\nb", "a\nb", "=a =b"},
		{"both empty", "", "", ""},
		{"added to empty", "", "a\nb", "+a +b"},
		{"all removed", "a\nb", "", "-a -b"},
		{"changed middle", "a\nb\nc", "a\nx\nc", "=a -b +x =c"},
		{"inserted", "a\nc", "a\nb\nc", "=a +b =c"},
		{"moved line", "a\nb\nc\nd", "b\nc\na\nd", "-a =b =c +a =d"},
		{"crlf is a line end", "a\r\nb\r\n", "a\nb\n", "=a =b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, l := range diffLines(sourceLines([]byte(tc.a)), sourceLines([]byte(tc.b))) {
				got = append(got, string(l.Op)+l.Text)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("diff = %q, want %q", strings.Join(got, " "), tc.want)
			}
		})
	}
}

// The diff is a shortest edit script: it rebuilds both files, and keeps as
// many lines as the longest common subsequence has, on random files.
func TestDiffIsMinimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2026))
	words := []string{"a", "b", "c", "d"}
	for range 500 {
		a, b := make([]string, rng.IntN(12)), make([]string, rng.IntN(12))
		for i := range a {
			a[i] = words[rng.IntN(len(words))]
		}
		for i := range b {
			b[i] = words[rng.IntN(len(words))]
		}
		var oldSide, newSide []string
		kept := 0
		for _, l := range diffLines(a, b) {
			switch l.Op {
			case '=':
				oldSide, newSide = append(oldSide, l.Text), append(newSide, l.Text)
				kept++
				if a[l.Old-1] != l.Text || b[l.New-1] != l.Text {
					t.Fatalf("%v → %v: kept line numbers %d/%d are wrong", a, b, l.Old, l.New)
				}
			case '-':
				oldSide = append(oldSide, l.Text)
			case '+':
				newSide = append(newSide, l.Text)
			}
		}
		if strings.Join(oldSide, ",") != strings.Join(a, ",") || strings.Join(newSide, ",") != strings.Join(b, ",") {
			t.Fatalf("%v → %v: the diff does not rebuild the files", a, b)
		}
		if want := lcs(a, b); kept != want {
			t.Fatalf("%v → %v: kept %d lines, the longest common subsequence has %d", a, b, kept, want)
		}
	}
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

// Files with nothing in common past the edit budget still diff correctly.
func TestDiffBeyondTheBudget(t *testing.T) {
	var a, b []string
	for i := range maxDiffEdits {
		a = append(a, "old "+strings.Repeat("x", i%7))
		b = append(b, "new "+strings.Repeat("y", i%5))
	}
	lines := diffLines(a, b)
	if len(lines) != len(a)+len(b) || lines[0].Op != '-' || lines[len(lines)-1].Op != '+' {
		t.Fatalf("%d lines, first %q last %q", len(lines), lines[0].Op, lines[len(lines)-1].Op)
	}
}

func TestHunksFoldUnchangedLines(t *testing.T) {
	var a []string
	for i := range 20 {
		a = append(a, strings.Repeat("l", i+1))
	}
	b := append([]string(nil), a...)
	b[10] = "changed"
	rows := hunks(diffLines(a, b), 3)
	var got []string
	for _, r := range rows {
		if r.Gap > 0 {
			got = append(got, "gap")
		} else {
			got = append(got, r.Class())
		}
	}
	want := "gap same same same del add same same same gap"
	if strings.Join(got, " ") != want {
		t.Errorf("rows = %s, want %s", strings.Join(got, " "), want)
	}
	if rows[0].Gap != 7 || rows[len(rows)-1].Gap != 6 {
		t.Errorf("gaps = %d and %d, want 7 and 6", rows[0].Gap, rows[len(rows)-1].Gap)
	}
}
