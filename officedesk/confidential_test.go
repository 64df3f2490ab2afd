package officedesk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/flows"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// The denouncer's identity as the tests write it, in the forms it may
// take in what an official is sent.
var denouncer = []string{"Nguyễn Văn Tố", "0912345678", "0912 345 678", "345 678", "912345678"}

// invite binds an official of role (and units) as user, with the
// permission to see denouncers when permitted.
func (w *world) invite(user string, role langnghe.Role, permitted bool, units ...string) {
	w.t.Helper()
	var opts []followup.InviteOption
	if permitted {
		opts = append(opts, followup.WithDenouncers)
	}
	inv, err := w.core.Invite(context.Background(), w.db, role, units, "", time.Hour, opts...)
	if err != nil {
		w.t.Fatal(err)
	}
	if out := w.command(user, flows.CommandStart, langnghe.InvitePrefix+inv.Code); len(out) != 1 || !strings.Contains(out[0], "liên kết") {
		w.t.Fatalf("accepting the invitation said %q", out)
	}
}

// denunciation stores a resident's denunciation about land, with their
// name and phone, and routes it through the desk as the conversation does.
func (w *world) denunciation() *langnghe.Opinion {
	w.t.Helper()
	ctx := context.Background()
	r := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: "den", ChatID: "den", Language: langnghe.LangVI,
		Name: "Nguyễn Văn Tố", Phone: "0912345678"}
	o := &langnghe.Opinion{Category: "land", LegalTrack: langnghe.TrackDenunciation, AreaCode: "minh_thanh",
		Text:     "Trưởng ấp thu tiền trái phép khi làm sổ đỏ. Cần thì gọi tôi 0912 345 678.",
		Language: langnghe.LangVI, Channel: langnghe.ChannelTelegram, Status: langnghe.StatusReceived,
		ContactName: "Nguyễn Văn Tố", ContactPhone: "0912345678", Location: &langnghe.Location{Latitude: 11.27, Longitude: 106.37},
		Answers: map[string]string{"phone": "0912345678"}, DueAt: time.Now().Add(72 * time.Hour)}
	err := w.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.SaveResident(ctx, r); err != nil {
			return err
		}
		code, err := tx.NextOpinionCode(ctx, "DT", 2026)
		if err != nil {
			return err
		}
		o.Code, o.ResidentID = code, &r.ID
		if err := tx.CreateOpinion(ctx, o); err != nil {
			return err
		}
		return w.desk.OpinionCreated(ctx, tx, o)
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return o
}

// concealed fails unless texts are about code, carry the confidential
// marker and «Bảo mật», and nothing of the denouncer.
func concealed(t *testing.T, what string, texts []string, code string) {
	t.Helper()
	all := strings.Join(texts, "\n")
	if !strings.Contains(all, code) || !strings.Contains(all, langnghe.Concealed) {
		t.Errorf("%s: want %s with «Bảo mật», got %q", what, code, texts)
	}
	for _, s := range denouncer {
		if strings.Contains(all, s) {
			t.Errorf("%s shows the denouncer's %q: %q", what, s, texts)
		}
	}
}

// TestDenunciationInTelegram: a denunciation with a phone number goes to
// the inspectorate; its officials and the board are told of it with the
// denouncer concealed, unless they hold the permission; the unit of its
// category hears nothing and cannot open it; /xem, /danhsach and the
// forwarded notification conceal it the same way.
func TestDenunciationInTelegram(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		w.invite("insp", langnghe.RoleUnit, false, "inspectorate")
		w.invite("inspok", langnghe.RoleUnit, true, "inspectorate")
		w.invite("board", langnghe.RoleBoard, false)
		w.invite("boardok", langnghe.RoleBoard, true)
		w.invite("land", langnghe.RoleUnit, false, "land_environment")
		w.invite("commune", langnghe.RoleUnit, false, "ubnd_minh_thanh")
		o := w.denunciation()
		if o.Unit != "inspectorate" {
			t.Fatalf("the denunciation went to %q, want inspectorate", o.Unit)
		}

		// The notification of the new opinion.
		concealed(t, "the inspectorate's notification", w.take("insp"), o.Code)
		concealed(t, "the board's notification", w.take("board"), o.Code)
		for _, who := range []string{"inspok", "boardok"} {
			got := strings.Join(w.take(who), "\n")
			if !strings.Contains(got, "Nguyễn Văn Tố 0912345678") || !strings.Contains(got, "🔒") {
				t.Errorf("%s (permitted) was told %q", who, got)
			}
		}
		if got := w.take("land"); len(got) != 0 {
			t.Errorf("the land office was told of a denunciation: %q", got)
		}

		// /xem and /danhsach.
		concealed(t, "/xem by the inspectorate", w.command("insp", "xem", o.Code), o.Code)
		concealed(t, "/xem by the board", w.command("board", "view", o.Code), o.Code)
		if got := strings.Join(w.command("inspok", "xem", o.Code), "\n"); !strings.Contains(got, "0912345678") || !strings.Contains(got, "Nguyễn Văn Tố") {
			t.Errorf("/xem by a permitted official: %q", got)
		}
		if got := strings.Join(w.command("land", "xem", o.Code), "\n"); !strings.Contains(got, "Không tìm thấy") || strings.Contains(got, "0912") {
			t.Errorf("/xem by the land office: %q", got)
		}
		list := w.command("insp", "danhsach", "")
		if !contains(list, o.Code) {
			t.Errorf("/danhsach of the inspectorate: %q", list)
		}
		boardList := w.command("board", "open", "")
		for _, s := range denouncer {
			if contains(list, s) || contains(boardList, s) {
				t.Errorf("/danhsach shows %q", s)
			}
		}
		if got := w.command("land", "danhsach", ""); contains(got, o.Code) {
			t.Errorf("/danhsach of the land office lists the denunciation: %q", got)
		}

		// A permitted official notes the phone; the others never read it.
		w.command("inspok", "ghichu", o.Code+" đã gọi lại cho ông Nguyễn Văn Tố qua số 0912 345 678")
		concealed(t, "/xem after a note naming the denouncer", w.command("insp", "xem", o.Code), o.Code)

		// Forwarded by an official who may see it, to the commune: the
		// commune's officials are told, concealed.
		if out := w.command("insp", "chuyen", o.Code+" ubnd_minh_thanh"); !contains(out, "✅") {
			t.Fatalf("forward: %q", out)
		}
		concealed(t, "the forwarded notification", w.take("commune"), o.Code)
		concealed(t, "/xem by the commune", w.command("commune", "xem", o.Code), o.Code)
		w.take("den")
	})
}
