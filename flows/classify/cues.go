package classify

import (
	"strings"

	"langnghe"
	"langnghe/flows/vntext"
)

// A cue is a phrase that signals a legal track or an emergency. Cues are
// written as people type them and folded once at start-up.
type cue []string

// cueSet indexes cues by their first word, so a message is scanned once
// whatever the number of cues.
type cueSet map[string][]cue

func cues(phrases ...string) cueSet {
	out := cueSet{}
	for _, p := range phrases {
		if ws := words(p); len(ws) > 0 {
			out[ws[0]] = append(out[ws[0]], ws)
		}
	}
	return out
}

// find returns the position of the first of cs in ws that is not negated
// ("không tố cáo ai", "this is not a complaint"), or -1.
func find(ws []string, cs cueSet) int {
	for i, w := range ws {
		for _, c := range cs[w] {
			if !hasAt(ws, i, c) {
				continue
			}
			if !negated(ws, i) {
				return i
			}
		}
	}
	return -1
}

func hasAt(ws []string, i int, c cue) bool {
	if i+len(c) > len(ws) {
		return false
	}
	for j, w := range c {
		if ws[i+j] != w {
			return false
		}
	}
	return true
}

func has(ws []string, cs cueSet) bool { return find(ws, cs) >= 0 }

// negated reports whether one of the two words before i negates it.
func negated(ws []string, i int) bool {
	for j := max(0, i-2); j < i; j++ {
		switch ws[j] {
		case "khong", "not", "chang", "never":
			return true
		}
	}
	return false
}

// Legal-track cues. A chat message cannot itself be a complaint or a
// denunciation (the law wants a signed form); recognising one lets the flow
// explain the formal route.
var (
	// denounceCues name the act of denouncing.
	denounceCues = cues("tố cáo", "tố giác", "đơn tố cáo", "denounce", "denouncing", "denunciation",
		"whistleblower", "whistleblowing", "report corruption", "reporting corruption", "report the corruption")
	// wrongdoingCues name an official's wrongdoing; they mean a
	// denunciation unless the message discusses policy.
	wrongdoingCues = cues("nhận hối lộ", "ăn hối lộ", "hối lộ", "tham nhũng", "tham ô", "ăn chặn", "vòi tiền",
		"đòi tiền bồi dưỡng", "bỏ túi", "biển thủ", "lợi dụng chức vụ", "bảo kê", "bribe", "bribes", "bribery",
		"corruption", "corrupt", "embezzle", "embezzled", "embezzlement", "kickback", "kickbacks", "abuse of power")
	policyCues = cues("góp ý", "chính sách", "chủ trương", "phòng chống tham nhũng", "chống tham nhũng",
		"dự thảo", "nghị quyết", "policy", "draft law", "anti corruption")
	// complainCues name the act of complaining about a decision.
	complainCues = cues("khiếu nại", "khiếu kiện", "đơn khiếu nại", "formal complaint", "appeal the decision",
		"appeal against", "complaint against the decision", "complain about the decision", "complaint about the decision",
		"complain against", "contest the decision", "disagree with the decision", "complain about decision")
	decisionCues = cues("quyết định", "decision", "ruling")
	// disputeCues, together with a decision, make a complaint: "tôi không
	// đồng ý với quyết định thu hồi đất".
	disputeCues = cues("không đồng ý", "không đồng tình", "không chấp nhận", "xem xét lại", "hủy bỏ", "huỷ bỏ",
		"không thỏa đáng", "không thoả đáng", "bất công", "không công bằng", "trái pháp luật", "sai quy định",
		"disagree", "unfair", "unjust", "overturn", "reconsider", "wrong decision")
)

// legalTrack recognises a complaint or a denunciation; everything else,
// "phản ánh" and "kiến nghị" included, is feedback.
func legalTrack(ws []string) langnghe.LegalTrack {
	switch {
	case has(ws, denounceCues):
		return langnghe.TrackDenunciation
	case has(ws, complainCues):
		return langnghe.TrackComplaint
	case has(ws, decisionCues) && hasDispute(ws):
		return langnghe.TrackComplaint
	case has(ws, wrongdoingCues) && !has(ws, policyCues):
		return langnghe.TrackDenunciation
	}
	return langnghe.TrackFeedback
}

// hasDispute looks for disagreement words, which the negation rule must not
// skip since most of them start with "không".
func hasDispute(ws []string) bool {
	for i, w := range ws {
		for _, c := range disputeCues[w] {
			if hasAt(ws, i, c) {
				return true
			}
		}
	}
	return false
}

// Emergency cues: something dangerous is happening now. A cue with an
// accented form folds to a word that means something harmless too ("cháy",
// fire, and "chạy", run, both fold to "chay"), so it counts only when the
// resident typed that accent or typed no accents at all.
type emergencyCue struct {
	words    cue
	accented string // lower-case NFC form that must appear, if the text has accents
}

var emergencyCues = func() map[string][]emergencyCue {
	out := map[string][]emergencyCue{}
	add := func(c emergencyCue) {
		if len(c.words) > 0 {
			out[c.words[0]] = append(out[c.words[0]], c)
		}
	}
	for _, p := range []string{"hỏa hoạn", "hoả hoạn", "tai nạn", "đâm xe", "tông xe", "đụng xe", "cướp", "đánh nhau",
		"đâm chém", "chém người", "đâm người", "đuối nước", "chết đuối", "cấp cứu", "bị thương", "bất tỉnh",
		"ngất xỉu", "cứu với", "cứu tôi", "cứu giúp", "khẩn cấp", "nổ bình gas", "điện giật", "bị giật điện",
		"fire", "on fire", "burning", "accident", "crash", "robbery", "robbed", "robbing", "drowning", "drowned",
		"ambulance", "injured", "unconscious", "emergency", "help me", "stabbed", "stabbing"} {
		add(emergencyCue{words: words(p)})
	}
	for _, p := range []string{"cháy nhà", "đang cháy", "bị cháy", "cháy lớn", "cháy rừng", "đám cháy",
		"bốc cháy", "cháy rồi", "cháy nổ", "cháy xưởng", "cháy chợ", "cháy quá"} {
		add(emergencyCue{words: words(p), accented: strings.ToLower(vntext.Normalize(p))})
	}
	return out
}()

var (
	// pastCues say the event is over or recurring: a request to fix its
	// cause is an opinion, not an emergency.
	pastCues = cues("hôm qua", "hôm trước", "tuần trước", "tuần rồi", "tháng trước", "tháng rồi", "năm ngoái",
		"năm trước", "thường xuyên", "hay xảy ra", "thường xảy ra", "nhiều vụ", "nhiều lần", "tình trạng",
		"đã từng", "trước đây", "đề nghị", "kiến nghị", "phản ánh", "nguy cơ", "dễ xảy ra", "yesterday",
		"last week", "last month", "last year", "often", "frequently", "repeatedly", "many accidents",
		"risk of", "please fix", "please install", "suggest")
	// nowCues override pastCues: someone needs help at once.
	nowCues = cues("ngay bây giờ", "bây giờ", "ngay lập tức", "cứu với", "cứu tôi", "khẩn cấp", "gấp gấp",
		"right now", "now", "help me", "urgent", "emergency", "hurry")
)

// emergency reports whether text describes danger happening now.
func emergency(text string, ws []string) bool {
	var lower string // computed only when an accented cue needs it
	found := false
	for i, w := range ws {
		for _, c := range emergencyCues[w] {
			if !hasAt(ws, i, c.words) || negated(ws, i) {
				continue
			}
			if c.accented != "" {
				if lower == "" {
					lower = strings.ToLower(vntext.Normalize(text))
				}
				if vntext.Fold(lower) != lower && !strings.Contains(lower, c.accented) {
					continue
				}
			}
			found = true
			break
		}
		if found {
			break
		}
	}
	if !found {
		return false
	}
	return !has(ws, pastCues) || has(ws, nowCues)
}
