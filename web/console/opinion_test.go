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

// jpeg starts like a JPEG file, which is all content sniffing reads.
var jpeg = append([]byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}, make([]byte, 600)...)

// The page shows what the resident wrote as text, their files, the map
// link, their contact only when they allowed it, and the history.
func TestOpinionPage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		op := o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "r1",
			text:     "Đường <b>ấp 3</b> <script>alert('x')</script>\nbị ngập",
			location: &langnghe.Location{Latitude: 11.274, Longitude: 106.3725},
			files: []officeFile{{"ảnh hiện trường.jpg", "image/jpeg", jpeg},
				{"evil.html", "text/html", []byte("<html><script>alert(1)</script></html>")},
				{"fake.png", "image/png", []byte("<svg onload=alert(1)>")}}})
		anonymous := o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "r2", anonymous: true})
		board := o.signIn("Ban <Dân> vận", langnghe.RoleBoard)
		if status, _, body := board.post("/console/opinions/"+op.Code, url.Values{"action": {"note"}, "note": {"Gọi <i>trưởng ấp</i>"}}); status != http.StatusSeeOther {
			t.Fatalf("note: %d %s", status, body)
		}

		status, page := board.get("/console/opinions/" + strings.ToLower(op.Code))
		if status != http.StatusOK {
			t.Fatalf("GET the opinion = %d", status)
		}
		for _, want := range []string{
			`<div class="text" id="opinion-text">Đường &lt;b&gt;ấp 3&lt;/b&gt; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;` + "\nbị ngập</div>",
			`href="https://www.openstreetmap.org/?mlat=11.274000&amp;mlon=106.372500#map=17/11.274000/106.372500"`,
			`<p id="contact">Nguyễn Văn Kín 0909123456</p>`,
			`<img src="/console/opinions/` + op.Code + `/attachments/1" alt="ảnh hiện trường.jpg"`,
			`<a href="/console/opinions/` + op.Code + `/attachments/2" download>evil.html</a>`,
			`<a href="/console/opinions/` + op.Code + `/attachments/3" download>fake.png</a>`,
			"Ban &lt;Dân&gt; vận",                    // the official who wrote the note, escaped
			"Gọi &lt;i&gt;trưởng ấp&lt;/i&gt;",       // the note, as text
			`<span class="badge soon">nội bộ</span>`, // marked internal
			`<td>Người dân</td>`,                     // the resident, never by name
			"Nông nghiệp", "Minh Thạnh",              // category... and area names
			// The legal deadlines of an opinion received Thursday 26/11/2026:
			// 5 and 10 working days.
			"<td>03/12/2026</td>", "<td>10/12/2026</td>",
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the page has no %s", want)
			}
		}
		if strings.Contains(page, "<script>alert") || strings.Contains(page, "<b>ấp 3") {
			t.Errorf("the resident's text reached the page as HTML")
		}
		_, page = board.get("/console/opinions/" + anonymous.Code)
		if strings.Contains(page, "Nguyễn Văn Kín") || strings.Contains(page, "0909123456") || !strings.Contains(page, "không đồng ý cho đơn vị liên hệ") {
			t.Errorf("an anonymous resident's contact is shown")
		}
		if status, _ := board.get("/console/opinions/DT-2026-999999"); status != http.StatusNotFound {
			t.Errorf("a missing opinion = %d, want 404", status)
		}
	})
}

// Attachments: a photo inline with its type; anything else, a file that
// claims to be HTML or a "photo" whose bytes are not one, only as a
// download the browser will not interpret.
func TestOpinionAttachments(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		op := o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "r1",
			files: []officeFile{{"ảnh.jpg", "image/jpeg", jpeg},
				{"evil.html", "text/html", []byte("<html><script>alert(1)</script></html>")},
				{"fake.png", "image/png", []byte("<svg onload=alert(1)>")},
				{"", "image/jpeg", jpeg}}})
		other := o.opinion(officeOpinion{category: "land", area: "minh_thanh", files: []officeFile{{"b.jpg", "image/jpeg", jpeg}}})
		board := o.signIn("Ban Dân vận", langnghe.RoleBoard)
		get := func(path string) *http.Response {
			req, _ := http.NewRequest(http.MethodGet, o.srv.URL+path, nil)
			req.AddCookie(board.cookie)
			resp, err := client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp
		}
		base := "/console/opinions/" + op.Code + "/attachments/"
		for _, tt := range []struct {
			id, contentType, disposition string
		}{
			{"1", "image/jpeg", `inline; filename*=utf-8''%E1%BA%A3nh.jpg`},
			{"2", "application/octet-stream", "attachment; filename=evil.html"},
			{"3", "application/octet-stream", "attachment; filename=fake.png"},
			{"4", "image/jpeg", "inline; filename=" + op.Code + "-4.jpg"},
		} {
			resp := get(base + tt.id)
			h := resp.Header
			if resp.StatusCode != http.StatusOK || h.Get("Content-Type") != tt.contentType || h.Get("Content-Disposition") != tt.disposition ||
				h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
				t.Errorf("attachment %s: %d %v", tt.id, resp.StatusCode, h)
			}
		}
		// An attachment is reached only through its own opinion.
		for _, path := range []string{base + "5", "/console/opinions/" + other.Code + "/attachments/1", base + "x"} {
			if resp := get(path); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s = %d, want 404", path, resp.StatusCode)
			}
		}
	})
}

// An answer from the console goes the way of an answer in the chat: the
// resident receives it with the rating question; the page confirms it.
// Refused actions come back in the page with what was written, and
// nothing changes.
func TestOpinionActions(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		op := o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "r1"})
		board := o.signIn("Ban Dân vận", langnghe.RoleBoard)
		path := "/console/opinions/" + op.Code

		if status, _, _ := board.post(path, url.Values{"csrf": {""}, "action": {"answer"}, "note": {"x"}}); status != http.StatusForbidden {
			t.Errorf("an action without the CSRF token = %d, want 403", status)
		}
		if status, _, _ := board.post(path, url.Values{"csrf": {"forged"}, "action": {"answer"}, "note": {"x"}}); status != http.StatusForbidden {
			t.Errorf("an action with a wrong CSRF token = %d, want 403", status)
		}
		for _, tt := range []struct {
			name   string
			form   url.Values
			status int
			want   []string
		}{
			{"an answer without text", url.Values{"action": {"answer"}, "from": {"received"}, "note": {"  "}}, http.StatusBadRequest,
				[]string{"hãy nhập nội dung trả lời"}},
			{"an unknown action", url.Values{"action": {"approve"}, "note": {"x"}}, http.StatusBadRequest,
				[]string{`Không có thao tác &#34;approve&#34;.`}},
			{"an extension without a date", url.Values{"action": {"extend"}, "due": {"mai"}, "note": {"Chờ khảo sát"}}, http.StatusBadRequest,
				[]string{`&#34;mai&#34; không phải ngày`, `value="mai"`, ">Chờ khảo sát</textarea>", "<details open><summary>Gia hạn"}},
			{"forward to an unknown unit", url.Values{"action": {"forward"}, "unit": {"nasa"}}, http.StatusBadRequest,
				[]string{`Không có đơn vị &#34;nasa&#34;`}},
			{"a stale form", url.Values{"action": {"answer"}, "from": {"in_progress"}, "note": {"Câu trả lời dài đã viết"}}, http.StatusConflict,
				[]string{"đã thay đổi trong lúc trang đang mở: hiện là Đã tiếp nhận", ">Câu trả lời dài đã viết</textarea>"}},
		} {
			status, _, page := board.post(path, tt.form)
			if status != tt.status || !strings.Contains(page, `<p class="error" role="alert">`) {
				t.Errorf("%s = %d, want %d with the reason in the page", tt.name, status, tt.status)
			}
			for _, want := range tt.want {
				if !strings.Contains(page, want) {
					t.Errorf("%s: no %s in the page", tt.name, want)
				}
			}
		}
		if told := o.told("r1"); len(told) != 0 {
			t.Fatalf("refused actions told the resident %q", told)
		}

		status, location, _ := board.post(path, url.Values{"action": {"answer"}, "from": {"received"}, "note": {"Đã nạo vét cống, nước đã rút."}})
		if status != http.StatusSeeOther || location != path+"?done=answer" {
			t.Fatalf("answer = %d → %q, want 303 to the page", status, location)
		}
		told := o.told("r1")
		if len(told) != 1 || !strings.Contains(told[0], "Đã nạo vét cống, nước đã rút.") || !strings.Contains(told[0], op.Code) ||
			!strings.Contains(told[0], "hài lòng") {
			t.Fatalf("the resident was told %q, want the answer and the rating question", told)
		}
		_, page := board.get(location)
		if !strings.Contains(page, `<p class="flash" role="status">Đã gửi câu trả lời cho người dân.</p>`) ||
			!strings.Contains(page, "Đã trả lời") || strings.Contains(page, `id="act-answer"`) || !strings.Contains(page, `id="act-close"`) {
			t.Errorf("after answering, the page shows no confirmation, or offers the wrong actions")
		}

		// The category's correction is recorded with both categories, in
		// words (the history's code is for the service, not for officials).
		if status, _, page := board.post(path, url.Values{"action": {"recategorize"}, "category": {"environment"}, "note": {"Thuộc môi trường"}}); status != http.StatusSeeOther {
			t.Fatalf("recategorize = %d %s", status, page)
		}
		_, page = board.get(path)
		if !strings.Contains(page, "Sửa lĩnh vực: Đất đai → Môi trường") || !strings.Contains(page, "Thuộc môi trường") ||
			strings.Contains(page, "category: land") || !strings.Contains(page, "<td>Môi trường</td>") {
			t.Errorf("the correction is not in the page")
		}
		stored, err := db.Opinion(context.Background(), op.Code)
		if err != nil || stored.Category != "environment" || stored.Status != langnghe.StatusAnswered {
			t.Errorf("stored %+v, %v", stored, err)
		}
		if told := o.told("r1"); len(told) != 0 {
			t.Errorf("the resident was told of an internal correction: %q", told)
		}
	})
}

// A unit official cannot see, act on or download from another unit's
// opinion: 404, as for a code that does not exist.
func TestOpinionScope(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		land := o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "r1", files: []officeFile{{"a.jpg", "image/jpeg", jpeg}}})
		medic := o.signIn("Y tế", langnghe.RoleUnit, "medical_centre")
		path := "/console/opinions/" + land.Code
		if status, page := medic.get(path); status != http.StatusNotFound || strings.Contains(page, "ngập") {
			t.Errorf("another unit's opinion = %d, want 404 without it", status)
		}
		if status, _ := medic.get(path + "/attachments/1"); status != http.StatusNotFound {
			t.Errorf("another unit's attachment = %d, want 404", status)
		}
		if status, _, _ := medic.post(path, url.Values{"action": {"answer"}, "note": {"x"}}); status != http.StatusNotFound {
			t.Errorf("answering another unit's opinion = %d, want 404", status)
		}
		if stored, _ := db.Opinion(context.Background(), land.Code); stored.Status != langnghe.StatusReceived || len(o.told("r1")) != 0 {
			t.Errorf("the refused answer changed the opinion")
		}
		landOfficial := o.signIn("Địa chính", langnghe.RoleUnit, "land_environment")
		if status, _ := landOfficial.get(path); status != http.StatusOK {
			t.Errorf("the land official's own opinion = %d", status)
		}
	})
}
