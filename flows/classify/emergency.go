package classify

import (
	"slices"
	"strings"
)

// Emergency is the kind of danger a text describes; "" when none. The kind
// decides which number the resident is given first; every kind is an
// emergency all the same.
type Emergency string

// The kinds of emergency, by the number that answers them in Vietnam.
//
// Drowning is EmergencyFire: 114 is the line of the fire and rescue police
// (Cảnh sát PCCC và CNCH), whose rescue duty covers drowning, people fallen
// into wells and pits, collapsed buildings and traffic accidents with people
// trapped; the call is routed to the local team, the one that can be at a
// lake or a river within minutes, and it is the number the authorities tell
// people to call for drowning. 112 (national search and rescue) is for
// events wider than one place: floods, flash floods, landslides, people
// trapped by water or missing. A reply or a label for EmergencyFire must
// therefore not say "fire" alone: 114 is "chữa cháy, cứu nạn, cứu hộ". A
// road accident with someone hurt is EmergencyMedical (115): the ambulance
// is what the injured need first.
const (
	EmergencyFire    Emergency = "fire"    // 114: fire, explosion, gas leak, collapse, drowning, rescue
	EmergencyMedical Emergency = "medical" // 115: injury, accident, unconscious, stroke, poisoning
	EmergencyCrime   Emergency = "crime"   // 113: robbery, fight, violence, attack, break-in in progress
	EmergencyRescue  Emergency = "rescue"  // 112: flood, landslide, trapped, swept away, missing
	// EmergencyUnknown is a call for help that does not say what is wrong
	// ("cứu với", "help", "SOS"): the caller lists every number.
	EmergencyUnknown Emergency = "unknown"
)

// precedence orders the kinds when a text names several: the hazard that
// causes the others comes first ("cháy nhà, có người bị thương" is a fire;
// "đánh nhau, có người bất tỉnh" a crime), and a bare call for help last.
var precedence = [numKinds]Emergency{EmergencyFire, EmergencyCrime, EmergencyRescue, EmergencyMedical,
	EmergencyUnknown}

// DetectEmergency reports the danger text describes, if any. It runs on
// every message at every step before anything else, so it is a plain scan
// over the words (no model), costs a few microseconds, and is safe for
// concurrent use.
//
// Each kind sums the evidence of the phrases found. A decisive phrase
// ("cháy nhà", "đuối nước", "cứu với", "bị đâm", "someone collapsed") is
// enough alone; partial ones ("bốc khói", "tiếng nổ", "gục xuống", "nước
// lên", "không ra được") must add up, helped by words that say it is
// happening now ("đang", "vừa", "có người", "giúp"), so that a resident who
// describes the danger in their own words is understood. The text is then an
// opinion, not an emergency, when it says the event is over, recurring, a
// risk or a policy matter ("năm ngoái", "hay xảy ra", "nguy cơ", "bồi
// thường"): a past accident that asks for compensation is an opinion; and a
// request or suggestion ("đề nghị lắp đèn") cancels evidence that is not
// decisive. Harmless senses are blocked first ("phòng cháy chữa cháy",
// "nghiên cứu", "cướp đất", "kẹt xe").
//
// Words that fold to a harmless word ("cháy"/"chạy" → "chay",
// "cứu"/"cựu"/"cửu" → "cuu") must carry their accent when the resident types
// accents; typed without any accent, they count only in a frame that settles
// them ("chay nha", "co chay o ap 3", "cuu voi", or the whole message).
func DetectEmergency(text string) Emergency {
	ts := tokenize(text)
	return detectEmergency(&ts)
}

// detectEmergency is DetectEmergency on a tokenized text, which Classify
// shares with the legal-track cues.
func detectEmergency(ts *tokens) Emergency {
	if len(ts.toks) == 0 {
		return ""
	}
	blocked := ts.blockers()
	var score [numKinds]float64
	var decisive [numKinds]bool
	boost, person := 0.0, 0.0
	for i := 0; i < len(ts.toks); {
		c := ts.trigger(i, blocked)
		if c == nil {
			i++
			continue
		}
		n := len(c.words)
		if ts.negated(i) || ts.hypothetical(i) || !ts.framed(i, c) {
			i += n
			continue
		}
		switch c.kind {
		case emergencyNow:
			boost += c.weight
		case emergencyPerson:
			person = min(person+c.weight, maxPersonBoost)
		default:
			k := kindIndex(c.kind)
			score[k] += c.weight
			decisive[k] = decisive[k] || !c.weak
		}
		i += n
	}
	if k, ok := ts.incapacity(); ok {
		score[kindIndex(k)] += incapacityWeight
	}
	boost = min(boost+person, maxBoost)
	var hit [numKinds]bool
	found, anyDecisive := false, false
	for k := range score {
		if score[k] >= minEvidence && score[k]+boost >= enough {
			hit[k], found = true, true
			anyDecisive = anyDecisive || decisive[k]
		}
	}
	if !found {
		return ""
	}
	if !ts.has(nowCues) {
		if ts.hasLoose(overCues) || ts.pastYear() {
			return ""
		}
		// A request, a suggestion or a nuisance is an opinion unless
		// something decisive is happening.
		if ts.hasLoose(opinionCues) {
			if !anyDecisive {
				return ""
			}
			for k := range hit {
				hit[k] = hit[k] && decisive[k]
			}
		}
	}
	for k, kind := range precedence {
		if hit[k] {
			return kind
		}
	}
	return ""
}

// Evidence is counted in these units: a decisive phrase weighs 3, a phrase
// that suffices but an opinion may use weighs 2, partial evidence less.
const (
	enough      = 2.0 // evidence that makes an emergency
	minEvidence = 1.0 // a kind needs this much of its own before "now" words help
	maxBoost    = 1.0 // at most this much from "now" words and people
	// maxPersonBoost: naming people ("ông", "con tôi") says little on its
	// own, since opinions are about people too.
	maxPersonBoost = 0.5
)

const numKinds = 5

// emergencyNow marks cues that say something is happening now; they add to
// every kind that has evidence of its own.
const emergencyNow Emergency = "now"

// emergencyPerson marks cues that name a person at risk.
const emergencyPerson Emergency = "person"

// kindIndex is a kind's place in precedence.
func kindIndex(k Emergency) int { return slices.Index(precedence[:], k) }

// span is the tokens [from, to) a blocker covers.
type span struct{ from, to int }

// blockers finds the harmless phrases first, so that a trigger starting
// earlier cannot swallow them: in "bị cháy nắng" (sunburnt) the blocker
// "cháy nắng" wins over the trigger "bị cháy". It returns, per token, the
// blocker covering it, if any.
func (t *tokens) blockers() []span {
	var out []span
	for i := range t.toks {
		for _, c := range emergencyBlockers[t.toks[i].fold] {
			if !t.matchAt(i, c, false) {
				continue
			}
			if out == nil {
				out = make([]span, len(t.toks))
			}
			for j := i; j < i+len(c.words); j++ {
				if out[j].to == 0 {
					out[j] = span{i, i + len(c.words)}
				}
			}
			break
		}
	}
	return out
}

// trigger returns the longest trigger at token i that no blocker vetoes. A
// trigger may contain a whole blocker: "cần cứu hộ" (we need rescue) is a
// call although "cứu hộ" alone is the tow service.
func (t *tokens) trigger(i int, blocked []span) *phrase {
next:
	for _, c := range emergencyCues[t.toks[i].fold] {
		if !t.matchAt(i, c, false) {
			continue
		}
		if blocked != nil {
			end := i + len(c.words)
			for j := i; j < end; j++ {
				if b := blocked[j]; b.to != 0 && (b.from < i || b.to > end) {
					continue next
				}
			}
		}
		return c
	}
	return nil
}

// negated reports whether one of the two words before i negates it ("không
// có cháy", "không ai bị thương").
func (t *tokens) negated(i int) bool { return t.cueBefore(i, 2, negations, false) }

// hypothetical reports whether a word a little before i says what follows
// is feared or supposed, not seen: "sợ các cháu bị ngộ độc", "nếu có cháy".
func (t *tokens) hypothetical(i int) bool { return t.cueBefore(i, 4, hypotheticals, true) }

// cueBefore reports whether one of the n words before i is one of cues
// (matched as match does, strict or not).
func (t *tokens) cueBefore(i, n int, cues []cueWord, strict bool) bool {
	for j := max(0, i-n); j < i; j++ {
		for _, w := range cues {
			if t.match(j, w, strict) {
				return true
			}
		}
	}
	return false
}

var hypotheticals = []cueWord{word("sợ"), word("lo"), word("nếu"), word("lỡ"),
	word("if"), word("afraid"), word("might"), word("worried")}

// incapacity finds someone unable to do what life needs, said the way
// Vietnamese says it: "không" near a vital verb and "được" or "nổi" ("ông
// bà không ra được", "bơi vào bờ không nổi", "không thở được"). It is
// partial evidence (incapacityWeight): "không ra được" alone may be about
// a permit.
func (t *tokens) incapacity() (Emergency, bool) {
	for i, tok := range t.toks {
		if tok.fold != "khong" {
			continue
		}
		able := false
		for j := i + 1; j < min(len(t.toks), i+5); j++ {
			if t.match(j, able1, true) || t.match(j, able2, true) {
				able = true
				break
			}
		}
		if !able {
			continue
		}
		for j := max(0, i-3); j < min(len(t.toks), i+4); j++ {
			for _, v := range vitalVerbs {
				if t.match(j, v.word, true) {
					return v.kind, true
				}
			}
		}
	}
	return "", false
}

// incapacityWeight: see incapacity.
const incapacityWeight = 1.5

var able1, able2 = word("được"), word("nổi")

// vitalVerbs are what someone in danger cannot do, and the kind of danger
// that says: cannot get out (trapped), breathe or get up (ill or hurt),
// swim or reach the bank (drowning). "đi" is left out: "xe không đi được"
// is a muddy road.
var vitalVerbs = func() []vitalVerb {
	var out []vitalVerb
	add := func(k Emergency, ws ...string) {
		for _, w := range ws {
			out = append(out, vitalVerb{word(w), k})
		}
	}
	add(EmergencyRescue, "ra", "thoát")
	add(EmergencyMedical, "thở", "dậy", "tỉnh", "cử", "nhúc", "đứng", "ngồi")
	add(EmergencyFire, "bơi", "bờ")
	return out
}()

type vitalVerb struct {
	word cueWord
	kind Emergency
}

// framed checks a trigger's surroundings: its notAfter and notNext words,
// and, for a single ambiguous word typed without accents, a frame that
// settles its meaning.
func (t *tokens) framed(i int, c *phrase) bool {
	n := len(c.words)
	for j := max(0, i-3); j < i; j++ {
		if slices.Contains(c.notAfter, t.toks[j].fold) {
			return false
		}
	}
	for j := i + n; j < min(len(t.toks), i+n+2); j++ {
		if slices.Contains(c.notNext, t.toks[j].fold) {
			return false
		}
	}
	if !t.unsettled(i, c) {
		return true
	}
	// "chay", "cuu" typed without accents: the whole message ("chay!!",
	// "cuu"), a place after it ("chay o cho"), or "có"/"bị" before it.
	if len(t.toks) <= 3 {
		return true
	}
	if i+1 < len(t.toks) && (t.toks[i+1].fold == "o" || t.toks[i+1].fold == "tai") {
		return i == 0 || !slices.Contains(harmlessBeforeChay, t.toks[i-1].fold)
	}
	if i > 0 && (t.toks[i-1].fold == "co" || t.toks[i-1].fold == "bi") {
		return i < 2 || !slices.Contains(harmlessBeforeChay, t.toks[i-2].fold)
	}
	return false
}

// unsettled reports whether the words matched at i leave the meaning open:
// a single ambiguous word typed without accents ("chay"), or a cue marked
// needAccent whose ambiguous word was ("chay qua" is chạy qua, to drive
// through, far more often than cháy quá).
func (t *tokens) unsettled(i int, c *phrase) bool {
	if len(c.words) > 1 && !c.needAccent {
		return false
	}
	for j, w := range c.words {
		if w.amb && t.toks[i+j].ascii {
			return true
		}
	}
	return false
}

// harmlessBeforeChay: after these, an unaccented "chay" is chạy (vehicles,
// people run), chảy (water, blood flow) or chay (ăn chay).
var harmlessBeforeChay = []string{"xe", "tau", "ghe", "may", "oto", "nguoi", "nuoc", "mau", "an", "con", "bo", "em", "chung"}

// pastYear reports a year in the past century or this one ("năm 1972",
// "hồi 2020"): the event is history.
func (t *tokens) pastYear() bool {
	for _, tok := range t.toks {
		if len(tok.fold) == 4 && (strings.HasPrefix(tok.fold, "19") || strings.HasPrefix(tok.fold, "20")) &&
			strings.Trim(tok.fold, "0123456789") == "" {
			return true
		}
	}
	return false
}

// negations: "chưa" must carry its accent when the text has accents, since
// "chùa" (pagoda) folds to the same word. English "no" is left out: typed
// without accents it is "nó" (he, she).
var negations = []cueWord{word("không"), word("chưa"), word("not"), word("never")}

// animals: "mèo nhà tôi đi lạc" is not a lost child.
var animals = []string{"meo", "cho", "bo", "ga", "heo", "vit", "trau", "de", "cat", "dog", "cow"}

// vehicles: "xe đang chạy" typed without accents is a vehicle running.
// "xuong" is left out: it is xưởng (a workshop) as often as xuồng (a boat),
// and "xuong go dang chay" is a sawmill on fire.
var vehicles = []string{"xe", "tau", "ghe", "may", "oto", "moto", "thuyen"}

// add adds emergency cues of a kind and weight; below decisiveWeight they
// are weak (see phrase.weak).
func (x phraseSet) add(kind Emergency, weight float64, phrases ...string) {
	for _, p := range phrases {
		x.addCue(&phrase{kind: kind, weight: weight, weak: weight < decisiveWeight}, p)
	}
}

// decisiveWeight is the weight of a phrase that is an emergency on its own
// whatever else the text asks for.
const decisiveWeight = 3.0

// emergencyCues are the triggers and blockers, written as people type them
// with accents; they are folded once at start-up.
var emergencyCues = func() phraseSet {
	x := phraseSet{}
	strong := func(k Emergency, ps ...string) { x.add(k, decisiveWeight, ps...) }
	weak := func(k Emergency, ps ...string) { x.add(k, enough, ps...) }

	// 114: fire, explosion, gas, collapse; drowning and falls into water,
	// wells and pits (see EmergencyFire).
	strong(EmergencyFire, "cháy nhà", "nhà cháy", "nhà bị cháy", "bị cháy", "bốc cháy", "đám cháy", "cháy lớn",
		"cháy to", "cháy rừng", "cháy chợ", "cháy xưởng", "cháy kho", "cháy quán", "cháy tiệm",
		"cháy lan", "lửa lan", "lửa lớn", "lửa bốc", "lửa cháy", "lửa bùng", "hỏa hoạn",
		"nổ bình gas", "nổ bình ga", "nổ gas", "nổ ga", "phát nổ", "vụ nổ", "nổ lớn", "nổ tung", "rò rỉ gas",
		"rò rỉ ga", "rò rỉ khí gas", "rò rỉ khí ga", "rò khí gas", "xì gas", "xì ga", "rò gas", "chập điện cháy",
		"chập cháy", "sập nhà", "nhà sập", "nhà bị sập", "bị sập", "sập cầu", "cầu sập",
		"sập tường", "tường sập", "sập mái", "sập giàn giáo", "đuối nước", "chết đuối", "bị đuối",
		"rơi xuống giếng", "rơi xuống hố", "rơi xuống sông", "rơi xuống hồ", "rơi xuống ao", "rơi xuống kênh",
		"rơi xuống mương", "rớt xuống giếng", "rớt xuống sông", "rớt xuống hồ", "rớt xuống ao", "rớt xuống kênh",
		"té xuống giếng", "té xuống sông", "té xuống hồ", "té xuống ao", "té xuống kênh", "té xuống mương",
		"ngã xuống giếng", "ngã xuống sông", "ngã xuống hồ", "ngã xuống ao", "ngã xuống kênh", "lọt xuống giếng",
		"lọt xuống hố", "nhảy sông", "nhảy cầu", "lật thuyền", "lật xuồng", "lật ghe", "chìm thuyền", "chìm xuồng",
		"chìm ghe", "thuyền chìm", "xuồng chìm", "ghe chìm", "bị chìm",
		"on fire", "fire", "burning", "explosion", "exploded", "gas leak", "leaking gas", "smell gas",
		"building collapsed", "house collapsed", "roof collapsed", "bridge collapsed", "drowning", "drowned",
		"drown", "fell into the river", "fell into the lake", "fell into the water", "fell into a well",
		"fell into the well", "fell into the pond", "fell into the canal", "capsized")
	x.addCue(&phrase{kind: EmergencyFire, weight: decisiveWeight, notAfter: vehicles}, "đang cháy")
	for _, p := range []string{"cháy xe", "xe cháy", "cháy rồi", "cháy quá", "sập đổ", "đổ sập"} {
		x.addCue(&phrase{kind: EmergencyFire, weight: decisiveWeight, needAccent: true}, p)
	}
	// "dung xe" without accents is dùng xe (to use a vehicle).
	x.addCue(&phrase{kind: EmergencyMedical, weight: decisiveWeight, needAccent: true}, "đụng xe")
	weak(EmergencyFire, "cháy", "lửa", "cháy nổ", "chập điện")

	// 115: someone is ill or hurt.
	strong(EmergencyMedical, "ngất xỉu", "bị ngất", "ngất", "xỉu", "bị xỉu", "bất tỉnh", "hôn mê", "co giật",
		"đột quỵ", "đau tim", "lên cơn đau tim", "nhồi máu", "ngừng thở", "không thở được", "không thở nổi",
		"tím tái", "bị sặc", "sặc", "bị hóc", "hóc xương", "rắn cắn", "mất máu", "chảy nhiều máu",
		"chảy máu nhiều", "gãy chân", "gãy tay", "gãy xương", "tự tử", "uống thuốc sâu", "uống thuốc chuột",
		"uống thuốc ngủ", "treo cổ", "điện giật", "bị giật điện", "giật điện", "chuyển dạ", "vỡ ối", "bỏng nặng",
		"bị bỏng", "té cầu thang", "ngã cầu thang", "té từ trên", "ngã từ trên", "đâm xe", "tông xe", "xe tông",
		"bị tông", "bị xe tông", "bị xe đụng", "xe đụng", "lật xe", "xe lật", "té xe", "ngã xe",
		"bị xe cán", "xe cán", "nằm bất động",
		"unconscious", "not breathing", "cant breathe", "can t breathe", "bleeding", "heart attack", "stroke",
		"seizure", "overdose", "poisoned", "injured", "ambulance", "snake bite", "bitten by a snake",
		"electrocuted", "choking", "fainted", "passed out", "hit by a car", "hit by a truck", "hit by a motorbike",
		"car crash", "crash", "collapsed", "in labor", "suicide")
	weak(EmergencyMedical, "khó thở", "gọi xe cấp cứu", "kêu xe cấp cứu", "cần xe cấp cứu", "cấp cứu", "tai nạn", "tai nạn giao thông", "tai nạn lao động", "va chạm",
		"bị thương", "chảy máu", "tai biến", "té ngã", "accident", "hurt")

	// 113: violence or a crime in progress.
	strong(EmergencyCrime, "bị cướp", "có cướp", "cướp xe", "cướp tiệm", "trấn lột", "đánh người", "đánh vợ",
		"đánh chết", "hành hung", "ẩu đả", "hỗn chiến", "đâm chém", "chém nhau", "chém người", "rượt chém",
		"bị chém", "bị đâm", "đâm người", "đâm chết", "bắt cóc", "hiếp dâm", "cưỡng hiếp", "nổ súng", "bắn súng",
		"có súng", "cầm súng", "cầm dao", "cầm mã tấu", "mã tấu", "dọa giết", "đòi giết", "giết người", "đập phá",
		"đột nhập", "cạy cửa", "phá khóa", "trèo tường", "có trộm", "trộm đang", "đang trộm", "bắt trộm",
		"robbery", "robbed", "robbing", "robber", "mugged", "thief", "thieves", "burglar", "burglary",
		"breaking into", "broke into", "break in", "stabbed", "stabbing", "shooting", "shots fired", "gun",
		"knife", "attacking", "attacked", "assault", "assaulted", "beating", "kidnap", "kidnapped", "kidnapping",
		"rape", "raped", "kill me", "killing")
	weak(EmergencyCrime, "cướp", "cướp giật", "đánh nhau", "bạo hành", "xâm hại", "ăn trộm", "kẻ trộm",
		"đánh con", "fight", "fighting")

	// 112: water and earth: trapped, swept away, buried, missing.
	strong(EmergencyRescue, "lũ quét", "lũ cuốn", "nước cuốn", "bị cuốn trôi", "cuốn trôi", "bị cuốn", "mắc kẹt",
		"kẹt trên mái", "kẹt trên nóc", "kẹt trên gác", "kẹt trong", "ngập tới mái", "ngập đến mái", "ngập mái",
		"ngập nóc", "ngập tới nóc", "ngập tới cổ", "ngập đến cổ", "ngập tới ngực", "ngập đến ngực", "ngập qua đầu",
		"ngập đầu", "bị cô lập", "sạt lở đè", "sạt lở vùi", "lở đất vùi", "đất vùi", "đất đá vùi",
		"vùi lấp", "bị vùi", "đè người", "đè chết", "bị đè", "mất tích", "trôi nhà", "nhà bị cuốn", "leo lên mái",
		"landslide", "mudslide", "flash flood", "trapped", "stranded", "buried",
		"missing at sea")
	weak(EmergencyRescue, "bị kẹt")

	// A call for help that does not say what.
	strong(EmergencyUnknown, "cứu với", "cứu tôi", "cứu em", "cứu con", "cứu cháu", "cứu mẹ", "cứu ba", "cứu bố",
		"cứu chồng", "cứu vợ", "cứu người", "cứu mạng", "cứu nhanh", "cứu gấp", "cứu giùm", "cứu gium", "kêu cứu",
		"cần cứu", "cần cứu hộ", "cần cứu nạn", "cứu chúng tôi", "sos", "mayday",
		"someone help", "somebody help", "please help us", "need help now")
	weak(EmergencyUnknown, "cứu", "cứu giúp", "khẩn cấp", "giúp với", "emergency")
	// Partial evidence: a danger told in the resident's own words adds up
	// ("đang bốc khói dữ dội, có tiếng nổ"; "nước lên nhanh quá, ông bà
	// không ra được").
	part := func(k Emergency, w float64, ps ...string) { x.add(k, w, ps...) }
	weak(EmergencyFire, "flames", "lửa bén", "bén lửa", "smell of gas", "không thấy nổi lên", "chưa lên bờ",
		"không lên bờ", "chưa thấy lên", "chìm xuống")
	part(EmergencyFire, 1.5, "bốc khói", "tiếng nổ", "khói đen", "khói mù mịt", "khói nghi ngút", "mùi khét",
		"mùi gas", "mùi ga", "sparks")
	// Falling (1) into water (1) is drowning.
	part(EmergencyFire, 1, "xuống ao", "xuống sông", "xuống hồ", "xuống kênh", "xuống giếng", "xuống mương",
		"xuống suối", "xuống đập", "xuống nước", "into the river", "into the lake", "into the water",
		"into the pond", "into the canal", "into a well", "reservoir")
	part(EmergencyFire, 1, "khói", "nổ", "gas", "bén", "smoke", "tia lửa", "té", "ngã", "rơi", "rớt", "lọt",
		"trượt chân", "fell", "slipped")
	part(EmergencyFire, 0.5, "nồng nặc", "dữ dội")
	weak(EmergencyMedical, "gục xuống", "gục ngã", "ngã gục", "không tỉnh", "không nhúc nhích", "bất động",
		"not moving", "not responding", "unresponsive", "cán qua", "bị cán", "cán chết", "ong đốt", "bị ong",
		"sốc phản vệ", "máu chảy", "mê man", "lịm đi", "tắt thở", "sùi bọt mép", "ngưng tim", "face drooping")
	part(EmergencyMedical, 1.5, "gục", "gọi không trả lời", "không phản ứng", "nôn ói", "ói mửa", "nôn mửa",
		"fell from", "đập đầu")
	// Food poisoning is mostly the topic of an opinion; with symptoms or
	// urgency it is an emergency.
	part(EmergencyMedical, 1.5, "ngộ độc", "poisoning")
	part(EmergencyMedical, 1, "máu", "sưng", "đau ngực", "tím", "fell", "sốt cao")
	part(EmergencyMedical, 0.5, "đau bụng")
	weak(EmergencyCrime, "đang đánh", "đánh hội đồng", "giật túi", "giật điện thoại", "giật dây chuyền", "giật đồ",
		"giật xe", "giật ví", "trộm vừa", "đập cửa", "machete", "machetes", "snatched", "threatening",
		"dọa chém", "đòi chém", "rượt đánh", "đuổi đánh")
	part(EmergencyCrime, 1.5, "súng", "chém", "dao", "trộm vào", "quậy phá", "gây rối")
	part(EmergencyCrime, 1, "bị đánh")
	part(EmergencyCrime, 1, "trộm", "dọa", "gang", "thief")
	for _, p := range []string{"đi lạc", "bị lạc", "lạc mất"} {
		x.addCue(&phrase{kind: EmergencyRescue, weight: enough, weak: true, notAfter: animals}, p)
	}
	weak(EmergencyRescue, "vùi", "không ra được", "không thoát được",
		"không thoát ra", "burst its banks", "stuck on", "nước lên nhanh", "nước dâng nhanh", "lũ lên nhanh",
		"ngập gần tới nóc", "ngập gần tới mái")
	part(EmergencyRescue, 1.5, "stuck", "nước lên", "nước dâng", "lũ lên", "sạt", "sạt lở", "lở đất", "cuốn",
		"rising water", "water rising", "kẹt")
	// A house about to fall ("nhà tôi sắp sụp") is now, not a risk to
	// discuss ("có nguy cơ sạt lở" stays an opinion).
	part(EmergencyRescue, 1.5, "sắp sụp", "sắp sập", "đang sụp", "đang sập", "sụp xuống sông", "sập xuống sông")
	part(EmergencyRescue, 1, "lũ", "lụt", "flood", "flooding", "flooded", "roof", "roofs", "mái nhà", "nóc",
		"gác", "rớt theo")
	part(EmergencyRescue, 0.5, "ngập", "rising")
	weak(EmergencyFire, "phát hỏa", "bắt lửa", "bốc lửa", "đổ đè", "đè lên", "has not come back up",
		"did not come up", "went under")
	part(EmergencyFire, 1, "swimming", "đi tắm sông", "tắm sông", "tắm hồ")
	weak(EmergencyMedical, "uống thuốc trừ sâu", "uống nhầm", "không ngồi dậy được", "không đứng dậy được",
		"không cử động được", "không nói được", "không biết gì", "lips are blue", "cannot breathe")
	part(EmergencyMedical, 1.5, "té từ", "ngã từ", "nói đớ", "méo miệng", "yếu một bên")
	weak(EmergencyCrime, "bắt đi", "kéo lên xe", "bắt lên xe", "bị bắt cóc")
	part(EmergencyCrime, 1, "người lạ", "chở đi")
	weak(EmergencyRescue, "không liên lạc được", "mất liên lạc", "cannot get out", "can t get out",
		"bị mắc", "mắc bên trong", "still rising")
	part(EmergencyRescue, 1.5, "up to our")
	part(EmergencyRescue, 1, "chưa về", "mưa bão", "bên trong")
	// Someone named adds a little too: a danger to a person (see
	// maxPersonBoost).
	x.add(emergencyPerson, 0.5, "người", "ông", "bà", "ba tôi", "mẹ tôi", "bố tôi", "con tôi", "cháu", "em bé",
		"đứa nhỏ", "con nít", "công nhân", "my son", "my daughter", "my father", "my mother", "child", "people")
	part(EmergencyFire, 1.5, "xì ra", "nhảy xuống", "jumped off", "jumped into")
	part(EmergencyFire, 1, "mùi nồng")
	weak(EmergencyMedical, "bị xe đâm", "xe đâm", "bê bết máu", "won t wake up", "will not wake up",
		"not waking up", "ngã quỵ", "té xỉu", "quỵ xuống")
	part(EmergencyMedical, 1.5, "ngã xuống", "ôm ngực", "say nắng", "sốc nhiệt", "máu me", "đầy máu")
	part(EmergencyMedical, 1, "thở dốc", "văng ra", "lying on the road")
	strong(EmergencyCrime, "tạt axit", "tạt a xít")
	part(EmergencyCrime, 1.5, "chặn đường", "lấy hết tiền", "axit")
	weak(EmergencyRescue, "nước bao vây", "went missing", "washed away", "swept away")
	part(EmergencyRescue, 1.5, "ngập nửa nhà", "lên quá nhanh")
	part(EmergencyRescue, 1, "bao vây", "missing")
	// Words that say it is happening now add to the evidence of each kind.
	x.add(emergencyNow, 0.5, "đang", "vừa", "vừa mới", "có người", "còn ở", "ngay", "gọi", "giúp", "giùm",
		"nhanh lên", "làm ơn", "kêu la", "la hét", "mọi người ơi", "ai đó", "now", "please", "someone",
		"screaming", "quick", "hurry", "coming out")

	// "help" asks for help with something unless nothing follows that
	// says what: "help me with my papers" is a question.
	helpNot := []string{"with", "to", "for", "fix", "find", "get", "on", "in", "apply", "applying", "understand"}
	for _, p := range []string{"help", "help me", "help us"} {
		x.addCue(&phrase{kind: EmergencyUnknown, weight: decisiveWeight, notNext: helpNot,
			notAfter: []string{"your", "the", "for", "of", "thanks"}}, p)
	}
	return x
}()

// emergencyBlockers are the same words in a harmless sense; they are found
// before the triggers (see blockers).
var emergencyBlockers = func() phraseSet {
	x := phraseSet{}

	x.add("", 0, "tài xỉu", "rơi vãi", "bắt cóc bỏ đĩa", "tivi cháy", "xe cấp cứu", "lửa trại", "ngã ba", "ngã tư", "ngã năm", "ngã bảy", "đánh giá", "chém giá", "lũ trẻ", "lũ nhỏ",
		"khỏi", "té ra", "nghiên cứu", "phòng cấp cứu", "khoa cấp cứu", "trạm cấp cứu", "tra cứu", "cứu trợ", "cứu tế", "cứu hỏa", "cứu hoả", "cứu hộ", "cứu nạn", "cứu chữa",
		"cứu sống", "cứu thương", "cứu cánh", "cứu vãn", "cứu đói", "cứu rỗi", "sơ cứu", "phòng cháy", "chữa cháy",
		"pccc", "cháy hàng", "cháy vé", "cháy nắng", "cháy túi", "cháy phố", "cháy sạch", "dễ cháy", "cướp đất",
		"cướp công", "cướp lời", "cướp biển", "ăn cướp", "kẹt xe", "kẹt tiền", "kẹt vốn", "thương binh",
		"tai nạn thương tích", "fire safety", "fire hydrant", "fire prevention", "fire extinguisher",
		"fire extinguishers", "fire station", "fire truck", "fire trucks", "fire drill", "fire department",
		"fire brigade", "fired", "help desk", "helpdesk", "fight corruption", "fight against", "gun shop",
		"emergency number", "emergency numbers", "emergency room", "ambulance service", "stroke patients",
		// An anti-erosion embankment names works, not a landslide: "xin
		// xã xây kè chống sạt lở bờ sông" is a request.
		"chống sạt lở", "chống sạt", "chống lở", "chống xói lở")
	return x
}()

var (
	// overCues say the event is over, recurring, a risk, or the topic of
	// a policy, a payment or a question: an opinion, not an emergency.
	overCues = func() phraseSet {
		x := phraseSet{}
		x.add("", 0, "hôm qua", "hôm kia", "hôm trước", "bữa trước", "bữa qua", "đêm qua", "tối qua", "tuần trước",
			"tuần rồi", "tháng trước", "tháng rồi", "năm ngoái", "năm trước", "năm rồi", "hồi tháng", "hồi năm",
			"hồi đó", "hồi trước", "trước đây", "đã từng", "lần trước", "lâu rồi", "thường xuyên", "thường xảy ra",
			"thường bị", "thường có", "hay xảy ra", "hay bị", "hay có", "nhiều vụ", "nhiều lần", "mỗi khi", "mỗi lần",
			"mỗi năm", "mỗi tối", "mỗi đêm", "mỗi ngày", "mỗi mùa", "tối nào", "đêm nào", "ngày nào", "tình trạng",
			"điểm đen", "dạo này", "nguy cơ", "dễ bị", "dễ xảy ra", "dễ gây", "dễ tai nạn", "sắp sập", "sắp đổ", "phòng chống",
			"phòng ngừa", "phòng tránh", "để tránh", "tập huấn", "diễn tập", "tuyên truyền", "dạy bơi", "học bơi",
			"kỹ năng", "rào chắn", "biển báo", "bồi thường", "đền bù", "hỗ trợ", "chế độ", "chính sách", "bảo hiểm",
			"bhyt", "bhxh", "trợ cấp", "chi trả", "thủ tục", "cấp lại", "làm lại", "xin hỏi", "cho hỏi", "góp ý", "giải thưởng",
			"khen thưởng", "cảm ơn", "tin đồn", "nghe đồn", "đồn là", "đồn rằng", "đồn có", "trên mạng", "trình báo",
			"đã báo", "yesterday", "last week", "last month", "last year", "last night", "ago", "often", "every",
			"many", "frequently", "repeatedly", "risk", "prevent", "prevention", "safety", "training", "classes",
			"compensation", "insurance", "policy", "rumour", "rumor", "still has not", "still hasn t", "mỗi",
			"thank you", "thanks",
			// Long-standing or told in a petition: residents' reports and
			// the press write "for years", "again and again", "filed a
			// petition" about what is no emergency now.
			"hoài", "mấy năm nay", "nhiều năm", "mấy tháng nay", "nhiều tháng", "hàng chục năm", "lâu ngày",
			"lâu năm", "mấy ngày nay", "nhiều ngày", "làm đơn", "gửi đơn", "nộp đơn", "đơn thư")
		return x
	}()
	// opinionCues: the resident asks for a fix, suggests something or
	// describes a nuisance; they cancel evidence that is not decisive ("có
	// tai nạn, đề nghị lắp đèn"; "khói bụi làm người dân khó thở").
	opinionCues = func() phraseSet {
		x := phraseSet{}
		x.add("", 0, "đề nghị", "kiến nghị", "phản ánh", "đề xuất", "nên", "mong", "yêu cầu", "khói bụi", "bụi",
			"ô nhiễm", "mùi hôi", "hôi thối", "đốt rác", "đốt nhựa", "đốt rơm", "bị hư", "đã hư", "hư hỏng", "thiếu",
			"xây kè", "làm kè", "kè bờ",
			"please fix", "please install", "please add", "suggest", "request", "could you", "can you", "pollution")
		return x
	}()
	// nowCues say it is happening now and override the above.
	nowCues = func() phraseSet {
		x := phraseSet{}
		x.add("", 0, "ngay bây giờ", "bây giờ", "ngay lập tức", "gấp", "nhanh lên", "cứu với", "cứu tôi",
			"đang cháy", "right now", "now", "hurry", "help me", "help us", "sos")
		return x
	}()
)
