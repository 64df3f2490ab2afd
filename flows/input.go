package flows

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"langnghe"
	"langnghe/flows/vntext"
)

// foldAnswer is how typed answers are compared: folded words joined by one
// space, so "Có!", "co" and "CÓ" are equal.
func foldAnswer(s string) string {
	return strings.Join(vntext.Words(s), " ")
}

// Words residents type for yes and no, folded. "k", "ko" and "kg" are the
// usual shorthand for không; "dạ"/"vâng" are polite yeses.
var (
	yesAnswers = []string{"co", "yes", "y", "ok", "oke", "okay", "dong y", "u", "uh", "um", "vang", "da",
		"duoc", "dc", "chac chan", "dung", "dung roi", "co a", "da co", "vang a", "da vang", "toi dong y",
		"agree", "i agree", "sure", "yep", "yeah", "chap nhan", "是", "好", "对", "同意", "可以"}
	noAnswers = []string{"khong", "ko", "k", "kg", "kh", "hong", "hok", "no", "n", "nope", "tu choi",
		"thoi", "chua", "不", "否", "不是", "不同意", "不要",
		// Asked to keep a name and number, or whether to give up: staying
		// anonymous is a no to the one and the other.
		"an danh", "giu an danh", "toi muon an danh", "gui an danh", "anonymous", "stay anonymous", "匿名"}
	// doneAnswers say the resident has finished checking: "xong rồi".
	doneAnswers = []string{"xong", "xong roi", "duoc roi", "on roi", "vay la du", "the thoi", "done", "好了", "完成"}
	// noWords anywhere in an answer make it a no: "dạ không", "không đồng ý".
	noWords = []string{"khong", "ko", "k", "kg", "hong", "hok", "no", "not", "tu choi", "不", "否"}
)

// parseYesNo reads a yes or a no; ok is false when the answer is neither.
func parseYesNo(s string) (yes, ok bool) {
	f := foldAnswer(s)
	switch {
	case f == "":
		return false, false
	case slices.Contains(yesAnswers, f):
		return true, true
	case slices.Contains(noAnswers, f):
		return false, true
	}
	words := strings.Fields(f)
	for _, w := range noWords {
		if slices.Contains(words, w) || (strings.Contains(w, " ") && strings.Contains(f, w)) {
			return false, true
		}
	}
	for _, w := range yesAnswers {
		if slices.Contains(words, w) || (strings.Contains(w, " ") && strings.Contains(f, w)) {
			return true, true
		}
	}
	return false, false
}

// parsePhone reads a Vietnamese mobile number written as residents do
// (09x/03x/05x/07x/08x, +84 or 84 prefix, spaces, dots, dashes) and returns
// it as 0xxxxxxxxx.
func parsePhone(s string) (string, bool) {
	var digits []byte
	plus := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
		case r == '+' && len(digits) == 0 && !plus:
			plus = true
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
		if len(digits) > 15 {
			return "", false
		}
	}
	d := string(digits)
	switch {
	case strings.HasPrefix(d, "840") && len(d) == 12:
		d = d[2:] // +84 0912...
	case strings.HasPrefix(d, "84") && len(d) == 11:
		d = "0" + d[2:]
	case plus:
		return "", false // a foreign number
	}
	if len(d) != 10 || d[0] != '0' || !strings.ContainsRune("35789", rune(d[1])) {
		return "", false
	}
	return d, true
}

// parseDate reads D/M/YYYY (also with - or .) and returns DD/MM/YYYY.
func parseDate(s string) (string, bool) {
	parts := strings.FieldsFunc(strings.TrimSpace(s), func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return "", false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return "", false
		}
		n[i] = v
	}
	t := time.Date(n[2], time.Month(n[1]), n[0], 0, 0, 0, 0, time.UTC)
	if t.Day() != n[0] || int(t.Month()) != n[1] || t.Year() != n[2] {
		return "", false // 31/02 and friends
	}
	return t.Format(langnghe.DateLayout), true
}

// parseNumber reads a number, accepting a decimal comma, within [min, max].
func parseNumber(s string, min, max *float64) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	if !decimalPattern.MatchString(s) {
		return "", false // "Inf", "NaN", "0x1p-2", "1_000" are not what residents mean
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || (min != nil && f < *min) || (max != nil && f > *max) {
		return "", false
	}
	return strconv.FormatFloat(f, 'f', -1, 64), true
}

// decimalPattern is a number as people write it: digits, a point, a sign.
var decimalPattern = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)$`)

// buttonData is what a button carries: the wait counter, so a button from an
// earlier question is recognised as stale, and the choice's value.
func buttonData(wait int, value string) string {
	return fmt.Sprintf("%d:%s", wait, value)
}

// parseButtonData returns the value of data if it belongs to the current
// wait.
func parseButtonData(data string, wait int) (string, bool) {
	w, v, ok := strings.Cut(data, ":")
	if !ok || w != strconv.Itoa(wait) || v == "" {
		return "", false
	}
	return v, true
}

// maskPhone shows a number the way it is offered back in a chat, which
// others may be reading over the resident's shoulder: 0912 xxx 678.
func maskPhone(p string) string {
	r := []rune(p)
	if len(r) < 7 {
		return p
	}
	return string(r[:4]) + " xxx " + string(r[len(r)-3:])
}

// typedValues are folded words residents type for the buttons of the
// default flows, by option value.
var typedValues = map[string][]string{
	"skip": {"bo qua", "khong co", "khong co anh", "ko co", "k co", "khong co gi", "chua co", "khong can",
		"khong co hinh", "khong co anh a", "none", "nothing", "no photo", "skip it", "no thanks",
		// An optional comment ("Góp ý thêm"): "xong", "không góp ý" are none.
		"xong", "xong roi", "het", "het roi", "khong gop y", "khong co gop y",
		"khong co y kien", "no comment", "done", "没有", "无"},
	// A choice of yes and no (the announcements notice): only whole
	// answers, so that "đường có ổ gà" is never a yes.
	"yes": {"co", "co a", "da co", "vang", "vang a", "da vang", "dong y", "toi dong y", "co muon", "muon", "co chu", "co nhe",
		"nhan", "co nhan", "duoc", "dc", "u", "uh", "yes", "ok", "sure", "是", "好", "要"},
	"no": {"khong", "khong a", "da khong", "ko", "k", "kg", "khong muon", "khong nhan", "khong can", "khoi", "thoi khoi",
		"thoi", "no", "不", "不要", "否"},
	"anonymous": {"an danh", "giu an danh", "khong de lai so", "khong cho so", "anonymous", "stay anonymous"},
	"send":      {"gui", "gui di", "gui luon", "dong y gui", "ok gui", "send it", "send", "submit"},
	// "May an official call you on 0912 xxx 678?": a yes is that number.
	"saved": {"dung so cu", "so cu", "dung so nay", "so nay", "dung so do", "co", "duoc", "co a", "duoc a", "dong y",
		"ok", "use it", "yes", "same number", "use my number", "可以", "是"},
}

// Words for the points of a scale, folded, and words that may surround the
// number: "cho 4 điểm", "4 trên 5", "bốn sao", "4 out of 5".
var (
	scaleNumbers = map[string]int{"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6,
		"bay": 7, "tam": 8, "chin": 9, "muoi": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
		"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
	scaleFiller = []string{"diem", "d", "sao", "muc", "tren", "cho", "chon", "toi", "la", "a", "da", "ong", "ba",
		"thoi", "nhe", "nha",
		"out", "of", "points", "point", "stars", "star", "i", "give", "分", "星", "颗星"}
)

// parseScale reads a typed point of a scale from lo to hi: the number in
// digits or in words, with the usual words around it. A second number is
// only taken as the scale's top ("4/5", "4 trên 5").
func parseScale(s string, lo, hi int) (int, bool) {
	ws := vntext.Words(s)
	if len(ws) == 0 || len(ws) > 6 || decimalFraction.MatchString(s) {
		return 0, false // "4.5" is no point, nor 4 out of 5
	}
	// Digits win over words: in "bà chọn 4" the "ba" is the resident.
	digits := slices.ContainsFunc(ws, func(w string) bool { return isDigits(strings.TrimRight(w, "分星")) })
	n := -1
	for _, w := range ws {
		v, isNum := 0, false
		if d := strings.TrimRight(w, "分星"); isDigits(d) {
			v, _ = strconv.Atoi(d)
			isNum = len(d) <= 2
		} else if !digits {
			v, isNum = scaleNumbers[w]
		}
		switch {
		case isNum && n < 0:
			n = v
		case isNum && v == hi:
			// "out of 5"
		case !isNum && slices.Contains(scaleFiller, w):
		default:
			return 0, false
		}
	}
	if n < lo || n > hi {
		return 0, false
	}
	return n, true
}

var decimalFraction = regexp.MustCompile(`\d[.,]\d`)

func isDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
