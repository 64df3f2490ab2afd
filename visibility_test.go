package langnghe_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"langnghe"
)

func TestGate(t *testing.T) {
	resident := int64(7)
	revoked := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var (
		board          = &langnghe.Official{ID: 1, Role: langnghe.RoleBoard}
		boardPermitted = &langnghe.Official{ID: 2, Role: langnghe.RoleBoard, SeesDenouncers: true}
		admin          = &langnghe.Official{ID: 3, Role: langnghe.RoleAdmin}
		inspector      = &langnghe.Official{ID: 4, Role: langnghe.RoleUnit, Units: []string{"inspectorate"}}
		inspectorOK    = &langnghe.Official{ID: 5, Role: langnghe.RoleUnit, Units: []string{"inspectorate"}, SeesDenouncers: true}
		landOfficer    = &langnghe.Official{ID: 6, Role: langnghe.RoleUnit, Units: []string{"land_environment"}}
		landPermitted  = &langnghe.Official{ID: 7, Role: langnghe.RoleUnit, Units: []string{"land_environment"}, SeesDenouncers: true}
		noUnits        = &langnghe.Official{ID: 8, Role: langnghe.RoleUnit}
		gone           = &langnghe.Official{ID: 9, Role: langnghe.RoleBoard, SeesDenouncers: true, RevokedAt: &revoked}
	)
	photo := langnghe.Attachment{Kind: "photo", FileID: "AgAD-photo-1", Name: "IMG_2041.jpg", MIME: "image/jpeg", Size: 1000}
	denunciation := langnghe.Opinion{
		Code: "DT-2026-000001", ResidentID: &resident, LegalTrack: langnghe.TrackDenunciation, Category: "land",
		Unit: "inspectorate", Channel: langnghe.ChannelTelegram,
		Text:        "Trưởng ấp thu tiền trái phép. Tôi là Nguyễn Văn Tố, gọi (091) 234-5678 hoặc +84 912 345 678.",
		ContactName: "Nguyễn Văn Tố", ContactPhone: "0912345678", PlaceText: "nhà ông Nguyễn Văn Tố, ấp Hòa Cường",
		Location:    &langnghe.Location{Latitude: 11.27, Longitude: 106.37},
		Attachments: []langnghe.Attachment{photo},
		Answers: map[string]string{"description": "Trưởng ấp thu tiền, nguyễn văn tố báo", "phone": "0912345678",
			"photo": "photo:AgAD-photo-1", "location": "11.270000,106.370000", "area": "xa_dau_tieng", "when": "0912.345.678"},
	}
	anonymous := langnghe.Opinion{Code: "DT-2026-000002", ResidentID: &resident, LegalTrack: langnghe.TrackFeedback,
		Unit: "land_environment", Anonymous: true, Text: "Đường ấp 3 ngập", Answers: map[string]string{"area": "x"}}
	feedback := langnghe.Opinion{Code: "DT-2026-000003", ResidentID: &resident, LegalTrack: langnghe.TrackFeedback,
		Unit: "land_environment", Text: "Sổ đỏ chậm, gọi 0987 654 321", ContactName: "Trần Thị Lan", ContactPhone: "0987654321",
		Location: &langnghe.Location{Latitude: 11, Longitude: 106}, Attachments: []langnghe.Attachment{photo}}
	complaint := langnghe.Opinion{Code: "DT-2026-000004", ResidentID: &resident, LegalTrack: langnghe.TrackComplaint,
		Unit: "land_environment", Text: "Khiếu nại quyết định thu hồi đất", ContactName: "Lê Văn Khiếu", ContactPhone: "0901111222"}
	unrouted := langnghe.Opinion{Code: "DT-2026-000005", LegalTrack: langnghe.TrackFeedback, Text: "?"}

	// What the official gets: seen at all, the contact, whether the
	// denouncer's identity (name, phone, place, file, answers) is shown.
	type want struct {
		see      bool
		contact  string
		identity bool
	}
	identified := want{true, "Nguyễn Văn Tố 0912345678", true}
	concealed := want{true, langnghe.Concealed, false}
	for _, c := range []struct {
		name string
		off  *langnghe.Official
		o    langnghe.Opinion
		want want
	}{
		{"board without the permission: a denunciation", board, denunciation, concealed},
		{"admin without the permission: a denunciation", admin, denunciation, concealed},
		{"board with the permission: a denunciation", boardPermitted, denunciation, identified},
		{"handling unit's official without the permission", inspector, denunciation, concealed},
		{"handling unit's official with the permission", inspectorOK, denunciation, identified},
		{"another unit's official", landOfficer, denunciation, want{see: false, contact: langnghe.Concealed}},
		{"another unit's official, even with the permission", landPermitted, denunciation, want{see: false, contact: "Nguyễn Văn Tố 0912345678", identity: true}},
		{"a revoked official with the permission", gone, denunciation, want{see: false, contact: langnghe.Concealed}},
		{"an official without units", noUnits, feedback, want{see: false, contact: "Trần Thị Lan 0987654321", identity: true}},
		{"anonymous feedback, its unit", landOfficer, anonymous, want{see: true, contact: "", identity: true}},
		{"anonymous feedback, the board", board, anonymous, want{see: true, contact: "", identity: true}},
		{"feedback with a contact, its unit", landOfficer, feedback, want{see: true, contact: "Trần Thị Lan 0987654321", identity: true}},
		{"feedback with a contact, another unit", inspector, feedback, want{see: false, contact: "Trần Thị Lan 0987654321", identity: true}},
		{"a complaint, its unit", landOfficer, complaint, want{see: true, contact: "Lê Văn Khiếu 0901111222", identity: true}},
		{"an unrouted opinion, the board", board, unrouted, want{see: true, identity: true}},
		{"an unrouted opinion, a unit official", landOfficer, unrouted, want{see: false, identity: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := c.o
			before := deepCopy(o)
			if got := c.off.MaySee(&o); got != c.want.see {
				t.Errorf("MaySee = %v, want %v", got, c.want.see)
			}
			got := c.off.Reveal(o)
			if !reflect.DeepEqual(o, before) {
				t.Errorf("Reveal changed its argument")
			}
			if got.ResidentID != nil {
				t.Errorf("the resident's id is shown")
			}
			if contact := strings.TrimSpace(got.ContactName + " " + got.ContactPhone); contact != c.want.contact {
				t.Errorf("contact = %q, want %q", contact, c.want.contact)
			}
			if got.Confidential() != o.Confidential() || got.Code != o.Code || got.Unit != o.Unit || got.Category != o.Category {
				t.Errorf("Reveal lost what every official reads: %+v", got)
			}
			if c.want.identity {
				if !reflect.DeepEqual(got.Location, o.Location) || !reflect.DeepEqual(got.Attachments, o.Attachments) || got.Text != o.Text ||
					got.PlaceText != o.PlaceText {
					t.Errorf("what the resident sent is not all shown: %+v", got)
				}
				return
			}
			shown := strings.ToLower(got.Text + " " + got.PlaceText + " " + got.ContactName + " " + got.ContactPhone + " " + fmtAnswers(got.Answers))
			for _, a := range got.Attachments {
				shown += " " + a.FileID + " " + a.Name + " " + a.StoredAt
			}
			if o.PlaceText != "" && !strings.Contains(got.PlaceText, "ấp Hòa Cường") {
				t.Errorf("the place of the denunciation is lost: %q", got.PlaceText)
			}
			for _, secret := range []string{"nguyễn văn tố", "0912345678", "234-5678", "912 345 678", "0912.345.678", "agad-photo-1", "img_2041", "11.27"} {
				if strings.Contains(shown, secret) {
					t.Errorf("the denouncer's %q is shown: %s", secret, shown)
				}
			}
			if got.Location != nil || len(got.Attachments) != 1 || got.Attachments[0].Kind != "photo" {
				t.Errorf("location %v, files %+v: want no place, the file's kind only", got.Location, got.Attachments)
			}
			if !strings.Contains(got.Text, "Trưởng ấp thu tiền trái phép.") || got.Answers["area"] != "xa_dau_tieng" {
				t.Errorf("what the denunciation is about is lost: %q %v", got.Text, got.Answers)
			}
			if note := c.off.RevealNote(&o, "Đã gọi ông Nguyễn Văn Tố qua số 0912 345 678."); strings.Contains(note, "Tố") || strings.Contains(note, "345") {
				t.Errorf("a note names the denouncer: %q", note)
			}
		})
	}
}

func TestScope(t *testing.T) {
	revoked := time.Now()
	for _, c := range []struct {
		name string
		off  *langnghe.Official
		want langnghe.Scope
	}{
		{"board", &langnghe.Official{Role: langnghe.RoleBoard, Units: []string{"x"}}, langnghe.Scope{All: true}},
		{"admin", &langnghe.Official{Role: langnghe.RoleAdmin}, langnghe.Scope{All: true}},
		{"unit", &langnghe.Official{Role: langnghe.RoleUnit, Units: []string{"a", "b", "a"}}, langnghe.Scope{Units: []string{"a", "b"}}},
		{"unit without units: nothing, never everything", &langnghe.Official{Role: langnghe.RoleUnit}, langnghe.Scope{Units: []string{}}},
		{"revoked board", &langnghe.Official{Role: langnghe.RoleBoard, RevokedAt: &revoked}, langnghe.Scope{}},
		{"nobody", nil, langnghe.Scope{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := c.off.Scope()
			if got.All != c.want.All || len(got.Units) != len(c.want.Units) || (len(got.Units) > 0 && !reflect.DeepEqual(got.Units, c.want.Units)) {
				t.Errorf("Scope = %+v, want %+v", got, c.want)
			}
			if got.Empty() != (!c.want.All && len(c.want.Units) == 0) {
				t.Errorf("Empty = %v for %+v", got.Empty(), got)
			}
			if got.Covers("") != c.want.All {
				t.Errorf("an unrouted opinion: Covers = %v", got.Covers(""))
			}
		})
	}
	all, ab, bc := langnghe.Scope{All: true}, langnghe.Scope{Units: []string{"a", "b"}}, langnghe.Scope{Units: []string{"b", "c"}}
	if got := ab.Intersect(bc); got.All || !reflect.DeepEqual(got.Units, []string{"b"}) {
		t.Errorf("ab ∩ bc = %+v", got)
	}
	if got := all.Intersect(ab); got.All || !reflect.DeepEqual(got.Units, ab.Units) {
		t.Errorf("all ∩ ab = %+v", got)
	}
	if got := ab.Intersect(langnghe.Scope{Units: []string{"z"}}); !got.Empty() {
		t.Errorf("ab ∩ z = %+v, want nothing", got)
	}
	if got := all.Intersect(all); !got.All {
		t.Errorf("all ∩ all = %+v", got)
	}
}

func TestExportsContacts(t *testing.T) {
	for _, off := range []*langnghe.Official{{Role: langnghe.RoleBoard}, {Role: langnghe.RoleAdmin}} {
		if !off.ExportsContacts() {
			t.Errorf("%s: no contact columns", off.Role)
		}
	}
	if (&langnghe.Official{Role: langnghe.RoleUnit, Units: []string{"a"}, SeesDenouncers: true}).ExportsContacts() {
		t.Errorf("a unit official's exports carry contacts")
	}
}

func deepCopy(o langnghe.Opinion) langnghe.Opinion {
	c := o
	if o.Answers != nil {
		c.Answers = map[string]string{}
		for k, v := range o.Answers {
			c.Answers[k] = v
		}
	}
	c.Attachments = append([]langnghe.Attachment(nil), o.Attachments...)
	if o.Location != nil {
		l := *o.Location
		c.Location = &l
	}
	return c
}

func fmtAnswers(m map[string]string) string {
	var b strings.Builder
	for k, v := range m {
		b.WriteString(k + "=" + v + " ")
	}
	return b.String()
}

// A campaign is seen by the board and admins and by the officials of its
// unit; a response shows nobody who responded, and a phone or e-mail
// typed into a question reads masked.
func TestCampaignGate(t *testing.T) {
	resident := int64(7)
	revoked := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	point := &langnghe.Campaign{Kind: langnghe.CampaignFeedbackPoint, Unit: "health_centre"}
	dialogue := &langnghe.Campaign{Kind: langnghe.CampaignDialogue}
	for _, c := range []struct {
		who             *langnghe.Official
		point, dialogue bool
	}{
		{&langnghe.Official{ID: 1, Role: langnghe.RoleBoard}, true, true},
		{&langnghe.Official{ID: 2, Role: langnghe.RoleAdmin}, true, true},
		{&langnghe.Official{ID: 3, Role: langnghe.RoleUnit, Units: []string{"health_centre"}}, true, false},
		{&langnghe.Official{ID: 4, Role: langnghe.RoleUnit, Units: []string{"land_environment"}}, false, false},
		{&langnghe.Official{ID: 5, Role: langnghe.RoleBoard, RevokedAt: &revoked}, false, false},
		{nil, false, false},
	} {
		if got := c.who.MaySeeCampaign(point); got != c.point {
			t.Errorf("%+v may see the feedback point: %t, want %t", c.who, got, c.point)
		}
		if got := c.who.MaySeeCampaign(dialogue); got != c.dialogue {
			t.Errorf("%+v may see the dialogue: %t, want %t", c.who, got, c.dialogue)
		}
	}
	r := langnghe.CampaignResponse{ID: 3, ResidentID: &resident, AreaCode: "minh_thanh", Answers: map[string]string{
		"question": "Đường ấp 3 lầy lội, gọi tôi 0912 345 678 hoặc lan@example.vn", "phone": "0912345678"}}
	got := (&langnghe.Official{ID: 1, Role: langnghe.RoleBoard}).RevealResponse(r)
	want := map[string]string{"question": "Đường ấp 3 lầy lội, gọi tôi […] hoặc […]"}
	if got.ResidentID != nil || !reflect.DeepEqual(got.Answers, want) || got.AreaCode != "minh_thanh" {
		t.Errorf("revealed response: %+v, want answers %v and no resident", got, want)
	}
	if r.ResidentID == nil || r.Answers["phone"] == "" {
		t.Errorf("the stored response was changed: %+v", r)
	}
}
