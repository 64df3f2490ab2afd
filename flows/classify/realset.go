package classify

import (
	"hash/fnv"
	"strings"
)

// realRow is one row of real.tsv: a real resident's concern,
// paraphrased from a public page, with the category the competent office
// would take (Category) and the second topic it touches, if any (Second).
type realRow struct {
	Category, Second, URL, Text string
}

// parseReal reads "category[+second]<TAB>source_url<TAB>text" lines
// (parseTSV).
func parseReal(data string) ([]realRow, error) {
	return parseTSV(data, 3, "category<TAB>source_url<TAB>text", func(f []string) realRow {
		cat, second, _ := strings.Cut(f[0], "+")
		return realRow{Category: cat, Second: second, URL: f[1], Text: f[2]}
	})
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
