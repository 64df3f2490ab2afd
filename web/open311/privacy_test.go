package open311_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// A denouncer and what officials and the denouncer wrote about the case.
const (
	denouncerName = "Lê Văn Hùng"
	// The official's answer names the resident and their phone; the
	// resident's reason for not being satisfied repeats them.
	officialAnswer  = "Đã xác minh theo đơn của ông Lê Văn Hùng, SĐT (091) 234 5678, trưởng ấp đã bị kỷ luật"
	residentReason  = "Tôi là Hùng, 0912-345-678, trưởng ấp vẫn thu tiền của dân"
	feedbackAnswer  = "Đã sửa đèn đường; cần thêm thông tin xin gọi 0912/345/678 hoặc hung @ gmail.com"
	feedbackPublic  = "Đã sửa đèn đường; cần thêm thông tin xin gọi […] hoặc […]"
	feedbackOpinion = "Đèn đường ấp 3 hỏng từ 12/05/2026, gọi +84 (91) 2345678"
)

// fileOpinion stores an opinion on track with an answer and then the
// resident's "not satisfied" reason, both public, as the lifecycle records
// them.
func fileOpinion(t *testing.T, db *storage.DB, track langnghe.LegalTrack, text string, notes ...string) *langnghe.Opinion {
	t.Helper()
	ctx := context.Background()
	o := &langnghe.Opinion{Category: "land", LegalTrack: track, Text: text, AreaCode: "minh_thanh", Language: langnghe.LangVI,
		Channel: langnghe.ChannelTelegram, ContactName: denouncerName, ContactPhone: "0912345678"}
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		code, err := tx.NextOpinionCode(ctx, "DT", 2026)
		if err != nil {
			return err
		}
		o.Code = code
		if err := tx.CreateOpinion(ctx, o); err != nil {
			return err
		}
		steps := []struct {
			to    langnghe.Status
			actor string
		}{{langnghe.StatusAnswered, "official:1"}, {langnghe.StatusReopened, "resident"}}
		from := o.Status
		for i, note := range notes {
			s := steps[i%len(steps)]
			if err := tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{OpinionID: o.ID, StatusFrom: from, StatusTo: s.to,
				Actor: s.actor, Note: note, Public: true}); err != nil {
				return err
			}
			from = s.to
		}
		return nil
	})
	if err != nil {
		t.Fatalf("file %s opinion: %v", track, err)
	}
	return o
}

// Complaints and denunciations show no description and no status notes:
// the official's answer and the resident's reason name the resident. The
// notes of feedback are redacted like descriptions.
func TestRequestsHideComplaintsAndDenunciationsNotes(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, 0)
		denunciation := fileOpinion(t, db, langnghe.TrackDenunciation,
			"Tố cáo trưởng ấp thu tiền trái phép, tôi là Lê Văn Hùng 0912345678", officialAnswer, residentReason)
		complaint := fileOpinion(t, db, langnghe.TrackComplaint,
			"Khiếu nại quyết định thu hồi đất, liên hệ Lê Văn Hùng 0912345678", officialAnswer, residentReason)
		feedback := fileOpinion(t, db, langnghe.TrackFeedback, feedbackOpinion, feedbackAnswer)

		secrets := []string{"Hùng", "Hung", "0912345678", "234 5678", "345-678", "345/678", "gmail",
			"kỷ luật", "vẫn thu tiền", "trưởng ấp"}
		codes := denunciation.Code + "," + complaint.Code + "," + feedback.Code
		for _, path := range []string{
			"/open311/v2/requests.json", "/open311/v2/requests.json?service_request_id=" + codes,
			"/open311/v2/requests/" + denunciation.Code + ".json", "/open311/v2/requests/" + complaint.Code + ".json",
			"/open311/v2/requests/" + feedback.Code + ".json",
		} {
			status, body := f.get(t, path)
			if status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, status, body)
			}
			list := jsonList(t, body)
			if len(list) == 0 {
				t.Fatalf("GET %s: no requests", path)
			}
			for _, r := range list {
				code, _ := r["service_request_id"].(string)
				switch code {
				case denunciation.Code, complaint.Code:
					if r["description"] != "" || r["status_notes"] != "" {
						t.Errorf("GET %s: %s shows description %q, status_notes %q", path, code, r["description"], r["status_notes"])
					}
				case feedback.Code:
					if r["status_notes"] != feedbackPublic {
						t.Errorf("GET %s: feedback status_notes = %q, want %q", path, r["status_notes"], feedbackPublic)
					}
					if r["description"] != "Đèn đường ấp 3 hỏng từ 12/05/2026, gọi […]" {
						t.Errorf("GET %s: feedback description = %q", path, r["description"])
					}
				}
			}
			if !strings.Contains(path, "/requests/") && len(list) != 3 {
				t.Errorf("GET %s: %d requests, want the 3 opinions", path, len(list))
			}
			for _, s := range secrets {
				if strings.Contains(string(body), s) {
					t.Errorf("GET %s shows %q:\n%s", path, s, body)
				}
			}
		}

		for _, path := range []string{"/open311/v2/requests.xml", "/open311/v2/requests/" + denunciation.Code + ".xml",
			"/open311/v2/requests/" + complaint.Code + ".xml", "/open311/v2/requests/" + feedback.Code + ".xml"} {
			status, body := f.get(t, path)
			if status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, status, body)
			}
			doc := xmlDoc(t, body, "service_requests")
			if len(doc.Nodes) == 0 {
				t.Fatalf("GET %s: no requests", path)
			}
			for _, r := range doc.Nodes {
				checkElements(t, "request", r, requestFields)
				switch code := r.child("service_request_id").Text; code {
				case denunciation.Code, complaint.Code:
					if d, n := r.child("description").Text, r.child("status_notes").Text; d != "" || n != "" {
						t.Errorf("GET %s: %s shows description %q, status_notes %q", path, code, d, n)
					}
				case feedback.Code:
					if n := r.child("status_notes").Text; n != feedbackPublic {
						t.Errorf("GET %s: feedback status_notes = %q, want %q", path, n, feedbackPublic)
					}
				}
			}
			for _, s := range secrets {
				if strings.Contains(string(body), s) {
					t.Errorf("GET %s shows %q:\n%s", path, s, body)
				}
			}
		}
	})
}
