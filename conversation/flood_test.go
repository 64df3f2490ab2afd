package conversation

import (
	"testing"
	"time"
)

func TestFloodGuard(t *testing.T) {
	g := newFloodGuard(3, time.Minute)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if !g.allow("a", t0.Add(time.Duration(i)*time.Second)) {
			t.Fatalf("input %d refused within the limit", i)
		}
	}
	if g.allow("a", t0.Add(4*time.Second)) {
		t.Fatal("fourth input in a minute allowed")
	}
	if !g.firstDrop("a", t0) {
		t.Fatal("the first refusal must be reported once")
	}
	if g.allow("a", t0.Add(5*time.Second)) || g.firstDrop("a", t0) {
		t.Fatal("second refusal must be silent")
	}
	if !g.allow("b", t0.Add(5*time.Second)) {
		t.Fatal("another resident is not limited by the first")
	}
	if !g.allow("a", t0.Add(61*time.Second)) {
		t.Fatal("a new window must allow again")
	}
	if !newFloodGuard(0, time.Minute).allow("x", t0) {
		t.Fatal("zero limit means no limit")
	}
}
