package console_test

import (
	"net/http"
	"strings"
	"testing"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// Officials read the area as the catalogue describes it and, beside it,
// the place as the resident wrote it when that says more: as text, and
// without a denouncer's name.
func TestOpinionPlaceAsWritten(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		hamlet := o.opinion(officeOpinion{category: "land", area: "ap_hoa_cuong", resident: "p1", place: "<b>hoa cuong</b> minh hoa"})
		same := o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "p2", place: "xã Minh Thạnh"})
		den := o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "p3", track: langnghe.TrackDenunciation,
			place: "nhà Nguyễn Văn Kín, ấp Hòa Cường"})
		board := o.signIn("Ban Dân vận", langnghe.RoleBoard)

		status, page := board.get("/console/opinions/" + hamlet.Code)
		if status != http.StatusOK {
			t.Fatalf("GET %s = %d", hamlet.Code, status)
		}
		for _, want := range []string{
			"ấp Hòa Cường, xã Minh Hòa cũ (nay thuộc xã Minh Thạnh)",
			`<div class="muted" id="place-as-written">Người dân ghi: “&lt;b&gt;hoa cuong&lt;/b&gt; minh hoa”</div>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the page has no %s", want)
			}
		}
		if _, page := board.get("/console/opinions/" + same.Code); strings.Contains(page, "place-as-written") {
			t.Errorf("the place as written is shown though it is the area's name")
		}
		_, page = board.get("/console/opinions/" + den.Code)
		if !strings.Contains(page, `id="place-as-written">Người dân ghi: “nhà […], ấp Hòa Cường”`) || strings.Contains(page, "Nguyễn Văn Kín") {
			t.Errorf("a denouncer's place as written, to the board without the permission: %s", between(page, "place-as-written", "</div>"))
		}
		if _, inbox := board.get("/console/"); !strings.Contains(inbox, "ấp Hòa Cường, xã Minh Hòa cũ (nay thuộc xã Minh Thạnh)") {
			t.Errorf("the inbox does not describe the hamlet's area")
		}
	})
}
