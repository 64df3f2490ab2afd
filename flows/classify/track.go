package classify

import (
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strings"

	"langnghe"
)

// Legal-track cues. A chat message cannot itself be a complaint or a
// denunciation (the law wants a signed form), and the resident chooses the
// track; these cues only suggest one, so that the flow can explain the
// formal route. Residents rarely use the legal words: a complaint contests
// a decision or act of an agency that concerns them ("xã cắt trợ cấp của mẹ
// tôi mà không nêu lý do"), a denunciation reports wrongdoing by an official
// or an organisation ("trưởng ấp thu tiền không biên lai"); and when they do
// use the words it is often loosely ("tố cáo quán karaoke hát tới 2h sáng").
var (
	// denounceCues and complainCues name the formal tracks.
	denounceCues = phrases("tố cáo", "tố giác", "đơn tố cáo", "denounce", "denouncing", "denunciation",
		"whistleblower", "whistleblowing", "report corruption", "reporting corruption", "report the corruption")
	complainCues = phrases("khiếu nại", "khiếu kiện", "đơn khiếu nại", "complain", "complaint", "complaints",
		"complaining", "appeal", "appealing")

	// adverseActs are what an agency does against a person: refusing,
	// cutting, fining, recovering, removing from a list. Done to the writer
	// and contested even lightly ("dù đủ điều kiện", "trong khi hàng xóm vẫn
	// được cấp"), they make a complaint. neutralActs (a decision, a notice,
	// compensation) need a plain dispute.
	adverseActs = phrases("từ chối", "không cấp", "không chịu cấp", "không chịu", "bác đơn", "bác hồ sơ",
		"bị bác", "trả hồ sơ", "trả về", "loại khỏi", "loại ra", "bị loại", "xóa tên", "xoá tên", "cắt tên",
		"đưa ra khỏi", "cắt trợ cấp", "cắt chế độ", "cắt tiền", "bị cắt", "ngưng trợ cấp", "ngưng chi trả",
		"dừng chi trả", "chấm dứt", "tính thiếu", "tính sai", "đo sai", "ghi sai", "áp giá", "áp đơn giá",
		"thu hồi", "cưỡng chế", "xử phạt", "phạt", "bị phạt", "phạt tiền", "quyết định phạt", "phạt nguội", "tạm giữ",
		"kỷ luật", "cho nghỉ việc", "buộc thôi việc", "đuổi việc", "sa thải", "tháo dỡ", "phá dỡ", "đập bỏ",
		"không giải quyết", "không cho", "không nhận", "không xác nhận", "không chứng thực", "hạ hạnh kiểm",
		"hạ điểm", "giữ sổ", "không trả", "không được xét", "không được hưởng", "không được cấp",
		"giao đất cho người khác", "ấn định thuế", "buộc", "bắt tôi", "bị tính", "không có tên",
		"không có trong danh sách", "charged", "refused", "rejected", "denied", "stopped", "evicted",
		"fined", "take back", "reclaim", "cut off", "removed from")
	neutralActs = phrases("quyết định", "thông báo", "biên bản", "kết quả", "kết luận", "phương án",
		"bồi thường", "đền bù", "giao đất", "xét tuyển", "xếp mức", "cấp sổ", "xác minh", "hỗ trợ", "trợ cấp",
		"decision", "compensation", "permit", "fine", "allowance", "valued", "valuation", "counted",
		"assessment", "tax")
	// personalCues: the act concerns the writer or their family.
	personalCues = phrases("tôi", "nhà tôi", "gia đình tôi", "em", "mình", "chúng tôi", "tui", "my", "me", "i",
		"we", "our", "us")
	// contrastCues set what was done against what should have been.
	contrastCues = phrases("nhưng", "mà không", "mà vẫn", "vẫn", "dù", "mặc dù", "trong khi", "chỉ vì",
		"cho người khác", "đủ điều kiện", "không có gì thay đổi", "đề nghị áp", "đề nghị tính", "so với thực tế",
		"so với", "although", "but", "even", "while", "though")
	// disputeCues say the person contests it; most are enough alone with
	// an act (strongDispute), the others only add up (weakDispute).
	strongDispute = phrases("không đồng ý", "không đồng tình", "không chấp nhận", "không thống nhất", "phản đối",
		"xem xét lại", "hủy bỏ", "huỷ bỏ", "hủy", "huỷ", "là sai", "vậy là sai", "phạt sai", "tính sai",
		"đo sai", "ghi sai", "cấp sai", "làm sai", "xử lý sai", "quyết định sai", "sai quy trình", "sai sự thật",
		"sai hoàn toàn", "sai luật", "sai quy định", "trái luật", "không đúng luật", "oan", "vô lý", "không công bằng", "bất công",
		"không thỏa đáng", "không thoả đáng", "không đúng", "trái quy định", "trái pháp luật", "quá nặng",
		"không có lý do", "không nêu lý do", "không rõ lý do", "không thông báo lý do", "không giải thích",
		"không ai giải thích", "không nói rõ lý do", "không có quyết định", "chưa có quyết định",
		"không có biên bản", "không bồi thường", "chưa nhận được đồng", "tính lại", "chấm lại", "rà soát",
		"điều chỉnh lại", "nhầm", "không phải lỗi", "đâu phải lỗi", "không vi phạm", "lần 2", "lần hai",
		"giải quyết lần đầu", "đơn phương", "trước thời hạn", "không công khai tiêu chí",
		"disagree", "wrong", "unfair", "unjust", "not accept", "do not accept", "don t accept",
		"without any explanation", "without explanation", "no written decision", "reviewed", "review",
		"cancel", "cancelled", "mistake", "far below", "without any reason", "without reason")
	weakDispute = phrases("mặc dù", "dù", "trong khi", "đủ điều kiện", "yêu cầu", "mấy lần", "bị từ chối",
		"không trả lời", "không chịu", "thiếu", "thấp", "đúng quy định", "được phép", "cho phép", "đầy đủ",
		"hợp lệ", "có giấy phép", "có đúng không", "đúng luật không", "có đúng luật", "như vậy có đúng",
		"but", "even", "clearly", "corrected")

	// wrongCues are wrongdoing that needs no more to be a denunciation;
	// moneyCues and abuseCues are one when an official or an organisation
	// does them (actorCues).
	wrongCues = phrases("hối lộ", "tham nhũng", "tham ô", "ăn chặn", "vòi tiền", "vòi vĩnh", "biển thủ", "bỏ túi",
		"bảo kê", "làm giả", "giả mạo", "giả chữ ký", "chữ ký giả", "hồ sơ giả", "bằng cấp giả", "bằng giả",
		"giấy tờ giả", "giấy giả", "xác nhận giả", "cư trú giả", "khai khống", "kê khống",
		"ghi khống", "đơn khống", "khống", "chứng từ khống", "rút ruột", "móc ngoặc", "thông đồng", "cấu kết", "bao che", "lạm quyền",
		"lộng quyền", "lợi dụng chức vụ", "lạm dụng chức vụ", "lợi dụng quyền", "trù dập", "ăn chênh lệch",
		"ăn bớt", "bớt xén", "xà xẻo", "ăn chia", "chia nhau", "phong bì", "chạy án", "chạy chức", "chạy trường",
		"lạm thu", "dìm giá", "tiền đi đâu", "không rõ đi đâu", "làm ngơ", "chiếm đoạt", "tư lợi", "trục lợi", "bribe", "bribes",
		"bribery", "bribed", "corrupt", "corruption", "embezzle", "embezzled", "embezzlement", "embezzling",
		"kickback", "kickbacks", "extort", "extortion", "extorting", "abuse of power", "taking a cut",
		"takes a cut", "falsified", "forged", "in exchange for money", "kept the money")
	moneyCues = phrases("nhận tiền", "lấy tiền", "đòi tiền", "xin tiền", "ăn tiền", "đưa tiền", "thu tiền",
		"ép đóng",
		"thu phí", "bồi dưỡng", "phí dịch vụ", "không có biên lai", "không có phiếu thu", "không biên lai",
		"giữ lại", "xài riêng", "sử dụng riêng", "dùng riêng", "cho vay lấy lãi", "nhận quà", "cân thiếu",
		"không nộp về", "ko nộp về", "mới chịu", "mới ký", "mới làm", "mới xác nhận", "mới giải ngân",
		"xe công", "tài sản công", "của công", "quỹ", "take money", "takes money", "taking money",
		"asked me for", "asking for money", "no receipts", "no receipt", "extra fees", "tài khoản riêng",
		"túi riêng", "lĩnh tiền", "để lĩnh", "để nhận thêm", "để hưởng", "hoa hồng", "charges", "a fee",
		"should be free", "sold", "demanded money", "demand money", "asked for money", "commune money", "public money",
		"state money")
	abuseCues = phrases("người nhà", "người thân", "người quen", "em vợ", "anh rể", "chỉ định thầu",
		"không có trong quy định", "ngoài quy định", "lấy danh nghĩa", "danh nghĩa", "cổ phần", "lợi ích nhóm",
		"sân sau", "bắt mua", "ép mua", "bà con của", "họ hàng", "đứng tên", "người đã chết", "khai tăng",
		"khai man", "tiếp tay", "his own", "for himself", "her own",
		"không đấu giá", "đất công", "ép", "dọa", "sai phạm", "gian lận", "khuất tất", "tịch thu",
		"đánh người", "tự ý", "cố tình", "quyền hạn", "relatives", "brother in law", "without bidding", "fake",
		"protects", "public land", "sold the")
	actorCues = phrases("cán bộ", "công chức", "viên chức", "chủ tịch", "chủ nhiệm", "hiệu phó", "bí thư", "trưởng ấp", "phó ấp",
		"trưởng khu phố", "trưởng ban", "tổ trưởng", "trưởng thôn", "công an", "cảnh sát", "thanh tra",
		"kiểm lâm", "địa chính", "tư pháp", "kế toán", "thủ quỹ", "hiệu trưởng", "giáo viên", "bác sĩ",
		"trạm y tế", "xã", "ủy ban", "uỷ ban", "ban quản lý", "đội trật tự", "đoàn kiểm tra", "nhà thầu",
		"công ty", "doanh nghiệp", "hợp tác xã", "giám đốc", "mặt trận", "ngân hàng", "ban bồi thường",
		"official", "officials", "officer", "officers", "police", "chairman", "hamlet head", "principal",
		"commune", "contractor", "company", "chief", "head")

	// questionCues ask how the procedure works; hypotheticalCues suppose.
	// Either way the resident asks for guidance: feedback, though the flow
	// should still offer the choice of track.
	questionCues = phrases("thủ tục", "như thế nào", "thế nào", "ở đâu", "làm sao", "làm gì", "mẫu đơn",
		"hướng dẫn", "bao lâu", "bao nhiêu ngày", "thời hiệu", "thời hạn", "quy trình", "có được không",
		"được không", "có cần", "có được", "cho hỏi", "xin hỏi", "muốn hỏi", "hỏi", "lên đâu", "gửi đâu", "nộp đâu", "gửi cho ai", "gửi ai",
		"cách", "khi nào", "bao giờ", "when",
		"how", "where", "can i", "what", "do i", "should i")
	hypotheticalCues = phrases("nếu", "nếu không", "nếu tôi", "nếu bị", "nếu như", "nếu mà", "giả sử",
		"trong trường hợp", "if")
	// policyCues discuss policy or the law, praiseCues thank: neither
	// accuses anyone.
	policyCues = phrases("góp ý", "chủ trương", "phòng chống", "chống tham nhũng", "dự thảo",
		"nghị quyết", "tuyên truyền", "ủng hộ", "tăng cường", "nên", "đề xuất", "policy", "draft law",
		"anti corruption", "should", "suggest")
	praiseCues = phrases("cảm ơn", "nhiệt tình", "minh bạch", "đánh giá cao", "thank", "thanks")
	// nuisanceCues are everyday troubles between neighbours and with
	// services: with them the words "tố cáo", "khiếu nại" are used loosely.
	nuisanceCues = phrases("karaoke", "hát", "tiếng ồn", "ồn", "ồn ào", "rác", "rác thải", "đốt rác", "khói", "bụi",
		"gây bụi", "bụi bặm", "khói bụi", "bụi quá", "mùi hôi", "hôi thối", "chó", "heo", "gà", "nuôi", "lạng lách",
		"chạy xe", "quá tốc độ", "ổ gà", "đèn đường", "mạng", "internet", "nước yếu", "nước đục", "vỉa hè", "loa",
		"nhạc", "hàng xóm", "xe tải", "cúp điện", "điện cúp", "mất điện", "noise", "noisy", "loud", "stray", "dogs",
		"water supply", "smell", "garbage", "trash", "pothole", "potholes", "street light", "streetlight")
)

// trackSignals is what the legal-track cues found in a message.
type trackSignals struct {
	namesDenunciation, namesComplaint bool // the words themselves, not negated
	// The substance, whatever the words: wrongdoing that is one whoever
	// does it (wrong), money taken or a position abused by an official or
	// an organisation (abuse), a decision or act contested (complaint).
	wrong, abuse, complaint bool
	// suspect: the substance is there but supposed or asked about ("nếu
	// không đồng ý với mức bồi thường thì làm sao?"): the flow asks.
	suspect bool
	// guidance: the message supposes or thanks rather than reports.
	guidance bool
	// complaintHint and denunciationHint are parts of the substance, too
	// little alone: an agency's act or a dispute; an official or an
	// organisation named.
	complaintHint, denunciationHint bool
	question, policy, nuisance      bool
}

// legalTrack suggests a track for a message and says whether the flow should
// ask the resident which track they mean: when a formal track is suggested,
// when the message names one, or when it asks how to contest a decision or
// report an official.
//
// The substance decides first: wrongdoing such as bribery is a
// denunciation, a contested decision a complaint, and money taken by an
// official a denunciation unless the message contests a decision (a fine
// that was paid is still contested). The words alone suggest their track
// unless the message asks how the procedure works, discusses policy, or is
// about a nuisance ("tố cáo quán karaoke hát tới 2h sáng"): then it is
// feedback, and the flow still asks, since only the resident knows what they
// mean. Where the cues found only part of the substance, the track model may
// still be sure (see trackModel.rescue).
func legalTrack(text string, ts *tokens, m *trackModel, hs []uint64) (langnghe.LegalTrack, bool) {
	s := trackSignalsOf(text, ts)
	// Naming both tracks ("đơn thư khiếu nại, tố cáo") is talk about the
	// procedure, not a case.
	both := s.namesComplaint && s.namesDenunciation
	loose := s.question || s.policy || s.nuisance || both
	var t langnghe.LegalTrack
	switch {
	case s.wrong:
		t = langnghe.TrackDenunciation
	case s.complaint:
		t = langnghe.TrackComplaint
	case s.abuse:
		t = langnghe.TrackDenunciation
	case s.namesDenunciation && !loose:
		t = langnghe.TrackDenunciation
	case s.namesComplaint && !loose:
		t = langnghe.TrackComplaint
	case m != nil && !loose && !s.guidance:
		t = m.rescue(s, hs)
	default:
		t = langnghe.TrackFeedback
	}
	ask := t != langnghe.TrackFeedback || s.namesDenunciation || s.namesComplaint || s.suspect
	return t, ask
}

func trackSignalsOf(text string, ts *tokens) trackSignals {
	s := trackSignals{
		namesDenunciation: ts.named(denounceCues),
		namesComplaint:    ts.named(complainCues),
		question:          strings.ContainsRune(text, '?') || ts.contains(questionCues),
		policy:            ts.contains(policyCues),
		nuisance:          ts.contains(nuisanceCues),
	}
	if ts.contains(praiseCues) {
		s.guidance = true
		return s // thanks accuse nobody and contest nothing
	}
	hypothetical := ts.contains(hypotheticalCues)
	s.guidance = hypothetical

	// A complaint contests an act: an adverse act done to the writer and
	// contested even lightly, any act plainly disputed, or several hints.
	strong, weak := ts.contains(strongDispute), ts.count(weakDispute)
	adverse := ts.contains(adverseActs) || ts.agencyAgainst()
	s.complaintHint = adverse || strong || ts.contains(neutralActs)
	contested := adverse && ts.contains(personalCues) && (strong || weak > 0 || ts.contains(contrastCues)) ||
		(adverse || ts.contains(neutralActs)) && (strong || weak >= 2)
	s.complaint = contested && !hypothetical

	// A denunciation accuses someone: of a wrong that is one whoever does
	// it, or of taking money or abusing a position as an official or an
	// organisation. Policy talk accuses nobody; a question ("where can I
	// report corruption?", "cán bộ nhận tiền có sai không?") accuses only
	// when it names the wrong and who did it.
	actor := ts.contains(actorCues)
	s.denunciationHint = actor
	wrong := ts.contains(wrongCues)
	abuse := (ts.contains(moneyCues) || ts.demandsMoney() || ts.contains(abuseCues)) && actor
	if !s.policy {
		s.wrong = wrong && (actor || !s.question)
		s.abuse = abuse && !s.question
	}
	s.suspect = contested || !s.policy && (wrong || abuse)
	return s
}

// cueAt reports whether cue c starts at token i. A cue of one word must
// carry its accents (see cueWord.single) and, if ambiguous, is not matched
// in text typed without accents: "gia" there is gia đình far more often than
// giả; a phrase settles its words.
func (t *tokens) cueAt(i int, c *phrase) bool { return t.matchAt(i, c, len(c.words) == 1) }

// contains reports a cue of x in the text, negated or not: most complaint
// cues are negations themselves ("không đồng ý", "không cấp").
func (t *tokens) contains(x phraseSet) bool { return t.count(x) > 0 }

// count returns at how many places a cue of x occurs.
func (t *tokens) count(x phraseSet) int {
	n := 0
	for i := range t.toks {
		for _, c := range x[t.toks[i].fold] {
			if t.cueAt(i, c) {
				n++
				break
			}
		}
	}
	return n
}

// named reports a cue of x that is not negated ("tôi không tố cáo ai").
func (t *tokens) named(x phraseSet) bool {
	for i := range t.toks {
		for _, c := range x[t.toks[i].fold] {
			if t.cueAt(i, c) && !t.negated(i) {
				return true
			}
		}
	}
	return false
}

// demandsMoney finds a demand followed by a sum: "đòi 5 triệu", "bắt nộp
// 500k", "asked me for 10 million".
func (t *tokens) demandsMoney() bool {
	for i := range t.toks {
		if !t.isSum(i) {
			continue
		}
		for j := max(0, i-3); j < i; j++ {
			switch t.toks[j].fold {
			case "doi", "xin", "bat", "nop", "dua", "lay", "thu", "asked", "demanded", "pay", "paid":
				return true
			}
		}
	}
	return false
}

// isSum reports a sum of money at token i: "500k", "5tr", "5 triệu", "200
// nghìn", "10 million".
func (t *tokens) isSum(i int) bool {
	w := t.toks[i].fold
	if w == "" || w[0] < '0' || w[0] > '9' {
		return false
	}
	unit := strings.TrimLeft(w, "0123456789.,")
	if unit == "" && i+1 < len(t.toks) {
		unit = t.toks[i+1].fold
	}
	switch unit {
	case "k", "tr", "trieu", "nghin", "ngan", "dong", "d", "million", "m", "vnd":
		return true
	}
	return false
}

// agencyAgainst finds an agency acting against someone in the grammar of
// it: the adverse passive "bị" followed by who did it ("em bị xã lập biên
// bản", "bị công an tạm giữ"), or an agency that refuses ("chi cục thuế
// không chấp nhận", "xã không đồng ý cho tôi tách thửa").
func (t *tokens) agencyAgainst() bool {
	for i := range t.toks {
		switch {
		case t.match(i, passive, true):
			for j := i + 1; j < min(len(t.toks), i+3); j++ {
				if t.cueStarts(j, actorCues) {
					return true
				}
			}
		case t.cueStarts(i, actorCues):
			for j := i + 1; j < min(len(t.toks), i+5); j++ {
				if t.cueStarts(j, refusals) {
					return true
				}
			}
		}
	}
	return false
}

var passive = word("bị")

// refusals are what an agency says when it refuses.
var refusals = phrases("không chấp nhận", "không đồng ý", "không cho", "không chịu", "từ chối", "refused",
	"rejected")

// cueStarts reports whether a cue of x starts at token i.
func (t *tokens) cueStarts(i int, x phraseSet) bool {
	for _, c := range x[t.toks[i].fold] {
		if t.cueAt(i, c) {
			return true
		}
	}
	return false
}

// trackModel is a small multinomial naive Bayes over folded syllables and
// syllable pairs that tells feedback, complaints and denunciations apart.
// The cues above are precise but know only the phrasings someone wrote down;
// on texts written after they were tuned they found about half of the
// complaints and denunciations. The model, trained on its own corpus
// (track_training.tsv, plus the ordinary opinions of training.tsv as
// feedback), knows more ways of saying it, and is trusted only where the
// cues see part of the substance (see rescue).
type trackModel struct {
	evidence map[uint64][numTracks]float32 // log P(feature | track)
	unknown  [numTracks]float32            // log P of a feature never seen with the track
}

const numTracks = 3

// modelTracks orders the tracks in trackModel.
var modelTracks = [numTracks]langnghe.LegalTrack{langnghe.TrackFeedback, langnghe.TrackComplaint,
	langnghe.TrackDenunciation}

// Track model parameters, chosen on testdata/tracks.tsv and the feedback of
// testdata/devset.tsv (see TestTrackFigures, TestDevSet).
const (
	trackSmoothing = 0.1
	// trackSharpness scales the per-feature evidence before the softmax;
	// dividing by sqrt(features) keeps long messages from being certain of
	// everything.
	trackSharpness = 2.0
	// rescueConfidence is the model's probability of a formal track at and
	// above which it overrides the cues' "feedback". It is high: most
	// messages are feedback, and a false rescue asks a resident a question
	// they did not need. At 0.99 it rescues 3 of the 340 feedback rows of
	// testdata/devset.tsv, at 0.98 six, at 0.9 sixteen.
	rescueConfidence = 0.99
)

//go:embed track_training.tsv
var trackTrainingFile string

func newTrackModel(opinions []Labelled) (*trackModel, error) {
	var counts = map[uint64][numTracks]float64{}
	var totals [numTracks]float64
	add := func(k int, text string) {
		for _, f := range features(hashes(words(text))) {
			row := counts[f]
			row[k]++
			counts[f] = row
			totals[k]++
		}
	}
	for n, line := range strings.Split(trackTrainingFile, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		label, text, ok := strings.Cut(line, "\t")
		k := slices.Index(modelTracks[:], langnghe.LegalTrack(label))
		if !ok || k < 0 || strings.TrimSpace(text) == "" {
			return nil, fmt.Errorf("track_training.tsv line %d: want track<TAB>text", n+1)
		}
		add(k, text)
	}
	for _, o := range opinions {
		add(0, o.Text)
	}
	m := &trackModel{evidence: make(map[uint64][numTracks]float32, len(counts))}
	vocab := float64(len(counts))
	for k := range numTracks {
		m.unknown[k] = float32(math.Log(trackSmoothing / (totals[k] + trackSmoothing*vocab)))
	}
	for f, row := range counts {
		var e [numTracks]float32
		for k, n := range row {
			e[k] = float32(math.Log((n + trackSmoothing) / (totals[k] + trackSmoothing*vocab)))
		}
		m.evidence[f] = e
	}
	return m, nil
}

// rescue returns the track the model is sure of where the cues found only
// a hint of its substance, and feedback otherwise: a complaint needs an act
// or a dispute in the text, a denunciation someone to accuse.
func (m *trackModel) rescue(s trackSignals, hs []uint64) langnghe.LegalTrack {
	p := m.probabilities(hs)
	switch {
	case p[1] >= rescueConfidence && s.complaintHint:
		return langnghe.TrackComplaint
	case p[2] >= rescueConfidence && s.denunciationHint:
		return langnghe.TrackDenunciation
	}
	return langnghe.TrackFeedback
}

// probabilities returns the model's probability of each track for the
// features of a message.
func (m *trackModel) probabilities(hs []uint64) [numTracks]float64 {
	var s [numTracks]float64
	fs := features(hs)
	for _, f := range fs {
		e, ok := m.evidence[f]
		if !ok {
			e = m.unknown
		}
		for k := range s {
			s[k] += float64(e[k])
		}
	}
	top := slices.Max(s[:])
	scale := trackSharpness / math.Sqrt(float64(len(fs)+1))
	var p [numTracks]float64
	sum := 0.0
	for k := range s {
		p[k] = math.Exp((s[k] - top) * scale)
		sum += p[k]
	}
	for k := range p {
		p[k] /= sum
	}
	return p
}
