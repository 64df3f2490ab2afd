package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/report"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// TestEmergencies: a report counts the emergencies of its period (local
// dates), by area when grouped by area, within the official's scope; the
// JSON and the table carry them beside the opinions' figures.
func TestEmergencies(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			for _, e := range []langnghe.Emergency{
				{Kind: langnghe.EmergencyFire, AreaCode: "minh_thanh", Unit: "police", At: local(3, 1, 0, 5)},
				{Kind: langnghe.EmergencyRescue, AreaCode: "minh_thanh", Unit: "police", At: local(3, 15, 12, 0)},
				{Kind: langnghe.EmergencyMedical, AreaCode: "", Unit: "mass_mobilisation", At: local(3, 31, 23, 59)},
				{Kind: langnghe.EmergencyCrime, AreaCode: "long_hoa", Unit: "police", At: local(2, 28, 23, 59)}, // February
				{Kind: langnghe.EmergencyCrime, AreaCode: "long_hoa", Unit: "police", At: local(4, 1, 0, 0)},    // April
			} {
				if err := tx.RecordEmergency(ctx, &e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		q := report.Query{From: local(3, 1, 0, 0), To: local(3, 31, 0, 0), By: langnghe.ReportArea}
		opts := report.Options{TimeZone: hcm, Catalogue: catalogue.Default(), Language: langnghe.LangVI}
		r, err := report.Build(ctx, db, q, opts)
		if err != nil {
			t.Fatal(err)
		}
		if r.Emergencies != 3 {
			t.Errorf("emergencies = %d, want 3", r.Emergencies)
		}
		keys := func(rows []report.EmergencyRow) []string {
			var out []string
			for _, e := range rows {
				out = append(out, e.Key+"="+e.Name+":"+strconv.Itoa(e.Count))
			}
			return out
		}
		if got, want := keys(r.EmergenciesBy), []string{"=(chưa xác định):1", "minh_thanh=xã Minh Thạnh:2"}; !slices.Equal(got, want) {
			t.Errorf("by area = %q, want %q", got, want)
		}

		var b bytes.Buffer
		if err := r.Write(&b, report.JSON); err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"from", "to", "by", "rows", "total", "emergencies", "emergencies_by"} {
			if _, ok := doc[k]; !ok {
				t.Errorf("JSON lacks %q: %s", k, b.String())
			}
		}
		b.Reset()
		if err := r.Write(&b, report.Table); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "Emergencies reported: 3") || !strings.Contains(b.String(), "minh_thanh") {
			t.Errorf("table:\n%s", b.String())
		}

		// A unit official's report counts their unit's alone; one without
		// units, none.
		q.By = langnghe.ReportTotal
		q.Scope = &langnghe.Scope{Units: []string{"police"}}
		if r, err = report.Build(ctx, db, q, opts); err != nil || r.Emergencies != 2 || r.EmergenciesBy != nil {
			t.Errorf("police: %v, %+v", err, r)
		}
		q.Scope = &langnghe.Scope{}
		if r, err = report.Build(ctx, db, q, opts); err != nil || r.Emergencies != 0 {
			t.Errorf("no units: %v, %+v", err, r)
		}
	})
}
