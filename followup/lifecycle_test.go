package followup_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

var allStatuses = []langnghe.Status{
	langnghe.StatusReceived, langnghe.StatusForwarded, langnghe.StatusInProgress, langnghe.StatusExtended,
	langnghe.StatusReopened, langnghe.StatusAnswered, langnghe.StatusClosed, langnghe.StatusRejected,
	langnghe.StatusRedirected, langnghe.StatusDuplicate,
}

var openStatuses = []langnghe.Status{
	langnghe.StatusReceived, langnghe.StatusForwarded, langnghe.StatusInProgress, langnghe.StatusExtended,
	langnghe.StatusReopened,
}

// Every action from every status: allowed exactly where the lifecycle
// allows it, leading to its status, and refused with EINVALID elsewhere,
// leaving the opinion as it was.
func TestTransitions(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		board := d.official(langnghe.RoleBoard)
		original := d.opinion(nil, "land", "minh_thanh")
		inProgressAlso := slices.DeleteFunc(slices.Clone(openStatuses), func(s langnghe.Status) bool { return s == langnghe.StatusInProgress })
		tests := []struct {
			action followup.Action
			from   []langnghe.Status
			to     langnghe.Status // "" for no change
		}{
			{followup.Action{Kind: followup.ActTake}, inProgressAlso, langnghe.StatusInProgress},
			{followup.Action{Kind: followup.ActForward, Unit: "medical_centre"}, openStatuses, langnghe.StatusForwarded},
			{followup.Action{Kind: followup.ActExtend, Note: "cần đo đạc lại", Due: d.now.AddDate(0, 2, 0)}, openStatuses, langnghe.StatusExtended},
			{followup.Action{Kind: followup.ActAnswer, Note: "Đã sửa xong"}, openStatuses, langnghe.StatusAnswered},
			{followup.Action{Kind: followup.ActReject, Note: "không thuộc thẩm quyền"}, openStatuses, langnghe.StatusRejected},
			{followup.Action{Kind: followup.ActRedirect, Note: "gửi đơn khiếu nại"}, openStatuses, langnghe.StatusRedirected},
			{followup.Action{Kind: followup.ActDuplicate, DuplicateOf: original.Code}, openStatuses, langnghe.StatusDuplicate},
			{followup.Action{Kind: followup.ActClose}, append(slices.Clone(openStatuses), langnghe.StatusAnswered), langnghe.StatusClosed},
			{followup.Action{Kind: followup.ActNote, Note: "đã gọi điện"}, allStatuses, ""},
		}
		for _, tt := range tests {
			for _, from := range allStatuses {
				o := d.opinion(nil, "land", "minh_thanh")
				d.setStatus(o, from)
				before := len(d.events(o))
				c, err := d.act(board, o.Code, tt.action)
				allowed := slices.Contains(tt.from, from)
				after := d.load(o.Code)
				switch {
				case allowed && err != nil:
					t.Errorf("%s from %s: %v", tt.action.Kind, from, err)
				case allowed:
					want := tt.to
					if want == "" {
						want = from
					}
					if after.Status != want || c.From != from || c.To != want {
						t.Errorf("%s from %s: stored %s, change %s→%s; want %s", tt.action.Kind, from, after.Status, c.From, c.To, want)
					}
					if len(d.events(o)) <= before {
						t.Errorf("%s from %s: no event recorded", tt.action.Kind, from)
					}
				case errCode(err) != langnghe.EINVALID:
					t.Errorf("%s from %s: got %v, want EINVALID", tt.action.Kind, from, err)
				case after.Status != from || len(d.events(o)) != before:
					t.Errorf("%s from %s was refused but changed the opinion", tt.action.Kind, from)
				}
			}
		}
	})
}

// Each action refuses what it needs missing or wrong, with EINVALID.
func TestActionArguments(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		board := d.official(langnghe.RoleBoard)
		o := d.opinion(nil, "land", "minh_thanh") // routed to land_environment
		tests := []struct {
			name   string
			action followup.Action
			want   string
		}{
			{"forward without a unit", followup.Action{Kind: followup.ActForward}, langnghe.EINVALID},
			{"forward to an unknown unit", followup.Action{Kind: followup.ActForward, Unit: "nasa"}, langnghe.EINVALID},
			{"forward to its own unit", followup.Action{Kind: followup.ActForward, Unit: "land_environment"}, langnghe.EINVALID},
			{"extend without a reason", followup.Action{Kind: followup.ActExtend, Due: d.now.AddDate(0, 1, 0)}, langnghe.EINVALID},
			{"extend without a date", followup.Action{Kind: followup.ActExtend, Note: "cần thêm thời gian"}, langnghe.EINVALID},
			{"extend to an earlier date", followup.Action{Kind: followup.ActExtend, Note: "x", Due: o.DueAt.Add(-time.Hour)}, langnghe.EINVALID},
			{"answer without an answer", followup.Action{Kind: followup.ActAnswer, Note: "   "}, langnghe.EINVALID},
			{"reject without a reason", followup.Action{Kind: followup.ActReject}, langnghe.EINVALID},
			{"redirect without a reason", followup.Action{Kind: followup.ActRedirect}, langnghe.EINVALID},
			{"duplicate without an original", followup.Action{Kind: followup.ActDuplicate}, langnghe.EINVALID},
			{"duplicate of itself", followup.Action{Kind: followup.ActDuplicate, DuplicateOf: o.Code}, langnghe.EINVALID},
			{"duplicate of nothing", followup.Action{Kind: followup.ActDuplicate, DuplicateOf: "DT-2026-999999"}, langnghe.ENOTFOUND},
			{"an empty note", followup.Action{Kind: followup.ActNote}, langnghe.EINVALID},
			{"an unknown action", followup.Action{Kind: "approve"}, langnghe.EINVALID},
			{"a note too long", followup.Action{Kind: followup.ActNote, Note: string(make([]rune, 4000))}, langnghe.EINVALID},
		}
		for _, tt := range tests {
			if _, err := d.act(board, o.Code, tt.action); errCode(err) != tt.want {
				t.Errorf("%s: got %v, want %s", tt.name, err, tt.want)
			}
		}
		if got := d.load(o.Code); got.Status != langnghe.StatusReceived || got.Unit != "land_environment" {
			t.Fatalf("refused actions changed the opinion: %+v", got)
		}
	})
}

// What each action stores besides the status, and what the resident may read.
func TestActionEffects(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		board := d.official(langnghe.RoleBoard)
		r := d.resident("501")
		o := d.opinion(r, "land", "minh_thanh")

		c, err := d.act(board, o.Code, followup.Action{Kind: followup.ActForward, Unit: "ubnd_minh_thanh", Note: "thuộc xã"})
		if err != nil {
			t.Fatal(err)
		}
		if !c.Public || c.Note != "" || c.Opinion.Unit != "ubnd_minh_thanh" || c.Opinion.ResidentID == nil {
			t.Fatalf("forward with an internal note: %+v", c)
		}
		evs := d.events(o)
		status, note := evs[len(evs)-2], evs[len(evs)-1]
		// The internal note names the unit (the history shows "Chuyển đến
		// UBND xã Minh Thạnh") and keeps the official's words.
		if n := followup.ReadNote(note.Note); status.StatusTo != langnghe.StatusForwarded || !status.Public || status.Note != "" ||
			n.Kind != followup.NoteForwarded || n.Unit != "ubnd_minh_thanh" || n.Text != "thuộc xã" || note.Public ||
			note.Actor != board.Actor() {
			t.Fatalf("forward events: %+v %+v", status, note)
		}

		due := time.Date(2026, 4, 15, 23, 59, 59, 0, hcm)
		if _, err := d.act(board, o.Code, followup.Action{Kind: followup.ActExtend, Note: "chờ đo đạc", Due: due}); err != nil {
			t.Fatal(err)
		}
		if got := d.load(o.Code); !got.DueAt.Equal(due) {
			t.Fatalf("extended due %s, want %s", got.DueAt, due)
		}

		d.now = d.now.Add(48 * time.Hour)
		c, err = d.act(board, o.Code, followup.Action{Kind: followup.ActAnswer, Note: "Đã cấp sổ"})
		if err != nil {
			t.Fatal(err)
		}
		if !c.Public || c.Note != "Đã cấp sổ" || c.Opinion.AnsweredAt == nil || !c.Opinion.AnsweredAt.Equal(d.now) {
			t.Fatalf("answer: %+v", c)
		}
		last := d.events(o)[len(d.events(o))-1]
		if last.StatusTo != langnghe.StatusAnswered || last.Note != "Đã cấp sổ" || !last.Public {
			t.Fatalf("answer event: %+v", last)
		}

		internal, err := d.act(board, o.Code, followup.Action{Kind: followup.ActNote, Note: "đã gọi điện"})
		if err != nil || internal.Public || internal.Note != "" {
			t.Fatalf("internal note: %+v, %v", internal, err)
		}

		dup := d.opinion(nil, "land", "minh_thanh")
		if _, err := d.act(board, dup.Code, followup.Action{Kind: followup.ActDuplicate, DuplicateOf: o.Code}); err != nil {
			t.Fatal(err)
		}
		if got := d.load(dup.Code); got.DuplicateOf != o.Code || got.Status != langnghe.StatusDuplicate {
			t.Fatalf("duplicate: %+v", got)
		}
	})
}

// A unit official sees and acts on their units' opinions only; a code of
// another unit's opinion answers exactly as a code that does not exist.
func TestScope(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		land := d.official(langnghe.RoleUnit, "land_environment")
		health := d.official(langnghe.RoleUnit, "medical_centre")
		board := d.official(langnghe.RoleBoard)
		admin := d.official(langnghe.RoleAdmin)
		landOp := d.opinion(d.resident("601"), "land", "minh_thanh")
		healthOp := d.opinion(nil, "health", "long_hoa")

		view := func(actor *langnghe.Official, code string) (*langnghe.Opinion, error) {
			var o *langnghe.Opinion
			err := d.tx(func(ctx context.Context, tx *storage.Tx) error {
				var err error
				o, _, err = d.svc.Opinion(ctx, tx, actor, code)
				return err
			})
			return o, err
		}
		if o, err := view(land, landOp.Code); err != nil || o.ResidentID != nil || o.ContactName == "" {
			t.Fatalf("own unit's opinion (not anonymous, contact kept, resident id hidden): %+v, %v", o, err)
		}
		_, guessed := view(land, healthOp.Code)
		_, missing := view(land, "DT-2026-888888")
		same := strings.ReplaceAll(langnghe.ErrorMessage(guessed), healthOp.Code, "CODE") ==
			strings.ReplaceAll(langnghe.ErrorMessage(missing), "DT-2026-888888", "CODE")
		if errCode(guessed) != langnghe.ENOTFOUND || errCode(missing) != langnghe.ENOTFOUND || !same {
			t.Fatalf("guessing another unit's code: %v; a missing code: %v", guessed, missing)
		}
		for _, kind := range []followup.Action{
			{Kind: followup.ActTake}, {Kind: followup.ActAnswer, Note: "x"}, {Kind: followup.ActNote, Note: "x"},
			{Kind: followup.ActForward, Unit: "land_environment"},
		} {
			if _, err := d.act(land, healthOp.Code, kind); errCode(err) != langnghe.ENOTFOUND {
				t.Errorf("%s on another unit's opinion: %v, want ENOTFOUND", kind.Kind, err)
			}
		}
		// Marking one's own opinion a duplicate of another unit's would
		// reveal that the other exists.
		if _, err := d.act(land, landOp.Code, followup.Action{Kind: followup.ActDuplicate, DuplicateOf: healthOp.Code}); errCode(err) != langnghe.ENOTFOUND {
			t.Errorf("duplicate of another unit's opinion: %v", err)
		}
		for _, o := range []*langnghe.Official{board, admin} {
			if _, err := view(o, healthOp.Code); err != nil {
				t.Errorf("%s does not see every opinion: %v", o.Role, err)
			}
		}

		list := func(actor *langnghe.Official, f langnghe.OpinionFilter) []string {
			var codes []string
			d.must(func(ctx context.Context, tx *storage.Tx) error {
				ops, err := d.svc.List(ctx, tx, actor, f)
				for _, o := range ops {
					codes = append(codes, o.Code)
				}
				return err
			})
			return codes
		}
		if got := list(land, langnghe.OpinionFilter{}); !slices.Equal(got, []string{landOp.Code}) {
			t.Errorf("land official lists %v", got)
		}
		if got := list(land, langnghe.OpinionFilter{Unit: "medical_centre"}); len(got) != 0 {
			t.Errorf("land official asking for another unit lists %v", got)
		}
		if got := list(board, langnghe.OpinionFilter{}); len(got) != 2 {
			t.Errorf("board lists %v", got)
		}

		// Forwarding moves the opinion out of the first unit's scope and
		// into the second's.
		if _, err := d.act(land, landOp.Code, followup.Action{Kind: followup.ActForward, Unit: "medical_centre"}); err != nil {
			t.Fatal(err)
		}
		if _, err := view(land, landOp.Code); errCode(err) != langnghe.ENOTFOUND {
			t.Errorf("after forwarding, the first unit still sees it: %v", err)
		}
		if _, err := view(health, landOp.Code); err != nil {
			t.Errorf("after forwarding, the second unit does not see it: %v", err)
		}
	})
}

// A revoked official is refused at once, even holding the struct loaded
// before the revocation.
func TestRevokedOfficialRefusedAtOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		land := d.official(langnghe.RoleUnit, "land_environment")
		o := d.opinion(nil, "land", "dau_tieng")
		if _, err := d.act(land, o.Code, followup.Action{Kind: followup.ActTake}); err != nil {
			t.Fatal(err)
		}
		if err := d.svc.Revoke(context.Background(), db, land.ID, "test"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.act(land, o.Code, followup.Action{Kind: followup.ActAnswer, Note: "x"}); errCode(err) != langnghe.EUNAUTHORIZED {
			t.Fatalf("revoked official acts: %v", err)
		}
		err := d.tx(func(ctx context.Context, tx *storage.Tx) error {
			if _, _, err := d.svc.Opinion(ctx, tx, land, o.Code); errCode(err) != langnghe.EUNAUTHORIZED {
				t.Errorf("revoked official views: %v", err)
			}
			if _, err := d.svc.List(ctx, tx, land, langnghe.OpinionFilter{}); errCode(err) != langnghe.EUNAUTHORIZED {
				t.Errorf("revoked official lists: %v", err)
			}
			_, err := d.svc.Official(ctx, tx, land.Channel, land.ExternalID)
			return err
		})
		if errCode(err) != langnghe.ENOTFOUND {
			t.Fatalf("revoked official still found by account: %v", err)
		}
		if err := d.svc.Revoke(context.Background(), db, 424242, "test"); errCode(err) != langnghe.ENOTFOUND {
			t.Fatalf("revoking nobody: %v", err)
		}
		if _, err := d.act(&langnghe.Official{ID: 424242, Role: langnghe.RoleBoard}, o.Code, followup.Action{Kind: followup.ActTake}); errCode(err) != langnghe.EUNAUTHORIZED {
			t.Fatalf("a made-up board official acts: %v", err)
		}
	})
}

// Only the opinion's own resident rates it, once it is answered; "not
// satisfied" (here with a reason, as a reason button of an older message
// gives it) reopens it with a fresh due date.
func TestRate(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		board := d.official(langnghe.RoleBoard)
		owner, other := d.resident("701"), d.resident("702")
		o := d.opinion(owner, "health", "long_hoa")
		rate := func(resident int64, satisfied bool, reason string) (*followup.Change, error) {
			var c *followup.Change
			err := d.tx(func(ctx context.Context, tx *storage.Tx) error {
				var err error
				c, err = d.svc.Rate(ctx, tx, resident, o.Code, satisfied, reason)
				return err
			})
			return c, err
		}
		if _, err := rate(owner.ID, true, ""); errCode(err) != langnghe.EINVALID {
			t.Fatalf("rating before an answer: %v", err)
		}
		if _, err := d.act(board, o.Code, followup.Action{Kind: followup.ActAnswer, Note: "Đã tiêm"}); err != nil {
			t.Fatal(err)
		}
		if _, err := rate(other.ID, false, "forged"); errCode(err) != langnghe.ENOTFOUND {
			t.Fatalf("another resident (forged button data) rates: %v", err)
		}
		d.now = time.Date(2026, 3, 6, 10, 0, 0, 0, hcm) // Friday
		c, err := rate(owner.ID, false, "Vẫn chưa tiêm được")
		if err != nil {
			t.Fatal(err)
		}
		wantDue := time.Date(2026, 3, 13, 23, 59, 59, 0, hcm) // health: 5 working days
		if c.To != langnghe.StatusReopened || c.Note != "Vẫn chưa tiêm được" || c.Opinion.Rating != langnghe.RatingNotSatisfied ||
			!c.Opinion.DueAt.Equal(wantDue) {
			t.Fatalf("not satisfied: %+v (due %s, want %s)", c, c.Opinion.DueAt, wantDue)
		}
		if _, err := rate(owner.ID, true, ""); errCode(err) != langnghe.EINVALID {
			t.Fatalf("rating a reopened opinion: %v", err)
		}
		// A new answer may be rated again.
		if c, err := d.act(board, o.Code, followup.Action{Kind: followup.ActAnswer, Note: "Đã tiêm xong"}); err != nil || c.Opinion.Rating != "" {
			t.Fatalf("second answer: %+v, %v", c, err)
		}
		if c, err := rate(owner.ID, true, ""); err != nil || c.To != langnghe.StatusAnswered || c.Opinion.Rating != langnghe.RatingSatisfied {
			t.Fatalf("satisfied: %+v, %v", c, err)
		}
		if _, err := rate(owner.ID, true, ""); errCode(err) != langnghe.EINVALID {
			t.Fatalf("rating twice: %v", err)
		}
	})
}

// "Not satisfied" reopens at the press, without a reason; the reason is
// attached after, by the resident only, while the opinion is open from
// that rating; "satisfied" after it records nothing; a button of an
// earlier answer rates nothing once the opinion is answered again.
func TestNotSatisfiedReopensAtThePress(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		board := d.official(langnghe.RoleBoard)
		owner, other := d.resident("711"), d.resident("712")
		o := d.opinion(owner, "health", "long_hoa")
		rate := func(resident int64, v followup.Verdict) (c *followup.Change, err error) {
			err = d.tx(func(ctx context.Context, tx *storage.Tx) error {
				c, err = d.svc.RateAnswer(ctx, tx, resident, o.Code, v)
				return err
			})
			return c, err
		}
		reason := func(resident, answer int64, why string) (c *followup.Change, err error) {
			err = d.tx(func(ctx context.Context, tx *storage.Tx) error {
				c, err = d.svc.Reason(ctx, tx, resident, o.Code, answer, why)
				return err
			})
			return c, err
		}
		d.now = time.Date(2026, 3, 5, 9, 0, 0, 0, hcm)
		first, err := d.act(board, o.Code, followup.Action{Kind: followup.ActAnswer, Note: "Đã tiêm"})
		if err != nil {
			t.Fatal(err)
		}
		stamp := followup.AnswerStamp(&first.Opinion)
		if stamp != d.now.Unix() {
			t.Fatalf("answer stamp %d, want the second of the answer %d", stamp, d.now.Unix())
		}
		if _, err := reason(owner.ID, stamp, "chưa tiêm"); errCode(err) != langnghe.EINVALID {
			t.Fatalf("a reason before any rating: %v", err)
		}
		d.now = time.Date(2026, 3, 6, 10, 0, 0, 0, hcm) // Friday
		c, err := rate(owner.ID, followup.Verdict{Answer: stamp})
		if err != nil {
			t.Fatal(err)
		}
		wantDue := time.Date(2026, 3, 13, 23, 59, 59, 0, hcm)
		if c.To != langnghe.StatusReopened || c.Note != "" || c.Opinion.Status != langnghe.StatusReopened ||
			c.Opinion.Rating != langnghe.RatingNotSatisfied || !c.Opinion.DueAt.Equal(wantDue) {
			t.Fatalf("the press of not satisfied: %+v (due %s, want %s)", c, c.Opinion.DueAt, wantDue)
		}
		for _, v := range []followup.Verdict{{Satisfied: true, Answer: stamp}, {Answer: stamp}, {Satisfied: true}} {
			if _, err := rate(owner.ID, v); errCode(err) != langnghe.EINVALID {
				t.Fatalf("a second press %+v after reopening: %v", v, err)
			}
		}
		if _, err := reason(other.ID, stamp, "forged"); errCode(err) != langnghe.ENOTFOUND {
			t.Fatalf("another resident's reason: %v", err)
		}
		if _, err := reason(owner.ID, stamp, "  "); errCode(err) != langnghe.EINVALID {
			t.Fatalf("an empty reason: %v", err)
		}
		if _, err := reason(owner.ID, stamp+1, "chưa tiêm"); errCode(err) != langnghe.EINVALID {
			t.Fatalf("a reason for another answer: %v", err)
		}
		c, err = reason(owner.ID, stamp, " Vẫn chưa tiêm được ")
		if err != nil || c.Note != "Vẫn chưa tiêm được" || c.Opinion.Status != langnghe.StatusReopened {
			t.Fatalf("the reason: %+v, %v", c, err)
		}
		events := d.events(o)
		last := events[len(events)-1]
		if last.Actor != followup.ActorResident || last.Note != "Vẫn chưa tiêm được" || last.StatusTo != "" {
			t.Fatalf("the reason is recorded as %+v", last)
		}
		stored, err := db.Opinion(context.Background(), o.Code)
		if err != nil || stored.Rating != langnghe.RatingNotSatisfied || stored.Status != langnghe.StatusReopened {
			t.Fatalf("after the reason: %+v, %v", stored, err)
		}

		// Answered again: the first answer's buttons rate nothing, the
		// new answer's do.
		d.now = time.Date(2026, 3, 9, 9, 0, 0, 0, hcm)
		second, err := d.act(board, o.Code, followup.Action{Kind: followup.ActAnswer, Note: "Đã tiêm xong"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rate(owner.ID, followup.Verdict{Satisfied: true, Answer: stamp}); errCode(err) != langnghe.EINVALID {
			t.Fatalf("the first answer's button after the second answer: %v", err)
		}
		if _, err := reason(owner.ID, 0, "late"); errCode(err) != langnghe.EINVALID {
			t.Fatalf("a reason after the second answer: %v", err)
		}
		if c, err := rate(owner.ID, followup.Verdict{Satisfied: true, Answer: followup.AnswerStamp(&second.Opinion)}); err != nil ||
			c.Opinion.Rating != langnghe.RatingSatisfied {
			t.Fatalf("the second answer's button: %+v, %v", c, err)
		}
	})
}

// Anonymous residents stay anonymous to units.
func TestAnonymousOpinionHidesContact(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		land := d.official(langnghe.RoleUnit, "land_environment")
		r := d.resident("801")
		o := &langnghe.Opinion{Category: "land", AreaCode: "dau_tieng", Text: "Lấn chiếm đất", Anonymous: true,
			ResidentID: &r.ID, ContactName: r.Name, ContactPhone: r.Phone, Language: langnghe.LangVI}
		d.must(func(ctx context.Context, tx *storage.Tx) error {
			o.Code = "DT-2026-000777"
			if err := tx.CreateOpinion(ctx, o); err != nil {
				return err
			}
			_, err := d.svc.Route(ctx, tx, o)
			return err
		})
		d.must(func(ctx context.Context, tx *storage.Tx) error {
			got, _, err := d.svc.Opinion(ctx, tx, land, o.Code)
			if err == nil && (got.ContactName != "" || got.ContactPhone != "" || got.ResidentID != nil) {
				t.Errorf("anonymous opinion shows the resident: %+v", got)
			}
			return err
		})
	})
}

// Two officials acting on one opinion at once: one wins, the other gets
// ECONFLICT or EINVALID, never a silent overwrite.
func TestConcurrentActions(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		a, b := d.official(langnghe.RoleBoard), d.official(langnghe.RoleBoard)
		o := d.opinion(nil, "land", "dau_tieng")
		errs := make(chan error, 2)
		for _, actor := range []*langnghe.Official{a, b} {
			go func() {
				_, err := d.act(actor, o.Code, followup.Action{Kind: followup.ActAnswer, Note: "trả lời của " + actor.Actor()})
				errs <- err
			}()
		}
		var ok int
		for range 2 {
			switch err := <-errs; {
			case err == nil:
				ok++
			case errCode(err) != langnghe.EINVALID && errCode(err) != langnghe.ECONFLICT:
				t.Errorf("losing answer: %v", err)
			}
		}
		answers := 0
		for _, e := range d.events(o) {
			if e.StatusTo == langnghe.StatusAnswered {
				answers++
			}
		}
		if ok != 1 || answers != 1 {
			t.Fatalf("%d answers accepted, %d recorded; want 1", ok, answers)
		}
	})
}
