package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"langnghe"
	"langnghe/bot/telegramtest"
	"langnghe/config"
)

// conferenceQuestions are the 50 questions residents send to the dialogue
// conference, labelled by the issue each raises: the same issue in other
// words, with and without diacritics. The grouping must put each issue in
// one group of its own (TestDialogueConference states it).
var conferenceQuestions = []struct{ issue, text string }{
	{"dredge", "Khi nào xã nạo vét lòng sông Thị Tính? Sông bị bồi lắng cạn quá rồi."},
	{"dredge", "bao gio nao vet song thi tinh vay a"},
	{"dredge", "Đề nghị nạo vét sông Thị Tính vì bùn bồi lấp lòng sông."},
	{"dredge", "Sông Thị Tính cạn quá, ghe thuyền không qua được, khi nào nạo vét?"},
	{"dredge", "de nghi nao vet long song, bun boi day qua"},
	{"dredge", "Lòng sông bị bồi cạn làm nước lũ tràn, xin nạo vét sớm."},
	{"dredge", "Xin hỏi bao giờ nạo vét sông Thị Tính?"},
	{"dredge", "nao vet song thi tinh khi nao lam"},
	{"dredge", "Khi nào nạo vét sông Thị Tính cho ghe thuyền qua lại?"},
	{"bank", "Bờ sông Thị Tính bị sạt lở nhiều năm nay, khi nào làm kè chống sạt lở?"},
	{"bank", "bo song lo dat nhieu nam roi, xin xa cho xay ke chong sat lo"},
	{"bank", "Sạt lở bờ sông ngày càng nặng, đề nghị xây kè bảo vệ nhà dân."},
	{"bank", "bo song sat lo mat dat cua dan, khi nao co ke"},
	{"bank", "Đề nghị làm kè chống sạt lở bờ sông đoạn qua ấp Hòa Cường."},
	{"certificate", "Đất bán ngập ven sông có được cấp sổ đỏ không?"},
	{"certificate", "dat ban ngap co duoc cap giay chung nhan quyen su dung dat khong"},
	{"certificate", "Đất bán ngập ven sông Thị Tính có được cấp giấy chứng nhận không?"},
	{"certificate", "dat ban ngap ven song lam so do duoc khong"},
	{"certificate", "Gia đình tôi canh tác đất bán ngập nhiều năm, xin được cấp sổ đỏ."},
	{"certificate", "Đất bán ngập có được cấp sổ đỏ như đất nông nghiệp không?"},
	{"road", "Đường vào ấp Hòa Thuận hư hỏng nặng, ổ gà nhiều, khi nào sửa?"},
	{"road", "duong ap 3 xuong cap, o ga nhieu, bao gio sua"},
	{"road", "Đường liên ấp nhiều ổ gà, xe máy té hoài, đề nghị sửa đường."},
	{"road", "duong ap nhieu o ga qua, bao gio sua duong"},
	{"road", "Đề nghị sửa chữa đường ấp bị hư hỏng, ổ gà sâu."},
	{"road", "Đường ấp Minh Hưng xuống cấp, ổ gà đọng nước, bao giờ sửa?"},
	{"water", "Khi nào ấp Bến Súc có nước máy sạch để dùng?"},
	{"water", "nha toi chua co nuoc sach, phai dung nuoc gieng nhiem phen"},
	{"water", "Đề nghị kéo đường ống nước sạch về ấp Căn Giăng."},
	{"water", "Bao giờ nước máy sạch về tới ấp Minh Hưng?"},
	{"water", "nuoc may sach chua toi ap minh hung, dan phai mua nuoc binh"},
	{"drain", "Mương thoát nước ở ấp Hòa Lộc bị nghẹt, mưa xuống nước ngập vào nhà."},
	{"drain", "muong thoat nuoc bi tac lau roi, mua la ngap san nha"},
	{"drain", "Đề nghị nạo vét mương thoát nước dọc đường ấp Minh Tân."},
	{"drain", "Mương thoát nước khu phố 2 bị nghẹt rác, mưa là nước ngập đường."},
	{"drain", "muong thoat nuoc bi lap, nuoc tu dong boc mui"},
	{"burning", "Người dân đốt rơm rạ, đốt rác gây khói mù mịt cả xóm."},
	{"burning", "dot rac dot rom ra khoi mu mit ca xom"},
	{"burning", "Tình trạng đốt rác thải nhựa ở bãi đất trống gây ô nhiễm không khí."},
	{"burning", "Khói đốt rơm rạ sau mùa gặt làm trẻ em ho, đề nghị tuyên truyền."},
	{"lights", "Đèn đường ấp 5 hư lâu rồi chưa ai sửa, tối đi rất nguy hiểm."},
	{"lights", "den duong ap 5 bi hu, bao gio thay bong moi"},
	{"lights", "Đề nghị lắp đèn chiếu sáng đường ấp 5, ban đêm tối om."},
	{"dogs", "Chó thả rông ngoài đường cắn người, đề nghị xử lý chủ nuôi."},
	{"dogs", "cho tha rong can tre em, xa phai phat chu nuoi"},
	{"dogs", "Tình trạng chó thả rông trong ấp, chó cắn người đi đường."},
	{"insurance", "Thẻ bảo hiểm y tế của hộ cận nghèo năm nay có được hỗ trợ không?"},
	{"insurance", "bhyt ho can ngheo co duoc ho tro tien mua khong"},
	{"school", "Trường tiểu học ấp 2 thiếu phòng học, khi nào xây thêm?"},
	{"birth", "Thủ tục đăng ký khai sinh cho con cần giấy tờ gì?"},
}

// conferenceFirstID is the first resident's Telegram user id; every fifth
// resident speaks English.
const conferenceFirstID = 8101

// asker is one of the conference's residents.
type asker struct {
	*resident
	i       int // the question they ask
	english bool
	name    string
	area    string // the area code they give
	// read is how many messages the conversation left in their chat.
	read int
}

// ask walks a resident through the deep link: the language and consent
// (half agree), the question, the area, send, no more.
func (a *asker) ask(link string) {
	a.say("/start " + link)
	if a.english {
		a.expect("choose your language")
		a.press("English")
		a.expect("Do you agree")
		a.press(map[bool]string{true: "I agree", false: "I do not agree"}[a.i%2 == 0])
		a.expect("type your question or suggestion")
	} else {
		a.expect("chọn ngôn ngữ")
		a.press("Tiếng Việt")
		a.expect("đồng ý không")
		a.press(map[bool]string{true: "Tôi đồng ý", false: "Không đồng ý"}[a.i%2 == 0])
		a.expect("gõ câu hỏi hoặc kiến nghị")
	}
	a.say(conferenceQuestions[a.i].text)
	a.expect(map[bool]string{true: "do you live in", false: "sinh sống"}[a.english])
	a.say(map[string]string{"minh_thanh": "minh thanh", "long_hoa": "Long Hòa"}[a.area])
	a.expect(map[bool]string{true: "Please check", false: "kiểm tra lại"}[a.english])
	a.press(map[bool]string{true: "Send", false: "Gửi"}[a.english])
	a.expect(map[bool]string{true: "We have recorded your question", false: "đã ghi nhận câu hỏi"}[a.english])
	a.press(map[bool]string{true: "No, thank you", false: "Không, cảm ơn"}[a.english])
	a.expect(map[bool]string{true: "Thank you for taking part", false: "đã tham gia"}[a.english])
}

// cli runs the real binary's command line with env and returns what it
// printed; a failure fails the test with what it said.
func cli(t *testing.T, bin string, env map[string]string, args ...string) string {
	t.Helper()
	out, errOut, err := cliRun(bin, env, args...)
	if err != nil {
		t.Fatalf("langnghe %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

func cliRun(bin string, env map[string]string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command(bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LANGNGHE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(env)) {
		cmd.Env = append(cmd.Env, k+"="+env[k])
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// answerFor is the leaders' answer to the group of an issue.
func answerFor(issue string) string {
	return "Về kiến nghị nhóm «" + issue + "»: UBND xã đã giao phòng chuyên môn kiểm tra và sẽ giải quyết trong quý II năm 2026."
}

// TestDialogueConference is issue 16's dialogue end to end through the
// fake Bot API with the real binary: the board creates a conference for
// two communes from the command line; 50 residents open its deep link and
// ask (the same issues in other words, with and without diacritics, five
// in English); the groups come out as conferenceQuestions labels them; the
// board answers every group; the answers start going out, the service is
// killed with SIGKILL mid-send and started again, and every asker gets
// their group's answer, in their language, queued once: a message
// Telegram took just before the kill may arrive twice in a row
// (at-least-once delivery, as for every reply), nothing else twice.
func TestDialogueConference(t *testing.T) {
	t.Parallel()
	bin := langngheBinary(t)
	eachDatabase(t, func(t *testing.T, dbURL string) { dialogueConference(t, bin, dbURL) })
}

func dialogueConference(t *testing.T, bin, dbURL string) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	addr := freeAddr(t)
	env := processEnv(fake, dbURL, addr)
	var created struct {
		ID      int64  `json:"id"`
		Link    string `json:"link"`
		Payload string `json:"payload"`
	}
	out := cli(t, bin, env, "campaigns", "create", "--kind", "dialogue", "--title", "Hội nghị đối thoại xã Minh Thạnh và xã Long Hòa",
		"--areas", "minh_thanh,long_hoa", "--opens", officeDay(0), "--closes", officeDay(20), "--at", officeDay(25)+" 08:00",
		"--place", "Hội trường UBND xã Minh Thạnh", "--hosts", "Ông Nguyễn Văn Bình, Chủ tịch UBND xã; Bà Trần Thị Hoa, Phó Chủ tịch UBND xã")
	if err := json.Unmarshal([]byte(out), &created); err != nil || created.ID == 0 || !langnghe.IsCampaignPayload(created.Payload) ||
		created.Link != "https://t.me/"+fake.BotUsername()+"?start="+created.Payload {
		t.Fatalf("campaigns create printed %q (%v)", out, err)
	}
	proc := startProcess(t, bin, addr, env)
	db := sqlDB(t, dbURL)

	// 50 residents open the link at once and ask.
	askers := make([]*asker, len(conferenceQuestions))
	var wg sync.WaitGroup
	for i := range conferenceQuestions {
		english := i%5 == 4
		lang := map[bool]string{true: "en", false: "vi"}[english]
		name := fmt.Sprintf("Phạm Thị Hồng %02d", i)
		a := &asker{i: i, english: english, name: name, area: []string{"minh_thanh", "long_hoa"}[i%2],
			resident: &resident{t: goroutineTB{t}, fake: fake, patience: 40 * time.Second,
				user: telegramtest.User{ID: conferenceFirstID + int64(i), FirstName: name, LanguageCode: lang}}}
		askers[i] = a
		wg.Go(func() { a.ask(created.Payload) })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for _, a := range askers {
		a.read = len(fake.Sent(a.user.ChatID()))
	}

	// The groups, as the labels say: one group per issue.
	issueOf := map[string]string{} // resident's account → issue
	for _, a := range askers {
		issueOf[fmt.Sprint(a.user.ID)] = conferenceQuestions[a.i].issue
	}
	accountOf := map[int64]string{} // response id → resident's account
	rows := must(db.QueryContext(context.Background(), `SELECT p.id, r.external_id FROM campaign_responses p JOIN residents r ON r.id = p.resident_id`))
	for rows.Next() {
		var id int64
		var account string
		if err := rows.Scan(&id, &account); err != nil {
			t.Fatal(err)
		}
		accountOf[id] = account
	}
	rows.Close()
	if len(accountOf) != 50 {
		t.Fatalf("%d responses stored, want 50", len(accountOf))
	}
	var groups []langnghe.QuestionGroup
	for line := range strings.Lines(cli(t, bin, env, "campaigns", "groups", fmt.Sprint(created.ID), "--json")) {
		var g langnghe.QuestionGroup
		if err := json.Unmarshal([]byte(line), &g); err != nil {
			t.Fatal(err)
		}
		groups = append(groups, g)
	}
	issueGroup := map[string]int64{}
	var layout []string
	for _, g := range groups {
		issues := map[string]bool{}
		for _, m := range g.Members {
			issues[issueOf[accountOf[m]]] = true
		}
		names := slices.Sorted(maps.Keys(issues))
		layout = append(layout, fmt.Sprintf("%s×%d", strings.Join(names, "+"), len(g.Members)))
		if len(names) == 1 && issueGroup[names[0]] == 0 {
			issueGroup[names[0]] = g.ID
		} else {
			t.Errorf("group %d %q mixes issues or repeats one: %v", g.ID, g.Title, names)
		}
	}
	// Groups of one size come in the order their first question came.
	slices.Sort(layout)
	want := "bank×5 birth×1 burning×4 certificate×6 dogs×3 drain×5 dredge×9 insurance×2 lights×3 road×6 school×1 water×5"
	if got := strings.Join(layout, " "); got != want {
		t.Fatalf("groups\n got %s\nwant %s", got, want)
	}

	// The results: who took part, where, the groups; nobody's name.
	var res langnghe.CampaignResults
	out = cli(t, bin, env, "campaigns", "results", fmt.Sprint(created.ID), "--json")
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Participants != 50 || res.Responses != 50 || len(res.ByArea) != 2 || res.ByArea[0] != (langnghe.AreaParticipation{Area: "minh_thanh", Participants: 25}) ||
		res.ByArea[1] != (langnghe.AreaParticipation{Area: "long_hoa", Participants: 25}) || len(res.Groups) != len(groups) {
		t.Errorf("results: %s", out)
	}
	for i, g := range res.Groups {
		if g.Count != len(groups[i].Members) || g.Title != groups[i].Title {
			t.Errorf("results' group %d: %+v, want %d questions titled %q", i, g, len(groups[i].Members), groups[i].Title)
		}
	}
	if strings.Contains(out, "Phạm") || strings.Contains(out, fmt.Sprint(conferenceFirstID)) || strings.Contains(out, `"resident`) {
		t.Errorf("the results carry personal data: %s", out)
	}

	// The board answers every group while the service is stopped for a
	// moment (another replica would do: the answers are queued in the
	// database); then the service sends them slowly and is killed midway.
	proc.stop(t)
	for issue, id := range issueGroup {
		out := cli(t, bin, env, "campaigns", "answer", fmt.Sprint(id), "--text", answerFor(issue), "--by", "Ông Nguyễn Văn Bình, Chủ tịch UBND xã")
		if !strings.Contains(out, "answered") {
			t.Errorf("campaigns answer %d: %q", id, out)
		}
	}
	if _, errOut, err := cliRun(bin, env, "campaigns", "answer", fmt.Sprint(issueGroup["dogs"]), "--text", "Lần nữa"); err == nil || !strings.Contains(errOut, "answered already") {
		t.Errorf("a second answer to a group: %v %q", err, errOut)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM outbox`); n != 50 {
		t.Fatalf("%d answers queued, want one for each of the 50 askers", n)
	}
	slow := maps.Clone(env)
	slow["LANGNGHE_SEND_RATE"] = "5"
	before := fake.Calls("sendMessage")
	proc = startProcess(t, bin, addr, slow)
	if !waitFor(30*time.Second, func() bool { return fake.Calls("sendMessage") >= before+8 }) {
		t.Fatalf("only %d answers went out in 30s", fake.Calls("sendMessage")-before)
	}
	proc.kill(t)
	sentAtKill := fake.Calls("sendMessage") - before
	if sentAtKill >= 50 {
		t.Fatalf("all %d answers were out before the kill: not mid-send", sentAtKill)
	}
	startProcess(t, bin, addr, env)
	if !waitFor(60*time.Second, func() bool { return count(t, db, `SELECT COUNT(*) FROM outbox`) == 0 }) {
		t.Fatalf("%d answers still queued a minute after the restart", count(t, db, `SELECT COUNT(*) FROM outbox`))
	}
	if n := count(t, db, `SELECT COUNT(*) FROM outbox_dead`); n != 0 {
		t.Errorf("%d answers were given up", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM campaign_deliveries`); n != 50 {
		t.Errorf("%d deliveries recorded, want 50", n)
	}

	// Each asker: their group's answer, once (or twice in a row across the
	// kill), in their language, quoting their question.
	redelivered := 0
	for _, a := range askers {
		msgs := fake.Sent(a.user.ChatID())[a.read:]
		texts, dup := transcript(msgs)
		redelivered += dup
		q := conferenceQuestions[a.i]
		if len(texts) != 1 {
			t.Errorf("resident %d received %d messages after the conversation: %q", a.user.ID, len(texts), texts)
			continue
		}
		head := map[bool]string{true: "The answer to your question for the dialogue conference «Hội nghị đối thoại xã Minh Thạnh và xã Long Hòa»",
			false: "Chúng tôi xin gửi ông/bà câu trả lời cho câu hỏi ông/bà gửi hội nghị đối thoại «Hội nghị đối thoại xã Minh Thạnh và xã Long Hòa»"}[a.english]
		if text := texts[0]; !strings.HasPrefix(text, head) || !strings.Contains(text, "“"+q.text+"”") || !strings.Contains(text, answerFor(q.issue)) {
			t.Errorf("resident %d (%s) received %q", a.user.ID, q.issue, text)
		}
	}
	if redelivered > sentAtKill {
		t.Errorf("%d answers arrived twice, more than the %d sent before the kill", redelivered, sentAtKill)
	}
	checkPublicResults(t, addr, created.Payload, slices.Collect(maps.Values(answerTexts(issueGroup))), askerNames(askers))

	// Askers of the dredging group rate its answer with the buttons it
	// came with, once each; a press forged with another group's data
	// rates nothing and is told so.
	var dredgers []*asker
	for _, a := range askers {
		if conferenceQuestions[a.i].issue == "dredge" && !a.english {
			dredgers = append(dredgers, a)
		}
	}
	for i, p := range []struct{ button, reply string }{
		{"👍 Hài lòng", "Xin cảm ơn ông/bà đã đánh giá câu trả lời"},
		{"👎 Chưa hài lòng", "đã ghi nhận ông/bà chưa hài lòng"},
	} {
		a := dredgers[i]
		a.expect(answerFor("dredge"))
		a.press(p.button)
		a.expect(p.reply)
		a.press("Chưa hài lòng")
		a.expect("Ông/bà đã đánh giá câu trả lời này")
	}
	forger := dredgers[2]
	m := forger.expect(answerFor("dredge"))
	fake.PressButton(forger.user, m.MessageID, langnghe.CampaignRatingData(issueGroup["dogs"], langnghe.RatingSatisfied))
	forger.expect("Không tìm thấy câu trả lời này")
	out = cli(t, bin, env, "campaigns", "results", fmt.Sprint(created.ID), "--json")
	res = langnghe.CampaignResults{}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	for _, g := range res.Groups {
		want := (*langnghe.AnswerRatings)(nil)
		if g.ID == issueGroup["dredge"] {
			want = &langnghe.AnswerRatings{Satisfied: 1, NotSatisfied: 1}
		}
		if (g.Ratings == nil) != (want == nil) || (want != nil && *g.Ratings != *want) {
			t.Errorf("group %d's ratings: %+v, want %+v", g.ID, g.Ratings, want)
		}
	}
	t.Logf("killed after %d of 50 answers; %d arrived twice across the kill (Telegram took them, the kill came before they were marked sent)",
		sentAtKill, redelivered)
}

// TestConsultationAndFeedbackPoint: a consultation with a choice, a 1–5
// scale and free text, answered through its deep link by residents of two
// communes and one who does not say; its results, by area and by question,
// are what the answers add up to. A feedback point at a unit's counter is
// rated through its deep link by a first-time visitor and a returning one.
func TestConsultationAndFeedbackPoint(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		fake := telegramtest.NewServer()
		defer fake.Close()
		svc := startService(t, fake, dbURL, map[string]string{"LANGNGHE_LOG_LEVEL": "info"})
		cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL, "LANGNGHE_TELEGRAM_TOKEN": fake.Token(),
			"LANGNGHE_TELEGRAM_API_ENDPOINT": fake.Endpoint()})
		questions := filepath.Join(t.TempDir(), "questions.json")
		if err := os.WriteFile(questions, []byte(`[
			{"key": "plan", "kind": "choice", "text": {"vi": "Ông/bà có đồng ý bố trí lại chợ Minh Thạnh như dự thảo không?"},
			 "options": [{"value": "yes", "label": {"vi": "Đồng ý"}}, {"value": "no", "label": {"vi": "Không đồng ý"}},
			             {"value": "other", "label": {"vi": "Ý kiến khác"}}]},
			{"key": "fee", "kind": "scale", "text": {"vi": "Mức phí vệ sinh mới là hợp lý"}},
			{"key": "comment", "kind": "text", "optional": true, "text": {"vi": "Góp ý thêm cho dự thảo"}}
		]`), 0o600); err != nil {
			t.Fatal(err)
		}
		today := time.Now().In(cfg.TimeZone).Format(time.DateOnly)
		consultation := createCampaign(t, cfg, "--kind", "consultation", "--title", "Lấy ý kiến dự thảo quy chế chợ Minh Thạnh",
			"--areas", "minh_thanh,long_hoa", "--opens", today, "--summary", "Bố trí lại các khu hàng, giờ họp chợ và phí vệ sinh.",
			"--draft-link", "https://minhthanh.example.vn/du-thao-quy-che-cho.pdf", "--questions", questions)

		// Each resident: where they live ("" skipped), their choice, the
		// scale (typed or tapped) and a comment ("" skipped).
		answers := []struct {
			area, choice string
			fee          int
			typed        bool
			comment      string
		}{
			{"minh_thanh", "Đồng ý", 4, false, "Nên có chỗ để xe cho người đi chợ."},
			{"minh_thanh", "Đồng ý", 5, true, ""},
			{"minh_thanh", "Không đồng ý", 2, false, "Phí vệ sinh tăng cao quá so với thu nhập của tiểu thương."},
			{"long_hoa", "Đồng ý", 3, false, "Cần chỗ để xe cho khách đi chợ."},
			{"long_hoa", "Ý kiến khác", 1, true, "phi ve sinh tang cao qua, tieu thuong kho chiu noi"},
			{"minh_thanh", "Đồng ý", 4, false, ""},
			{"", "Không đồng ý", 2, false, "Giờ họp chợ sớm quá."},
		}
		for i, ans := range answers {
			r := newResident(t, fake, 8301+int64(i), "Lê Văn Tám", "vi")
			r.say("/start " + consultation.Payload)
			r.expect("chọn ngôn ngữ")
			r.press("Tiếng Việt")
			r.expect("đồng ý không")
			r.press("Không đồng ý")
			r.expect("Câu 1/3")
			r.press(ans.choice)
			r.expect("Câu 2/3")
			if ans.typed {
				r.say(fmt.Sprint(ans.fee))
			} else {
				r.press(fmt.Sprintf("%d –", ans.fee))
			}
			r.expect("Câu 3/3")
			if ans.comment == "" {
				r.press("Bỏ qua")
			} else {
				r.say(ans.comment)
			}
			r.expect("sinh sống")
			if ans.area == "" {
				r.press("Bỏ qua")
			} else {
				r.say(map[string]string{"minh_thanh": "Minh Thạnh", "long_hoa": "long hoa"}[ans.area])
			}
			r.expect("Xin cảm ơn ông/bà đã góp ý")
		}
		var res langnghe.CampaignResults
		var out bytes.Buffer
		if err := campaignsCmd(context.Background(), cfg, []string{"results", fmt.Sprint(consultation.ID), "--json"}, &out, os.Stderr); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		// What the answers add up to.
		byArea := map[string]int{}
		choices := map[string]int{}
		fees := make([]int, 6)
		sum, comments := 0, 0
		for _, a := range answers {
			byArea[a.area]++
			choices[a.choice]++
			fees[a.fee]++
			sum += a.fee
			if a.comment != "" {
				comments++
			}
		}
		wantArea := []langnghe.AreaParticipation{{Area: "minh_thanh", Participants: byArea["minh_thanh"]},
			{Area: "long_hoa", Participants: byArea["long_hoa"]}, {Area: "", Participants: byArea[""]}}
		if res.Participants != len(answers) || !slices.Equal(res.ByArea, wantArea) || len(res.Questions) != 3 {
			t.Fatalf("results: %s\nwant by area %v", out.String(), wantArea)
		}
		plan, fee, comment := res.Questions[0], res.Questions[1], res.Questions[2]
		if plan.Answered != len(answers) || plan.Counts[0].Count != choices["Đồng ý"] || plan.Counts[1].Count != choices["Không đồng ý"] ||
			plan.Counts[2].Count != choices["Ý kiến khác"] {
			t.Errorf("the choice: %+v", plan)
		}
		for p := 1; p <= 5; p++ {
			if fee.Counts[p-1].Count != fees[p] {
				t.Errorf("the scale's %d: %d, want %d", p, fee.Counts[p-1].Count, fees[p])
			}
		}
		if want := math.Round(float64(sum)/float64(len(answers))*100) / 100; fee.Mean != want {
			t.Errorf("the scale's mean %v, want %v", fee.Mean, want)
		}
		grouped := 0
		for _, g := range comment.Groups {
			grouped += g.Count
		}
		// The two on the parking, and the two on the fee, read alike.
		if comment.Answered != comments || grouped != comments || len(comment.Groups) != comments-2 {
			t.Errorf("the free text: %+v", comment)
		}

		// The feedback point: a first-time visitor and a returning one.
		point := createCampaign(t, cfg, "--kind", "feedback_point", "--title", "Trạm Y tế xã Minh Thạnh", "--unit", "medical_centre", "--opens", today)
		if point.Link != "https://t.me/"+fake.BotUsername()+"?start="+point.Payload {
			t.Errorf("the feedback point's link: %q", point.Link)
		}
		visitor := newResident(t, fake, 8401, "Võ Thị Sáu", "en")
		visitor.say("/start " + point.Payload)
		visitor.expect("choose your language")
		visitor.press("English")
		visitor.expect("Do you agree")
		visitor.press("I agree")
		if m := visitor.expect("Question 1/4"); !strings.Contains(m.Text, "This is the feedback point of Trạm Y tế xã Minh Thạnh") {
			t.Errorf("the feedback point's first question: %q", m.Text)
		}
		visitor.press("5 –")
		visitor.expect("Question 2/4")
		visitor.press("4 –")
		visitor.expect("Question 3/4")
		visitor.press("5 –")
		visitor.expect("Question 4/4")
		visitor.say("The nurse explained everything patiently.")
		visitor.expect("Thank you for your rating")
		again := newResident(t, fake, 8302, "Lê Văn Tám", "vi") // answered the consultation
		again.say("/start " + point.Payload)
		again.expect("Câu 1/4")
		again.press("3 –")
		again.expect("Câu 2/4")
		again.say("2")
		again.expect("Câu 3/4")
		again.press("4 –")
		again.expect("Câu 4/4")
		again.press("Bỏ qua")
		again.expect("Xin cảm ơn ông/bà đã đánh giá")
		out.Reset()
		if err := campaignsCmd(context.Background(), cfg, []string{"results", "--json", fmt.Sprint(point.ID)}, &out, os.Stderr); err != nil {
			t.Fatal(err)
		}
		res = langnghe.CampaignResults{}
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		if res.Participants != 2 || len(res.Questions) != 4 || res.Questions[0].Mean != 4 || res.Questions[1].Mean != 3 ||
			res.Questions[2].Mean != 4.5 || res.Questions[3].Answered != 1 {
			t.Errorf("the feedback point's results: %s", out.String())
		}
		checkSatisfactionIndex(t, fake, cfg, "http://"+svc.addr, point.Payload, [][3]int{{5, 4, 5}, {3, 2, 4}})
		out.Reset()
		if err := campaignsCmd(context.Background(), cfg, []string{"list"}, &out, os.Stderr); err != nil {
			t.Fatal(err)
		}
		if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 3 || !strings.Contains(lines[1], "feedback_point") ||
			!strings.Contains(lines[1], "yes") || !strings.Contains(lines[2], "Lấy ý kiến dự thảo quy chế chợ Minh Thạnh") {
			t.Errorf("campaigns list:\n%s", out.String())
		}
	})
}

// checkSatisfactionIndex: the medical centre's feedback point has been
// rated twice this month (rated); its monthly index is hidden, with the
// count, in `langnghe report`; three more visitors rate through the deep
// link, and the index (each visitor's mean rating, 1 as 0 and 5 as 100,
// averaged) appears in the report's JSON, on the console's reports page
// for the unit's official and the board, and in their digests, not in
// another unit's.
func checkSatisfactionIndex(t *testing.T, fake *telegramtest.Server, cfg *config.Config, base, payload string, rated [][3]int) {
	t.Helper()
	today := time.Now().In(cfg.TimeZone)
	month := today.Format("2006-01")
	reportIndex := func() map[string]any {
		t.Helper()
		var out bytes.Buffer
		day := today.Format(time.DateOnly)
		if err := reportCmd(context.Background(), cfg, []string{"--from", day, "--to", day, "--format", "json"}, &out, os.Stderr); err != nil {
			t.Fatal(err)
		}
		var r struct {
			FeedbackPoints []map[string]any `json:"feedback_points"`
		}
		if err := json.Unmarshal(out.Bytes(), &r); err != nil || len(r.FeedbackPoints) != 1 {
			t.Fatalf("report --format json: %v\n%s", err, out.String())
		}
		return r.FeedbackPoints[0]
	}
	if got := reportIndex(); got["unit"] != "medical_centre" || got["month"] != month || got["ratings"] != float64(len(rated)) ||
		got["index"] != nil {
		t.Errorf("with %d ratings: %v, want the count and no index", len(rated), got)
	}
	for i, r := range [][3]int{{5, 5, 5}, {4, 4, 4}, {4, 5, 3}} {
		v := newResident(t, fake, 8411+int64(i), "Khách", "vi")
		v.say("/start " + payload)
		v.expect("chọn ngôn ngữ")
		v.press("Tiếng Việt")
		v.expect("đồng ý không")
		v.press("Không đồng ý")
		for q, rating := range r {
			v.expect(fmt.Sprintf("Câu %d/4", q+1))
			v.press(fmt.Sprintf("%d –", rating))
		}
		v.expect("Câu 4/4")
		v.press("Bỏ qua")
		v.expect("Xin cảm ơn ông/bà đã đánh giá")
		rated = append(rated, r)
	}
	sum := 0.0
	for _, r := range rated {
		sum += (float64(r[0]+r[1]+r[2])/3 - 1) / 4 * 100
	}
	want := math.Round(sum/float64(len(rated))*10) / 10
	if got := reportIndex(); got["ratings"] != float64(len(rated)) || got["index"] != want {
		t.Errorf("with %d ratings: %v, want the index %v", len(rated), got, want)
	}
	shown := strings.Replace(strconv.FormatFloat(want, 'f', 1, 64), ".", ",", 1)

	medic := inviteOfficial(t, fake, cfg, 8421, "Trung tâm Y tế", "--role", "unit", "--unit", "medical_centre")
	// An official who opens the deep link is told their account is an
	// official's, and rates nothing.
	medic.say("/start " + payload)
	medic.expect("Đây là đường liên kết của điểm lấy ý kiến «Trạm Y tế xã Minh Thạnh» dành cho người dân")
	inviteOfficial(t, fake, cfg, 8422, "Ban Dân vận", "--role", "board")
	inviteOfficial(t, fake, cfg, 8423, "Công an xã", "--role", "unit", "--unit", "police")
	row := regexp.MustCompile(`(?s)<tr data-unit="medical_centre" data-month="` + today.Format("01/2006") + `">.*?</tr>`)
	for _, account := range []int64{8421, 8422} {
		page := consoleGet(t, cfg, base, account, "/console/reports")[0]
		if m := row.FindString(page); !strings.Contains(m, `data-figure="index">`+shown+`<`) ||
			!strings.Contains(m, `data-figure="ratings">`+strconv.Itoa(len(rated))+`<`) {
			t.Errorf("the reports page of %d shows the medical centre's month as %q, want the index %s", account, m, shown)
		}
	}
	if page := consoleGet(t, cfg, base, 8423, "/console/reports")[0]; strings.Contains(page, "table-satisfaction") {
		t.Errorf("the police's reports page shows the medical centre's feedback point")
	}
	officials := officialsByAccount(t, cfg)
	line := fmt.Sprintf("• Trung tâm Y tế: %s (%d lượt đánh giá)", shown, len(rated))
	for account, sees := range map[int64]bool{8421: true, 8422: true, 8423: false} {
		var out bytes.Buffer
		id := strconv.FormatFloat(officials[account]["id"].(float64), 'f', 0, 64)
		if err := digestCmd(context.Background(), cfg, []string{"preview", "--official", id}, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		heading := "Chỉ số hài lòng tại điểm lấy ý kiến, tháng " + today.Format("01/2006")
		if got := strings.Contains(out.String(), heading) && strings.Contains(out.String(), line); got != sees {
			t.Errorf("the digest of %d (want the index: %v):\n%s", account, sees, out.String())
		}
	}
}

// officeDay is the day d days from today in the office's time zone (the
// default, Asia/Ho_Chi_Minh), as `campaigns create` takes it.
func officeDay(d int) string {
	return time.Now().In(must(time.LoadLocation("Asia/Ho_Chi_Minh"))).AddDate(0, 0, d).Format(time.DateOnly)
}

// createCampaign runs `campaigns create` in this process and returns what
// it printed.
func createCampaign(t *testing.T, cfg *config.Config, args ...string) createdCampaign {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := campaignsCmd(context.Background(), cfg, append([]string{"create"}, args...), &out, &errOut); err != nil {
		t.Fatalf("campaigns create: %v\n%s", err, errOut.String())
	}
	var c createdCampaign
	if err := json.Unmarshal(out.Bytes(), &c); err != nil || c.ID == 0 || c.Link == "" {
		t.Fatalf("campaigns create printed %q (%v)", out.String(), err)
	}
	return c
}
