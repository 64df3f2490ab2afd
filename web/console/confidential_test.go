package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// permit gives a signed-in official the permission to see denouncers, as
// an admin does; it holds from their next request on.
func (s *officeSession) permit() *officeSession {
	s.o.t.Helper()
	err := s.o.db.InTx(context.Background(), func(tx *storage.Tx) error {
		return tx.SetSeesDenouncers(context.Background(), s.id, true)
	})
	if err != nil {
		s.o.t.Fatal(err)
	}
	return s
}

// The denouncer as the resident gave them, in the forms a page or an
// export could carry.
var denouncerTraces = []string{"Nguyễn Văn Kín", "0909123456", "0909 123 456", "123 456", "11.274", "ảnh hiện trường"}

// A denunciation's page, its files, the inbox and the exports show its
// author only to an official with the permission; everyone else — its
// own unit's, the board, the unit it is forwarded to — reads «Bảo mật»
// under a confidential marker, and its category's unit never finds it.
func TestDenunciationInTheConsole(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		den := o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "r1", track: langnghe.TrackDenunciation,
			text:     "Trưởng ấp thu tiền trái phép khi làm sổ đỏ. Gọi tôi: 0909 123 456.",
			location: &langnghe.Location{Latitude: 11.274, Longitude: 106.3725},
			files:    []officeFile{{"ảnh hiện trường.jpg", "image/jpeg", jpeg}}})
		if den.Unit != "inspectorate" {
			t.Fatalf("the denunciation went to %q, want inspectorate", den.Unit)
		}
		inspector := o.signIn("Thanh tra viên", langnghe.RoleUnit, "inspectorate")
		permitted := o.signIn("Chánh thanh tra", langnghe.RoleUnit, "inspectorate").permit()
		board := o.signIn("Ban Dân vận", langnghe.RoleBoard)
		boardPermitted := o.signIn("Trưởng ban", langnghe.RoleBoard).permit()
		land := o.signIn("Phòng đất đai", langnghe.RoleUnit, "land_environment")
		commune := o.signIn("UBND xã", langnghe.RoleUnit, "ubnd_minh_thanh")
		page := "/console/opinions/" + den.Code
		file := page + "/attachments/1"

		concealedPage := func(who string, s *officeSession) {
			t.Helper()
			status, body := s.get(page)
			if status != http.StatusOK {
				t.Fatalf("%s: GET the denunciation = %d", who, status)
			}
			for _, want := range []string{`id="confidential"`, "Tố cáo – bảo mật danh tính người tố cáo", `<p id="contact"><b>Bảo mật</b>`,
				`id="files-withheld"`, "Trưởng ấp thu tiền trái phép"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the page has no %s", who, want)
				}
			}
			for _, s := range append(denouncerTraces, "openstreetmap", "/attachments/") {
				if strings.Contains(body, s) {
					t.Errorf("%s: the page shows %q", who, s)
				}
			}
			if status, _ := s.get(file); status != http.StatusNotFound {
				t.Errorf("%s: the denouncer's file = %d, want 404", who, status)
			}
			if _, inbox := s.get("/console/"); !strings.Contains(inbox, den.Code) || strings.Contains(inbox, "123 456") {
				t.Errorf("%s: the inbox does not list the denunciation, or shows the phone", who)
			}
		}
		concealedPage("the inspectorate's official", inspector)
		concealedPage("the board", board)
		for who, s := range map[string]*officeSession{"a permitted inspector": permitted, "a permitted board member": boardPermitted} {
			_, body := s.get(page)
			for _, want := range []string{`id="confidential"`, `<p id="contact">Nguyễn Văn Kín 0909123456</p>`, "0909 123 456", "openstreetmap", "/attachments/1"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the page has no %s", who, want)
				}
			}
			if status, _ := s.get(file); status != http.StatusOK {
				t.Errorf("%s: the file = %d", who, status)
			}
		}
		for who, s := range map[string]*officeSession{"the land office": land, "the commune": commune} {
			if status, body := s.get(page); status != http.StatusNotFound || strings.Contains(body, "0909") {
				t.Errorf("%s: GET the denunciation = %d", who, status)
			}
		}

		// The opinion lists of the period: contacts are the board's only,
		// a denouncer's only with the permission.
		export := "/console/reports/opinions.csv?from=01/11/2026&to=30/11/2026"
		row := func(who string, s *officeSession) []string {
			t.Helper()
			status, body := s.get(export)
			if status != http.StatusOK {
				t.Fatalf("%s: export = %d", who, status)
			}
			for _, rec := range readCSV(t, []byte(body)) {
				if rec[0] == den.Code {
					return rec
				}
			}
			t.Fatalf("%s: the export has no %s:\n%s", who, den.Code, body)
			return nil
		}
		for who, s := range map[string]*officeSession{"the board": board, "the inspectorate's official": inspector} {
			rec := strings.Join(row(who, s), "|")
			for _, s := range denouncerTraces {
				if strings.Contains(rec, s) {
					t.Errorf("%s's export shows %q: %s", who, s, rec)
				}
			}
			if who == "the board" && !strings.HasSuffix(rec, "|Bảo mật|") {
				t.Errorf("the board's export: %s, want «Bảo mật» and no phone", rec)
			}
		}
		if rec := strings.Join(row("a permitted board member", boardPermitted), "|"); !strings.HasSuffix(rec, "|Nguyễn Văn Kín|0909123456") ||
			!strings.Contains(rec, "0909 123 456") {
			t.Errorf("a permitted board member's export: %s", rec)
		}
		// A unit official's lists have no contact columns at all; with the
		// permission the text is as the resident wrote it.
		if rec := row("a permitted inspector", permitted); len(rec) != 13 || !strings.Contains(rec[12], "0909 123 456") {
			t.Errorf("a permitted inspector's export: %q", rec)
		}
		if status, body := board.get("/console/reports/opinions.xlsx?from=01/11/2026&to=30/11/2026"); status != http.StatusOK {
			t.Errorf("xlsx = %d", status)
		} else {
			for _, r := range readSheet(t, []byte(body), "Ý kiến") {
				if r[0] == den.Code && (cellAt(r, 13) != langnghe.Concealed || cellAt(r, 14) != "" || strings.Contains(strings.Join(r, " "), "123 456")) {
					t.Errorf("the board's workbook row: %q", r)
				}
			}
		}
		if status, body := board.get("/console/reports?from=01/11/2026&to=30/11/2026"); status != http.StatusOK || strings.Contains(body, "0909") || strings.Contains(body, "Kín") {
			t.Errorf("the reports page = %d, or shows the denouncer", status)
		}

		// Forwarded by the inspectorate, which may see it: the commune
		// reads it concealed.
		if status, _, body := inspector.post(page, url.Values{"action": {"forward"}, "unit": {"ubnd_minh_thanh"}}); status != http.StatusSeeOther {
			t.Fatalf("forward: %d %s", status, body)
		}
		concealedPage("the commune after the forward", commune)
	})
}

// The page shows a complaint's and a denunciation's legal dates, not
// feedback's: received Thursday 26/11/2026.
func TestLegalDatesOnThePage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		complaint := o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "r1", track: langnghe.TrackComplaint,
			text: "Khiếu nại quyết định thu hồi đất"})
		den := o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "r2", track: langnghe.TrackDenunciation})
		board := o.signIn("Ban Dân vận", langnghe.RoleBoard)
		for _, c := range []struct {
			code    string
			want    []string
			without []string
		}{
			{complaint.Code, []string{
				// 10 days: Sunday 6/12, so Monday 7/12; 30 days on: 6/1/2027.
				`<tr id="accept-by"><th>Thông báo thụ lý trước (10 ngày, Điều 27 Luật Khiếu nại 2011)</th><td>07/12/2026</td></tr>`,
				`<tr id="resolve-by"><th>Giải quyết lần đầu trước (30 ngày kể từ ngày thụ lý, Điều 28 Luật Khiếu nại 2011)</th><td>06/01/2027</td></tr>`,
				`<td>07/12/2026</td></tr>`}, []string{`id="first-notice-by"`, `id="verify-by"`}},
			{den.Code, []string{
				`<tr id="verify-by"><th>Phân loại, kiểm tra, xác minh trước (7 ngày làm việc, Điều 24 Luật Tố cáo 2018)</th><td>07/12/2026</td></tr>`,
				`<tr id="forward-by"><th>Chuyển nếu không thuộc thẩm quyền trước (5 ngày làm việc, Điều 24 Luật Tố cáo 2018)</th><td>03/12/2026</td></tr>`,
				`<tr id="resolve-by"><th>Giải quyết trước (30 ngày kể từ ngày thụ lý, Điều 30 Luật Tố cáo 2018)</th><td>06/01/2027</td></tr>`},
				[]string{`id="first-notice-by"`, `id="accept-by"`}},
		} {
			status, body := board.get("/console/opinions/" + c.code)
			if status != http.StatusOK {
				t.Fatalf("GET %s = %d", c.code, status)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: the page has no %s", c.code, w)
				}
			}
			for _, w := range c.without {
				if strings.Contains(body, w) {
					t.Errorf("%s: the page has %s", c.code, w)
				}
			}
		}
	})
}
