package conversation

import (
	"fmt"
	"testing"
	"time"
)

func TestFloodGuard(t *testing.T) {
	g := newFloodGuard(3, time.Minute)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if !g.allow("a", fmt.Sprint("u", i), t0.Add(time.Duration(i)*time.Second)) {
			t.Fatalf("input %d refused within the limit", i)
		}
	}
	if !g.allow("a", "u2", t0.Add(3*time.Second)) {
		t.Fatal("an input applied again (its batch failed) must not count twice")
	}
	if g.allow("a", "u3", t0.Add(4*time.Second)) {
		t.Fatal("fourth input in a minute allowed")
	}
	if !g.firstDrop("a", t0) {
		t.Fatal("the first refusal must be reported once")
	}
	if g.allow("a", "u3", t0.Add(4*time.Second)) || !g.firstDrop("a", t0) {
		t.Fatal("a refused input applied again must be refused again, still as the first refusal")
	}
	if g.allow("a", "u4", t0.Add(5*time.Second)) || g.firstDrop("a", t0) {
		t.Fatal("second refusal must be silent")
	}
	if !g.allow("b", "u5", t0.Add(5*time.Second)) {
		t.Fatal("another resident is not limited by the first")
	}
	if !g.allow("a", "u6", t0.Add(61*time.Second)) {
		t.Fatal("a new window must allow again")
	}
	if !newFloodGuard(0, time.Minute).allow("x", "u7", t0) {
		t.Fatal("zero limit means no limit")
	}
}
