package studio_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// The permission to see denouncers is an admin's explicit grant: on an
// invitation or an official's page, withdrawn the same way, each audited;
// an admin does not grant it to themselves.
func TestDenouncerPermissionAudited(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		ctx := context.Background()
		official := func(id int64) *langnghe.Official {
			t.Helper()
			var o *langnghe.Official
			if err := db.InTx(ctx, func(tx *storage.Tx) (err error) { o, err = tx.Official(ctx, id); return err }); err != nil {
				t.Fatal(err)
			}
			return o
		}

		// Invited with the box ticked.
		status, body, _ := f.post(t, "/console/studio/officials/invite", url.Values{"name": {"Chánh thanh tra"}, "role": {"unit"},
			"unit": {"inspectorate"}, "hours": {"48"}, "denouncers": {"on"}})
		link := regexp.MustCompile(`start=inv_([a-z2-7]+)`).FindStringSubmatch(body)
		if status != http.StatusOK || link == nil {
			t.Fatalf("invite = %d:\n%s", status, body)
		}
		if _, list := f.get(t, "/console/studio/officials"); !strings.Contains(list, "data-sees-denouncers") {
			t.Errorf("the pending invitation does not say it grants the permission")
		}
		var chief *langnghe.Official
		err := db.InTx(ctx, func(tx *storage.Tx) (err error) {
			chief, err = f.followup.Accept(ctx, tx, link[1], "telegram", "4004", "4004", "")
			return err
		})
		if err != nil || !chief.SeesDenouncers {
			t.Fatalf("accept = %+v %v, want the permission", chief, err)
		}

		// Granted and withdrawn on an official's page.
		id := settingsOfficial(t, db, "Ban Dân vận", langnghe.RoleBoard, "4005")
		path := fmt.Sprintf("/console/studio/officials/%d", id)
		if _, page := f.get(t, path); !strings.Contains(page, `action="`+path+`/denouncers"`) {
			t.Fatalf("the official's page has no permission form:\n%s", page)
		}
		if status, _, _ := f.post(t, path+"/denouncers", url.Values{"denouncers": {"on"}}); status != http.StatusSeeOther || !official(id).SeesDenouncers {
			t.Fatalf("grant = %d, permission %v", status, official(id).SeesDenouncers)
		}
		if _, page := f.get(t, path); !strings.Contains(page, `name="denouncers" value="on" checked`) {
			t.Errorf("the official's page does not show the permission held")
		}
		if status, _, _ := f.post(t, path+"/denouncers", url.Values{}); status != http.StatusSeeOther || official(id).SeesDenouncers {
			t.Fatalf("withdraw = %d, permission %v", status, official(id).SeesDenouncers)
		}
		// Not to oneself.
		if status, _, _ := f.post(t, fmt.Sprintf("/console/studio/officials/%d/denouncers", f.admin), url.Values{"denouncers": {"on"}}); status != http.StatusBadRequest || official(f.admin).SeesDenouncers {
			t.Errorf("self-grant = %d", status)
		}

		audit, err := db.Audit(ctx, langnghe.AuditQuery{Kind: langnghe.AuditOfficial})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range audit {
			got = append(got, a.Action+": "+a.Detail)
		}
		want := []string{"withdraw denunciations: sees denouncers true → false", "permit denunciations: sees denouncers false → true",
			"invite: role unit; units inspectorate; valid 48 h; sees denouncers"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("audit = %q, want %q", got, want)
		}
	})
}
