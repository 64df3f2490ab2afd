package flowlib_test

import (
	"bytes"
	"context"
	"testing"

	"langnghe"
	"langnghe/flowlib"
	"langnghe/flows/catalogue"
	"langnghe/flows/defaults"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

func TestSeedImportPublishAndPinnedRevisions(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		lib := flowlib.New(catalogue.Default())
		seeded, err := lib.Seed(ctx, db)
		if err != nil || len(seeded) != len(defaults.Files()) {
			t.Fatalf("seed: %v %v", seeded, err)
		}
		if again, err := lib.Seed(ctx, db); err != nil || len(again) != 0 {
			t.Fatalf("a second seed must leave published flows alone: %v %v", again, err)
		}

		src := defaults.Files()["help.yaml"]
		edited := bytes.Replace(src, []byte("start:"), []byte("# edited\nstart:"), 1)
		id, rev, _, err := lib.Import(ctx, db, "test", "help.yaml", edited, 0)
		if err != nil || id != "help" || rev != 2 {
			t.Fatalf("import: %s %d %v", id, rev, err)
		}
		// A save based on an old revision is refused: no lost edits.
		if _, _, _, err := lib.Import(ctx, db, "test", "help.yaml", edited, 1); langnghe.ErrorCode(err) != langnghe.ECONFLICT {
			t.Fatalf("stale base: %v", err)
		}
		// A broken file is never stored.
		if _, _, _, err := lib.Import(ctx, db, "test", "help.yaml", []byte("id: help\nnodes: [\n"), 0); langnghe.ErrorCode(err) != langnghe.EINVALID {
			t.Fatalf("broken import: %v", err)
		}
		infos, err := db.Flows(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range infos {
			if f.ID == "help" && f.LatestRevision != 2 {
				t.Fatalf("a refused file left a revision: %+v", f)
			}
		}

		src0 := lib.Source(ctx, db)
		def, err := src0.Flow("help", 0)
		if err != nil || def.Revision != 1 {
			t.Fatalf("published before publishing revision 2: %v %+v", err, def)
		}
		if err := lib.Publish(ctx, db, "test", "help", 2); err != nil {
			t.Fatal(err)
		}
		if def, err := src0.Flow("help", 0); err != nil || def.Revision != 2 {
			t.Fatalf("published after publishing revision 2: %v", err)
		}
		// A session pinned to revision 1 still gets it.
		if def, err := src0.Flow("help", 1); err != nil || def.Revision != 1 || bytes.Contains(def.Source, []byte("# edited")) {
			t.Fatalf("pinned revision 1: %v", err)
		}
		if _, err := src0.Flow("help", 7); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
			t.Fatalf("missing revision: %v", err)
		}
		if out, rev, err := lib.Export(ctx, db, "help", 0); err != nil || rev != 2 || !bytes.Equal(out, edited) {
			t.Fatalf("export: %d %v", rev, err)
		}
	})
}
