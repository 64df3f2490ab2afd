package catalogue

import (
	"sync"

	"langnghe"
)

// Every typed place and every description is matched against all names
// and aliases of the tree; with the hamlets that is hundreds of keys, too
// many to tokenise again at each turn. A catalogue is not changed once
// loaded (an edit is a new one), so its keys are worked out once per
// catalogue and kept, checked against its size and version in case a
// caller changed it in place.

type catalogueIndex struct {
	areas   int
	version string
	keys    [][]areaKey         // by area index
	byFirst map[string][]keyRef // by the folded first word of a key
}

var indexes sync.Map // *langnghe.Catalogue → *catalogueIndex

// maxIndexes bounds the cache for programs (tests, the studio's checks)
// that make many catalogues; past it the cache starts again.
const maxIndexes = 64

var indexCount struct {
	sync.Mutex
	n int
}

func indexOf(c *langnghe.Catalogue) *catalogueIndex {
	if v, ok := indexes.Load(c); ok {
		if ix := v.(*catalogueIndex); ix.areas == len(c.Areas) && ix.version == c.Version {
			return ix
		}
	}
	ix := &catalogueIndex{areas: len(c.Areas), version: c.Version, keys: make([][]areaKey, len(c.Areas)),
		byFirst: map[string][]keyRef{}}
	for ai, a := range c.Areas {
		ix.keys[ai] = areaKeys(a)
		for _, key := range ix.keys[ai] {
			first := key.words[0].folded
			ix.byFirst[first] = append(ix.byFirst[first], keyRef{ai, key})
		}
	}
	indexCount.Lock()
	if indexCount.n++; indexCount.n > maxIndexes {
		indexes.Clear()
		indexCount.n = 1
	}
	indexCount.Unlock()
	indexes.Store(c, ix)
	return ix
}
