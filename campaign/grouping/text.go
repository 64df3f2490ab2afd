package grouping

import (
	"strings"
	"unicode"

	"langnghe/flows/vntext"
)

// A question is read as a bag of terms: its content words, folded (so
// "bồi thường" and "boi thuong" are one), and concepts for the phrases
// residents use for the same thing ("sổ đỏ", "sổ hồng", "giấy chứng
// nhận"). Function words and the words of any request ("xử lý", "đề
// nghị") are dropped; the words every question of a conference shares
// weigh little (Model). Pairs of neighbouring words were tried as terms
// and made the grouping worse: they are rarely shared by paraphrases, and
// the phrases that matter are concepts.

// word is one word as written (lower-cased, with its diacritics) and
// folded.
type word struct{ orig, fold string }

// words splits s into words: runs of letters and digits.
func words(s string) []word {
	fields := strings.FieldsFunc(strings.ToLower(vntext.Normalize(s)), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
	})
	out := make([]word, 0, len(fields))
	for _, f := range fields {
		out = append(out, word{orig: f, fold: vntext.Fold(f)})
	}
	return out
}

// term is one feature of a question: a word or a concept, with the words
// it was written as.
type term struct {
	key     string // folded; concepts are "=name"
	written string // as the question wrote it
}

// concepts are the phrases residents use for one thing, folded, by the
// concept's name. A phrase is matched on whole words, the longest first,
// and its words are then read as the concept alone: "đất bán ngập" is not
// a flood. Kept to the vocabulary of local government, not to one
// conference.
var concepts = map[string][]string{
	"certificate":   {"so do", "so hong", "giay chung nhan", "giay chung nhan quyen su dung dat", "gcn", "gcnqsdd", "lam so", "cap so", "bia do", "giay do"},
	"semisubmerged": {"ban ngap", "dat ban ngap", "vung ban ngap", "dat bai boi", "bai boi"},
	"dredging":      {"nao vet", "khoi thong", "no vet"},
	"silting":       {"boi lang", "boi lap", "boi can", "boi day"},
	"erosion":       {"sat lo", "lo dat", "bo song lo", "song lo", "lo vao", "lo bo"},
	"embankment":    {"ke", "xay ke", "lam ke", "bo ke", "ke chong sat lo"},
	"litter":        {"rac", "rac thai", "xa rac", "do rac", "vut rac", "bai rac", "thung rac"},
	"effluent":      {"xa thai", "nuoc thai", "chat thai", "xa nuoc thai", "xa chat thai", "xa phan"},
	"smell":         {"mui hoi", "hoi qua", "boc mui", "hoi thoi", "hoi thui", "co mui"},
	"pigs":          {"heo", "trai heo", "chan nuoi", "chan nuoi heo", "trang trai heo"},
	"sandmining":    {"khai thac cat", "hut cat", "bom cat", "cat lau", "ghe hut cat", "ghe bom cat"},
	"flooding":      {"ngap", "ngap ung", "ngap nuoc", "nuoc tran", "lu", "nuoc lu", "tran vao"},
	"farming":       {"canh tac", "trong trot", "san xuat nong nghiep", "trong lua", "trong rau", "trong cay", "trong mi", "trong chuoi", "trong hoa mau"},
	"compensation":  {"boi thuong", "den bu", "chi tra", "tien boi thuong"},
	"expropriation": {"thu hoi", "thu hoi dat"},
	"building":      {"xay nha", "xay dung", "dung choi", "cat nha", "xay chuong", "xay chuong trai", "cat choi"},
	"fishcage":      {"ca long", "long be", "ca be", "nuoi ca", "nuoi ca long", "be ca"},
	"fishdeath":     {"ca chet", "chet ca"},
	"pollution":     {"o nhiem", "den va co mui", "nuoc den"},
	"waterquality":  {"chat luong nuoc", "quan trac", "lay mau", "xet nghiem nuoc", "ket qua xet nghiem"},
	"factory":       {"nha may", "khu cong nghiep", "mu cao su", "cao su", "nha may mu", "co so san xuat"},
	"planning":      {"quy hoach"},
	"greenery":      {"cong vien", "du lich", "cay xanh", "duong di bo", "khu du lich"},
	"firsttime":     {"lan dau"},
	"delay":         {"tre hen", "cham tre", "qua cham", "rat cham", "cham qua", "hen hoai", "chua co ket qua", "chua duoc cap", "cho mai", "qua lau", "giai quyet cham", "tra ve"},
	"split":         {"tach thua", "chia dat", "tach thua dat", "tach so"},
	"inheritance":   {"thua ke", "sang ten", "cha me de lai", "ong ba de lai"},
	"conversion":    {"chuyen muc dich", "len tho cu", "tho cu", "dat o", "chuyen dat", "chuyen muc dich su dung dat"},
	"landfee":       {"tien su dung dat", "thue", "le phi", "truoc ba", "mien giam", "ghi no", "thue dat"},
	"roaddamage":    {"o ga", "o voi", "hu hong", "xuong cap", "lun", "sut", "lay loi", "hu", "tron truot"},
	"repair":        {"sua chua", "sua", "nang cap", "khac phuc"},
	"concrete":      {"be tong", "be tong hoa"},
	"contribution":  {"dong gop", "gop tien", "thu chi", "tien dan dong gop"},
	"donation":      {"hien dat"},
	"lighting":      {"den duong", "den chieu sang", "lap den", "co den", "khong co den", "toi om", "chieu sang"},
	"online":        {"truc tuyen", "qua mang", "dich vu cong", "online", "cong dich vu cong"},
	"trucks":        {"xe tai", "xe ben", "qua tai", "tai trong lon", "xe cho", "xe tai trong lon"},
	"dispute":       {"tranh chap", "lan ranh", "ranh gioi", "lan sang", "hoa giai", "do dac lai", "khoi kien"},
	"support":       {"ho tro", "tro cap"},
	"dossier":       {"ho so", "nop ho so"},
	"thitinh":       {"thi tinh", "song thi tinh"},
	"land":          {"dat dai"},
	"permit":        {"giay phep", "cap phep", "xin phep"},
	"illegal":       {"trai phep", "vi pham"},
	// Words of any request, consumed so their syllables ("xử", "lý")
	// do not count on their own.
	"": {"xu ly", "kiem tra", "giai quyet", "thu tuc", "su dung", "tinh trang", "ke hoach", "quy dinh", "trien khai",
		"nguyen nhan", "thoi gian", "trach nhiem", "co quan", "chinh quyen", "nhan dan", "nguoi dan", "de nghi", "kien nghi",
		"xin hoi", "cho hoi", "bao gio", "khi nao", "the nao", "nhu the nao", "lam sao", "vi sao", "tai sao", "bao lau",
		"bao nhieu", "hien nay", "gia dinh", "ba con", "dia phuong", "cu the", "co the", "duoc khong", "phai lam"},
}

// stopwords are folded words that say nothing of the issue: pronouns,
// particles, question words, the polite formulas of a request, and words
// for the commune and its people.
var stopwords = vntext.WordSet("toi xin hoi cho co khong ko k kg dc duoc la cua va thi ma a ah vay nao gi j khi bao gio sao vi de nghi " +
	"xa ap o tai ve voi cac nhung nhieu rat qua roi da dang se bi phai lam the nhu nay do day ay nguoi dan ong ba ho moi mot " +
	"hay hoac neu con van chua cung lai nua ra vao len xuong tu den trong tren duoi sau truoc khac them ai dau nhieu muon biet " +
	"can giup vui long kinh thua em anh chi chung minh nha nuoc gia dinh hien nay nam lau viec cung nhu bang co the " +
	"what when why how is the a an of to do does can will we our my i in on for and or it be are")

// phrase is a concept's phrase, as words.
type phrase struct {
	concept string
	words   []string
}

// phrases are the concepts' phrases by their first word, longest first.
var phrases = func() map[string][]phrase {
	m := map[string][]phrase{}
	for c, ps := range concepts {
		for _, p := range ps {
			ws := strings.Fields(p)
			m[ws[0]] = append(m[ws[0]], phrase{concept: c, words: ws})
		}
	}
	for _, ps := range m {
		// Longest first; among equals by concept, so matching is the
		// same every run whatever the map's order.
		sortPhrases(ps)
	}
	return m
}()

func sortPhrases(ps []phrase) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && less(ps[j], ps[j-1]); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func less(a, b phrase) bool {
	if len(a.words) != len(b.words) {
		return len(a.words) > len(b.words)
	}
	return a.concept+" "+strings.Join(a.words, " ") < b.concept+" "+strings.Join(b.words, " ")
}

// terms reads a question's terms, in order: concepts and content words.
func terms(text string) []term {
	ws := words(text)
	var units []term
	for i := 0; i < len(ws); {
		if p, ok := matchPhrase(ws, i); ok {
			if p.concept != "" {
				units = append(units, term{key: "=" + p.concept, written: joinOrig(ws[i : i+len(p.words)])})
			}
			i += len(p.words)
			continue
		}
		w := ws[i]
		i++
		if stopwords[w.fold] || isNumber(w.fold) || len([]rune(w.fold)) < 2 {
			continue
		}
		units = append(units, term{key: w.fold, written: w.orig})
	}
	return units
}

func matchPhrase(ws []word, i int) (phrase, bool) {
	for _, p := range phrases[ws[i].fold] {
		if i+len(p.words) > len(ws) {
			continue
		}
		ok := true
		for j, w := range p.words {
			if ws[i+j].fold != w {
				ok = false
				break
			}
		}
		if ok {
			return p, true
		}
	}
	return phrase{}, false
}

func joinOrig(ws []word) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.orig
	}
	return strings.Join(parts, " ")
}

func isNumber(s string) bool { return strings.Trim(s, "0123456789") == "" }

// hasDiacritics reports whether s is written with Vietnamese marks: such a
// question makes a better title than the same words without.
func hasDiacritics(s string) bool {
	return vntext.Fold(s) != strings.ToLower(vntext.Normalize(s))
}
