package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
)

// seedCLI stores two March 2026 opinions (one answered on time and rated
// satisfied) and a daily-digest board official, and returns the
// database URL and the official.
func seedCLI(t *testing.T) (string, *langnghe.Official) {
	t.Helper()
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "report.db")
	ctx := context.Background()
	db, err := storage.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	o := &langnghe.Official{Role: langnghe.RoleBoard, Channel: langnghe.ChannelTelegram, ExternalID: "42", ChatID: "42",
		Digest: langnghe.DigestDaily, DigestTime: "07:30", CreatedAt: time.Now().AddDate(0, 0, -2)}
	err = db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.CreateOfficial(ctx, o); err != nil {
			return err
		}
		for i, answered := range []bool{true, false} {
			created := time.Date(2026, 3, 2+i, 9, 0, 0, 0, time.UTC)
			op := &langnghe.Opinion{Code: "DT-2026-00000" + strconv.Itoa(i+1), Category: "land", Text: "Đường ngập",
				CreatedAt: created, DueAt: created.AddDate(0, 0, 7)}
			if err := tx.CreateOpinion(ctx, op); err != nil {
				return err
			}
			if answered {
				at, rating := created.AddDate(0, 0, 2), langnghe.RatingSatisfied
				if err := tx.UpdateOpinion(ctx, op.ID, langnghe.OpinionUpdate{AnsweredAt: &at, Rating: &rating}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dbURL, o
}

func TestReportCommand(t *testing.T) {
	dbURL, _ := seedCLI(t)
	cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})
	var out bytes.Buffer
	if err := reportCmd(context.Background(), cfg, []string{"--from", "2026-03-01", "--to", "2026-03-31", "--by", "category", "--format", "csv"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := "category,name,received,forwarded,answered_on_time,answered_late,median_days_to_answer,rated,satisfied,satisfaction_rate|" +
		"land,Đất đai,2,0,1,0,2.00,1,1,1.0000|total,Tổng cộng,2,0,1,0,2.00,1,1,1.0000"
	var got []string
	for _, r := range recs {
		got = append(got, strings.Join(r, ","))
	}
	if strings.Join(got, "|") != want {
		t.Errorf("report CSV:\n got %s\nwant %s", strings.Join(got, "|"), want)
	}

	for _, args := range [][]string{
		{"--from", "2026-03-01"},
		{"--from", "2026-03-01", "--to", "2026-03-31", "extra"},
	} {
		var ue usageError
		if err := reportCmd(context.Background(), cfg, args, &out, io.Discard); !errors.As(err, &ue) {
			t.Errorf("report %q: error %v, want a usage error", args, err)
		}
	}
	for _, args := range [][]string{
		{"--from", "2026-03-01", "--to", "2026-03-31", "--by", "resident"},
		{"--from", "2026-03-01", "--to", "2026-02-01"},
		{"--from", "1/3/2026", "--to", "2026-03-31"},
		{"--from", "2026-03-01", "--to", "2026-03-31", "--format", "xlsx"},
	} {
		if err := reportCmd(context.Background(), cfg, args, &out, io.Discard); langnghe.ErrorCode(err) != langnghe.EINVALID {
			t.Errorf("report %q: error %v, want EINVALID", args, err)
		}
	}
}

func TestDigestCommands(t *testing.T) {
	dbURL, o := seedCLI(t)
	cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})
	ctx := context.Background()
	var out, logs bytes.Buffer
	if err := digestCmd(ctx, cfg, []string{"preview", "--official", strconv.FormatInt(o.ID, 10)}, &out, &logs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Bản tin ý kiến hằng ngày") || !strings.Contains(out.String(), "Phạm vi: toàn bộ các đơn vị") {
		t.Errorf("preview:\n%s", out.String())
	}
	// A preview sends nothing: the run that follows queues the digest once.
	for i, want := range []string{"1 digests queued\n", "0 digests queued\n"} {
		out.Reset()
		if err := digestCmd(ctx, cfg, []string{"run"}, &out, &logs); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Errorf("digest run #%d printed %q, want %q", i+1, out.String(), want)
		}
	}
	if err := digestCmd(ctx, cfg, []string{"preview", "--official", "999"}, &out, &logs); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
		t.Errorf("preview of an unknown official: %v, want ENOTFOUND", err)
	}
	var ue usageError
	if err := digestCmd(ctx, cfg, []string{"send"}, &out, &logs); !errors.As(err, &ue) {
		t.Errorf("digest send: %v, want a usage error", err)
	}
}
