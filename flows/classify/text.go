package classify

import (
	"strings"

	"langnghe/flows/vntext"
)

// maxWords bounds the work per message: the first few hundred words of a
// rambling message say what it is about.
const maxWords = 400

// shorthand expands what residents type on phones into the words the
// keywords and the model know. Keys and values are folded. Ambiguous
// abbreviations ("hs": học sinh or hồ sơ) are left alone.
var shorthand = map[string]string{
	"bhyt": "bao hiem y te", "bhxh": "bao hiem xa hoi", "bhtn": "bao hiem that nghiep",
	"sodo": "so do", "sohong": "so hong",
	"gcn": "giay chung nhan", "qsdd": "quyen su dung dat", "gcnqsdd": "giay chung nhan quyen su dung dat",
	"sdd": "su dung dat", "tdc": "tai dinh cu", "gpmb": "giai phong mat bang",
	"gpxd": "giay phep xay dung", "xd": "xay dung", "xdtp": "xay dung trai phep",
	"tthc": "thu tuc hanh chinh", "dvc": "dich vu cong", "dvctt": "dich vu cong truc tuyen",
	"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "mttq": "mat tran to quoc",
	"cccd": "can cuoc cong dan", "cmnd": "chung minh nhan dan", "cmt": "chung minh nhan dan",
	"k": "khong", "ko": "khong", "kg": "khong", "kh": "khong", "hk": "khong", "hok": "khong",
	"khg": "khong", "hem": "khong",
	"dc":   "duoc",
	"hnay": "hom nay", "hqua": "hom qua", "hum": "hom",
	"vs": "voi", "j": "gi", "ng": "nguoi", "ngta": "nguoi ta", "mn": "moi nguoi", "mng": "moi nguoi",
	"nc": "nuoc", "ntn": "nhu the nao", "trc": "truoc", "r": "roi", "bn": "bao nhieu",
	"cty": "cong ty", "bv": "benh vien", "pk": "phong kham", "ttyt": "trung tam y te", "tyt": "tram y te",
	"csgt": "canh sat giao thong", "atgt": "an toan giao thong", "attp": "an toan thuc pham",
	"antt": "an ninh trat tu", "btxh": "bao tro xa hoi", "nct": "nguoi cao tuoi",
	"sdt": "so dien thoai", "dt": "dien thoai", "ad": "admin", "vpdk": "van phong dang ky",
	"tp": "thanh pho", "hcm": "ho chi minh", "tphcm": "thanh pho ho chi minh",
	"gv": "giao vien", "hp": "hoc phi", "mg": "mau giao", "thpt": "trung hoc pho thong",
	"thcs": "trung hoc co so", "cq": "chinh quyen", "cb": "can bo", "cbcc": "can bo cong chuc",
	"nd": "nguoi dan", "ndan": "nguoi dan", "bc": "bao cao", "qd": "quyet dinh", "nq": "nghi quyet",
}

// words returns the folded, expanded words of text, at most maxWords.
func words(text string) []string {
	raw := vntext.Words(text)
	if len(raw) > maxWords {
		raw = raw[:maxWords]
	}
	out := make([]string, 0, len(raw)+8)
	for _, w := range raw {
		if exp, ok := shorthand[w]; ok {
			out = append(out, strings.Fields(exp)...)
			continue
		}
		out = append(out, w)
	}
	return out
}

// hash is FNV-1a, so features are map keys without building strings.
func hash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// pair combines two word hashes into a bigram feature, order-sensitive.
func pair(a, b uint64) uint64 { return (a*0x9E3779B97F4A7C15 ^ b) + 0x632BE59BD9B4E019 }

// features returns the unigram and bigram features of words' hashes.
func features(hs []uint64) []uint64 {
	out := make([]uint64, 0, 2*len(hs))
	out = append(out, hs...)
	for i := 1; i < len(hs); i++ {
		out = append(out, pair(hs[i-1], hs[i]))
	}
	return out
}

func hashes(ws []string) []uint64 {
	hs := make([]uint64, len(ws))
	for i, w := range ws {
		hs[i] = hash(w)
	}
	return hs
}
