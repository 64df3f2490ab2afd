package classify

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// realRow is one row of real.tsv: a real resident's concern,
// paraphrased from a public page, with the category the competent office
// would take (Category) and the second topic it touches, if any (Second).
type realRow struct {
	Category, Second, URL, Text string
}

// parseReal reads "category[+second]<TAB>source_url<TAB>text" lines; blank
// lines and lines starting with # are skipped.
func parseReal(data string) ([]realRow, error) {
	var out []realRow
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 || parts[0] == "" || parts[1] == "" || strings.TrimSpace(parts[2]) == "" {
			return nil, fmt.Errorf("line %d: want category<TAB>source_url<TAB>text", n+1)
		}
		cat, second, _ := strings.Cut(parts[0], "+")
		out = append(out, realRow{Category: cat, Second: second, URL: parts[1], Text: parts[2]})
	}
	return out, nil
}

// heldOut reports whether rows from this source belong to the held-out part
// of the real texts: the FNV-1a 32-bit hash of the URL is divisible by 4. The
// rule is on the source, not the row, so that the several concerns of one
// page never sit on both sides. Held-out rows are never trained or tuned on.
func heldOut(url string) bool { return urlHash(url)%4 == 0 }

// urlHash is the FNV-1a 32-bit hash of a source URL.
func urlHash(url string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(url))
	return h.Sum32()
}
