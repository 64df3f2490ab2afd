package storage_test

import (
	"context"
	"fmt"
	"testing"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

func TestFlowRevisions(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, _, err := db.PublishedFlow(ctx, "report"); code(err) != langnghe.ENOTFOUND {
			t.Errorf("PublishedFlow of an unknown flow: %v, want not found", err)
		}
		saves := []struct {
			base    int
			author  string
			want    int
			errCode string
		}{
			{0, "admin:an", 1, ""},
			{1, "admin:an", 2, ""},
			{1, "admin:binh", 0, langnghe.ECONFLICT}, // edited revision 1, but 2 exists
			{0, "admin:binh", 0, langnghe.ECONFLICT},
			{2, "admin:binh", 3, ""},
		}
		for i, s := range saves {
			rev, err := db.SaveFlowRevision(ctx, "report", fmt.Appendf(nil, "id: report\n# v%d\n", i), s.author, s.base)
			if rev != s.want || code(err) != s.errCode {
				t.Errorf("save %d on base %d = %d, %v; want %d, %q", i, s.base, rev, err, s.want, s.errCode)
			}
		}
		if _, err := db.SaveFlowRevision(ctx, "report", nil, "admin:an", 3); code(err) != langnghe.EINVALID {
			t.Errorf("empty source: %v, want invalid", err)
		}
		if _, _, err := db.PublishedFlow(ctx, "report"); code(err) != langnghe.ENOTFOUND {
			t.Errorf("PublishedFlow before publishing: %v, want not found", err)
		}
		if err := db.PublishFlow(ctx, "report", 9, "admin:an"); code(err) != langnghe.ENOTFOUND {
			t.Errorf("publishing a missing revision: %v, want not found", err)
		}
		for _, rev := range []int{3, 1} { // publish, then roll back
			if err := db.PublishFlow(ctx, "report", rev, "admin:an"); err != nil {
				t.Fatal(err)
			}
			got, src, err := db.PublishedFlow(ctx, "report")
			if err != nil {
				t.Fatal(err)
			}
			want := map[int]string{3: "id: report\n# v4\n", 1: "id: report\n# v0\n"}[rev]
			if got != rev || string(src) != want {
				t.Errorf("after publishing %d: PublishedFlow = %d, %q; want %q", rev, got, src, want)
			}
		}
		src, err := db.FlowRevision(ctx, "report", 2)
		if err != nil || string(src) != "id: report\n# v1\n" {
			t.Errorf("FlowRevision(2) = %q, %v", src, err)
		}
		if _, err := db.FlowRevision(ctx, "report", 4); code(err) != langnghe.ENOTFOUND {
			t.Errorf("FlowRevision(4) = %v, want not found", err)
		}
		if _, err := db.SaveFlowRevision(ctx, "menu", []byte("id: menu\n"), "admin:binh", 0); err != nil {
			t.Fatal(err)
		}
		flows, err := db.Flows(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(flows) != 2 || flows[0].ID != "menu" || flows[1].ID != "report" || flows[1].LatestRevision != 3 ||
			flows[1].PublishedRevision != 1 || flows[1].UpdatedBy != "admin:an" || flows[0].PublishedRevision != 0 {
			t.Errorf("Flows = %+v", flows)
		}
		revs, err := db.FlowRevisions(ctx, "report")
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 3 || revs[0].Revision != 3 || revs[0].Author != "admin:binh" || revs[2].Published != true ||
			revs[0].Published || revs[2].Size != len("id: report\n# v0\n") {
			t.Errorf("FlowRevisions = %+v", revs)
		}
		if _, err := db.FlowRevisions(ctx, "nope"); code(err) != langnghe.ENOTFOUND {
			t.Errorf("FlowRevisions(nope) = %v, want not found", err)
		}
		audit, err := db.FlowAudit(ctx, "report")
		if err != nil {
			t.Fatal(err)
		}
		var trail []string
		for _, e := range audit {
			trail = append(trail, fmt.Sprintf("%s %d %s", e.Action, e.Revision, e.Actor))
		}
		want := "[save 1 admin:an save 2 admin:an save 3 admin:binh publish 3 admin:an publish 1 admin:an]"
		if fmt.Sprint(trail) != want {
			t.Errorf("FlowAudit = %v, want %v", trail, want)
		}
	})
}
