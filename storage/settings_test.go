package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

func TestSettingRevisions(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, _, err := db.Setting(ctx, langnghe.SettingCatalogue); code(err) != langnghe.ENOTFOUND {
			t.Fatalf("Setting before any save: %v, want not found (the default applies)", err)
		}
		saves := []struct {
			base, want int
			errCode    string
		}{
			{0, 1, ""},
			{1, 2, ""},
			{1, 0, langnghe.ECONFLICT}, // edited revision 1, but 2 was saved
			{0, 0, langnghe.ECONFLICT},
			{2, 3, ""},
		}
		for i, s := range saves {
			var rev int
			err := db.InTx(ctx, func(tx *storage.Tx) (err error) {
				rev, err = tx.SaveSetting(ctx, langnghe.SettingChange{Name: langnghe.SettingCatalogue,
					Source: fmt.Appendf(nil, "version: v%d\n", i), Author: "official:1", Base: s.base, Action: "save"})
				return err
			})
			if rev != s.want || code(err) != s.errCode {
				t.Errorf("save %d on base %d = %d, %v; want %d, %q", i, s.base, rev, err, s.want, s.errCode)
			}
		}
		rev, src, err := db.Setting(ctx, langnghe.SettingCatalogue)
		if err != nil || rev != 3 || string(src) != "version: v4\n" {
			t.Fatalf("current = %d %q %v, want revision 3 from the fifth save", rev, src, err)
		}
		if src, err := db.SettingRevision(ctx, langnghe.SettingCatalogue, 2); err != nil || string(src) != "version: v1\n" {
			t.Errorf("revision 2 = %q %v", src, err)
		}
		if _, err := db.SettingRevision(ctx, langnghe.SettingCatalogue, 9); code(err) != langnghe.ENOTFOUND {
			t.Errorf("missing revision: %v", err)
		}
		revs, err := db.SettingRevisions(ctx, langnghe.SettingCatalogue)
		if err != nil || len(revs) != 3 || revs[0].Revision != 3 || revs[0].Size != len("version: v4\n") || revs[0].Author != "official:1" {
			t.Errorf("revisions = %+v %v, want 3, 2, 1 newest first", revs, err)
		}
		// Documents are independent; refused saves left no audit entry.
		if _, _, err := db.Setting(ctx, langnghe.SettingHolidays); code(err) != langnghe.ENOTFOUND {
			t.Errorf("holidays after catalogue saves: %v", err)
		}
		audit, err := db.Audit(ctx, langnghe.AuditQuery{Kind: langnghe.AuditCatalogue})
		if err != nil || len(audit) != 3 || audit[0].Revision != 3 || audit[2].Revision != 1 {
			t.Errorf("audit = %+v %v, want the three saves, newest first", audit, err)
		}
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			_, err := tx.SaveSetting(ctx, langnghe.SettingChange{Name: langnghe.SettingHolidays, Author: "x", Action: "save"})
			return err
		})
		if code(err) != langnghe.EINVALID {
			t.Errorf("empty source: %v, want invalid", err)
		}
	})
}

// The audit lists flow and settings changes together, newest first,
// filtered by kind and paged; an entry written in a failed transaction is
// not there.
func TestAuditListsFlowsAndSettings(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.SaveFlowRevision(ctx, "help", []byte("id: help\n"), "official:2", 0); err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(time.Hour) // after the flow save
		for i := range 5 {
			err := db.InTx(ctx, func(tx *storage.Tx) error {
				return tx.RecordAudit(ctx, langnghe.AuditEntry{Kind: langnghe.AuditUnits, Subject: "units", Action: "save",
					Actor: "official:1", Detail: fmt.Sprint(i), At: at.Add(time.Duration(i) * time.Minute)})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		failed := db.InTx(ctx, func(tx *storage.Tx) error {
			if err := tx.RecordAudit(ctx, langnghe.AuditEntry{Kind: langnghe.AuditOfficial, Action: "revoke", Actor: "official:1"}); err != nil {
				return err
			}
			return langnghe.Errorf(langnghe.ECONFLICT, "the change failed")
		})
		if code(failed) != langnghe.ECONFLICT {
			t.Fatal(failed)
		}
		all, err := db.Audit(ctx, langnghe.AuditQuery{})
		if err != nil || len(all) != 6 {
			t.Fatalf("audit = %+v %v, want 6 entries", all, err)
		}
		if all[0].Detail != "4" || all[4].Detail != "0" || all[5].Kind != langnghe.AuditFlow || all[5].Subject != "help" ||
			all[5].Action != "save" || all[5].Revision != 1 || all[5].Actor != "official:2" {
			t.Errorf("audit order = %+v, want units 4..0 then the flow save", all)
		}
		page, err := db.Audit(ctx, langnghe.AuditQuery{Kind: langnghe.AuditUnits, Limit: 2, Offset: 2})
		if err != nil || len(page) != 2 || page[0].Detail != "2" || page[1].Detail != "1" {
			t.Errorf("second page of units = %+v %v", page, err)
		}
		if flows, err := db.Audit(ctx, langnghe.AuditQuery{Kind: langnghe.AuditFlow}); err != nil || len(flows) != 1 {
			t.Errorf("flow entries = %+v %v", flows, err)
		}
	})
}
