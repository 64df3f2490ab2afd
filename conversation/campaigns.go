package conversation

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"langnghe"
	"langnghe/flows"
	"langnghe/storage"
)

// Campaigns takes residents into campaigns and keeps their responses;
// campaigns.Service implements it. Both work inside the update's
// transaction.
type Campaigns interface {
	// Opened is the campaign a deep link's /start payload opens, closed or
	// not; ENOTFOUND when none has it.
	Opened(ctx context.Context, tx *storage.Tx, payload string) (*langnghe.Campaign, error)
	// Record stores a response from a campaign's conversation; ECONFLICT
	// when the campaign no longer takes responses, ENOTFOUND when the
	// flow is no campaign's.
	Record(ctx context.Context, tx *storage.Tx, r *langnghe.CampaignResponse) error
	// RateAnswer applies a press of the rating buttons that come with the
	// leaders' answer (data starts with langnghe.CampaignRatingPrefix) and
	// returns what to tell the resident; forged data is told, not an error.
	RateAnswer(ctx context.Context, tx *storage.Tx, residentID int64, lang, data string) (langnghe.Message, error)
}

// campaignRating takes a press of an answer's rating button.
func (t *turn) campaignRating() (handled bool, err error) {
	in := t.in.Input
	if in.Kind != langnghe.InputButton || !strings.HasPrefix(in.Data, langnghe.CampaignRatingPrefix) || t.s.opts.Campaigns == nil {
		return false, nil
	}
	if err := t.flush(); err != nil {
		return true, err
	}
	m, err := t.s.opts.Campaigns.RateAnswer(t.ctx, t.tx, t.resident.ID, t.language(), in.Data)
	if err != nil {
		return true, fmt.Errorf("rating of a campaign answer by resident %d: %w", t.resident.ID, err)
	}
	return true, t.send(m)
}

// openCampaign takes a resident who opened a campaign's deep link (the
// channel passes "/start PAYLOAD" on as the start command with the payload
// as its text) into the campaign's conversation: after the language and
// consent steps when they have not had them, at once otherwise. handled
// is false when the input is no such link, or the campaign is not taking
// answers: the resident is then told so, and the start goes on as usual
// (the welcome, or the menu).
func (t *turn) openCampaign(env *flows.Env) (sess *flows.Session, events []flows.Event, handled bool, err error) {
	in := t.in.Input
	payload := strings.TrimSpace(in.Text)
	if in.Kind != langnghe.InputCommand || in.Command != flows.CommandStart || t.s.opts.Campaigns == nil || !langnghe.IsCampaignPayload(payload) {
		return nil, nil, false, nil
	}
	c, err := t.s.opts.Campaigns.Opened(t.ctx, t.tx, payload)
	switch {
	case langnghe.ErrorCode(err) == langnghe.ENOTFOUND:
		return nil, nil, false, t.send(t.text(msgCampaignUnknown))
	case err != nil:
		return nil, nil, false, fmt.Errorf("campaign of payload %s: %w", payload, err)
	case in.At.Before(c.Opens):
		return nil, nil, false, t.send(t.campaignText(msgCampaignNotYet, c, c.Opens))
	case !c.OpenAt(in.At):
		return nil, nil, false, t.send(t.campaignText(msgCampaignClosed, c, c.Closes))
	}
	base, err := t.baseSession()
	if err != nil {
		return nil, nil, false, err
	}
	if t.resident.Language == "" {
		// First contact: the welcome's language and consent, then the
		// campaign in place of the menu.
		sess, events, err = flows.Open(env, base, flowWelcome, c.FlowID, in)
	} else {
		sess, events, err = flows.Open(env, base, c.FlowID, "", in)
	}
	if err != nil {
		return nil, nil, false, fmt.Errorf("open campaign %d for resident %d: %w", c.ID, t.resident.ID, err)
	}
	return sess, events, true, nil
}

// baseSession is the resident's session to open a flow in: the stored one
// (so the buttons of its questions go stale), or a new one.
func (t *turn) baseSession() (*flows.Session, error) {
	if t.session != nil {
		var s flows.Session
		if err := json.Unmarshal(t.session.Data, &s); err == nil && s.Version == flows.SessionVersion {
			return &s, nil
		}
	}
	g, err := t.consents()
	if err != nil {
		return nil, err
	}
	return flows.NewSession(flows.StartOptions{Language: t.language(), Name: t.resident.Name, Consent: g.contact, Phone: t.resident.Phone,
		AnnouncementsAsked: g.announcementsAsked}), nil
}

// campaignText says something of c with a date, in the resident's
// language.
func (t *turn) campaignText(k textKey, c *langnghe.Campaign, day time.Time) langnghe.Message {
	lang := t.language()
	date := langnghe.DateIn(day.In(t.s.opts.TimeZone), lang)
	return langnghe.Message{Text: fmt.Sprintf(say(lang, k), c.Title, date)}
}

// recordResponse stores what the campaign's conversation collected. A
// campaign that closed while the resident answered is told politely
// (late: the caller says nothing more of the flow's); a flow that records
// a response but belongs to no campaign (an admin's mistake) is logged,
// and the resident's turn goes on.
func (t *turn) recordResponse(r *langnghe.CampaignResponse) (late bool, err error) {
	if r == nil {
		return false, nil
	}
	if t.s.opts.Campaigns == nil {
		t.s.log.Error("a campaign response, but the service runs without campaigns", "flow", r.FlowID)
		return false, nil
	}
	id := t.resident.ID
	r.ResidentID = &id
	if r.CreatedAt.IsZero() {
		r.CreatedAt = t.in.Input.At
	}
	err = t.s.opts.Campaigns.Record(t.ctx, t.tx, r)
	switch langnghe.ErrorCode(err) {
	case "":
		return false, nil
	case langnghe.ECONFLICT:
		return true, t.send(t.text(msgCampaignClosedLate))
	case langnghe.ENOTFOUND:
		t.s.log.Error("a response through a flow of no campaign", "flow", r.FlowID, "revision", r.FlowRevision, "err", err)
		return false, nil
	}
	return false, fmt.Errorf("record the response of resident %d: %w", id, err)
}
