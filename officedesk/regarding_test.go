package officedesk_test

import (
	"testing"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// TestMessagesAboutOneOpinionRegardIt: every message to an official about
// one opinion (its notification, the opinion shown, the answer prompt, a
// confirmation) says that a reply to it answers that opinion, and the
// question why a resident is not satisfied says a reply is the reason; a
// message about several opinions, or none, regards nothing. The channel
// records the id each is sent as, and replies are matched by it.
func TestMessagesAboutOneOpinionRegardIt(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		w.official("land", "land_environment")
		o := w.opinion(1, "land")
		p := w.opinion(2, "land")
		answer := &langnghe.Regarding{Opinion: o.Code, Reply: langnghe.ReplyAnswer}
		regards := func(what string, got []langnghe.Message, want *langnghe.Regarding) {
			t.Helper()
			if len(got) != 1 {
				t.Fatalf("%s: %d messages, want 1", what, len(got))
			}
			switch r := got[0].Regarding; {
			case want == nil && r != nil:
				t.Errorf("%s regards %+v, want nothing: %q", what, *r, got[0].Text)
			case want != nil && (r == nil || *r != *want):
				t.Errorf("%s regards %v, want %+v: %q", what, r, *want, got[0].Text)
			}
		}
		regards("the notification of "+p.Code, w.takeMessages("land")[1:], &langnghe.Regarding{Opinion: p.Code, Reply: langnghe.ReplyAnswer})
		w.apply("land", cmd("xem", o.Code), "")
		regards("the opinion shown", w.takeMessages("land"), answer)
		w.apply("land", press("o:a:"+o.Code), "")
		regards("the answer prompt", w.takeMessages("land"), answer)
		w.apply("land", press("o:c:"+o.Code), "")
		regards("the cancellation", w.takeMessages("land"), nil)
		w.apply("land", cmd("danhsach", ""), "")
		regards("the list", w.takeMessages("land"), nil)
		w.apply("land", cmd("traloi", o.Code+" Đã sửa xong."), "")
		regards("the confirmation", w.takeMessages("land"), answer)

		w.take("r1")
		w.applyResident("r1", press("r:n:"+o.Code), "")
		regards("the question why", w.takeMessages("r1"), &langnghe.Regarding{Opinion: o.Code, Reply: langnghe.ReplyReason})
	})
}
