package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"langnghe"
)

// Campaigns (migration 00015): the campaign with its details as JSON, the
// residents' responses, the question groups with their members (a
// response's group_id) and answers, and one delivery row per asker of an
// answered group.

type campaignRow struct {
	ID          int64      `db:"id"`
	Kind        string     `db:"kind"`
	Title       string     `db:"title"`
	Theme       string     `db:"theme"`
	Areas       string     `db:"areas"`
	Unit        string     `db:"unit_code"`
	Opens       time.Time  `db:"opens"`
	Closes      *time.Time `db:"closes"`
	Payload     string     `db:"payload"`
	FlowID      string     `db:"flow_id"`
	Conference  *string    `db:"conference"`
	Draft       *string    `db:"draft"`
	Questions   string     `db:"questions"`
	CreatedBy   int64      `db:"created_by"`
	CreatedAt   time.Time  `db:"created_at"`
	UpdatedAt   time.Time  `db:"updated_at"`
	GroupedUpTo int64      `db:"grouped_upto"`
}

const campaignColumns = `id, kind, title, theme, areas, unit_code, opens, closes, payload, flow_id, conference, draft,
	questions, created_by, created_at, updated_at, grouped_upto`

func (r *campaignRow) campaign() (*langnghe.Campaign, error) {
	c := &langnghe.Campaign{ID: r.ID, Kind: langnghe.CampaignKind(r.Kind), Title: r.Title, Theme: r.Theme, Unit: r.Unit,
		Opens: r.Opens, Payload: r.Payload, FlowID: r.FlowID, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.Closes != nil {
		c.Closes = *r.Closes
	}
	docs := []struct {
		what string
		src  *string
		dst  any
	}{{"areas", &r.Areas, &c.Areas}, {"conference", r.Conference, &c.Conference}, {"draft", r.Draft, &c.Draft}, {"questions", &r.Questions, &c.Questions}}
	for _, d := range docs {
		if d.src == nil {
			continue
		}
		if err := json.Unmarshal([]byte(*d.src), d.dst); err != nil {
			return nil, fmt.Errorf("campaign %d: %s: %w", r.ID, d.what, err)
		}
	}
	return c, nil
}

// campaignDocs are a campaign's JSON columns as written: areas,
// conference (nil: NULL), draft (nil: NULL), questions.
func campaignDocs(c *langnghe.Campaign) (areas string, conference, draft *string, questions string, err error) {
	enc := func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	}
	if areas, err = enc(nonNil(c.Areas)); err != nil {
		return
	}
	if questions, err = enc(nonNil(c.Questions)); err != nil {
		return
	}
	if c.Conference != nil {
		cf := *c.Conference
		var s string
		if s, err = enc(cf); err != nil {
			return
		}
		conference = &s
	}
	if c.Draft != nil {
		var s string
		if s, err = enc(c.Draft); err != nil {
			return
		}
		draft = &s
	}
	return
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// closesArg is a campaign's closing day as a column value: NULL for none.
func closesArg(c *langnghe.Campaign) any {
	if c.Closes.IsZero() {
		return nil
	}
	return dbTime(c.Closes)
}

// CreateCampaign stores c as it is (the caller validated it and gave it a
// payload) and sets ID, CreatedAt, UpdatedAt and, when empty, FlowID
// (langnghe.CampaignFlowID). A payload another campaign has is ECONFLICT.
func (tx *Tx) CreateCampaign(ctx context.Context, c *langnghe.Campaign) error {
	if c.Payload == "" || !c.Kind.Valid() {
		return langnghe.Errorf(langnghe.EINVALID, "a campaign needs a kind and a payload")
	}
	areas, conference, draft, questions, err := campaignDocs(c)
	if err != nil {
		return fmt.Errorf("encode campaign %q: %w", c.Title, err)
	}
	at := now()
	var id int64
	err = get(ctx, tx.tx, &id, `INSERT INTO campaigns (kind, title, theme, areas, unit_code, opens, closes, payload, flow_id,
		conference, draft, questions, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (payload) DO NOTHING RETURNING id`,
		c.Kind, c.Title, c.Theme, areas, c.Unit, dbTime(c.Opens), closesArg(c), c.Payload, c.FlowID,
		conference, draft, questions, c.CreatedBy, at, at)
	if errors.Is(err, sql.ErrNoRows) {
		return langnghe.Errorf(langnghe.ECONFLICT, "another campaign has the payload %s", c.Payload)
	} else if err != nil {
		return fmt.Errorf("insert campaign %q: %w", c.Title, err)
	}
	if c.FlowID == "" {
		c.FlowID = langnghe.CampaignFlowID(id)
		if _, err := exec(ctx, tx.tx, `UPDATE campaigns SET flow_id = ? WHERE id = ?`, c.FlowID, id); err != nil {
			return fmt.Errorf("campaign %d: set its flow: %w", id, err)
		}
	}
	c.ID, c.CreatedAt, c.UpdatedAt = id, at, at
	return nil
}

// UpdateCampaign writes what may change after creation: the title, theme,
// areas, unit, dates, conference, draft and questions. The kind, payload,
// flow and creator stay.
func (tx *Tx) UpdateCampaign(ctx context.Context, c *langnghe.Campaign) error {
	areas, conference, draft, questions, err := campaignDocs(c)
	if err != nil {
		return fmt.Errorf("encode campaign %d: %w", c.ID, err)
	}
	at := now()
	res, err := exec(ctx, tx.tx, `UPDATE campaigns SET title = ?, theme = ?, areas = ?, unit_code = ?, opens = ?, closes = ?,
		conference = ?, draft = ?, questions = ?, updated_at = ? WHERE id = ?`,
		c.Title, c.Theme, areas, c.Unit, dbTime(c.Opens), closesArg(c), conference, draft, questions, at, c.ID)
	if err := oneRow(res, err, "campaign %d", c.ID); err != nil {
		return err
	}
	c.UpdatedAt = at
	return nil
}

// Campaign loads the campaign with id (ENOTFOUND).
func (r reader) Campaign(ctx context.Context, id int64) (*langnghe.Campaign, error) {
	return oneCampaign(ctx, r.q, `id = ?`, id)
}

// CampaignByPayload loads the campaign a deep link's payload opens
// (ENOTFOUND).
func (r reader) CampaignByPayload(ctx context.Context, payload string) (*langnghe.Campaign, error) {
	return oneCampaign(ctx, r.q, `payload = ?`, payload)
}

// CampaignByFlow loads the campaign whose conversation is the flow
// (ENOTFOUND).
func (r reader) CampaignByFlow(ctx context.Context, flowID string) (*langnghe.Campaign, error) {
	if flowID == "" {
		return nil, langnghe.Errorf(langnghe.ENOTFOUND, "campaign of flow %q not found", flowID)
	}
	return oneCampaign(ctx, r.q, `flow_id = ?`, flowID)
}

// LockCampaign loads the campaign with id and, on PostgreSQL, locks its
// row until the transaction ends: its groups, answers and deliveries
// change one transaction at a time (SQLite has one writer anyway). The
// lock is NO KEY UPDATE, which residents' new responses (whose foreign
// key takes KEY SHARE) do not wait for: a turn that holds its chat's lock
// never waits on a transaction that holds this one and queues to that
// chat.
func (tx *Tx) LockCampaign(ctx context.Context, id int64) (*langnghe.Campaign, error) {
	cond := `id = ?`
	if tx.dialect == Postgres {
		cond += ` FOR NO KEY UPDATE`
	}
	return oneCampaign(ctx, tx.tx, cond, id)
}

func oneCampaign(ctx context.Context, q sqlx.ExtContext, cond string, arg any) (*langnghe.Campaign, error) {
	var row campaignRow
	if err := get(ctx, q, &row, `SELECT `+campaignColumns+` FROM campaigns WHERE `+cond, arg); err != nil {
		return nil, notFound(err, "campaign %v", arg)
	}
	return row.campaign()
}

// Campaigns lists the campaigns whose unit scope covers (all of them for
// the board's scope; a unit official's, those their units organise or
// whose feedback point they are), newest first.
func (r reader) Campaigns(ctx context.Context, scope langnghe.Scope) ([]*langnghe.Campaign, error) {
	cond, args, ok := scopeCondition(&scope)
	if !ok {
		return []*langnghe.Campaign{}, nil
	}
	if cond != "" {
		cond = " WHERE " + cond
	}
	var rows []campaignRow
	if err := selectAll(ctx, r.q, &rows, `SELECT `+campaignColumns+` FROM campaigns`+cond+` ORDER BY id DESC`, args...); err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	return decodeRows(rows, (*campaignRow).campaign)
}

// CampaignGroupedUpTo is the last response id the campaign's question
// groups were computed with (0: never).
func (r reader) CampaignGroupedUpTo(ctx context.Context, campaignID int64) (int64, error) {
	var n int64
	if err := get(ctx, r.q, &n, `SELECT grouped_upto FROM campaigns WHERE id = ?`, campaignID); err != nil {
		return 0, notFound(err, "campaign %d", campaignID)
	}
	return n, nil
}

// Responses.

type responseRow struct {
	ID           int64     `db:"id"`
	CampaignID   int64     `db:"campaign_id"`
	ResidentID   *int64    `db:"resident_id"`
	AreaCode     string    `db:"area_code"`
	Language     string    `db:"language"`
	Answers      string    `db:"answers"`
	Category     string    `db:"category"`
	GroupID      *int64    `db:"group_id"`
	FlowID       string    `db:"flow_id"`
	FlowRevision int       `db:"flow_revision"`
	CreatedAt    time.Time `db:"created_at"`
	OpinionCode  string    `db:"opinion_code"`
}

const responseColumns = `id, campaign_id, resident_id, area_code, language, answers, category, group_id, flow_id, flow_revision, created_at, opinion_code`

func (r *responseRow) response() (langnghe.CampaignResponse, error) {
	resp := langnghe.CampaignResponse{ID: r.ID, CampaignID: r.CampaignID, ResidentID: r.ResidentID, AreaCode: r.AreaCode,
		Language: r.Language, Category: r.Category, FlowID: r.FlowID, FlowRevision: r.FlowRevision, CreatedAt: r.CreatedAt,
		OpinionCode: r.OpinionCode}
	if r.GroupID != nil {
		resp.GroupID = *r.GroupID
	}
	if err := json.Unmarshal([]byte(r.Answers), &resp.Answers); err != nil {
		return resp, fmt.Errorf("response %d: answers: %w", r.ID, err)
	}
	return resp, nil
}

// AddCampaignResponse stores r and sets its ID (and CreatedAt when zero).
// Its group is set by SaveQuestionGroups.
func (tx *Tx) AddCampaignResponse(ctx context.Context, r *langnghe.CampaignResponse) error {
	if r.CampaignID == 0 {
		return langnghe.Errorf(langnghe.EINVALID, "a response needs its campaign")
	}
	answers, err := encodeJSON(nonNilMap(r.Answers))
	if err != nil {
		return fmt.Errorf("encode response to campaign %d: %w", r.CampaignID, err)
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now()
	}
	r.CreatedAt = dbTime(r.CreatedAt)
	err = get(ctx, tx.tx, &r.ID, `INSERT INTO campaign_responses (campaign_id, resident_id, area_code, language, answers,
		category, flow_id, flow_revision, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.CampaignID, r.ResidentID, r.AreaCode, r.Language, answers, r.Category, r.FlowID, r.FlowRevision, r.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert response to campaign %d: %w", r.CampaignID, err)
	}
	tx.wrote = true
	return nil
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// CampaignResponses returns every response to the campaign, oldest first.
func (r reader) CampaignResponses(ctx context.Context, campaignID int64) ([]langnghe.CampaignResponse, error) {
	var rows []responseRow
	err := selectAll(ctx, r.q, &rows, `SELECT `+responseColumns+` FROM campaign_responses WHERE campaign_id = ? ORDER BY id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("responses to campaign %d: %w", campaignID, err)
	}
	return decodeRows(rows, (*responseRow).response)
}

// CampaignResponse returns the response with id (ENOTFOUND).
func (r reader) CampaignResponse(ctx context.Context, id int64) (langnghe.CampaignResponse, error) {
	var row responseRow
	err := get(ctx, r.q, &row, `SELECT `+responseColumns+` FROM campaign_responses WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return langnghe.CampaignResponse{}, langnghe.Errorf(langnghe.ENOTFOUND, "no response %d", id)
	} else if err != nil {
		return langnghe.CampaignResponse{}, fmt.Errorf("response %d: %w", id, err)
	}
	return row.response()
}

// LinkResponseOpinion records that the response (a dialogue question) was
// turned into the opinion with code; a response linked already is
// ECONFLICT.
func (tx *Tx) LinkResponseOpinion(ctx context.Context, responseID int64, code string) error {
	res, err := exec(ctx, tx.tx, `UPDATE campaign_responses SET opinion_code = ? WHERE id = ? AND opinion_code = ''`, code, responseID)
	if err != nil {
		return fmt.Errorf("link response %d to opinion %s: %w", responseID, code, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("link response %d to opinion %s: %w", responseID, code, err)
	} else if n != 1 {
		return langnghe.Errorf(langnghe.ECONFLICT, "response %d is an opinion already", responseID)
	}
	return nil
}

// LastCampaignResponse is the id of the campaign's latest response (0:
// none yet).
func (r reader) LastCampaignResponse(ctx context.Context, campaignID int64) (int64, error) {
	var n int64
	if err := get(ctx, r.q, &n, `SELECT COALESCE(MAX(id), 0) FROM campaign_responses WHERE campaign_id = ?`, campaignID); err != nil {
		return 0, fmt.Errorf("responses to campaign %d: %w", campaignID, err)
	}
	return n, nil
}

// HasCampaignResponses reports whether anyone responded to the campaign.
func (r reader) HasCampaignResponses(ctx context.Context, campaignID int64) (bool, error) {
	var n int
	err := get(ctx, r.q, &n, `SELECT COUNT(*) FROM (SELECT 1 FROM campaign_responses WHERE campaign_id = ? LIMIT 1) AS one`, campaignID)
	if err != nil {
		return false, fmt.Errorf("responses to campaign %d: %w", campaignID, err)
	}
	return n > 0, nil
}

// Question groups.

type groupRow struct {
	ID         int64      `db:"id"`
	CampaignID int64      `db:"campaign_id"`
	Title      string     `db:"title"`
	Renamed    bool       `db:"renamed"`
	Fixed      bool       `db:"fixed"`
	Category   string     `db:"category"`
	DueAt      *time.Time `db:"due_at"`
	Text       *string    `db:"text"`
	AnsweredBy *string    `db:"answered_by"`
	RecordedBy *int64     `db:"recorded_by"`
	At         *time.Time `db:"at"`
}

const groupSelect = `SELECT g.id, g.campaign_id, g.title, g.renamed, g.fixed, g.category, g.due_at,
	a.text, a.answered_by, a.recorded_by, a.at
	FROM campaign_groups g LEFT JOIN campaign_answers a ON a.group_id = g.id`

func (r *groupRow) group() *langnghe.QuestionGroup {
	g := &langnghe.QuestionGroup{ID: r.ID, CampaignID: r.CampaignID, Title: r.Title, Renamed: r.Renamed, Fixed: r.Fixed,
		Category: r.Category, Members: []int64{}}
	if r.DueAt != nil {
		g.DueAt = *r.DueAt
	}
	if r.Text != nil {
		g.Answer = &langnghe.GroupAnswer{Text: *r.Text, AnsweredBy: *r.AnsweredBy, RecordedBy: *r.RecordedBy, At: *r.At}
	}
	return g
}

// QuestionGroups returns the campaign's groups with their members
// (response ids, ascending) and answers, in id order.
func (r reader) QuestionGroups(ctx context.Context, campaignID int64) ([]*langnghe.QuestionGroup, error) {
	var rows []groupRow
	if err := selectAll(ctx, r.q, &rows, groupSelect+` WHERE g.campaign_id = ? ORDER BY g.id`, campaignID); err != nil {
		return nil, fmt.Errorf("groups of campaign %d: %w", campaignID, err)
	}
	var members []struct {
		ID    int64 `db:"id"`
		Group int64 `db:"group_id"`
	}
	err := selectAll(ctx, r.q, &members, `SELECT id, group_id FROM campaign_responses
		WHERE campaign_id = ? AND group_id IS NOT NULL ORDER BY id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("groups of campaign %d: members: %w", campaignID, err)
	}
	byID := map[int64]*langnghe.QuestionGroup{}
	out := make([]*langnghe.QuestionGroup, 0, len(rows))
	for i := range rows {
		g := rows[i].group()
		byID[g.ID] = g
		out = append(out, g)
	}
	for _, m := range members {
		if g := byID[m.Group]; g != nil {
			g.Members = append(g.Members, m.ID)
		}
	}
	return out, nil
}

// QuestionGroup loads one group with its members and answer (ENOTFOUND).
func (r reader) QuestionGroup(ctx context.Context, id int64) (*langnghe.QuestionGroup, error) {
	var row groupRow
	if err := get(ctx, r.q, &row, groupSelect+` WHERE g.id = ?`, id); err != nil {
		return nil, notFound(err, "question group %d", id)
	}
	g := row.group()
	if err := selectAll(ctx, r.q, &g.Members, `SELECT id FROM campaign_responses WHERE group_id = ? ORDER BY id`, id); err != nil {
		return nil, fmt.Errorf("members of question group %d: %w", id, err)
	}
	return g, nil
}

// SaveQuestionGroups makes groups the campaign's unanswered groups: a
// group with an ID is updated, one without is inserted (its ID set), and
// every other unanswered group of the campaign is deleted. Each group's
// members are moved into it; a response of the campaign in none of them
// and in no answered group is left without a group. groupedUpTo is the
// last response id the grouping read (CampaignGroupedUpTo). Answered
// groups are not touched: pass none.
func (tx *Tx) SaveQuestionGroups(ctx context.Context, campaignID int64, groups []*langnghe.QuestionGroup, groupedUpTo int64) error {
	at := now()
	answered := map[int64]bool{}
	var ids []int64
	if err := selectAll(ctx, tx.tx, &ids, `SELECT g.id FROM campaign_groups g JOIN campaign_answers a ON a.group_id = g.id
		WHERE g.campaign_id = ?`, campaignID); err != nil {
		return fmt.Errorf("answered groups of campaign %d: %w", campaignID, err)
	}
	for _, id := range ids {
		answered[id] = true
	}
	keep := []int64{}
	for _, g := range groups {
		if answered[g.ID] {
			return langnghe.Errorf(langnghe.ECONFLICT, "question group %d is answered: it does not change", g.ID)
		}
		var due any
		if !g.DueAt.IsZero() {
			due = dbTime(g.DueAt)
		}
		if g.ID == 0 {
			err := get(ctx, tx.tx, &g.ID, `INSERT INTO campaign_groups (campaign_id, title, renamed, fixed, category, due_at,
				created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				campaignID, g.Title, g.Renamed, g.Fixed, g.Category, due, at, at)
			if err != nil {
				return fmt.Errorf("insert a question group of campaign %d: %w", campaignID, err)
			}
		} else {
			res, err := exec(ctx, tx.tx, `UPDATE campaign_groups SET title = ?, renamed = ?, fixed = ?, category = ?, due_at = ?,
				updated_at = ? WHERE id = ? AND campaign_id = ?`, g.Title, g.Renamed, g.Fixed, g.Category, due, at, g.ID, campaignID)
			if err := oneRow(res, err, "question group %d of campaign %d", g.ID, campaignID); err != nil {
				return err
			}
		}
		g.CampaignID = campaignID
		keep = append(keep, g.ID)
	}
	// Every response not in an answered group leaves its group first, so
	// a member the new grouping leaves out is in none.
	_, err := exec(ctx, tx.tx, `UPDATE campaign_responses SET group_id = NULL WHERE campaign_id = ? AND group_id IS NOT NULL
		AND group_id NOT IN (SELECT group_id FROM campaign_answers a JOIN campaign_groups g ON g.id = a.group_id WHERE g.campaign_id = ?)`,
		campaignID, campaignID)
	if err != nil {
		return fmt.Errorf("ungroup the responses of campaign %d: %w", campaignID, err)
	}
	for _, g := range groups {
		if len(g.Members) == 0 {
			continue
		}
		query, args, err := sqlx.In(`UPDATE campaign_responses SET group_id = ? WHERE campaign_id = ? AND id IN (?)
			AND group_id IS NULL`, g.ID, campaignID, g.Members)
		if err != nil {
			return fmt.Errorf("members of question group %d: %w", g.ID, err)
		}
		res, err := exec(ctx, tx.tx, query, args...)
		if err != nil {
			return fmt.Errorf("members of question group %d: %w", g.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || int(n) != len(slices.Compact(slices.Sorted(slices.Values(g.Members)))) {
			return langnghe.Errorf(langnghe.ECONFLICT, "question group %d: some of its questions are in another group or not of campaign %d", g.ID, campaignID)
		}
	}
	query, args, err := sqlx.In(`DELETE FROM campaign_groups WHERE campaign_id = ? AND id NOT IN (?)
		AND NOT EXISTS (SELECT 1 FROM campaign_answers a WHERE a.group_id = campaign_groups.id)`, campaignID, append(keep, 0))
	if err != nil {
		return fmt.Errorf("question groups of campaign %d: %w", campaignID, err)
	}
	if _, err := exec(ctx, tx.tx, query, args...); err != nil {
		return fmt.Errorf("delete old question groups of campaign %d: %w", campaignID, err)
	}
	if _, err := exec(ctx, tx.tx, `UPDATE campaigns SET grouped_upto = ? WHERE id = ? AND grouped_upto < ?`,
		groupedUpTo, campaignID, groupedUpTo); err != nil {
		return fmt.Errorf("campaign %d: record its grouping: %w", campaignID, err)
	}
	return nil
}

// AnswerQuestionGroup records the leaders' answer to a group;
// ECONFLICT when it has one already.
func (tx *Tx) AnswerQuestionGroup(ctx context.Context, groupID int64, a langnghe.GroupAnswer) error {
	var id int64
	err := get(ctx, tx.tx, &id, `INSERT INTO campaign_answers (group_id, text, answered_by, recorded_by, at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (group_id) DO NOTHING RETURNING group_id`,
		groupID, a.Text, a.AnsweredBy, a.RecordedBy, dbTime(a.At))
	if errors.Is(err, sql.ErrNoRows) {
		return langnghe.Errorf(langnghe.ECONFLICT, "question group %d is answered already", groupID)
	} else if err != nil {
		return fmt.Errorf("answer question group %d: %w", groupID, err)
	}
	return nil
}

// GroupAskers returns the residents who asked a question of the group and
// have no delivery of its answer yet, each once with their first question,
// by resident id. Residents who blocked the bot, or whose data was deleted
// (their responses have no resident), are left out.
func (tx *Tx) GroupAskers(ctx context.Context, groupID int64) ([]langnghe.CampaignAsker, error) {
	var rows []struct {
		ResidentID int64  `db:"resident_id"`
		Channel    string `db:"channel"`
		ChatID     string `db:"chat_id"`
		Language   string `db:"language"`
		ResponseID int64  `db:"response_id"`
		Answers    string `db:"answers"`
	}
	err := selectAll(ctx, tx.tx, &rows, `SELECT r.id AS resident_id, r.channel, r.chat_id, r.language, p.id AS response_id, p.answers
		FROM campaign_responses p JOIN residents r ON r.id = p.resident_id
		WHERE p.group_id = ? AND NOT r.blocked AND r.chat_id <> ''
		AND NOT EXISTS (SELECT 1 FROM campaign_deliveries d WHERE d.group_id = p.group_id AND d.resident_id = p.resident_id)
		ORDER BY r.id, p.id`, groupID)
	if err != nil {
		return nil, fmt.Errorf("askers of question group %d: %w", groupID, err)
	}
	var out []langnghe.CampaignAsker
	for _, row := range rows {
		if n := len(out); n > 0 && out[n-1].ResidentID == row.ResidentID {
			continue
		}
		var answers map[string]string
		if err := json.Unmarshal([]byte(row.Answers), &answers); err != nil {
			return nil, fmt.Errorf("response %d: answers: %w", row.ResponseID, err)
		}
		out = append(out, langnghe.CampaignAsker{ResidentID: row.ResidentID, Channel: row.Channel, ChatID: row.ChatID,
			Language: row.Language, ResponseID: row.ResponseID, Question: answers[langnghe.DialogueQuestionKey]})
	}
	return out, nil
}

// QueueDeliveries queues each message (to a resident: ResidentID set) as
// that resident's delivery of the group's answer, unless they have one:
// the delivery row and the queued message commit together, so each asker
// is sent the answer once however often this runs, across restarts and
// replicas. It returns how many were queued.
func (tx *Tx) QueueDeliveries(ctx context.Context, groupID int64, msgs []*langnghe.Outgoing) (int, error) {
	return tx.queueOnce(ctx, onceLedger{table: "campaign_deliveries", key: "group_id",
		what: fmt.Sprintf("delivery of question group %d's answer", groupID)}, groupID, msgs)
}

// onceLedger is a table that records, per resident, the one copy of a
// message they were queued: campaign_announcements (per campaign) and
// campaign_deliveries (per question group).
type onceLedger struct {
	table, key string // the table and the column of what is sent once
	what       string // what is queued, in messages: "delivery of question group 7's answer"
}

// queueOnce queues each message (to a resident: ResidentID set) unless the
// ledger has that resident's copy for keyID, and records the copy with
// its outbox row: both commit together, so a resident is queued one copy
// however often this runs, across restarts and replicas. It returns how
// many were queued.
func (tx *Tx) queueOnce(ctx context.Context, l onceLedger, keyID int64, msgs []*langnghe.Outgoing) (int, error) {
	at := now()
	var queued []*langnghe.Outgoing
	for _, m := range msgs {
		if m.ResidentID == nil {
			return 0, langnghe.Errorf(langnghe.EINVALID, "the %s needs its resident", l.what)
		}
		var claimed int64
		err := get(ctx, tx.tx, &claimed, `INSERT INTO `+l.table+` (`+l.key+`, resident_id, outbox_id, queued_at)
			VALUES (?, ?, 0, ?) ON CONFLICT (`+l.key+`, resident_id) DO NOTHING RETURNING resident_id`, keyID, *m.ResidentID, at)
		if errors.Is(err, sql.ErrNoRows) {
			continue // queued before
		} else if err != nil {
			return 0, fmt.Errorf("%s to resident %d: %w", l.what, *m.ResidentID, err)
		}
		queued = append(queued, m)
	}
	// One statement per page: a message's row takes 19 parameters, and
	// PostgreSQL takes at most 65,535 in a statement.
	for page := range slices.Chunk(queued, deliveryPage) {
		if err := tx.SaveTurn(ctx, nil, page); err != nil {
			return 0, fmt.Errorf("queue %s: %w", l.what, err)
		}
	}
	for _, m := range queued {
		if _, err := exec(ctx, tx.tx, `UPDATE `+l.table+` SET outbox_id = ? WHERE `+l.key+` = ? AND resident_id = ?`,
			m.ID, keyID, *m.ResidentID); err != nil {
			return 0, fmt.Errorf("%s to resident %d: %w", l.what, *m.ResidentID, err)
		}
	}
	return len(queued), nil
}

// deliveryPage is how many answers one INSERT queues.
const deliveryPage = 500

// GroupDeliveries counts the askers of the group sent its answer, and of
// them those whose message still waits in the outbox.
func (r reader) GroupDeliveries(ctx context.Context, groupID int64) (queued, waiting int, err error) {
	var n struct {
		Queued  int `db:"queued"`
		Waiting int `db:"waiting"`
	}
	err = get(ctx, r.q, &n, `SELECT COUNT(*) AS queued,
		COUNT(CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.id = d.outbox_id) THEN 1 END) AS waiting
		FROM campaign_deliveries d WHERE d.group_id = ?`, groupID)
	if err != nil {
		return 0, 0, fmt.Errorf("deliveries of question group %d: %w", groupID, err)
	}
	return n.Queued, n.Waiting, nil
}
