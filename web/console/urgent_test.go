package console_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/flows/catalogue"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// urgentWorld is a land office's work at o.now: one opinion overdue, one
// due within the two working days and taken, one nobody has in hand due
// later, one the resident was not satisfied with, one long closed, another
// unit's overdue one, and an emergency of the day for the land office.
type urgentWorld struct {
	overdue, soon, untaken, unsatisfied, closed, health *langnghe.Opinion
	emergency                                           *langnghe.Emergency
}

// urgentAnswer is the answer the resident was not satisfied with.
const urgentAnswer = "Đã cử cán bộ địa chính đo đạc lại thửa đất vào thứ Sáu."

func seedUrgent(t *testing.T, o *office) urgentWorld {
	t.Helper()
	cal := calendar.Default(officeZone)
	soonBy := followup.DueSoonBy(o.now, cal)
	var w urgentWorld
	w.overdue = o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "u1", age: 10 * 24 * time.Hour,
		text: "Sạt lở bờ kênh ấp 2 đã báo từ tháng trước mà chưa thấy xử lý", due: o.now.Add(-2 * time.Hour)})
	w.soon = o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "u2", age: 3 * 24 * time.Hour,
		text: "Xin cấp lại giấy chứng nhận quyền sử dụng đất bị mất", due: soonBy.Add(-time.Hour)})
	w.untaken = o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "u3", age: 24 * time.Hour,
		text: "Nhà bên cạnh xây lấn sang đất nhà tôi khoảng 2 mét", due: soonBy.Add(48 * time.Hour), place: "ấp Hòa Cường"})
	w.unsatisfied = o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "u4", age: 5 * 24 * time.Hour,
		text: "Đo đạc lại thửa đất số 112 tờ bản đồ 7"})
	w.closed = o.opinion(officeOpinion{category: "land", area: "minh_thanh", age: 40 * 24 * time.Hour,
		text: "Khói bụi từ lò gạch", due: o.now.Add(-30 * 24 * time.Hour)})
	w.health = o.opinion(officeOpinion{category: "health", area: "long_hoa", age: 2 * 24 * time.Hour,
		text: "Thẻ bảo hiểm y tế hết hạn", due: o.now.Add(-time.Hour)})
	// A day's emergency, a minute ago (or at midnight, just after it).
	age := min(time.Minute, o.now.Sub(startOfDayIn(o.now))/2)
	w.emergency = o.emergency(langnghe.EmergencyRescue, "minh_thanh", "land_environment", "Bờ kênh sạt lở, nhà sắp sập", age)

	// The staff acts as the chat would.
	core := followup.New(catalogue.Default(), cal, followup.Options{TimeZone: officeZone, Now: func() time.Time { return o.now }})
	staff := &langnghe.Official{Name: "Lê Văn Trực", Role: langnghe.RoleUnit, Units: []string{"land_environment"},
		Channel: langnghe.ChannelTelegram, ExternalID: "8700", ChatID: "8700"}
	ctx := context.Background()
	err := o.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.CreateOfficial(ctx, staff); err != nil {
			return err
		}
		for _, a := range []struct {
			code string
			a    followup.Action
		}{
			{w.soon.Code, followup.Action{Kind: followup.ActTake}},
			{w.unsatisfied.Code, followup.Action{Kind: followup.ActAnswer, Note: urgentAnswer}},
			{w.closed.Code, followup.Action{Kind: followup.ActAnswer, Note: "Đã kiểm tra lò gạch"}},
			{w.closed.Code, followup.Action{Kind: followup.ActClose}},
		} {
			if _, err := core.Act(ctx, tx, staff, a.code, a.a); err != nil {
				return err
			}
		}
		_, err := core.Rate(ctx, tx, *w.unsatisfied.ResidentID, w.unsatisfied.Code, false, "Vẫn chưa ai đến đo")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func startOfDayIn(t time.Time) time.Time {
	y, m, d := t.In(officeZone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, officeZone)
}

// strip reads the inbox's strip: each entry's count, by key.
func strip(t *testing.T, page string) map[string]string {
	t.Helper()
	nav := between(page, `<nav class="strip"`, `</nav>`)
	if nav == "" {
		t.Fatalf("no strip in the inbox")
	}
	out := map[string]string{}
	for _, part := range strings.Split(nav, `id="strip-`)[1:] {
		key, _, _ := strings.Cut(part, `"`)
		out[key] = between(part, `<span class="n">`, `</span>`)
	}
	return out
}

// A unit official's inbox opens on their open opinions by due date, the
// overdue one first, under a strip that counts what needs someone: each
// count is what its link then lists.
func TestInboxStrip(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		w := seedUrgent(t, o)
		chief := o.signIn("Nguyễn Văn Chánh", langnghe.RoleUnit, "land_environment")
		_, page := chief.get("/console/")
		want := codeList(w.overdue, w.soon, w.untaken, w.unsatisfied)
		if got := listed(page); !slices.Equal(got, want) {
			t.Errorf("the default inbox lists %v, want the open ones by due date %v", got, want)
		}
		if !strings.Contains(page, `<option value="due" selected>`) || !strings.Contains(page, `<option value="open" selected>`) {
			t.Errorf("the form does not show the default filters")
		}
		if got, want := strip(t, page), map[string]string{"overdue": "1", "soon": "1", "untaken": "2", "unsatisfied": "1",
			"emergencies": "1", "mine": "0"}; !maps(got, want) {
			t.Errorf("strip %v, want %v", got, want)
		}
		for _, label := range []string{"Quá hạn", "Đến hạn trong 2 ngày làm việc", "Chưa ai nhận xử lý", "Người dân chưa hài lòng",
			"Tin khẩn cấp hôm nay", "Giao cho tôi"} {
			if !strings.Contains(between(page, `<nav class="strip"`, `</nav>`), label) {
				t.Errorf("the strip has no %q", label)
			}
		}
		// The resident's dissatisfaction is on its row.
		row := between(page, `href="/console/opinions/`+w.unsatisfied.Code+`"`, `</tr>`)
		if !strings.Contains(row, `not-satisfied">Người dân chưa hài lòng`) {
			t.Errorf("the dissatisfied row shows no mark:\n%s", row)
		}
		// Each entry lists what it counts.
		for key, want := range map[string][]string{
			"overdue":     codeList(w.overdue),
			"soon":        codeList(w.soon),
			"untaken":     codeList(w.overdue, w.untaken),
			"unsatisfied": codeList(w.unsatisfied),
			"mine":        nil,
		} {
			link := strings.ReplaceAll(between(page, `id="strip-`+key+`" href="`, `"`), "&amp;", "&")
			_, filtered := chief.get(link)
			if got := listed(filtered); !slices.Equal(got, want) {
				t.Errorf("%s (%s) lists %v, want %v", key, link, got, want)
			}
			if !strings.Contains(filtered, `id="strip-`+key+`" href="`+between(page, `id="strip-`+key+`" href="`, `"`)+`" aria-current="true"`) {
				t.Errorf("%s: the strip does not mark the filter shown", key)
			}
		}
		// The day's emergencies, for the land office and not another unit.
		_, em := chief.get("/console/emergencies")
		if !strings.Contains(em, "Bờ kênh sạt lở, nhà sắp sập") || !strings.Contains(em, "1 tin khẩn cấp nhận được ngày") {
			t.Errorf("the day's emergencies: %s", between(em, "<main", "</main>"))
		}
		medic := o.signIn("Y tế", langnghe.RoleUnit, "medical_centre")
		_, medPage := medic.get("/console/")
		if got := strip(t, medPage); got["overdue"] != "1" || got["emergencies"] != "0" || got["untaken"] != "1" {
			t.Errorf("the medical centre's strip %v", got)
		}
		if _, em := medic.get("/console/emergencies"); strings.Contains(em, "nhà sắp sập") {
			t.Errorf("another unit sees the land office's emergency")
		}
		// The board's default stays every opinion, the newest first.
		board := o.signIn("Ban Dân vận", langnghe.RoleBoard)
		_, boardPage := board.get("/console/")
		if got := listed(boardPage); len(got) != 6 || got[0] != w.untaken.Code {
			t.Errorf("the board's inbox %v", got)
		}
		if got := strip(t, boardPage); got["overdue"] != "2" || got["untaken"] != "3" {
			t.Errorf("the board's strip %v", got)
		}
	})
}

func maps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// An opinion is given to a named official of its unit: they are told in
// Telegram, find it under "mine", and the history says who gave it to whom.
func TestAssignFromTheConsole(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		w := seedUrgent(t, o)
		chief := o.signIn("Nguyễn Văn Chánh", langnghe.RoleUnit, "land_environment")
		colleague := o.signIn("Trần Thị Bình", langnghe.RoleUnit, "land_environment")
		medic := o.signIn("Phạm Y Tế", langnghe.RoleUnit, "medical_centre")
		path := "/console/opinions/" + w.untaken.Code
		_, page := chief.get(path)
		form := between(page, `id="act-assign"`, `</form>`)
		for _, want := range []string{"Nguyễn Văn Chánh", "Trần Thị Bình", "Lê Văn Trực"} {
			if !strings.Contains(form, want) {
				t.Errorf("the assign form does not offer %s:\n%s", want, form)
			}
		}
		if strings.Contains(form, "Phạm Y Tế") {
			t.Errorf("the assign form offers another unit's official")
		}
		// Someone outside the unit is refused, whatever the form says.
		status, _, body := chief.post(path, url.Values{"action": {"assign"}, "assignee": {itoa(medic.id)}})
		if status != http.StatusBadRequest || !strings.Contains(body, "chỉ giao được cho cán bộ") {
			t.Errorf("assigning to another unit's official = %d", status)
		}
		if told := o.told(chatOf(t, o, medic.id)); len(told) != 0 {
			t.Errorf("the refused assignee was told %q", told)
		}
		status, location, _ := chief.post(path, url.Values{"action": {"assign"}, "assignee": {itoa(colleague.id)}, "note": {"Chị xuống hiện trường giúp"}})
		if status != http.StatusSeeOther || location != path+"?done=assign" {
			t.Fatalf("assign = %d → %s", status, location)
		}
		_, page = chief.get(location)
		if !strings.Contains(page, "Đã giao ý kiến; cán bộ được báo qua Telegram.") || !strings.Contains(page, `id="assignee">Giao cho Trần Thị Bình`) {
			t.Errorf("after assigning the page shows no confirmation or assignee")
		}
		history := between(page, `<table class="list history">`, `</table>`)
		if !strings.Contains(history, "<td>Nguyễn Văn Chánh</td>") || !strings.Contains(history, "Giao cho Trần Thị Bình") ||
			!strings.Contains(history, "Chị xuống hiện trường giúp") || strings.Contains(history, "official:") {
			t.Errorf("the history does not say who assigned whom:\n%s", history)
		}
		// The assignee's Telegram message: who, the opinion, the note, the buttons.
		msgs, err := o.db.TakeChat(context.Background(), langnghe.ChannelTelegram, chatOf(t, o, colleague.id))
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 {
			t.Fatalf("the assignee got %d messages, want 1", len(msgs))
		}
		m := msgs[0].Message
		for _, want := range []string{"📌 Nguyễn Văn Chánh giao ý kiến này cho đồng chí xử lý.", w.untaken.Code, "xây lấn", "Chị xuống hiện trường giúp"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("the assignee's message lacks %q:\n%s", want, m.Text)
			}
		}
		if len(m.Buttons) == 0 {
			t.Errorf("the assignee's message has no buttons")
		}
		// Theirs: the strip counts it, "mine" lists it; nobody else's.
		_, page = colleague.get("/console/")
		if got := strip(t, page); got["mine"] != "1" || got["untaken"] != "1" {
			t.Errorf("the assignee's strip %v", got)
		}
		_, page = colleague.get("/console/?mine=1")
		if got := listed(page); !slices.Equal(got, codeList(w.untaken)) {
			t.Errorf("the assignee's own list %v", got)
		}
		if row := between(page, `href="/console/opinions/`+w.untaken.Code+`"`, `</tr>`); !strings.Contains(row, "Giao cho Trần Thị Bình") {
			t.Errorf("the row does not name the assignee:\n%s", row)
		}
		if _, page := chief.get("/console/?mine=1"); len(listed(page)) != 0 {
			t.Errorf("the chief's own list %v", listed(page))
		}
		// Taken back.
		status, location, _ = chief.post(path, url.Values{"action": {"assign"}, "assignee": {"0"}})
		if status != http.StatusSeeOther || location != path+"?done=unassign" {
			t.Fatalf("take back = %d → %s", status, location)
		}
		if _, page := chief.get(location); !strings.Contains(page, "Thôi giao cho Trần Thị Bình") || strings.Contains(page, `id="assignee"`) {
			t.Errorf("taking back is not in the page")
		}
	})
}

// The inbox's Excel export is the list the inbox shows: its filters, its
// order, every page.
func TestInboxExport(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		w := seedUrgent(t, o)
		chief := o.signIn("Nguyễn Văn Chánh", langnghe.RoleUnit, "land_environment")
		for _, query := range []string{"", "only=untaken&sort=due", "q=dat&status=", "sort=oldest&status=open", "category=land&sort=newest"} {
			_, page := chief.get("/console/?" + query)
			if strings.Contains(page, `<p class="error" role="alert">`) {
				t.Fatalf("?%s: %s", query, between(page, `<p class="error" role="alert">`, "</p>"))
			}
			link := strings.ReplaceAll(between(page, `id="export-inbox" href="`, `"`), "&amp;", "&")
			if link == "" {
				if len(listed(page)) != 0 {
					t.Errorf("?%s lists opinions and offers no export", query)
				}
				continue
			}
			status, header, body := download(t, chief, link)
			if status != http.StatusOK || header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
				t.Fatalf("?%s: export %s = %d %s", query, link, status, header.Get("Content-Type"))
			}
			rows := readSheet(t, body, "Ý kiến")
			var codes []string
			for _, r := range rows[1:] {
				codes = append(codes, r[0])
			}
			if got, want := codes, listed(page); !slices.Equal(got, want) {
				t.Errorf("?%s: the export has %v, the inbox shows %v", query, got, want)
			}
			if rows[0][0] != "Mã" || rows[0][9] != "Giao cho" || len(rows[0]) != 13 {
				t.Errorf("header %q (a unit official's export has no contact columns)", rows[0])
			}
		}
		status, _, body := download(t, chief, "/console/export.xlsx?due=overdue&sort=due")
		if status != http.StatusOK {
			t.Fatal(status)
		}
		rows := readSheet(t, body, "Ý kiến")
		if len(rows) != 2 || rows[1][0] != w.overdue.Code || rows[1][8] != "Quá hạn" || !strings.Contains(rows[1][12], "Sạt lở") {
			t.Errorf("the overdue export %q", rows)
		}
		if status, _, _ := download(t, chief, "/console/export.xlsx?sort=random"); status != http.StatusBadRequest {
			t.Errorf("a bad filter exports with %d", status)
		}
	})
}

func download(t *testing.T, s *officeSession, path string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.o.srv.URL+path, nil)
	req.AddCookie(s.cookie)
	resp, err := client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

// The history reads in words with names, and each date says what it is.
func TestHistoryInWords(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		w := seedUrgent(t, o)
		board := o.signIn("Ban Dân vận", langnghe.RoleBoard)
		if status, _, body := board.post("/console/opinions/"+w.overdue.Code, url.Values{"action": {"forward"}, "unit": {"ubnd_minh_thanh"}}); status != http.StatusSeeOther {
			t.Fatalf("forward: %d %s", status, body)
		}
		for code, wants := range map[string][]string{
			w.overdue.Code: {"Gửi ý kiến (Telegram)", "Tự động chuyển đến Phòng Nông nghiệp và Môi trường", "Chuyển đến UBND xã Minh Thạnh",
				"Chuyển đơn vị khác", `<th>Ngày tiếp nhận (qua Telegram)</th>`, `id="forward-by"><th>Hạn chuyển đơn nếu không thuộc thẩm quyền (5 ngày làm việc`,
				`id="first-notice-by"><th>Hạn thông báo cho người dân`},
			w.unsatisfied.Code: {"Trả lời người dân", urgentAnswer, "Người dân chưa hài lòng với câu trả lời: mở lại để xem xét",
				"Vẫn chưa ai đến đo", `<tr id="due"><th>Hạn xem xét lại (10 ngày làm việc kể từ khi người dân chưa hài lòng`,
				`id="not-satisfied"`, "<td>Lê Văn Trực</td>"},
			w.soon.Code: {"Nhận xử lý", `<tr id="due"><th>Hạn xử lý theo lĩnh vực`},
		} {
			_, page := board.get("/console/opinions/" + code)
			for _, want := range wants {
				if !strings.Contains(page, want) {
					t.Errorf("%s: the page has no %s", code, want)
				}
			}
			// What the page says, its forms' values aside.
			text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(between(page, "<main", "</main>"), " ")
			for _, internal := range []string{"routed to", "rated:", "(terminal)", "forwarded to", "official:", "land_environment", "category:"} {
				if strings.Contains(text, internal) {
					t.Errorf("%s: the page shows the code %q", code, internal)
				}
			}
		}
	})
}

// The case sheet: the unit's heading, the code, the dates with their
// basis, what was written and where, the history, the answer.
func TestCaseSheet(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		w := seedUrgent(t, o)
		chief := o.signIn("Nguyễn Văn Chánh", langnghe.RoleUnit, "land_environment")
		_, page := chief.get("/console/opinions/" + w.unsatisfied.Code)
		link := between(page, `<a href="/console/opinions/`+w.unsatisfied.Code+`/sheet" id="sheet-link">`, "</a>")
		if link != "" {
			link = "/console/opinions/" + w.unsatisfied.Code + "/sheet"
		}
		if link != "/console/opinions/"+w.unsatisfied.Code+"/sheet" {
			t.Fatalf("the opinion page links the sheet at %q", link)
		}
		status, sheet := chief.get(link)
		if status != http.StatusOK {
			t.Fatalf("GET the sheet = %d", status)
		}
		for _, want := range []string{
			`id="sheet-unit">PHÒNG NÔNG NGHIỆP VÀ MÔI TRƯỜNG`, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "PHIẾU THEO DÕI XỬ LÝ",
			`id="sheet-code"><b>` + w.unsatisfied.Code, "Đo đạc lại thửa đất số 112", "xã Minh Thạnh",
			`id="sheet-received-at"><td>Ngày tiếp nhận</td>`, `id="sheet-due"><td>Hạn xem xét lại</td>`,
			`id="sheet-forward-by"><td>Hạn chuyển đơn nếu không thuộc thẩm quyền</td>`, "Điều 28 Luật Tiếp công dân 2013",
			`id="sheet-answered-at"`, `<div class="text" id="sheet-answer">` + urgentAnswer, "Người dân chưa hài lòng với câu trả lời",
			"Cán bộ theo dõi", "Lãnh đạo đơn vị", `src="/console/static/print.js"`,
		} {
			if !strings.Contains(sheet, want) {
				t.Errorf("the sheet has no %s", want)
			}
		}
		if _, sheet := chief.get("/console/opinions/" + w.untaken.Code + "/sheet"); !strings.Contains(sheet, "Hòa Cường") {
			t.Errorf("the sheet does not give the place as the resident wrote it")
		}
		medic := o.signIn("Y tế", langnghe.RoleUnit, "medical_centre")
		if status, body := medic.get(link); status != http.StatusNotFound || strings.Contains(body, "thửa đất") {
			t.Errorf("another unit's official gets the sheet: %d", status)
		}
		// A denouncer stays «Bảo mật» on paper for whoever may not identify them.
		den := o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "d1", track: langnghe.TrackDenunciation,
			text: "Tôi là Nguyễn Văn Kín, số 0909123456, tố cáo cán bộ địa chính nhận tiền"})
		inspector := o.signIn("Thanh tra", langnghe.RoleUnit, den.Unit)
		if status, sheet := inspector.get("/console/opinions/" + den.Code + "/sheet"); status != http.StatusOK ||
			!strings.Contains(sheet, `id="sheet-contact">Bảo mật`) || strings.Contains(sheet, "0909123456") || strings.Contains(sheet, "Nguyễn Văn Kín") {
			t.Errorf("a denunciation's sheet names its author (%d):\n%s", status, between(sheet, `id="sheet-contact"`, "</table>"))
		}
		req, _ := http.NewRequest(http.MethodGet, o.srv.URL+"/console/static/console.css", nil)
		if _, css := do(t, req); !strings.Contains(css, "@media print") || !strings.Contains(css, "@page") {
			t.Errorf("the stylesheet has no print rules")
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// chatOf is the Telegram chat of official id.
func chatOf(t *testing.T, o *office, id int64) string {
	t.Helper()
	var chat string
	err := o.db.InTx(context.Background(), func(tx *storage.Tx) error {
		off, err := tx.Official(context.Background(), id)
		if err == nil {
			chat = off.ChatID
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return chat
}
