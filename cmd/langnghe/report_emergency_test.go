package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
)

// TestReportCountsEmergencies: `langnghe report` gives the period's
// emergencies, by area when grouped by area, beside the opinions' figures,
// whose fields stay as they were.
func TestReportCountsEmergencies(t *testing.T) {
	dbURL, _ := seedCLI(t)
	ctx := context.Background()
	db, err := storage.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, func(tx *storage.Tx) error {
		for _, e := range []langnghe.Emergency{
			{Kind: langnghe.EmergencyFire, Text: "cháy nhà", AreaCode: "minh_thanh", Unit: "police", At: time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)},
			{Kind: langnghe.EmergencyRescue, Text: "đuối nước", AreaCode: "minh_thanh", Unit: "police", At: time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC)},
			{Kind: langnghe.EmergencyCrime, Text: "cướp", At: time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)}, // April
		} {
			if err := tx.RecordEmergency(ctx, &e); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})

	var out bytes.Buffer
	if err := reportCmd(ctx, cfg, []string{"--from", "2026-03-01", "--to", "2026-03-31", "--by", "area", "--format", "json"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var r struct {
		From          string           `json:"from"`
		Rows          []map[string]any `json:"rows"`
		Total         map[string]any   `json:"total"`
		Emergencies   *int             `json:"emergencies"`
		EmergenciesBy []struct {
			Key   string `json:"key"`
			Count int    `json:"count"`
		} `json:"emergencies_by"`
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if r.Emergencies == nil || *r.Emergencies != 2 || len(r.EmergenciesBy) != 1 || r.EmergenciesBy[0].Key != "minh_thanh" || r.EmergenciesBy[0].Count != 2 {
		t.Errorf("emergencies in the JSON report:\n%s", out.String())
	}
	for _, field := range []string{"key", "name", "received", "forwarded", "answered_on_time", "answered_late",
		"median_days_to_answer", "rated", "satisfied", "satisfaction_rate"} {
		if _, ok := r.Total[field]; !ok || r.From != "2026-03-01" {
			t.Errorf("the JSON total lost %q:\n%s", field, out.String())
		}
	}

	out.Reset()
	if err := reportCmd(ctx, cfg, []string{"--from", "2026-03-01", "--to", "2026-03-31"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Opinions received 2026-03-01 to 2026-03-31") || !strings.Contains(out.String(), "Emergencies reported: 2") {
		t.Errorf("table report:\n%s", out.String())
	}
}
