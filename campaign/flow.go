// Package campaign is the working side of campaigns (langnghe.Campaign):
// the conversation generated from a campaign as a flow file, which the
// studio edits like any flow, and the results computed from its responses.
// It is pure: storage hands it campaigns and responses.
package campaign

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"langnghe"
)

// Languages the generated conversations speak. The board writes a
// campaign in Vietnamese; its words appear as written in the English and
// Chinese conversations unless it gave translations.
var Languages = []string{langnghe.LangVI, langnghe.LangEN, langnghe.LangZH}

// The generated flows' own answer keys, besides the questions' keys
// (langnghe.ReservedQuestionKeys keeps consultations off them).
const (
	keyArea    = "area"
	keyConfirm = "confirm"
	keyMore    = "more"
	valueSkip  = "skip"
)

// Flow returns the flow file of the campaign's conversation: YAML that
// flows.Parse accepts, with the flow id c.FlowID (or
// langnghe.CampaignFlowID(c.ID)). cat, when not nil, names the campaign's
// areas as examples where the resident's area is asked. The campaign must
// be valid (Validate); a conference's time is shown in its own location.
func Flow(c *langnghe.Campaign, cat *langnghe.Catalogue) ([]byte, error) {
	if err := c.Validate(nil); err != nil {
		return nil, err
	}
	id := c.FlowID
	if id == "" {
		if c.ID == 0 {
			return nil, langnghe.Errorf(langnghe.EINVALID, "a campaign's flow needs the campaign's id")
		}
		id = langnghe.CampaignFlowID(c.ID)
	}
	g := &generator{c: c, cat: cat}
	f := flowFile{ID: id, Name: g.name(), BaseLanguage: langnghe.LangVI, Languages: Languages, Start: "intro"}
	switch c.Kind {
	case langnghe.CampaignDialogue:
		f.Nodes = g.dialogue()
	case langnghe.CampaignConsultation:
		f.Nodes = g.consultation()
	case langnghe.CampaignFeedbackPoint:
		f.Nodes = g.feedbackPoint()
	}
	return encode(&f, fmt.Sprintf("The conversation of campaign %d, %s: %s.\nGenerated from the campaign; edit it like any flow. Results read the answers by their keys\n(%s), so keep those.",
		c.ID, c.Kind, oneLine(c.Title), strings.Join(g.keys(), ", ")))
}

// generator writes one campaign's flow.
type generator struct {
	c   *langnghe.Campaign
	cat *langnghe.Catalogue
}

func (g *generator) keys() []string {
	var ks []string
	for _, q := range g.c.Asked() {
		ks = append(ks, q.Key)
	}
	if g.c.Kind != langnghe.CampaignFeedbackPoint {
		ks = append(ks, keyArea)
	}
	return ks
}

func (g *generator) name() texts {
	return texts{VI: esc(g.c.Title), EN: esc(g.c.Title), ZH: esc(g.c.Title)}
}

// The file format, as flows.Parse reads it (flows/schema/flow.schema.json):
// only what generated flows use.
type flowFile struct {
	ID           string     `yaml:"id"`
	Name         texts      `yaml:"name"`
	BaseLanguage string     `yaml:"base_language"`
	Languages    []string   `yaml:"languages,flow"`
	Start        string     `yaml:"start"`
	Nodes        []flowNode `yaml:"nodes"`
}

type flowNode struct {
	ID     string            `yaml:"id"`
	Action *flowAction       `yaml:"action,omitempty"`
	Say    []texts           `yaml:"say,omitempty"`
	Ask    *flowAsk          `yaml:"ask,omitempty"`
	Router *flowRouter       `yaml:"router,omitempty"`
	Enter  string            `yaml:"enter,omitempty"`
	Exits  map[string]string `yaml:"exits,omitempty"`
	Next   string            `yaml:"next,omitempty"`
}

type flowAction struct {
	Type string `yaml:"type"`
}

type flowAsk struct {
	Kind      string       `yaml:"kind"`
	Key       string       `yaml:"key"`
	MinLength int          `yaml:"min_length,omitempty"`
	MaxLength int          `yaml:"max_length,omitempty"`
	Timeout   string       `yaml:"timeout,omitempty"`
	Retries   *int         `yaml:"retries,omitempty"`
	Message   texts        `yaml:"message"`
	Retry     texts        `yaml:"retry"`
	Options   []flowOption `yaml:"options,omitempty"`
}

type flowOption struct {
	Value string `yaml:"value"`
	Label texts  `yaml:"label"`
}

type flowRouter struct {
	On      string     `yaml:"on"`
	Cases   []flowCase `yaml:"cases"`
	Default string     `yaml:"default"`
}

type flowCase struct {
	Empty   bool   `yaml:"empty"`
	Outcome string `yaml:"outcome"`
}

// texts is a flow text in the three languages.
type texts struct {
	VI string `yaml:"vi"`
	EN string `yaml:"en"`
	ZH string `yaml:"zh"`
}

func retries(n int) *int { return &n }

// encode writes f as YAML the way flow files are written by hand: two
// spaces, labels, exits and actions on one line, comment first.
func encode(f *flowFile, comment string) ([]byte, error) {
	var doc yaml.Node
	if err := doc.Encode(f); err != nil {
		return nil, fmt.Errorf("encode campaign flow: %w", err)
	}
	doc.HeadComment = comment
	inline(&doc, "")
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("encode campaign flow: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode campaign flow: %w", err)
	}
	return b.Bytes(), nil
}

// inline puts short mappings in flow style: a node's name, action and
// exits, an option with its label, a router's cases.
func inline(n *yaml.Node, key string) {
	switch key {
	case "name", "action", "exits", "label", "cases":
		n.Style = yaml.FlowStyle
		return
	case "options":
		for _, o := range n.Content {
			o.Style = yaml.FlowStyle
		}
		return
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			inline(n.Content[i+1], n.Content[i].Value)
		}
		return
	}
	for _, c := range n.Content {
		inline(c, "")
	}
}

// esc makes the board's words literal in a flow text, which is a Go
// template wherever it contains "{{".
func esc(s string) string {
	return strings.ReplaceAll(s, "{{", `{{"{{"}}`)
}

// oneLine is s on one line, for the file's comment.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// in is the board's text t in lang, made literal.
func in(t langnghe.Texts, lang string) string { return esc(t.In(lang)) }

// each builds a text from one function of the language.
func each(f func(lang string) string) texts {
	return texts{VI: f(langnghe.LangVI), EN: f(langnghe.LangEN), ZH: f(langnghe.LangZH)}
}

// tr is a text the generator writes, in the three languages.
func tr(vi, en, zh string) texts { return texts{VI: vi, EN: en, ZH: zh} }

// pickLang returns the text of lang among vi, en and zh.
func pickLang(lang, vi, en, zh string) string {
	switch lang {
	case langnghe.LangEN:
		return en
	case langnghe.LangZH:
		return zh
	}
	return vi
}

var weekdays = map[string][7]string{
	langnghe.LangVI: {"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"},
	langnghe.LangEN: {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	langnghe.LangZH: {"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"},
}

// when is a conference's day and hour as people say it in lang: "8 giờ
// 00, Thứ Tư ngày 25/03/2026".
func when(t time.Time, lang string) string {
	wd := weekdays[lang][t.Weekday()]
	switch lang {
	case langnghe.LangEN:
		return fmt.Sprintf("%s %s at %s", wd, t.Format(langnghe.DateLayout), t.Format("15:04"))
	case langnghe.LangZH:
		return fmt.Sprintf("%d年%d月%d日（%s）%s", t.Year(), t.Month(), t.Day(), wd, t.Format("15:04"))
	}
	return fmt.Sprintf("%d giờ %s, %s ngày %s", t.Hour(), t.Format("04"), wd, t.Format(langnghe.DateLayout))
}

// areaExamples names the campaign's areas: " Ví dụ: Minh Thạnh, Long Hòa."
func (g *generator) areaExamples(lang string) string {
	if g.cat == nil {
		return ""
	}
	var names []string
	for _, code := range g.c.Areas {
		if a, ok := g.cat.Area(code); ok {
			names = append(names, esc(a.Name(lang)))
		}
	}
	if len(names) == 0 {
		return ""
	}
	return pickLang(lang, " Ví dụ: ", " For example: ", "例如：") + strings.Join(names, ", ") + pickLang(lang, ".", ".", "。")
}

// Nodes every kind shares.

// askArea asks where the resident lives, once a conversation: the
// results count participation by area. It may be skipped.
func (g *generator) askArea(next string) []flowNode {
	return []flowNode{
		{ID: "has_area", Router: &flowRouter{On: "{{.area_code}}", Cases: []flowCase{{Empty: true, Outcome: "ask"}}, Default: "known"},
			Exits: map[string]string{"ask": "area", "known": next}},
		{ID: "area", Ask: &flowAsk{Kind: "area", Key: keyArea, Timeout: "24h", Retries: retries(2),
			Message: each(func(l string) string {
				return pickLang(l, "Ông/bà đang sinh sống ở xã/phường nào (hoặc ấp, khu phố nào)?", "Which commune or ward (or hamlet) do you live in?", "您居住在哪个乡/坊（或村、街区）？") + g.areaExamples(l)
			}),
			Retry: tr("Chúng tôi chưa tìm thấy nơi này. Ông/bà vui lòng gõ lại tên xã/phường, hoặc bấm «Bỏ qua».",
				"We could not find this place. Please type the commune or ward again, or tap «Skip».",
				"未找到该地点。请重新输入乡/坊名称，或点击「跳过」。"),
			Options: []flowOption{{Value: valueSkip, Label: tr("Bỏ qua", "Skip", "跳过")}}},
			Exits: map[string]string{"ok": next, valueSkip: next, "retries_exhausted": next, "no_response": "no_response"}},
	}
}

// announcements enters the default flow that asks, once ever, whether the
// resident would like the commune's announcements (a consent of its own
// purpose), after their answer is recorded. A feedback point's visitors
// are not asked: they rate a counter, not an area's campaigns.
func announcements() flowNode {
	return flowNode{ID: "announcements", Enter: AnnouncementsFlow}
}

// AnnouncementsFlow is the default flow that asks for the consent to
// announcements (flows/defaults/announcements.yaml).
const AnnouncementsFlow = "announcements"

// noResponse ends a conversation the resident left.
func noResponse(what texts) flowNode {
	return flowNode{ID: "no_response", Say: []texts{tr(
		"Đã lâu không nhận được trả lời nên cuộc trò chuyện tạm dừng; "+what.VI+" chưa được gửi. Ông/bà có thể mở lại đường liên kết để bắt đầu lại.",
		"We have not heard from you for a while, so the conversation has stopped; "+what.EN+" was not sent. You can open the link again to start over.",
		"由于长时间未收到回复，对话已暂停，"+what.ZH+"未提交。您可以再次打开链接重新开始。")}}
}

// dialogue: the conference → the question → the area (once) → check →
// record and thank, with the conference's day and place → another?
func (g *generator) dialogue() []flowNode {
	c, cf := g.c, g.c.Conference
	intro := each(func(l string) string {
		hosts := ""
		if len(cf.Hosts) > 0 {
			hosts = pickLang(l, ", do ", ", hosted by ", "，由") + esc(strings.Join(cf.Hosts, "; ")) + pickLang(l, " chủ trì", "", "主持")
		}
		theme := ""
		if c.Theme != "" {
			theme = "\n" + pickLang(l, "Chủ đề: ", "Theme: ", "主题：") + esc(c.Theme)
		}
		until := ""
		if !c.Closes.IsZero() {
			until = pickLang(l, " đến hết ngày ", " until ", "，截止日期为") + langnghe.DateIn(c.Closes, l)
		}
		return pickLang(l,
			"Kính chào ông/bà. "+esc(c.Title)+" được tổ chức lúc "+when(cf.At, l)+" tại "+esc(cf.Place)+hosts+"."+theme+
				"\nChúng tôi tiếp nhận câu hỏi, kiến nghị của ông/bà"+until+" để tổng hợp gửi hội nghị. Lãnh đạo sẽ trả lời tại hội nghị, và chúng tôi sẽ gửi câu trả lời đến ông/bà qua kênh này.",
			"Hello. "+esc(c.Title)+" takes place on "+when(cf.At, l)+" at "+esc(cf.Place)+hosts+"."+theme+
				"\nWe are collecting your questions and suggestions"+until+" for the conference. The leaders will answer them there, and we will send you the answer through this chat.",
			"您好。"+esc(c.Title)+"将于"+when(cf.At, l)+"在"+esc(cf.Place)+"举行"+hosts+"。"+theme+
				"\n我们正在收集您的问题和建议"+until+"，汇总后提交会议。领导将在会上答复，我们会通过本聊天把答复发给您。")
	})
	confirmMsg := tr(
		"Ông/bà vui lòng kiểm tra lại:\n• Câu hỏi, kiến nghị: {{.answers.question}}\n• Nơi sinh sống: {{if .area}}{{.area}}{{else}}chưa rõ{{end}}\nBấm «Gửi» để gửi đến hội nghị, hoặc chọn phần cần sửa.",
		"Please check:\n• Question or suggestion: {{.answers.question}}\n• Where you live: {{if .area}}{{.area}}{{else}}not given{{end}}\nTap «Send» to send it to the conference, or the part to change.",
		"请核对：\n• 问题或建议：{{.answers.question}}\n• 居住地：{{if .area}}{{.area}}{{else}}未提供{{end}}\n请点击「提交」发送给会议，或选择要修改的部分。")
	thanks := each(func(l string) string {
		return pickLang(l,
			"Chúng tôi đã ghi nhận câu hỏi của ông/bà và sẽ tổng hợp gửi đến hội nghị lúc "+when(cf.At, l)+" tại "+esc(cf.Place)+". Sau hội nghị, chúng tôi sẽ gửi câu trả lời của lãnh đạo đến ông/bà qua kênh này. Xin cảm ơn ông/bà.",
			"We have recorded your question and will put it to the conference on "+when(cf.At, l)+" at "+esc(cf.Place)+". After the conference we will send you the leaders' answer through this chat. Thank you.",
			"我们已记录您的问题，将汇总提交"+when(cf.At, l)+"在"+esc(cf.Place)+"举行的会议。会后我们会通过本聊天把领导的答复发给您。谢谢。")
	})
	nodes := []flowNode{
		{ID: "intro", Say: []texts{intro}, Next: "ask_question"},
		{ID: "ask_question", Ask: &flowAsk{Kind: "text", Key: langnghe.DialogueQuestionKey, MinLength: 10, MaxLength: 2000, Timeout: "24h", Retries: retries(2),
			Message: tr("Ông/bà vui lòng gõ câu hỏi hoặc kiến nghị gửi hội nghị (mỗi lần một nội dung).",
				"Please type your question or suggestion for the conference (one at a time).",
				"请输入您要向会议提出的问题或建议（每次一项）。"),
			Retry: tr("Nội dung hơi ngắn. Ông/bà vui lòng viết rõ hơn một chút (ít nhất 10 ký tự).",
				"That is a little short. Please write a bit more (at least 10 characters).",
				"内容有点短，请再详细一些（至少 10 个字符）。")},
			Exits: map[string]string{"ok": "has_area", "retries_exhausted": "give_up", "no_response": "no_response"}},
	}
	nodes = append(nodes, g.askArea("confirm")...)
	nodes = append(nodes,
		flowNode{ID: "confirm", Ask: &flowAsk{Kind: "choice", Key: keyConfirm, Timeout: "24h", Retries: retries(2), Message: confirmMsg,
			Retry: tr("Ông/bà vui lòng bấm «Gửi», một nút «Sửa», hoặc «Không gửi».", "Please tap «Send», a «Change» button, or «Don't send».", "请点击「提交」、某个「修改」按钮，或「不提交」。"),
			Options: []flowOption{
				{Value: "send", Label: tr("Gửi", "Send", "提交")},
				{Value: "edit_question", Label: tr("Sửa câu hỏi", "Change the question", "修改问题")},
				{Value: "edit_area", Label: tr("Sửa nơi sinh sống", "Change where I live", "修改居住地")},
				{Value: "cancel", Label: tr("Không gửi", "Don't send", "不提交")},
			}},
			Exits: map[string]string{"send": "record", "edit_question": "ask_question", "edit_area": "area", "cancel": "cancelled",
				"retries_exhausted": "cancelled", "no_response": "no_response"}},
		// The thanks and the next question in one message, so a quick tap
		// never answers the wrong one.
		flowNode{ID: "record", Action: &flowAction{Type: "record_response"}, Next: "more"},
		flowNode{ID: "more", Ask: &flowAsk{Kind: "yes_no", Key: keyMore, Retries: retries(1),
			Message: texts{VI: thanks.VI + "\n\nÔng/bà có muốn gửi thêm câu hỏi, kiến nghị khác không?",
				EN: thanks.EN + "\n\nWould you like to send another question or suggestion?",
				ZH: thanks.ZH + "\n\n您还想提出其他问题或建议吗？"},
			Retry:   tr("Ông/bà vui lòng bấm một nút bên dưới.", "Please tap a button below.", "请点击下面的按钮。"),
			Options: []flowOption{{Value: "yes", Label: tr("Gửi thêm", "Send another", "继续提出")}, {Value: "no", Label: tr("Không, cảm ơn", "No, thank you", "不用了，谢谢")}}},
			Exits: map[string]string{"yes": "ask_question", "no": "bye", "retries_exhausted": "bye"}},
		flowNode{ID: "bye", Say: []texts{tr("Xin cảm ơn ông/bà đã tham gia. Khi cần, ông/bà gõ /menu.", "Thank you for taking part. Whenever you need, type /menu.", "感谢您的参与。需要时请输入 /menu。")},
			Next: "announcements"},
		announcements(),
		flowNode{ID: "cancelled", Say: []texts{tr("Câu hỏi chưa được gửi. Khi cần, ông/bà mở lại đường liên kết của hội nghị.", "The question was not sent. Whenever you like, open the conference's link again.", "问题未提交。需要时请再次打开会议链接。")}},
		flowNode{ID: "give_up", Say: []texts{tr("Xin lỗi, chúng tôi chưa nhận được câu hỏi của ông/bà. Ông/bà có thể mở lại đường liên kết để thử lại.", "Sorry, we did not get your question. You can open the link again to try again.", "抱歉，未收到您的问题。您可以再次打开链接重试。")}},
		noResponse(tr("câu hỏi", "the question", "问题")),
	)
	return nodes
}

// consultation: the draft's summary and link → each question (choice
// buttons, a 1–5 scale, free text) → the area → record and thank.
func (g *generator) consultation() []flowNode {
	c := g.c
	optional := false
	for _, q := range c.Questions {
		optional = optional || q.Optional
	}
	n := len(c.Questions)
	intro := each(func(l string) string {
		var b strings.Builder
		b.WriteString(pickLang(l, "Kính chào ông/bà. Chúng tôi xin ý kiến của ông/bà về: ", "Hello. We would like your opinion on: ", "您好。我们希望听取您对以下内容的意见：") + esc(c.Title))
		if c.Theme != "" {
			b.WriteString("\n" + pickLang(l, "Chủ đề: ", "Theme: ", "主题：") + esc(c.Theme))
		}
		b.WriteString("\n\n" + pickLang(l, "Tóm tắt dự thảo: ", "The draft in brief: ", "草案摘要：") + esc(c.Draft.Summary))
		if c.Draft.Link != "" {
			b.WriteString("\n" + pickLang(l, "Toàn văn dự thảo: ", "The full draft: ", "草案全文：") + esc(c.Draft.Link))
		}
		b.WriteString("\n\n")
		if !c.Closes.IsZero() {
			b.WriteString(pickLang(l, "Chúng tôi nhận ý kiến đến hết ngày ", "We take opinions until ", "意见征集截止日期为") + langnghe.DateIn(c.Closes, l) + pickLang(l, ". ", ". ", "。"))
		}
		b.WriteString(pickLang(l, "Ông/bà vui lòng trả lời "+strconv.Itoa(n)+" câu hỏi dưới đây", "Please answer the "+strconv.Itoa(n)+" questions below", "请回答以下 "+strconv.Itoa(n)+" 个问题"))
		if optional {
			b.WriteString(pickLang(l, "; câu nào không bắt buộc, ông/bà có thể bấm «Bỏ qua».", "; you can tap «Skip» on those that are optional.", "；非必答的问题可点击「跳过」。"))
		} else {
			b.WriteString(pickLang(l, ".", ".", "。"))
		}
		return b.String()
	})
	nodes := []flowNode{{ID: "intro", Say: []texts{intro}, Next: nodeID(c.Questions[0])}}
	for i, q := range c.Questions {
		next := "has_area"
		if i+1 < n {
			next = nodeID(c.Questions[i+1])
		}
		nodes = append(nodes, g.question(q, i+1, n, agreement, next))
	}
	nodes = append(nodes, g.askArea("record")...)
	nodes = append(nodes,
		flowNode{ID: "record", Action: &flowAction{Type: "record_response"}, Say: []texts{each(func(l string) string {
			after := ""
			if !c.Closes.IsZero() {
				after = pickLang(l, " sau ngày ", " after ", "在") + langnghe.DateIn(c.Closes, l) + pickLang(l, "", "", "之后")
			}
			return pickLang(l,
				"Xin cảm ơn ông/bà đã góp ý. Chúng tôi sẽ tổng hợp ý kiến gửi cơ quan soạn thảo; kết quả lấy ý kiến sẽ được công bố"+after+".",
				"Thank you for your opinion. We will pass the opinions on to the drafting office; the results will be published"+after+".",
				"感谢您的意见。我们将汇总意见转交起草机关；征求意见结果将"+after+"公布。")
		})}, Next: "announcements"},
		announcements(),
		noResponse(tr("ý kiến", "your opinion", "意见")),
	)
	return nodes
}

// feedbackPoint: three ratings from 1 to 5 with plain labels → an
// optional comment → record and thank. A visitor at the counter answers
// in a minute or not at all, so waits are short.
func (g *generator) feedbackPoint() []flowNode {
	c := g.c
	qs := c.Asked()
	intro := each(func(l string) string {
		return pickLang(l,
			"Kính chào ông/bà. Đây là điểm lấy ý kiến của "+esc(c.Title)+". Ông/bà vui lòng cho biết mức độ hài lòng về ba nội dung dưới đây, từ 1 (rất không hài lòng) đến 5 (rất hài lòng), và góp ý thêm nếu có. Ý kiến của ông/bà giúp chúng tôi phục vụ tốt hơn.",
			"Hello. This is the feedback point of "+esc(c.Title)+". Please rate three things below from 1 (very dissatisfied) to 5 (very satisfied), and add a comment if you wish. Your opinion helps us serve you better.",
			"您好。这里是"+esc(c.Title)+"的意见征集点。请对以下三项内容的满意程度打分，从 1（非常不满意）到 5（非常满意），如有其他意见也欢迎留言。您的意见有助于我们更好地为您服务。")
	})
	nodes := []flowNode{{ID: "intro", Say: []texts{intro}, Next: nodeID(qs[0])}}
	for i, q := range qs {
		next := "record"
		if i+1 < len(qs) {
			next = nodeID(qs[i+1])
		}
		nodes = append(nodes, g.question(q, i+1, len(qs), satisfaction, next))
	}
	nodes = append(nodes,
		flowNode{ID: "record", Action: &flowAction{Type: "record_response"}, Say: []texts{tr(
			"Xin cảm ơn ông/bà đã đánh giá. Chúng tôi ghi nhận để phục vụ ngày càng tốt hơn.",
			"Thank you for your rating. We will use it to serve you better.",
			"感谢您的评价。我们将据此不断改进服务。")}},
		noResponse(tr("đánh giá", "your rating", "评价")),
	)
	for i := range nodes {
		if a := nodes[i].Ask; a != nil {
			a.Timeout = "2h"
		}
	}
	return nodes
}

// nodeID is the node asking q.
func nodeID(q langnghe.CampaignQuestion) string { return "q_" + q.Key }

// Scale labels, from ScaleMin to ScaleMax: plain words, no emoji, so they
// read the same on every phone and to a screen reader.
var (
	agreement = [5]texts{
		tr("Hoàn toàn không đồng ý", "Strongly disagree", "完全不同意"),
		tr("Không đồng ý", "Disagree", "不同意"),
		tr("Phân vân", "Undecided", "不确定"),
		tr("Đồng ý", "Agree", "同意"),
		tr("Hoàn toàn đồng ý", "Strongly agree", "完全同意"),
	}
	satisfaction = [5]texts{
		tr("Rất không hài lòng", "Very dissatisfied", "非常不满意"),
		tr("Không hài lòng", "Dissatisfied", "不满意"),
		tr("Bình thường", "Neither", "一般"),
		tr("Hài lòng", "Satisfied", "满意"),
		tr("Rất hài lòng", "Very satisfied", "非常满意"),
	}
)

// question asks q, the i-th of n, then goes to next whatever the answer.
func (g *generator) question(q langnghe.CampaignQuestion, i, n int, scale [5]texts, next string) flowNode {
	head := each(func(l string) string {
		return pickLang(l, "Câu ", "Question ", "第 ") + strconv.Itoa(i) + "/" + strconv.Itoa(n) + pickLang(l, ": ", ": ", " 题：") + in(q.Text, l)
	})
	a := &flowAsk{Key: q.Key, Timeout: "24h", Retries: retries(1), Message: head,
		Retry: tr("Ông/bà vui lòng bấm một trong các nút bên dưới.", "Please tap one of the buttons below.", "请点击下面的一个按钮。")}
	if q.Kind == langnghe.QuestionScale {
		a.Retry = tr("Ông/bà vui lòng bấm một nút bên dưới, hoặc gõ một số từ 1 đến 5.", "Please tap a button below, or type a number from 1 to 5.", "请点击下面的按钮，或输入 1 到 5 的数字。")
	}
	switch q.Kind {
	case langnghe.QuestionChoice:
		a.Kind = "choice"
		for _, o := range q.Options {
			a.Options = append(a.Options, flowOption{Value: o.Value, Label: each(func(l string) string { return in(o.Label, l) })})
		}
	case langnghe.QuestionScale:
		a.Kind = "scale"
		a.Message = each(func(l string) string {
			return pickLang(l, head.VI+"\n(Từ 1: "+strings.ToLower(scale[0].VI)+" đến 5: "+strings.ToLower(scale[4].VI)+")",
				head.EN+"\n(From 1: "+strings.ToLower(scale[0].EN)+" to 5: "+strings.ToLower(scale[4].EN)+")",
				head.ZH+"\n（1："+scale[0].ZH+"，5："+scale[4].ZH+"）")
		})
		for p := langnghe.ScaleMin; p <= langnghe.ScaleMax; p++ {
			s := scale[p-1]
			num := strconv.Itoa(p) + " – "
			a.Options = append(a.Options, flowOption{Value: strconv.Itoa(p), Label: tr(num+s.VI, num+s.EN, num+s.ZH)})
		}
	case langnghe.QuestionText:
		a.Kind, a.MinLength, a.MaxLength = "text", 2, 2000
		a.Message = each(func(l string) string {
			if q.Optional {
				return pickLang(l, head.VI+"\nÔng/bà gõ ý kiến, hoặc bấm «Bỏ qua».", head.EN+"\nType your answer, or tap «Skip».", head.ZH+"\n请输入您的意见，或点击「跳过」。")
			}
			return pickLang(l, head.VI+"\nÔng/bà vui lòng gõ ý kiến của mình.", head.EN+"\nPlease type your answer.", head.ZH+"\n请输入您的意见。")
		})
		a.Retry = tr("Ông/bà vui lòng gõ ý kiến (ít nhất 2 ký tự).", "Please type your answer (at least 2 characters).", "请输入您的意见（至少 2 个字符）。")
		if q.Optional {
			a.Retry = tr("Ông/bà vui lòng gõ ý kiến (ít nhất 2 ký tự), hoặc bấm «Bỏ qua».", "Please type your answer (at least 2 characters), or tap «Skip».", "请输入您的意见（至少 2 个字符），或点击「跳过」。")
		}
	}
	if q.Optional {
		a.Options = append(a.Options, flowOption{Value: valueSkip, Label: tr("Bỏ qua", "Skip", "跳过")})
	}
	return flowNode{ID: nodeID(q), Ask: a, Exits: map[string]string{"no_response": "no_response"}, Next: next}
}
