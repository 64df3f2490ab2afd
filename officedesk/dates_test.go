package officedesk_test

import (
	"context"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// /giahan to a year no one means (31/12/9999 overflowed due_at on SQLite
// and showed 29/03/1816) is refused, saying which dates are allowed in the
// official's language; the opinion is unchanged.
func TestExtendOutsideTheYears(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		w.official("land", "land_environment")
		o := w.opinion(1, "land")
		w.take("land")
		for _, date := range []string{"31/12/9999", "01/01/2101", "31/12/1999"} {
			if out := w.command("land", "giahan", o.Code+" "+date+" cần khảo sát"); !contains(out, "từ 01/01/2000 đến 31/12/2100") {
				t.Errorf("/giahan %s said %q, want the allowed range", date, out)
			}
		}
		// In English for an official who reads the desk in English.
		if err := db.InTx(context.Background(), func(tx *storage.Tx) error {
			off, err := tx.ActiveOfficial(context.Background(), langnghe.ChannelTelegram, "land")
			if err != nil {
				return err
			}
			off.Language = langnghe.LangEN
			return tx.SaveOfficialSettings(context.Background(), off)
		}); err != nil {
			t.Fatal(err)
		}
		if out := w.command("land", "extend", o.Code+" 31/12/9999 survey"); !contains(out, "from 01/01/2000 to 31/12/2100") {
			t.Errorf("/extend 31/12/9999 said %q, want the allowed range in English", out)
		}
		stored, err := db.Opinion(context.Background(), o.Code)
		if err != nil || stored.Status != langnghe.StatusReceived || !stored.DueAt.Equal(o.DueAt.Truncate(time.Microsecond)) {
			t.Fatalf("refused extensions changed the opinion: %+v, %v", stored, err)
		}
		if told := w.take("r1"); len(told) != 0 {
			t.Errorf("the resident was told %q", told)
		}
		// The last allowed day is taken.
		if out := w.command("land", "giahan", o.Code+" 31/12/2100 cần khảo sát"); !contains(out, "→") {
			t.Errorf("/giahan 31/12/2100 said %q", out)
		}
	})
}
