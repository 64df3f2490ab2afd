package followup_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// A new due date officials type is read within the years they may enter
// (langnghe.CheckDate); anything else says the range in both languages.
func TestExtendedDueYears(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Time // zero: refused
	}{
		{"31/12/2100", time.Date(2100, 12, 31, 17, 0, 0, 0, hcm)},
		{"1/1/2000", time.Date(2000, 1, 1, 17, 0, 0, 0, hcm)},
		{"31/12/9999", time.Time{}},
		{"01/01/2101", time.Time{}},
		{"31/12/1999", time.Time{}},
		{"01/01/0001", time.Time{}},
	} {
		got, err := followup.ExtendedDue(tt.in, hcm)
		if tt.want.IsZero() {
			if err == nil || langnghe.ErrorCode(err) != langnghe.EINVALID ||
				!strings.Contains(langnghe.ErrorMessageIn(err, langnghe.LangVI), "từ 01/01/2000 đến 31/12/2100") ||
				!strings.Contains(langnghe.ErrorMessageIn(err, langnghe.LangEN), "from 01/01/2000 to 31/12/2100") {
				t.Errorf("ExtendedDue(%q) = %s, %v; want refused with the range", tt.in, got, err)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ExtendedDue(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	var perr *time.ParseError
	if _, err := followup.ExtendedDue("mai", hcm); !errors.As(err, &perr) {
		t.Errorf("ExtendedDue(mai) = %v, want a parse error", err)
	}
}

// An extension to a year no one means is refused by the lifecycle itself,
// whoever calls it; the last allowed day is stored and read back as it was
// on both databases (on SQLite 31/12/9999 overflowed and read as 1816).
func TestExtendYears(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		board := d.official(langnghe.RoleBoard)
		o := d.opinion(nil, "land", "minh_thanh")
		for _, due := range []time.Time{time.Date(9999, 12, 31, 17, 0, 0, 0, hcm), time.Date(2101, 1, 1, 17, 0, 0, 0, hcm)} {
			_, err := d.act(board, o.Code, followup.Action{Kind: followup.ActExtend, Note: "chờ", Due: due})
			if langnghe.ErrorCode(err) != langnghe.EINVALID || !strings.Contains(langnghe.ErrorMessageIn(err, langnghe.LangVI), "31/12/2100") {
				t.Errorf("extend to %s: %v, want refused with the range", due, err)
			}
		}
		if got := d.load(o.Code); got.Status != langnghe.StatusReceived || !got.DueAt.Equal(o.DueAt) {
			t.Fatalf("a refused extension changed the opinion: %s due %s", got.Status, got.DueAt)
		}
		last := time.Date(2100, 12, 31, 17, 0, 0, 0, hcm)
		if _, err := d.act(board, o.Code, followup.Action{Kind: followup.ActExtend, Note: "chờ", Due: last}); err != nil {
			t.Fatal(err)
		}
		if got := d.load(o.Code); !got.DueAt.Equal(last) {
			t.Errorf("extended to %s, read back %s", last, got.DueAt)
		}
	})
}
