package web

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// Metrics writes figures in the Prometheus text exposition format. The
// format is small enough that the standard library does it; a client
// library would add a dependency for no gain here.
type Metrics struct {
	buf  bytes.Buffer
	seen map[string]bool
}

// Counter writes a monotonically increasing figure.
func (m *Metrics) Counter(name, help string, v float64, labels ...string) {
	m.write(name, help, "counter", v, labels)
}

// Gauge writes a figure that goes up and down.
func (m *Metrics) Gauge(name, help string, v float64, labels ...string) {
	m.write(name, help, "gauge", v, labels)
}

// write emits HELP and TYPE once per name; labels are key, value pairs.
func (m *Metrics) write(name, help, kind string, v float64, labels []string) {
	if m.seen == nil {
		m.seen = map[string]bool{}
	}
	if !m.seen[name] {
		m.seen[name] = true
		fmt.Fprintf(&m.buf, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, kind)
	}
	m.buf.WriteString(name)
	if len(labels) >= 2 {
		pairs := make([]string, 0, len(labels)/2)
		for i := 0; i+1 < len(labels); i += 2 {
			pairs = append(pairs, fmt.Sprintf("%s=%q", labels[i], labels[i+1]))
		}
		sort.Strings(pairs)
		m.buf.WriteString("{" + strings.Join(pairs, ",") + "}")
	}
	fmt.Fprintf(&m.buf, " %g\n", v)
}
