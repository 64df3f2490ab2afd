package digest

import (
	"langnghe"
	"langnghe/flows/catalogue"
)

// areaName is an area as officials read it: a hamlet with its commune, a
// former commune with what it is now part of (catalogue.Describe). Digests
// carry no resident's words, so not the place as the resident wrote it.
func areaName(c *langnghe.Catalogue, code, lang string) string {
	return catalogue.Describe(c, code, lang)
}
