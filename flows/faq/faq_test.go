package faq_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"langnghe"
	"langnghe/flows/faq"
)

func TestDefault(t *testing.T) {
	f := faq.Default()
	if f.Len() < 10 || f.Len() > 20 {
		t.Errorf("the default FAQ has %d entries; want about 10 to 15", f.Len())
	}
	again, err := faq.Parse(faq.DefaultFile())
	if err != nil {
		t.Fatalf("the default file does not parse: %v", err)
	}
	if again.Len() != f.Len() {
		t.Errorf("DefaultFile parses to %d entries, Default has %d", again.Len(), f.Len())
	}
	// Written after the 2025 reform: no district level, no invented
	// numbers; every answer speaks to the resident politely in Vietnamese.
	for n, line := range strings.Split(string(faq.DefaultFile()), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue // the comments tell editors not to write it
		}
		for _, banned := range []string{"huyện", "quận", "district", "区县"} {
			if strings.Contains(strings.ToLower(line), banned) {
				t.Errorf("line %d of the default FAQ says %q: there is no district level since 1 July 2025", n+1, banned)
			}
		}
	}
}

// TestAnswerMatches: questions, with and without diacritics, in shorthand,
// English and Chinese, get the right entry.
func TestAnswerMatches(t *testing.T) {
	f := faq.Default()
	tests := []struct{ text, want string }{
		{"thủ tục làm sổ đỏ cần giấy tờ gì?", "so_do"},
		{"thu tuc lam so do can giay to gi", "so_do"},
		{"THỦ TỤC LÀM SỔ ĐỎ CẦN GIẤY TỜ GÌ", "so_do"},
		{"lam so do can giay to j", "so_do"},
		{"làm sổ đỏ ở đâu", "so_do"},
		{"đăng ký khai sinh cho con ở đâu ạ", "khai_sinh"},
		{"dang ky khai sinh can nhung gi", "khai_sinh"},
		{"đăng ký tạm trú như thế nào?", "cu_tru"},
		{"lam cccd o dau", "can_cuoc"},
		{"đổi căn cước có làm ở công an xã được ko", "can_cuoc"},
		{"gia hạn bhyt ở đâu", "bhyt"},
		{"gia han the bao hiem y te the nao", "bhyt"},
		{"người cao tuổi có được trợ cấp hằng tháng không?", "tro_cap_cao_tuoi"},
		{"xin giấy phép xây dựng ở đâu", "giay_phep_xay_dung"},
		{"dang ky ket hon can giay to gi", "ket_hon"},
		{"chứng thực bản sao mất bao lâu?", "chung_thuc"},
		{"đăng ký khai tử ở đâu", "khai_tu"},
		{"tranh chấp đất đai hòa giải ở đâu?", "hoa_giai_dat"},
		{"khiếu nại thì làm đơn theo mẫu nào?", "khieu_nai"},
		{"to cao can bo thi gui don o dau", "to_cao"},
		{"xã làm việc mấy giờ?", "gio_lam_viec"},
		{"nộp hồ sơ trực tuyến thế nào", "dich_vu_cong"},
		{"How do I get a birth certificate?", "khai_sinh"},
		{"Where do I renew my health insurance card?", "bhyt"},
		{"结婚登记需要什么材料？", "ket_hon"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := f.Match(tt.text)
			if !ok || got != tt.want {
				t.Errorf("Match(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
			}
			if _, ok := f.Answer(langnghe.LangVI, tt.text); !ok {
				t.Errorf("Answer(%q) gave nothing", tt.text)
			}
		})
	}
}

// TestNotAnswered: concerns that mention a topic are opinions, and
// greetings and questions the FAQ does not cover get no answer.
func TestNotAnswered(t *testing.T) {
	f := faq.Default()
	for _, text := range []string{
		// concerns
		"nhà tôi làm sổ đỏ 6 tháng chưa được cấp",
		"nha toi lam so do 6 thang chua duoc cap",
		"tại sao làm sổ đỏ lâu vậy?",
		"hồ sơ cấp sổ đỏ quá hẹn mà vẫn chưa có kết quả?",
		"cán bộ không hướng dẫn gì khi tôi làm khai sinh cho con",
		"thẻ bhyt của mẹ tôi bị sai tên",
		"đề nghị xã xem xét cấp sổ đỏ cho gia đình tôi",
		"Why has my land certificate still not been issued?",
		"hàng xóm lấn chiếm đất nhà tôi",
		"đường trước chợ có ổ gà lớn, xe máy ngã mấy lần rồi",
		// greetings and the like
		"xin chào", "alo", "hello", "cảm ơn", "ok", "?", "", "   ", "có ai không?",
		// questions the FAQ does not cover
		"bao giờ sửa đường vào ấp 3?",
		"tiền điện tháng này sao cao vậy?",
		"What time does the market open?",
		// a long account that happens to ask
		strings.Repeat("nhà tôi ở ấp 3 xã Thanh An, ", 12) + "làm sổ đỏ ở đâu?",
	} {
		if id, ok := f.Match(text); ok {
			t.Errorf("Match(%q) = %s; want no answer", text, id)
		}
		if a, ok := f.Answer(langnghe.LangVI, text); ok {
			t.Errorf("Answer(%q) = %q; want no answer", text, a)
		}
	}
}

func TestAnswerLanguage(t *testing.T) {
	f, err := faq.Parse([]byte(`
entries:
  - id: gio
    questions: [giờ làm việc, office hours]
    answer:
      vi: |
        Thứ Hai đến thứ Sáu.
      en: Monday to Friday.
    link: https://dichvucong.gov.vn
  - id: portal
    questions: [dịch vụ công trực tuyến]
    answer: {vi: "Vào https://dichvucong.gov.vn để nộp."}
    link: https://dichvucong.gov.vn
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ lang, text, want string }{
		{"vi", "giờ làm việc thế nào?", "Thứ Hai đến thứ Sáu.\nhttps://dichvucong.gov.vn"},
		{"en", "what are the office hours?", "Monday to Friday.\nhttps://dichvucong.gov.vn"},
		{"en-US", "what are the office hours?", "Monday to Friday.\nhttps://dichvucong.gov.vn"},
		{"zh", "giờ làm việc thế nào?", "Thứ Hai đến thứ Sáu.\nhttps://dichvucong.gov.vn"}, // falls back to vi
		{"", "giờ làm việc thế nào?", "Thứ Hai đến thứ Sáu.\nhttps://dichvucong.gov.vn"},
		// the link is not repeated when the answer has it
		{"en", "dịch vụ công trực tuyến ở đâu", "Vào https://dichvucong.gov.vn để nộp."},
	}
	for _, tt := range tests {
		got, ok := f.Answer(tt.lang, tt.text)
		if !ok || got != tt.want {
			t.Errorf("Answer(%q, %q) = %q, %v; want %q", tt.lang, tt.text, got, ok, tt.want)
		}
	}
	// Every default entry answers in vi, en and zh, and ends with its link.
	for _, text := range []string{"làm sổ đỏ ở đâu?", "làm khai sinh ở đâu?"} {
		vi, _ := faq.Default().Answer("vi", text)
		en, _ := faq.Default().Answer("en", text)
		zh, _ := faq.Default().Answer("zh", text)
		if vi == en || vi == zh || en == zh || !strings.HasSuffix(vi, "https://dichvucong.gov.vn") {
			t.Errorf("%q: want distinct vi, en and zh answers ending with the portal's link:\n%s\n%s\n%s", text, vi, en, zh)
		}
	}
}

func TestNilAndEmpty(t *testing.T) {
	var f *faq.FAQ
	if _, ok := f.Answer("vi", "làm sổ đỏ ở đâu?"); ok {
		t.Error("a nil FAQ answered")
	}
	empty, err := faq.Parse([]byte("entries: []\n"))
	if err != nil {
		t.Fatalf("an empty list of entries should be valid (the FAQ off): %v", err)
	}
	if _, ok := empty.Answer("vi", "làm sổ đỏ ở đâu?"); ok || empty.Len() != 0 {
		t.Error("an empty FAQ answered")
	}
}

// TestParseErrors: a broken file is refused, every problem with its line.
func TestParseErrors(t *testing.T) {
	entry := func(id string) string {
		return fmt.Sprintf("  - id: %s\n    questions: [sổ đỏ %s]\n    answer: {vi: \"Trả lời.\"}\n", id, id)
	}
	tests := []struct {
		name, src string
		want      []string // each must appear in the error
	}{
		{"empty", "", []string{"faq: the file is empty"}},
		{"not yaml", "entries: [\n", []string{"faq: line"}},
		{"unknown field", "entries:\n  - id: a\n    question: [x]\n", []string{"line 3: field question not found"}},
		{"unknown top field", "entry: []\n", []string{"line 1: field entry not found"}},
		{"missing vi", "entries:\n  - id: so_do\n    questions: [sổ đỏ]\n    answer:\n      en: Hello\n",
			[]string{"line 4: entry so_do: answer.vi is missing"}},
		{"no answer", "entries:\n  - id: so_do\n    questions: [sổ đỏ]\n", []string{"line 2: entry so_do: answer is missing"}},
		{"duplicate id", "entries:\n" + entry("so_do") + entry("so_do"),
			[]string{"line 5: entry so_do: id is used twice (first at line 2)"}},
		{"empty questions", "entries:\n  - id: a\n    questions: []\n    answer: {vi: x}\n",
			[]string{"line 3: entry a: questions are missing"}},
		{"no questions", "entries:\n  - id: a\n    answer: {vi: x}\n", []string{"line 2: entry a: questions are missing"}},
		{"question words only", "entries:\n  - id: a\n    questions: [ở đâu, thế nào]\n    answer: {vi: x}\n",
			[]string{"line 3: entry a: the questions are only question words"}},
		{"punctuation question", "entries:\n  - id: a\n    questions:\n      - sổ đỏ\n      - \"???\"\n    answer: {vi: x}\n",
			[]string{`line 5: entry a: question "???" has no letters or digits`}},
		{"bad id", "entries:\n  - id: Sổ-Đỏ\n    questions: [sổ đỏ]\n    answer: {vi: x}\n",
			[]string{"line 2: entry Sổ-Đỏ: id must be lower-case"}},
		{"missing id", "entries:\n  - questions: [sổ đỏ]\n    answer: {vi: x}\n", []string{"line 2: entry #1: id is missing"}},
		{"unknown language", "entries:\n  - id: a\n    questions: [sổ đỏ]\n    answer:\n      vi: x\n      vn: y\n",
			[]string{`line 6: entry a: answer language "vn" is not one of vi, en, zh`}},
		{"long answer", "entries:\n  - id: a\n    questions: [sổ đỏ]\n    answer:\n      vi: x\n      en: " + strings.Repeat("é", 1501) + "\n",
			[]string{"line 6: entry a: answer.en is 1501 characters; the limit is 1500"}},
		{"bad link", "entries:\n  - id: a\n    questions: [sổ đỏ]\n    answer: {vi: x}\n    link: dichvucong.gov.vn\n",
			[]string{`line 5: entry a: link "dichvucong.gov.vn" is not a web address`}},
		{"several at once", "entries:\n  - id: a\n    questions: []\n    answer: {en: x}\n",
			[]string{"line 3: entry a: questions are missing", "line 4: entry a: answer.vi is missing"}},
	}
	var many strings.Builder
	many.WriteString("entries:\n")
	for i := range faq.MaxEntries + 1 {
		many.WriteString(entry(fmt.Sprintf("e%d", i)))
	}
	tests = append(tests, struct {
		name, src string
		want      []string
	}{"too many", many.String(), []string{"line 1: 201 entries; the limit is 200"}})

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := faq.Parse([]byte(tt.src))
			if err == nil {
				t.Fatal("Parse accepted a broken file")
			}
			if langnghe.ErrorCode(err) != langnghe.EINVALID {
				t.Errorf("error code %q, want %q", langnghe.ErrorCode(err), langnghe.EINVALID)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "faq.raw") {
				t.Errorf("error %q names a Go type", err)
			}
		})
	}
}

// TestConcurrent answers from many goroutines at once (run with -race).
func TestConcurrent(t *testing.T) {
	f := faq.Default()
	texts := []string{"làm sổ đỏ ở đâu?", "lam cccd o dau", "xin chào", "How do I register a death?", "nhà tôi làm sổ đỏ 6 tháng chưa được cấp"}
	want := make([]string, len(texts))
	for i, text := range texts {
		want[i], _ = f.Answer("vi", text)
	}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				k := (g + i) % len(texts)
				if got, _ := f.Answer("vi", texts[k]); got != want[k] {
					t.Errorf("Answer(%q) changed under concurrency", texts[k])
					return
				}
			}
		}()
	}
	wg.Wait()
}

func FuzzAnswer(f *testing.F) {
	for _, s := range []string{"", "làm sổ đỏ ở đâu?", "?", "k ko j", "什么？", "\xff\xfe", "có có có không"} {
		f.Add(s)
	}
	fq := faq.Default()
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := fq.Answer("vi", s)
		if ok != (a != "") {
			t.Fatalf("Answer(%q) = %q, %v", s, a, ok)
		}
	})
}

func BenchmarkAnswer(b *testing.B) {
	f := faq.Default()
	for b.Loop() {
		f.Answer("vi", "cho em hỏi làm sổ đỏ lần đầu cần những giấy tờ gì ạ?")
	}
}
