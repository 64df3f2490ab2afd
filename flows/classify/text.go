package classify

import (
	"strings"
	"unicode/utf8"

	"langnghe/flows/vntext"
)

// maxWords bounds the work per message: the first few hundred words of a
// rambling message say what it is about.
const maxWords = 400

// maxBytes bounds the text read for those words, so that a pasted book costs
// no more than a long message: 400 words fit in far less.
const maxBytes = 32 << 10

// head returns at most maxBytes of text, cut before a rune.
func head(text string) string {
	if len(text) <= maxBytes {
		return text
	}
	cut := maxBytes
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut]
}

// shorthand expands what residents type on phones into the words the
// keywords and the model know. Keys are folded; values are written with
// their accents, so that the cue matchers know "ko" is không and not khống
// (falsified), and folded once for the model (foldedShorthand). Ambiguous
// abbreviations ("hs": học sinh or hồ sơ) are left alone, and so is "hem":
// in the south it is far more often hẻm (an alley, "hem 12") than the slang
// for không, and reading it as a negation hid "tiệm đầu hẻm đang cháy".
var shorthand = map[string]string{
	"bhyt": "bảo hiểm y tế", "bhxh": "bảo hiểm xã hội", "bhtn": "bảo hiểm thất nghiệp",
	"sodo": "sổ đỏ", "sohong": "sổ hồng",
	"gcn": "giấy chứng nhận", "qsdd": "quyền sử dụng đất", "gcnqsdd": "giấy chứng nhận quyền sử dụng đất",
	"sdd": "sử dụng đất", "tdc": "tái định cư", "gpmb": "giải phóng mặt bằng",
	"gpxd": "giấy phép xây dựng", "xd": "xây dựng", "xdtp": "xây dựng trái phép",
	"tthc": "thủ tục hành chính", "dvc": "dịch vụ công", "dvctt": "dịch vụ công trực tuyến",
	"ubnd": "ủy ban nhân dân", "hdnd": "hội đồng nhân dân", "mttq": "mặt trận tổ quốc",
	"cccd": "căn cước công dân", "cmnd": "chứng minh nhân dân", "cmt": "chứng minh nhân dân",
	"k": "không", "ko": "không", "kg": "không", "kh": "không", "hk": "không", "hok": "không", "khg": "không",
	"dc":   "được",
	"hnay": "hôm nay", "hqua": "hôm qua", "hum": "hôm",
	"vs": "với", "j": "gì", "ng": "người", "ngta": "người ta", "mn": "mọi người", "mng": "mọi người",
	"nc": "nước", "ntn": "như thế nào", "trc": "trước", "r": "rồi", "bn": "bao nhiêu",
	"cty": "công ty", "bv": "bệnh viện", "pk": "phòng khám", "ttyt": "trung tâm y tế", "tyt": "trạm y tế",
	"csgt": "cảnh sát giao thông", "atgt": "an toàn giao thông", "attp": "an toàn thực phẩm",
	"antt": "an ninh trật tự", "btxh": "bảo trợ xã hội", "nct": "người cao tuổi",
	"sdt": "số điện thoại", "dt": "điện thoại", "ad": "admin", "vpdk": "văn phòng đăng ký",
	"tp": "thành phố", "hcm": "hồ chí minh", "tphcm": "thành phố hồ chí minh",
	"gv": "giáo viên", "hp": "học phí", "mg": "mẫu giáo", "thpt": "trung học phổ thông",
	"thcs": "trung học cơ sở", "cq": "chính quyền", "cb": "cán bộ", "cbcc": "cán bộ công chức",
	"nd": "người dân", "ndan": "người dân", "bc": "báo cáo", "qd": "quyết định", "nq": "nghị quyết",
}

// foldedShorthand is shorthand with folded values, for the model.
var foldedShorthand = func() map[string][]string {
	out := make(map[string][]string, len(shorthand))
	for k, v := range shorthand {
		out[k] = strings.Fields(vntext.Fold(v))
	}
	return out
}()

// words returns the folded, expanded words of text, at most maxWords.
func words(text string) []string {
	raw := vntext.Words(head(text))
	if len(raw) > maxWords {
		raw = raw[:maxWords]
	}
	out := make([]string, 0, len(raw)+8)
	for _, w := range raw {
		if exp, ok := foldedShorthand[w]; ok {
			out = append(out, exp...)
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
