package storage_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

var vnZone = time.FixedZone("ICT", 7*3600)

// newDialogue stores a dialogue conference of the board for two communes.
func newDialogue(t *testing.T, db *storage.DB, payload string) *langnghe.Campaign {
	t.Helper()
	c := &langnghe.Campaign{Kind: langnghe.CampaignDialogue, Title: "Hội nghị đối thoại xã Minh Thạnh năm 2026",
		Theme: "Môi trường ven sông Thị Tính", Areas: []string{"minh_thanh", "long_hoa"},
		Opens: time.Date(2026, 3, 1, 0, 0, 0, 0, vnZone), Closes: time.Date(2026, 3, 20, 0, 0, 0, 0, vnZone),
		Payload: payload, Conference: &langnghe.Conference{At: time.Date(2026, 3, 25, 8, 0, 0, 0, vnZone),
			Place: "Hội trường UBND xã Minh Thạnh", Hosts: []string{"Ông Nguyễn Văn Bình, Chủ tịch UBND xã"}}}
	inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.CreateCampaign(ctx, c) })
	return c
}

// A campaign comes back as it was stored, by id, payload and flow; a
// second campaign cannot take its payload; the list keeps to the unit
// scope; an update changes what may change.
func TestCampaignsStored(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		c := newDialogue(t, db, "c_aaaaaaaaaaaaaaaa")
		if c.ID == 0 || c.FlowID != langnghe.CampaignFlowID(c.ID) || c.CreatedAt.IsZero() {
			t.Fatalf("created campaign: id %d, flow %q, created %v", c.ID, c.FlowID, c.CreatedAt)
		}
		point := &langnghe.Campaign{Kind: langnghe.CampaignFeedbackPoint, Title: "Bộ phận một cửa xã Minh Thạnh",
			Unit: "ubnd_minh_thanh", Opens: time.Date(2026, 1, 1, 0, 0, 0, 0, vnZone), Payload: "c_bbbbbbbbbbbbbbbb"}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.CreateCampaign(ctx, point) })

		for name, load := range map[string]func() (*langnghe.Campaign, error){
			"id":      func() (*langnghe.Campaign, error) { return db.Campaign(ctx, c.ID) },
			"payload": func() (*langnghe.Campaign, error) { return db.CampaignByPayload(ctx, c.Payload) },
			"flow":    func() (*langnghe.Campaign, error) { return db.CampaignByFlow(ctx, c.FlowID) },
		} {
			got, err := load()
			if err != nil {
				t.Fatalf("by %s: %v", name, err)
			}
			if !got.Opens.Equal(c.Opens) || !got.Closes.Equal(c.Closes) || !got.Conference.At.Equal(c.Conference.At) {
				t.Errorf("by %s: dates %v–%v, conference %v; want %v–%v, %v", name, got.Opens, got.Closes, got.Conference.At,
					c.Opens, c.Closes, c.Conference.At)
			}
			got.Opens, got.Closes, got.Conference.At = c.Opens, c.Closes, c.Conference.At
			got.CreatedAt, got.UpdatedAt = c.CreatedAt, c.UpdatedAt
			if len(got.Questions) == 0 {
				got.Questions = nil // none is stored as []
			}
			if !reflect.DeepEqual(got, c) {
				t.Errorf("by %s:\n got %+v\nwant %+v", name, got, c)
			}
		}
		if got, err := db.Campaign(ctx, point.ID); err != nil || !got.Closes.IsZero() || got.Conference != nil || got.Areas == nil {
			t.Errorf("feedback point: %+v, %v", got, err)
		}
		if _, err := db.CampaignByPayload(ctx, "c_cccccccccccccccc"); code(err) != langnghe.ENOTFOUND {
			t.Errorf("an unknown payload: %v, want ENOTFOUND", err)
		}
		if _, err := db.CampaignByFlow(ctx, ""); code(err) != langnghe.ENOTFOUND {
			t.Errorf("no flow: %v, want ENOTFOUND", err)
		}
		dup := &langnghe.Campaign{Kind: langnghe.CampaignFeedbackPoint, Title: "x", Unit: "u", Opens: point.Opens, Payload: c.Payload}
		err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.CreateCampaign(ctx, dup) })
		if code(err) != langnghe.ECONFLICT {
			t.Errorf("a second campaign with the same payload: %v, want ECONFLICT", err)
		}

		all, err := db.Campaigns(ctx, langnghe.Scope{All: true})
		if err != nil || len(all) != 2 || all[0].ID != point.ID || all[1].ID != c.ID {
			t.Errorf("all campaigns, newest first: %v, %v", ids(all), err)
		}
		unit, err := db.Campaigns(ctx, langnghe.Scope{Units: []string{"ubnd_minh_thanh"}})
		if err != nil || len(unit) != 1 || unit[0].ID != point.ID {
			t.Errorf("the unit's campaigns: %v, %v", ids(unit), err)
		}
		if none, err := db.Campaigns(ctx, langnghe.Scope{}); err != nil || len(none) != 0 {
			t.Errorf("an empty scope: %v, %v", ids(none), err)
		}

		c.Title, c.Closes = "Hội nghị đối thoại (dời ngày)", time.Date(2026, 3, 22, 0, 0, 0, 0, vnZone)
		c.Conference.Place = "Nhà văn hóa ấp 3"
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.UpdateCampaign(ctx, c) })
		got, err := db.Campaign(ctx, c.ID)
		if err != nil || got.Title != c.Title || !got.Closes.Equal(c.Closes) || got.Conference.Place != "Nhà văn hóa ấp 3" || got.Payload != c.Payload {
			t.Errorf("after the update: %+v, %v", got, err)
		}
		missing := &langnghe.Campaign{ID: 999, Kind: langnghe.CampaignDialogue}
		if err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.UpdateCampaign(ctx, missing) }); code(err) != langnghe.ENOTFOUND {
			t.Errorf("updating a campaign that does not exist: %v", err)
		}
	})
}

func ids(cs []*langnghe.Campaign) []int64 {
	var out []int64
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// respond stores a dialogue question of resident r (nil: none).
func respond(t *testing.T, db *storage.DB, c *langnghe.Campaign, r *langnghe.Resident, question, area string) *langnghe.CampaignResponse {
	t.Helper()
	resp := &langnghe.CampaignResponse{CampaignID: c.ID, AreaCode: area, Language: langnghe.LangVI, Category: "environment",
		Answers: map[string]string{langnghe.DialogueQuestionKey: question}, FlowID: c.FlowID, FlowRevision: 1, CreatedAt: at}
	if r != nil {
		resp.ResidentID, resp.Language = &r.ID, r.Language
	}
	inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.AddCampaignResponse(ctx, resp) })
	return resp
}

// Responses, groups with their members, the answer, and the deliveries:
// a regrouping replaces the unanswered groups and leaves an answered one
// alone; an answer is recorded once; each asker gets one delivery however
// often the answer is queued, a resident who blocked the bot none.
func TestCampaignGroupsAndDeliveries(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		c := newDialogue(t, db, "c_dddddddddddddddd")
		if has, err := db.HasCampaignResponses(ctx, c.ID); err != nil || has {
			t.Fatalf("responses before any: %t, %v", has, err)
		}
		lan, binh, blocked := newResident(t, db, "701"), newResident(t, db, "702"), newResident(t, db, "703")
		lan.Language = langnghe.LangEN
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			if err := tx.SaveResident(ctx, lan); err != nil {
				return err
			}
			return tx.SetResidentBlocked(ctx, langnghe.ChannelTelegram, blocked.ChatID, true)
		})
		q1 := respond(t, db, c, lan, "Khi nào nạo vét sông Thị Tính?", "minh_thanh")
		q2 := respond(t, db, c, binh, "khi nao nao vet song thi tinh", "long_hoa")
		q3 := respond(t, db, c, lan, "Bao giờ nạo vét đoạn sông qua ấp 3?", "minh_thanh")
		q4 := respond(t, db, c, blocked, "Nạo vét sông khi nào làm?", "minh_thanh")
		q5 := respond(t, db, c, nil, "Đèn đường ấp 5 hư", "")
		if has, err := db.HasCampaignResponses(ctx, c.ID); err != nil || !has {
			t.Fatalf("responses after five: %t, %v", has, err)
		}
		got, err := db.CampaignResponses(ctx, c.ID)
		if err != nil || len(got) != 5 || got[1].ID != q2.ID || *got[1].ResidentID != binh.ID || got[4].ResidentID != nil ||
			got[0].Answers[langnghe.DialogueQuestionKey] != q1.Answers[langnghe.DialogueQuestionKey] || !got[0].CreatedAt.Equal(at) {
			t.Fatalf("responses: %+v, %v", got, err)
		}

		due := time.Date(2026, 4, 8, 0, 0, 0, 0, time.UTC)
		river := &langnghe.QuestionGroup{Title: "Khi nào nạo vét sông Thị Tính?", Category: "environment",
			Members: []int64{q1.ID, q2.ID, q3.ID, q4.ID}, DueAt: due}
		light := &langnghe.QuestionGroup{Title: "Đèn đường ấp 5 hư", Members: []int64{q5.ID}}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			return tx.SaveQuestionGroups(ctx, c.ID, []*langnghe.QuestionGroup{river, light}, q5.ID)
		})
		if upto, err := db.CampaignGroupedUpTo(ctx, c.ID); err != nil || upto != q5.ID {
			t.Errorf("grouped up to %d, %v; want %d", upto, err, q5.ID)
		}
		groups, err := db.QuestionGroups(ctx, c.ID)
		if err != nil || len(groups) != 2 || !slices.Equal(groups[0].Members, river.Members) || !groups[0].DueAt.Equal(due) ||
			groups[1].ID != light.ID || !slices.Equal(groups[1].Members, []int64{q5.ID}) {
			t.Fatalf("groups: %+v, %v", groups, err)
		}
		// A question in two groups at once is refused, all or nothing.
		twice := &langnghe.QuestionGroup{Title: "x", Members: []int64{q1.ID}}
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			return tx.SaveQuestionGroups(ctx, c.ID, []*langnghe.QuestionGroup{river, twice}, q5.ID)
		})
		if code(err) != langnghe.ECONFLICT {
			t.Errorf("a question in two groups: %v, want ECONFLICT", err)
		}

		answer := langnghe.GroupAnswer{Text: "Quý II năm 2026 sẽ nạo vét.", AnsweredBy: "Ông Nguyễn Văn Bình, Chủ tịch UBND xã",
			RecordedBy: 3, At: at}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.AnswerQuestionGroup(ctx, river.ID, answer) })
		if err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.AnswerQuestionGroup(ctx, river.ID, answer) }); code(err) != langnghe.ECONFLICT {
			t.Errorf("a second answer: %v, want ECONFLICT", err)
		}
		g, err := db.QuestionGroup(ctx, river.ID)
		if err != nil || g.Answer == nil || *g.Answer != answer || len(g.Members) != 4 {
			t.Fatalf("the answered group: %+v, %v", g, err)
		}

		// A regrouping replaces the unanswered groups; the answered one,
		// and its questions, stay.
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			light.Title, light.Renamed, light.Fixed = "Đèn chiếu sáng ấp 5", true, true
			return tx.SaveQuestionGroups(ctx, c.ID, []*langnghe.QuestionGroup{light}, q5.ID)
		})
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			return tx.SaveQuestionGroups(ctx, c.ID, []*langnghe.QuestionGroup{river}, q5.ID)
		})
		if code(err) != langnghe.ECONFLICT {
			t.Errorf("regrouping an answered group: %v, want ECONFLICT", err)
		}
		groups, err = db.QuestionGroups(ctx, c.ID)
		if err != nil || len(groups) != 2 || len(groups[0].Members) != 4 || groups[0].Answer == nil ||
			groups[1].Title != "Đèn chiếu sáng ấp 5" || !groups[1].Renamed || !groups[1].Fixed {
			t.Fatalf("groups after the regrouping: %+v, %v", groups, err)
		}

		// The askers: Lan once (two questions), Bình; not the blocked one.
		var askers []langnghe.CampaignAsker
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) (err error) {
			askers, err = tx.GroupAskers(ctx, river.ID)
			return err
		})
		want := []langnghe.CampaignAsker{
			{ResidentID: lan.ID, Channel: langnghe.ChannelTelegram, ChatID: lan.ChatID, Language: langnghe.LangEN, ResponseID: q1.ID,
				Question: "Khi nào nạo vét sông Thị Tính?"},
			{ResidentID: binh.ID, Channel: langnghe.ChannelTelegram, ChatID: binh.ChatID, Language: langnghe.LangVI, ResponseID: q2.ID,
				Question: "khi nao nao vet song thi tinh"},
		}
		if !reflect.DeepEqual(askers, want) {
			t.Fatalf("askers:\n got %+v\nwant %+v", askers, want)
		}
		queue := func() int {
			var msgs []*langnghe.Outgoing
			for _, a := range want {
				id := a.ResidentID
				msgs = append(msgs, &langnghe.Outgoing{Channel: a.Channel, ChatID: a.ChatID, ResidentID: &id,
					Message: langnghe.Message{Text: "Trả lời: " + answer.Text}})
			}
			var n int
			inTx(t, db, func(ctx context.Context, tx *storage.Tx) (err error) {
				n, err = tx.QueueDeliveries(ctx, river.ID, msgs)
				return err
			})
			return n
		}
		if n := queue(); n != 2 {
			t.Errorf("first queueing: %d answers, want 2", n)
		}
		if n := queue(); n != 0 {
			t.Errorf("second queueing: %d answers, want none", n)
		}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) (err error) {
			askers, err = tx.GroupAskers(ctx, river.ID)
			return err
		})
		if len(askers) != 0 {
			t.Errorf("askers once the answer is queued: %+v", askers)
		}
		if depth, _, err := db.OutboxStats(ctx); err != nil || depth != 2 {
			t.Errorf("queued messages: %d, %v; want 2", depth, err)
		}
		queued, waiting, err := db.GroupDeliveries(ctx, river.ID)
		if err != nil || queued != 2 || waiting != 2 {
			t.Errorf("deliveries: %d queued, %d waiting, %v", queued, waiting, err)
		}
		msgs, err := db.TakeChat(ctx, langnghe.ChannelTelegram, binh.ChatID)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("Bình's queue: %+v, %v", msgs, err)
		}
		if queued, waiting, err := db.GroupDeliveries(ctx, river.ID); err != nil || queued != 2 || waiting != 1 {
			t.Errorf("deliveries after one was sent: %d queued, %d waiting, %v", queued, waiting, err)
		}

		// Lan's data deleted: her questions stay, unlinked; her delivery
		// record goes.
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.DeleteResidentData(ctx, lan.ID) })
		got, err = db.CampaignResponses(ctx, c.ID)
		if err != nil || got[0].ResidentID != nil || got[2].ResidentID != nil || *got[1].ResidentID != binh.ID ||
			got[0].Answers[langnghe.DialogueQuestionKey] != "Khi nào nạo vét sông Thị Tính?" || got[0].AreaCode != "minh_thanh" {
			t.Errorf("responses after Lan's data was deleted: %+v, %v", got, err)
		}
		if queued, _, err := db.GroupDeliveries(ctx, river.ID); err != nil || queued != 1 {
			t.Errorf("deliveries after Lan's data was deleted: %d, %v; want Bình's", queued, err)
		}
	})
}

// On PostgreSQL a transaction that holds a campaign's lock (a regrouping,
// an answer being queued) does not hold up residents' new responses to
// it: their turns hold their chat's lock, and one waiting here while the
// answer waits for that chat would deadlock.
func TestCampaignLockLetsResponsesIn(t *testing.T) {
	t.Parallel()
	db := storagetest.Postgres(t)
	ctx := context.Background()
	c := newDialogue(t, db, "c_ffffffffffffffff")
	r := newResident(t, db, "711")
	locked, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.InTx(ctx, func(tx *storage.Tx) error {
			if _, err := tx.LockCampaign(ctx, c.ID); err != nil {
				return err
			}
			close(locked)
			<-release
			return nil
		})
	}()
	<-locked
	quick, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err := db.InTx(quick, func(tx *storage.Tx) error {
		return tx.AddCampaignResponse(quick, &langnghe.CampaignResponse{CampaignID: c.ID, ResidentID: &r.ID,
			Answers: map[string]string{langnghe.DialogueQuestionKey: "Khi nào nạo vét sông?"}})
	})
	close(release)
	if err != nil {
		t.Errorf("a response while the campaign is locked: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
