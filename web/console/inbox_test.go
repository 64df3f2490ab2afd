package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// listed returns the opinion codes an inbox page lists, in order.
func listed(page string) []string {
	var codes []string
	for _, m := range regexp.MustCompile(`<td><a href="/console/opinions/([^"]+)">`).FindAllStringSubmatch(page, -1) {
		codes = append(codes, m[1])
	}
	return codes
}

func codeList(ops ...*langnghe.Opinion) []string {
	var out []string
	for _, o := range ops {
		out = append(out, o.Code)
	}
	return out
}

// The inbox's filters, search (with and without diacritics), orders and
// counts, as GET parameters.
func TestInboxFilters(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		land := o.opinion(officeOpinion{category: "land", area: "minh_thanh", resident: "r1", age: 72 * time.Hour,
			text: "Sổ đỏ nhà tôi chưa được cấp", due: o.now.Add(-time.Hour)}) // overdue
		health := o.opinion(officeOpinion{category: "health", area: "long_hoa", age: 48 * time.Hour,
			text: "Tiêm vắc xin cho trẻ ở trạm y tế", due: o.now.Add(5 * time.Hour)}) // due soon
		complaint := o.opinion(officeOpinion{category: "land", area: "dau_tieng", track: langnghe.TrackComplaint,
			age: 24 * time.Hour, text: "Khiếu nại về bồi thường đất", due: o.now.Add(10 * 24 * time.Hour)})
		old := o.opinion(officeOpinion{category: "environment", area: "minh_thanh", age: 40 * 24 * time.Hour,
			text: "Khói bụi từ lò gạch", due: o.now.Add(-30 * 24 * time.Hour)})
		board := o.signIn("Ban Dân vận", langnghe.RoleBoard)
		// The old one is answered: closed, not overdue.
		if status, _, body := board.post("/console/opinions/"+old.Code, url.Values{"action": {"answer"}, "note": {"Đã kiểm tra"}}); status != http.StatusSeeOther {
			t.Fatalf("answer: %d %s", status, body)
		}

		tests := []struct {
			name  string
			query string
			want  []string
		}{
			{"all, newest first", "", codeList(complaint, health, land, old)},
			{"oldest first", "sort=oldest", codeList(old, land, health, complaint)},
			{"by due date", "sort=due", codeList(old, land, health, complaint)},
			{"search without diacritics", "q=so+do", codeList(land)},
			{"search with diacritics", "q=" + url.QueryEscape("SỔ ĐỎ"), codeList(land)},
			{"search a word in the middle", "q=" + url.QueryEscape("vắc xin"), codeList(health)},
			{"status", "status=answered", codeList(old)},
			{"open", "status=open", codeList(complaint, health, land)},
			{"closed", "status=closed", codeList(old)},
			{"category", "category=land", codeList(complaint, land)},
			{"area", "area=minh_thanh", codeList(land, old)},
			{"unit", "unit=medical_centre", codeList(health)},
			{"legal track", "track=complaint", codeList(complaint)},
			{"overdue", "due=overdue", codeList(land)},
			{"due soon", "due=soon", codeList(health)},
			{"received in a period", "from=23/11/2026&to=24/11/2026", codeList(health, land)},
			{"received on one day", "from=25/11/2026&to=25/11/2026", codeList(complaint)},
			{"together", "category=land&status=open&sort=oldest", codeList(land, complaint)},
			{"nothing matches", "category=education", nil},
		}
		for _, tt := range tests {
			status, page := board.get("/console/?" + tt.query)
			if status != http.StatusOK {
				t.Fatalf("%s: GET = %d", tt.name, status)
			}
			if got := listed(page); !slices.Equal(got, tt.want) {
				t.Errorf("%s (?%s): %v, want %v", tt.name, tt.query, got, tt.want)
			}
		}

		// Counts per status keep the other filters; the chosen status is
		// marked and each count links to its status with the filters kept.
		_, page := board.get("/console/?category=land&q=" + url.QueryEscape("đất"))
		for _, want := range []string{
			`<a href="/console/?category=land&amp;q=%C4%91%E1%BA%A5t" aria-current="true">Tất cả <span class="badge">1</span></a>`,
			`<a href="/console/?category=land&amp;q=%C4%91%E1%BA%A5t&amp;status=open">Đang mở <span class="badge">1</span></a>`,
			`<a href="/console/?category=land&amp;q=%C4%91%E1%BA%A5t&amp;status=received">Đã tiếp nhận <span class="badge">1</span></a>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("counts: no %s in\n%s", want, between(page, `<nav class="counts"`, `</nav>`))
			}
		}
		if !slices.Equal(listed(page), codeList(complaint)) {
			t.Errorf("category and search: %v", listed(page))
		}
		_, page = board.get("/console/")
		if !strings.Contains(page, `badge overdue">Quá hạn`) || !strings.Contains(page, `badge soon">Sắp đến hạn`) {
			t.Errorf("no overdue and due-soon badges in the inbox")
		}
		if strings.Contains(page, "Nguyễn Văn Kín") || strings.Contains(page, "0909123456") {
			t.Errorf("the inbox shows the resident's identity")
		}
	})
}

// A filter the inbox cannot read comes back as a message with the form as
// typed, and lists nothing rather than something else.
func TestInboxBadFilters(t *testing.T) {
	o := newOffice(t, storagetest.SQLite(t))
	o.opinion(officeOpinion{category: "land", area: "minh_thanh"})
	board := o.signIn("Ban Dân vận", langnghe.RoleBoard)
	for _, tt := range []struct{ query, want string }{
		{"from=31/02/2026", `&#34;31/02/2026&#34; không phải ngày dạng NGÀY/THÁNG/NĂM.`},
		{"from=2026-11-01", `&#34;2026-11-01&#34; không phải ngày`},
		{"from=10/11/2026&to=01/11/2026", "Ngày kết thúc trước ngày bắt đầu."},
		{"q=ab", "Hãy tìm ít nhất 3 chữ cái."},
		{"q=" + strings.Repeat("x", 201), "Chỉ tìm tối đa 200 ký tự."},
		{"status=lost", `Không có trạng thái &#34;lost&#34;.`},
		{"category=astrology", `Không có lĩnh vực &#34;astrology&#34;.`},
		{"unit=nasa", `Không có đơn vị &#34;nasa&#34;.`},
		{"sort=random", `Không có cách sắp xếp &#34;random&#34;.`},
		{"after=x", "Liên kết trang bị hỏng"},
		{"after=12.34", "Liên kết trang bị hỏng"}, // a due-date cursor in the newest-first order
	} {
		status, page := board.get("/console/?" + tt.query)
		if status != http.StatusOK || !strings.Contains(page, `<p class="error" role="alert">`) || !strings.Contains(page, tt.want) {
			t.Errorf("?%s: %d, want the message %q in\n%s", tt.query, status, tt.want, between(page, "<main", "</main>"))
		}
		if len(listed(page)) != 0 {
			t.Errorf("?%s listed %v", tt.query, listed(page))
		}
	}
	_, page := board.get("/console/?from=31/02/2026&q=s%E1%BB%95")
	if !strings.Contains(page, `value="31/02/2026"`) || !strings.Contains(page, `value="sổ"`) {
		t.Errorf("the form lost what was typed")
	}
}

var nextLink = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)

// Pages follow each other without gaps or repeats in every order.
func TestInboxPages(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		var all []string
		for i := range 53 {
			op := o.opinion(officeOpinion{category: "land", area: "minh_thanh", age: time.Duration(53-i) * time.Minute,
				due: o.now.Add(time.Duration(i%7) * time.Hour)})
			all = append(all, op.Code)
		}
		board := o.signIn("Ban Dân vận", langnghe.RoleBoard)
		for _, sort := range []string{"", "oldest", "due"} {
			var got []string
			path := "/console/?sort=" + sort
			for range 5 {
				_, page := board.get(path)
				got = append(got, listed(page)...)
				next := nextLink.FindStringSubmatch(page)
				if next == nil {
					break
				}
				path = strings.ReplaceAll(next[1], "&amp;", "&")
			}
			seen := map[string]bool{}
			for _, c := range got {
				if seen[c] {
					t.Errorf("sort %q: %s listed twice", sort, c)
				}
				seen[c] = true
			}
			if len(got) != len(all) {
				t.Errorf("sort %q: %d opinions over the pages, want %d", sort, len(got), len(all))
			}
			if sort == "" && (got[0] != all[52] || got[52] != all[0]) {
				t.Errorf("newest first: starts %s ends %s", got[0], got[52])
			}
		}
	})
}

// A unit official's inbox holds their units' opinions only, whatever the
// filters ask for, and their counts count only those.
func TestInboxScope(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		land := o.opinion(officeOpinion{category: "land", area: "minh_thanh", text: "Sổ đỏ"})
		health := o.opinion(officeOpinion{category: "health", area: "long_hoa", text: "Sổ khám bệnh"})
		if land.Unit != "land_environment" || health.Unit != "medical_centre" {
			t.Fatalf("routed to %s and %s", land.Unit, health.Unit)
		}
		medic := o.signIn("Y tế", langnghe.RoleUnit, "medical_centre")
		for _, query := range []string{"", "unit=land_environment", "category=land", "q=so"} {
			_, page := medic.get("/console/?" + query)
			if got := listed(page); slices.Contains(got, land.Code) {
				t.Errorf("?%s: the health official lists the land opinion: %v", query, got)
			}
		}
		_, page := medic.get("/console/")
		if !slices.Equal(listed(page), codeList(health)) || !strings.Contains(page, `Tất cả <span class="badge">1</span>`) {
			t.Errorf("the health official's inbox: %v\n%s", listed(page), between(page, `<nav class="counts"`, `</nav>`))
		}
		if strings.Contains(between(page, `name="unit"`, `</select>`), "land_environment") {
			t.Errorf("the unit list offers another unit")
		}
	})
}

// Every inbox and opinion route refuses a visitor without a session with
// 401 and no content.
func TestInboxRoutesWithoutSession(t *testing.T) {
	o := newOffice(t, storagetest.SQLite(t))
	op := o.opinion(officeOpinion{category: "land", area: "minh_thanh", files: []officeFile{{"a.jpg", "image/jpeg", jpeg}}})
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/console/"},
		{http.MethodGet, "/console/?q=so+do"},
		{http.MethodGet, "/console/opinions/" + op.Code},
		{http.MethodPost, "/console/opinions/" + op.Code},
		{http.MethodGet, fmt.Sprintf("/console/opinions/%s/attachments/1", op.Code)},
	} {
		req, _ := http.NewRequest(tc.method, o.srv.URL+tc.path, strings.NewReader("action=answer&note=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		status, body := do(t, req)
		if status != http.StatusUnauthorized || strings.Contains(body, op.Code) || strings.Contains(body, "ngập") {
			t.Errorf("%s %s without a session = %d %q, want 401 without content", tc.method, tc.path, status, body)
		}
	}
}
