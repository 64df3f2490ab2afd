package langnghe

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"langnghe/wording"
)

// A campaign (đợt lấy ý kiến) is how the mass-mobilisation board collects
// opinions in an organised way, beside the one-at-a-time concerns of
// Opinion: a dialogue conference between a commune's leaders and its
// people, a draft put to the people for comment, or a unit's standing
// feedback point at its counter. Residents reach a campaign through its deep
// link (t.me/<bot>?start=<payload>, also as a QR code on a poster) and
// answer in a conversation generated from it (package campaign), which
// admins may edit in the studio like any flow.

// CampaignKind is how a campaign collects opinions.
type CampaignKind string

const (
	// CampaignDialogue is a dialogue conference (hội nghị đối thoại):
	// residents send questions and suggestions before it, the board groups
	// them, the leaders answer at the conference, and every asker hears the
	// answer.
	CampaignDialogue CampaignKind = "dialogue"
	// CampaignConsultation puts a draft to the people for comment (lấy ý
	// kiến dự thảo): a summary, a link to the draft, a few questions.
	CampaignConsultation CampaignKind = "consultation"
	// CampaignFeedbackPoint is a unit's feedback point (điểm lấy ý kiến): a
	// standing QR code at its counter where a visitor rates the attitude,
	// the time taken and the result, and may comment. It never closes.
	CampaignFeedbackPoint CampaignKind = "feedback_point"
)

// CampaignKinds are the kinds, in the order the console offers them.
var CampaignKinds = []CampaignKind{CampaignDialogue, CampaignConsultation, CampaignFeedbackPoint}

// Valid reports whether k is one of the known kinds.
func (k CampaignKind) Valid() bool { return slices.Contains(CampaignKinds, k) }

// Name is the kind as people call it in lang (the catalogue's
// campaign.kind.*); an unknown kind is its code.
func (k CampaignKind) Name(lang string) string {
	if !k.Valid() {
		return string(k)
	}
	return wording.Text(lang, "campaign.kind."+string(k))
}

// Texts is one text in several languages, keyed by language code. The
// board writes Vietnamese; English and Chinese are optional and fall back
// to it.
type Texts map[string]string

// In returns the text in lang, or in Vietnamese when it has none.
func (t Texts) In(lang string) string { return pick(t, lang) }

// Campaign is one đợt lấy ý kiến. The board creates and manages it in the
// console or with `langnghe campaigns`; Validate checks it before it is
// stored.
type Campaign struct {
	ID   int64        `json:"id"`
	Kind CampaignKind `json:"kind"`
	// Title and Theme are in Vietnamese, as the poster and the console
	// show them: "Hội nghị đối thoại xã Minh Thạnh năm 2026"; "Môi trường
	// và sử dụng đất bán ngập ven sông Thị Tính".
	Title string `json:"title"`
	Theme string `json:"theme,omitempty"`
	// Areas are the codes of the catalogue's areas the campaign addresses:
	// its announcement goes to consenting residents there, and results
	// count participation by area. Required for dialogues and
	// consultations.
	Areas []string `json:"areas,omitempty"`
	// Unit is the code of the unit whose feedback point this is (required
	// for a feedback point), or the unit organising a dialogue or a
	// consultation (optional).
	Unit string `json:"unit,omitempty"`
	// Opens is the first day answers are taken, Closes the last (both at
	// midnight in the service's time zone). A feedback point has no
	// Closes: it never closes.
	Opens  time.Time `json:"opens"`
	Closes time.Time `json:"closes,omitzero"`
	// Payload is the deep link's /start payload (NewCampaignPayload): it
	// is printed on posters, so it is not a secret, but it cannot be
	// guessed from another campaign's.
	Payload string `json:"payload"`
	// FlowID is the flow of the campaign's conversation (CampaignFlowID),
	// generated from it and editable in the studio.
	FlowID string `json:"flow_id,omitempty"`
	// Conference is set for a dialogue, Draft for a consultation.
	Conference *Conference `json:"conference,omitempty"`
	Draft      *Draft      `json:"draft,omitempty"`
	// Questions are a consultation's questions, in the order they are
	// asked. A dialogue and a feedback point ask fixed questions (Asked).
	Questions []CampaignQuestion `json:"questions,omitempty"`
	CreatedBy int64              `json:"created_by,omitempty"` // the official; 0 from the CLI
	CreatedAt time.Time          `json:"created_at"`
	UpdatedAt time.Time          `json:"updated_at"`
}

// Conference is when and where a dialogue conference is held, and who
// hosts it.
type Conference struct {
	At    time.Time `json:"at"`    // the day and the hour it starts
	Place string    `json:"place"` // "Hội trường UBND xã Minh Thạnh"
	// Hosts are the leaders who answer, as residents know them: "Ông
	// Nguyễn Văn Bình, Chủ tịch UBND xã".
	Hosts []string `json:"hosts,omitempty"`
}

// Draft is the document a consultation puts to the people.
type Draft struct {
	Summary string `json:"summary"`        // what it changes, in a few lines
	Link    string `json:"link,omitempty"` // where the full text is (http or https)
}

// QuestionKind is how a campaign question is answered.
type QuestionKind string

const (
	QuestionChoice QuestionKind = "choice" // one of the options, as buttons
	QuestionScale  QuestionKind = "scale"  // ScaleMin to ScaleMax, as buttons
	QuestionText   QuestionKind = "text"   // the resident's own words
)

// The scale every scale question uses: 1 (worst, or disagree fully) to 5.
const (
	ScaleMin = 1
	ScaleMax = 5
)

// CampaignQuestion is one question a campaign puts to residents.
type CampaignQuestion struct {
	// Key names the answer in responses and in the generated flow (an
	// answer key): lower-case letters, digits and _.
	Key  string       `json:"key"`
	Kind QuestionKind `json:"kind"`
	Text Texts        `json:"text"`
	// Options are a choice's answers, in the order offered.
	Options []QuestionOption `json:"options,omitempty"`
	// Optional questions can be skipped with a button.
	Optional bool `json:"optional,omitempty"`
}

// QuestionOption is one answer a choice offers.
type QuestionOption struct {
	Value string `json:"value"` // kept in responses: lower-case letters, digits and _
	Label Texts  `json:"label"` // the button, at most MaxOptionLabel characters
}

// Option returns the option with value.
func (q CampaignQuestion) Option(value string) (QuestionOption, bool) {
	for _, o := range q.Options {
		if o.Value == value {
			return o, true
		}
	}
	return QuestionOption{}, false
}

// Keys of the fixed questions. A dialogue conference asks one question:
// the resident's own question or suggestion. A feedback point asks three
// ratings and an optional comment.
const (
	DialogueQuestionKey = "question"
	FeedbackAttitude    = "attitude" // the staff's attitude
	FeedbackTime        = "time"     // the time the matter took
	FeedbackResult      = "result"   // the result
	FeedbackComment     = "comment"
)

// ReservedQuestionKeys are answer keys the generated conversations use for
// their own steps (the resident's area, a confirmation), so a
// consultation's question cannot take them.
var ReservedQuestionKeys = []string{"area", "confirm", "more", "skip", DialogueQuestionKey}

// dialogueQuestion and feedbackQuestions are the fixed questions.
var (
	dialogueQuestion = CampaignQuestion{Key: DialogueQuestionKey, Kind: QuestionText,
		Text: Texts{LangVI: "Câu hỏi, kiến nghị gửi hội nghị", LangEN: "Question or suggestion for the conference", LangZH: "向会议提出的问题或建议"}}
	feedbackQuestions = []CampaignQuestion{
		{Key: FeedbackAttitude, Kind: QuestionScale, Text: Texts{LangVI: "Thái độ phục vụ của cán bộ", LangEN: "The staff's attitude", LangZH: "工作人员的服务态度"}},
		{Key: FeedbackTime, Kind: QuestionScale, Text: Texts{LangVI: "Thời gian giải quyết công việc", LangEN: "The time your matter took", LangZH: "办理所用的时间"}},
		{Key: FeedbackResult, Kind: QuestionScale, Text: Texts{LangVI: "Kết quả giải quyết công việc", LangEN: "The result", LangZH: "办理结果"}},
		{Key: FeedbackComment, Kind: QuestionText, Optional: true, Text: Texts{LangVI: "Góp ý thêm", LangEN: "Other comments", LangZH: "其他意见"}},
	}
)

// Asked returns the questions the campaign's conversation asks, in order:
// a consultation's own, the fixed ones of the other kinds. Results count
// answers by these keys.
func (c *Campaign) Asked() []CampaignQuestion {
	switch c.Kind {
	case CampaignDialogue:
		return []CampaignQuestion{dialogueQuestion}
	case CampaignFeedbackPoint:
		return slices.Clone(feedbackQuestions)
	}
	return c.Questions
}

// OpenAt reports whether the campaign takes answers at t: from the start
// of Opens to the end of Closes (always after Opens for a feedback point).
func (c *Campaign) OpenAt(t time.Time) bool {
	if t.Before(c.Opens) {
		return false
	}
	return c.Closes.IsZero() || t.Before(c.Closes.AddDate(0, 0, 1))
}

// Link returns the campaign's deep link, https://t.me/<bot>?start=<payload>,
// or "" without a bot username.
func (c *Campaign) Link(botUsername string) string {
	if botUsername == "" || c.Payload == "" {
		return ""
	}
	return "https://t.me/" + botUsername + "?start=" + c.Payload
}

// CampaignPayloadPrefix starts every campaign's /start payload, so the
// bot tells it from an official's invitation (inv_...).
const CampaignPayloadPrefix = "c_"

// payloadEncoding writes payloads: lower-case letters and digits, which
// Telegram allows in a /start payload (A-Z, a-z, 0-9, _ and -, at most 64)
// and which survive being read aloud or retyped from a poster.
var payloadEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// payloadBytes is a payload's randomness: 80 bits, 16 characters. A
// payload is public once printed; the randomness only keeps a campaign
// not yet announced from being found by trying numbers.
const payloadBytes = 10

var payloadPattern = regexp.MustCompile(`^c_[a-z2-7]{16}$`)

// NewCampaignPayload returns a new random deep-link payload such as
// c_k3xq7m2pa5tv4bnw (18 characters).
func NewCampaignPayload() (string, error) {
	b := make([]byte, payloadBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("campaign payload: %w", err)
	}
	return CampaignPayloadPrefix + payloadEncoding.EncodeToString(b), nil
}

// IsCampaignPayload reports whether s, the text after /start, has the
// form of a campaign's payload (whether one has it is for storage to say).
func IsCampaignPayload(s string) bool { return payloadPattern.MatchString(s) }

// CampaignFlowID is the id of the flow generated for the campaign with id.
func CampaignFlowID(id int64) string { return fmt.Sprintf("campaign_%d", id) }

// Limits on what the board writes, so that every campaign generates a flow
// the engine accepts and messages Telegram can send.
const (
	MaxCampaignTitle    = 200
	MaxCampaignTheme    = 500
	MaxDraftSummary     = 1500
	MaxQuestionText     = 500
	MaxOptionLabel      = 40 // a button's label
	MaxCampaignQuestion = 20 // questions in a consultation
	MaxQuestionOptions  = 10 // options of a choice
	MaxConferenceHosts  = 10
	MaxConferencePlace  = 300
)

var questionKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,29}$`)
var optionValuePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_]{0,29}$`)

// problems collects what is wrong with a campaign, one *Error each; the
// catalogue translates them when shown.
type problems struct{ parts []*Error }

// add is a problem, format an English text the catalogue translates.
func (p *problems) add(format string, args ...any) {
	p.parts = append(p.parts, Errorf(EINVALID, format, args...))
}

func (p *problems) addErr(err error) {
	var e *Error
	switch {
	case err == nil:
	case errors.As(err, &e):
		p.parts = append(p.parts, e)
	default:
		p.parts = append(p.parts, &Error{Code: EINTERNAL, Message: internalError})
	}
}

func (p *problems) err() error {
	if e := errorList(EINVALID, p.parts); e != nil {
		return e
	}
	return nil
}

// Validate checks the campaign as the board wrote it and returns an
// EINVALID error listing every problem, in English and Vietnamese. cat,
// when not nil, is also checked for the areas; whether the unit exists is
// for the caller to check, as units live in storage.
func (c *Campaign) Validate(cat *Catalogue) error {
	var p problems
	if !c.Kind.Valid() {
		p.add("kind %q is not dialogue, consultation or feedback_point", c.Kind)
	}
	checkLength(&p, c.Title, 1, MaxCampaignTitle, Words("the title"))
	checkLength(&p, c.Theme, 0, MaxCampaignTheme, Words("the theme"))
	if c.Opens.IsZero() {
		p.add("the opening date is missing")
	} else {
		p.addErr(CheckDate(c.Opens))
	}
	if !c.Closes.IsZero() {
		p.addErr(CheckDate(c.Closes))
		if !c.Opens.IsZero() && c.Closes.Before(c.Opens) {
			p.add("the closing date %s is before the opening date %s", c.Closes.Format(DateLayout), c.Opens.Format(DateLayout))
		}
	}
	if c.Payload != "" && !IsCampaignPayload(c.Payload) {
		p.add("the deep-link payload %q is not one langnghe made", c.Payload)
	}
	c.validateAreas(&p, cat)
	switch c.Kind {
	case CampaignDialogue:
		c.validateConference(&p)
		if len(c.Questions) > 0 {
			p.add("a dialogue conference asks residents for their own questions; it has no questions of its own")
		}
	case CampaignConsultation:
		c.validateDraft(&p)
		c.validateQuestions(&p)
	case CampaignFeedbackPoint:
		if strings.TrimSpace(c.Unit) == "" {
			p.add("a feedback point needs the unit whose service it rates")
		}
		if !c.Closes.IsZero() {
			p.add("a feedback point never closes: leave the closing date empty")
		}
		if len(c.Questions) > 0 {
			p.add("a feedback point asks its fixed questions (attitude, time, result, comment)")
		}
	}
	if c.Kind != CampaignDialogue && c.Conference != nil {
		p.add("only a dialogue conference has a conference date and place")
	}
	if c.Kind != CampaignConsultation && c.Draft != nil {
		p.add("only a consultation has a draft")
	}
	return p.err()
}

func (c *Campaign) validateAreas(p *problems, cat *Catalogue) {
	if len(c.Areas) == 0 && (c.Kind == CampaignDialogue || c.Kind == CampaignConsultation) {
		p.add("name at least one area the campaign addresses")
	}
	seen := map[string]bool{}
	for _, a := range c.Areas {
		switch {
		case seen[a]:
			p.add("area %q is listed twice", a)
		case a == "":
			p.add("an area code is empty")
		case cat != nil:
			if _, ok := cat.Area(a); !ok {
				p.add("there is no area %q", a)
			}
		}
		seen[a] = true
	}
}

func (c *Campaign) validateConference(p *problems) {
	cf := c.Conference
	if cf == nil {
		p.add("a dialogue conference needs its date, time and place")
		return
	}
	if cf.At.IsZero() {
		p.add("the conference's date and time are missing")
	} else {
		p.addErr(CheckDate(cf.At))
		if !c.Opens.IsZero() && cf.At.Before(c.Opens) {
			p.add("the conference on %s is before questions open on %s", cf.At.Format(DateLayout), c.Opens.Format(DateLayout))
		}
	}
	checkLength(p, cf.Place, 1, MaxConferencePlace, Words("the conference's place"))
	if len(cf.Hosts) > MaxConferenceHosts {
		p.add("at most %d hosts", MaxConferenceHosts)
	}
	for _, h := range cf.Hosts {
		checkLength(p, h, 1, MaxConferencePlace, Words("a host's name"))
	}
}

func (c *Campaign) validateDraft(p *problems) {
	d := c.Draft
	if d == nil {
		p.add("a consultation needs the draft's summary")
		return
	}
	checkLength(p, d.Summary, 1, MaxDraftSummary, Words("the draft's summary"))
	if d.Link != "" {
		u, err := url.Parse(d.Link)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(d.Link, " \n\t") {
			p.add("the draft's link %q is not a web address (http:// or https://)", d.Link)
		}
	}
}

func (c *Campaign) validateQuestions(p *problems) {
	switch n := len(c.Questions); {
	case n == 0:
		p.add("a consultation needs at least one question")
	case n > MaxCampaignQuestion:
		p.add("%d questions; the limit is %d", n, MaxCampaignQuestion)
	}
	keys := map[string]bool{}
	for i, q := range c.Questions {
		n := i + 1
		switch {
		case !questionKeyPattern.MatchString(q.Key):
			p.add("question %d: key %q must be lower-case letters, digits and _, starting with a letter, at most 30 long", n, q.Key)
		case keys[q.Key]:
			p.add("question %d: key %q is used twice", n, q.Key)
		case slices.Contains(ReservedQuestionKeys, q.Key):
			p.add("question %d: key %q is reserved for the conversation's own steps", n, q.Key)
		}
		keys[q.Key] = true
		checkTexts(p, q.Text, 1, MaxQuestionText, phrasef("question %d's text", n))
		switch q.Kind {
		case QuestionChoice:
			if len(q.Options) < 2 || len(q.Options) > MaxQuestionOptions {
				p.add("question %d: a choice needs 2 to %d options", n, MaxQuestionOptions)
			}
			values := map[string]bool{}
			for j, o := range q.Options {
				switch {
				case !optionValuePattern.MatchString(o.Value):
					p.add("question %d, option %d: value %q must be lower-case letters, digits and _", n, j+1, o.Value)
				case values[o.Value] || o.Value == "skip":
					p.add("question %d, option %d: value %q is used twice or reserved", n, j+1, o.Value)
				}
				values[o.Value] = true
				checkTexts(p, o.Label, 1, MaxOptionLabel, phrasef("question %d, option %d's label", n, j+1))
			}
		case QuestionScale, QuestionText:
			if len(q.Options) > 0 {
				p.add("question %d: only a choice has options", n)
			}
		default:
			p.add("question %d: kind %q is not choice, scale or text", n, q.Kind)
		}
	}
}

// checkLength checks that s is valid text with between lo and hi
// characters once trimmed; what names it (translated with the message).
func checkLength(p *problems, s string, lo, hi int, what Wording) {
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	switch {
	case !utf8.ValidString(s):
		p.add("%s is not valid text", what)
	case n < lo:
		p.add("%s is missing", what)
	case n > hi:
		p.add("%s is %d characters long; the limit is %d", what, n, hi)
	}
}

// checkTexts checks the Vietnamese text (required) and every translation.
func checkTexts(p *problems, t Texts, lo, hi int, what Wording) {
	checkLength(p, t[LangVI], lo, hi, phrasef("%s in Vietnamese", what))
	for _, lang := range sortedTextKeys(t) {
		if lang != LangVI {
			checkLength(p, t[lang], 0, hi, phrasef("%s in %s", what, lang))
		}
	}
}

func sortedTextKeys(t Texts) []string {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// CampaignResponse is one pass of a resident through a campaign's
// conversation: a dialogue question, a consultation's answers, a visitor's
// ratings at a feedback point. A resident may respond more than once (two
// questions for the same conference); Participants counts residents.
type CampaignResponse struct {
	ID         int64  `json:"id"`
	CampaignID int64  `json:"campaign_id"`
	ResidentID *int64 `json:"resident_id,omitempty"` // nil once personal data is deleted
	// AreaCode is where the resident said they live ("" when skipped).
	AreaCode string `json:"area,omitempty"`
	Language string `json:"language"`
	// Answers are by question key (Asked): a choice's option value, a
	// scale's number ("1" to "5"), a text's words. A skipped optional
	// question has no answer.
	Answers map[string]string `json:"answers"`
	// Category is a dialogue question's category, as the classifier reads
	// it (opinions' categories); GroupID the QuestionGroup it is in (0
	// until grouped).
	Category string `json:"category,omitempty"`
	GroupID  int64  `json:"group_id,omitempty"`
	// FlowID and FlowRevision are the conversation it came through.
	FlowID       string    `json:"flow_id"`
	FlowRevision int       `json:"flow_revision"`
	CreatedAt    time.Time `json:"created_at"`
	// OpinionCode is the opinion a dialogue question was turned into,
	// when it was really a concern for a unit ("" otherwise).
	OpinionCode string `json:"opinion_code,omitempty"`
}

// QuestionGroup is a set of near-identical dialogue questions (the same
// issue in other words), so that two hundred questions read as a few
// dozen: the leaders answer the group, and every asker in it hears the
// answer. The board may merge, split and rename groups (package
// campaign/grouping).
type QuestionGroup struct {
	ID         int64  `json:"id"`
	CampaignID int64  `json:"campaign_id"`
	Title      string `json:"title"`
	// Renamed is set once the board wrote the title: regrouping keeps it.
	Renamed bool `json:"renamed,omitempty"`
	// Fixed is set once the board merged, split or renamed the group:
	// regrouping keeps its questions together.
	Fixed    bool   `json:"fixed,omitempty"`
	Category string `json:"category,omitempty"`
	// Members are the ids of the responses (questions) in the group.
	Members []int64 `json:"members"`
	// DueAt is when the answer is due: unanswered groups stay visible as
	// commitments until answered.
	DueAt  time.Time    `json:"due_at,omitzero"`
	Answer *GroupAnswer `json:"answer,omitempty"`
	// Ratings are how the askers rated the answer, once it was sent.
	Ratings *AnswerRatings `json:"ratings,omitempty"`
}

// AnswerRatings count the askers' ratings of the leaders' answer to their
// group: each asker sent the answer may rate it once, with the buttons
// that come with it (CampaignRatingData).
type AnswerRatings struct {
	Satisfied    int `json:"satisfied"`
	NotSatisfied int `json:"not_satisfied"`
}

// CampaignRatingPrefix starts the data of the rating buttons that come with
// the leaders' answer: ca:s:GROUP (satisfied) or ca:n:GROUP (not
// satisfied), the group's id in base 36.
const CampaignRatingPrefix = "ca:"

// CampaignRatingData is the data of a rating button for the answer to the
// group with id: rating is RatingSatisfied or RatingNotSatisfied.
func CampaignRatingData(groupID int64, rating string) string {
	kind := "n"
	if rating == RatingSatisfied {
		kind = "s"
	}
	return CampaignRatingPrefix + kind + ":" + strconv.FormatInt(groupID, 36)
}

// ParseCampaignRating reads a rating button's data; ok is false for
// anything CampaignRatingData does not write.
func ParseCampaignRating(data string) (groupID int64, rating string, ok bool) {
	rest, found := strings.CutPrefix(data, CampaignRatingPrefix)
	kind, id, found2 := strings.Cut(rest, ":")
	if !found || !found2 || len(id) == 0 || len(id) > 13 {
		return 0, "", false
	}
	switch kind {
	case "s":
		rating = RatingSatisfied
	case "n":
		rating = RatingNotSatisfied
	default:
		return 0, "", false
	}
	n, err := strconv.ParseInt(id, 36, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 36) != id {
		return 0, "", false
	}
	return n, rating, true
}

// CampaignAsker is a resident who asked a question of an answered group
// and has not been sent its answer yet: where the answer goes and in which
// language, with their own question to quote.
type CampaignAsker struct {
	ResidentID int64
	Channel    string
	ChatID     string
	Language   string
	// ResponseID and Question are their first question in the group.
	ResponseID int64
	Question   string
}

// AnnouncementRecipient is a resident whose consent to announcements is in
// force for one of the areas an announcement is for.
type AnnouncementRecipient struct {
	ResidentID int64  `db:"resident_id"`
	Channel    string `db:"channel"`
	ChatID     string `db:"chat_id"`
	Language   string `db:"language"`
	AreaCode   string `db:"area_code"`
}

// GroupAnswer is the leaders' answer to a group of questions.
type GroupAnswer struct {
	Text string `json:"text"`
	// AnsweredBy is the leader as the conference named them ("Ông Nguyễn
	// Văn Bình, Chủ tịch UBND xã"): public. RecordedBy is the official who
	// entered it: internal.
	AnsweredBy string    `json:"answered_by"`
	RecordedBy int64     `json:"recorded_by,omitempty"`
	At         time.Time `json:"at"`
}

// CampaignResults are a campaign's figures. They carry no personal data:
// the public results page shows them as they are.
type CampaignResults struct {
	CampaignID int64        `json:"campaign_id"`
	Kind       CampaignKind `json:"kind"`
	// Participants are the residents who took part; Responses the passes
	// through the conversation (a resident may send several questions).
	Participants int `json:"participants"`
	Responses    int `json:"responses"`
	// Reached is how many residents the announcement reached (it left
	// the outbox for them; one withdrawn before it went is not counted);
	// ResponseRate is Participants / Reached (0 when nobody was reached).
	Reached      int     `json:"reached"`
	ResponseRate float64 `json:"response_rate"`
	// ByArea counts participants by the area they gave, the campaign's
	// areas first (with zeros), then others, then "" (not given).
	ByArea    []AreaParticipation `json:"by_area"`
	Questions []QuestionResult    `json:"questions"`
	// Groups are a dialogue's question groups, the largest first.
	Groups []GroupResult `json:"groups"`
}

// AreaParticipation is how many residents of an area took part.
type AreaParticipation struct {
	Area         string `json:"area"`
	Participants int    `json:"participants"`
}

// QuestionResult is the answers to one question.
type QuestionResult struct {
	Key  string       `json:"key"`
	Kind QuestionKind `json:"kind"`
	Text string       `json:"text"` // in Vietnamese
	// Answered counts the responses that answer it.
	Answered int `json:"answered"`
	// Counts are a choice's options or a scale's points, in order, with
	// how many chose each.
	Counts []OptionCount `json:"counts,omitempty"`
	// Mean is a scale's mean answer (0 when nobody answered).
	Mean float64 `json:"mean,omitempty"`
	// Groups are a text question's answers grouped like dialogue
	// questions, the largest first.
	Groups []GroupResult `json:"groups,omitempty"`
}

// OptionCount is how many responses chose an option or a scale point.
type OptionCount struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// GroupResult is one group of questions as the results show it.
type GroupResult struct {
	ID       int64  `json:"id,omitempty"`
	Title    string `json:"title"`
	Count    int    `json:"count"` // questions in the group
	Category string `json:"category,omitempty"`
	// Answer is the leaders' answer, when given: what they said, who, when.
	Answer *GroupAnswer `json:"answer,omitempty"`
	// Ratings are how the askers rated the answer (counts only).
	Ratings *AnswerRatings `json:"ratings,omitempty"`
}

// CampaignService is what the console, the CLI and the bot do with
// campaigns; package campaigns implements it over storage. Errors are
// *Error: EINVALID for a campaign that fails Validate or an input out of
// range, ENOTFOUND for an unknown campaign, group or payload, EFORBIDDEN
// for an official whose role may not do it, ECONFLICT for a change to a
// closed campaign's answers.
//
// Who may call what: the board and admins create, change and close
// campaigns and work on groups; a unit official sees and answers the
// campaigns of their units (a feedback point's unit, a dialogue's
// organising unit); residents reach a campaign only through its payload.
type CampaignService interface {
	// CreateCampaign validates c, gives it an ID, a payload and its flow
	// (published, so the deep link works at once) and stores it.
	CreateCampaign(ctx context.Context, by *Official, c *Campaign) error
	// Campaign returns the campaign with id (ENOTFOUND).
	Campaign(ctx context.Context, by *Official, id int64) (*Campaign, error)
	// CampaignByPayload finds the campaign a /start payload opens; the bot
	// calls it for any resident. A closed campaign is returned too, so the
	// resident can be told it has closed.
	CampaignByPayload(ctx context.Context, payload string) (*Campaign, error)
	// Campaigns lists the campaigns the official may see, newest first.
	Campaigns(ctx context.Context, by *Official) ([]*Campaign, error)
	// UpdateCampaign changes what the board may change after creation
	// (title, theme, dates, conference, draft); the kind, payload and
	// flow stay. Questions change only before the first response.
	UpdateCampaign(ctx context.Context, by *Official, c *Campaign) error

	// RecordResponse stores a resident's response, from the conversation.
	RecordResponse(ctx context.Context, r *CampaignResponse) error
	// Groups returns a dialogue's question groups, the largest first.
	Groups(ctx context.Context, by *Official, campaignID int64) ([]*QuestionGroup, error)
	// MergeGroups moves every question of the groups into the first,
	// SplitGroup moves members out of a group into a new one, and
	// RenameGroup sets a group's title; the board only (EFORBIDDEN).
	MergeGroups(ctx context.Context, by *Official, campaignID int64, groupIDs []int64) (*QuestionGroup, error)
	SplitGroup(ctx context.Context, by *Official, groupID int64, members []int64) (*QuestionGroup, error)
	RenameGroup(ctx context.Context, by *Official, groupID int64, title string) error
	// AnswerGroup records the leaders' answer to a group; every asker in
	// it is sent the answer in their language, once.
	AnswerGroup(ctx context.Context, by *Official, groupID int64, a GroupAnswer) error
	// Results computes the campaign's figures (no personal data).
	Results(ctx context.Context, campaignID int64) (*CampaignResults, error)
	// Announce queues the campaign's announcement to every resident whose
	// consent to announcements is in force for an area the campaign
	// addresses, in their language, with the campaign's deep link
	// (t.me/<botUsername>; without a username, the /start command to
	// type); once per resident and campaign however often it runs. The
	// board and admins only (EFORBIDDEN); a closed campaign or one without
	// areas is EINVALID.
	Announce(ctx context.Context, by *Official, campaignID int64, botUsername string) (*Announcement, error)
}

// Announcement is what one Announce did.
type Announcement struct {
	CampaignID int64 `json:"campaign_id"`
	// Queued are the residents the announcement was queued to now;
	// Before those who had it queued by an earlier Announce.
	Queued int `json:"queued"`
	Before int `json:"before"`
}
