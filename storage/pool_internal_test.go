package storage

import (
	"net/url"
	"testing"
)

func TestPoolSizesFromURL(t *testing.T) {
	for _, tt := range []struct {
		v              string
		update, outbox int
		bad            bool
	}{
		{"", postgresConns, postgresOutboxConns, false},
		{"6", 5, 1, false},
		{"28", 24, 4, false},
		{"1", 0, 0, true},
		{"many", 0, 0, true},
	} {
		q := url.Values{}
		if tt.v != "" {
			q.Set("pool_max_conns", tt.v)
		}
		u, o, err := poolSizes(q, "postgres://x")
		if (err != nil) != tt.bad || u != tt.update || o != tt.outbox {
			t.Errorf("pool_max_conns=%q: %d+%d, %v", tt.v, u, o, err)
		}
		if q.Has("pool_max_conns") {
			t.Errorf("pool_max_conns=%q left in the URL for lib/pq", tt.v)
		}
	}
}
