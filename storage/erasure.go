package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"langnghe/flows/vntext"
	"langnghe/redact"
)

// What DeleteResidentData needs besides plain statements: the resident's
// identifiers, and the rewriting of texts and JSON documents that quote
// them.

// erasure is one resident's deletion in progress.
type erasure struct {
	tx       *Tx
	resident int64
	// known are the resident's identifiers as stored: their name and phone,
	// and the contact name and phone of each of their opinions.
	known []string
	// codes are the codes of their opinions: a message naming one is about
	// them.
	codes []string
}

// text is s without the resident's identifiers, nor any phone number,
// e-mail address or ID number.
func (e *erasure) text(s string) string { return redact.Text(s, e.known...) }

// mentions reports whether s names the resident (or one of their
// opinions): whether hiding their identifiers changes it.
func (e *erasure) mentions(s string) bool {
	for _, c := range e.codes {
		if strings.Contains(s, c) {
			return true
		}
	}
	return len(e.known) > 0 && redact.Text(s, e.known...) != redact.Text(s)
}

// personalAnswers are the answer keys of the default flows (and the names
// an admin would give such questions) whose answer is the resident's
// identity, contact or whereabouts, or a file they sent.
var personalAnswers = map[string]bool{
	"phone": true, "name": true, "contact": true, "contact_name": true, "contact_phone": true, "email": true,
	"address": true, "location": true, "photo": true, "photos": true, "attachment": true, "attachments": true,
	"document": true, "file": true,
}

// Answers whose value is a shared point ("11.270000,106.370000") or a file
// ("photo:AgACAgIAAxk..."), whatever their key.
var (
	pointAnswer = regexp.MustCompile(`^\s*-?\d{1,3}(?:\.\d+)?\s*,\s*-?\d{1,3}(?:\.\d+)?\s*$`)
	fileAnswer  = regexp.MustCompile(`^(?:photo|document|video|voice|audio|animation|sticker|file|video_note):`)
)

// answers rewrites an opinion's collected answers (JSON): the personal
// ones go, the others are redacted. Nothing is lost for the board: the
// opinion's text, category and area have columns of their own.
func (e *erasure) answers(doc string) (string, error) {
	var in map[string]string
	if err := json.Unmarshal([]byte(doc), &in); err != nil {
		return "", fmt.Errorf("answers: %w", err)
	}
	out := make(map[string]string, len(in))
	for k, v := range in {
		if personalAnswers[strings.ToLower(k)] || pointAnswer.MatchString(v) || fileAnswer.MatchString(v) {
			continue
		}
		out[k] = e.text(v)
	}
	return encodeJSON(out)
}

// document redacts every string of a JSON document (a queued message),
// keys included, when one of them names the resident or their opinions;
// changed is false when none does.
func (e *erasure) document(doc string) (out string, changed bool, err error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", false, err
	}
	if !e.mentionedIn(v) {
		return doc, false, nil
	}
	if out, err = encodeJSON(e.redactValue(v)); err != nil {
		return "", false, err
	}
	return out, true, nil
}

// mentionedIn reports whether a string of the decoded JSON value v names
// the resident or their opinions.
func (e *erasure) mentionedIn(v any) bool {
	switch v := v.(type) {
	case string:
		return e.mentions(v)
	case []any:
		return slices.ContainsFunc(v, e.mentionedIn)
	case map[string]any:
		for k, x := range v {
			if e.mentions(k) || e.mentionedIn(x) {
				return true
			}
		}
	}
	return false
}

func (e *erasure) redactValue(v any) any {
	switch v := v.(type) {
	case string:
		return e.text(v)
	case []any:
		for i := range v {
			v[i] = e.redactValue(v[i])
		}
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[e.text(k)] = e.redactValue(x)
		}
		return out
	}
	return v
}

// encodeJSON writes v without HTML escapes, as a string: lib/pq sends
// []byte as bytea, which jsonb rejects.
func encodeJSON(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// identify loads what the resident is known by, and the codes of their
// opinions.
func (e *erasure) identify(ctx context.Context) error {
	var rows []struct {
		Name  string `db:"name"`
		Phone string `db:"phone"`
		Code  string `db:"code"`
	}
	err := selectAll(ctx, e.tx.tx, &rows, `SELECT name, phone, '' AS code FROM residents WHERE id = ?
		UNION ALL SELECT contact_name, contact_phone, code FROM opinions WHERE resident_id = ?`, e.resident, e.resident)
	if err != nil {
		return err
	}
	for _, r := range rows {
		for _, s := range []string{r.Name, r.Phone} {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(e.known, s) {
				e.known = append(e.known, s)
			}
		}
		if r.Code != "" {
			e.codes = append(e.codes, r.Code)
		}
	}
	return nil
}

// opinions keeps the resident's opinions for the board without them: no
// link, contact, point or files; the text and the remaining answers
// redacted (and the text refolded for search).
func (e *erasure) opinions(ctx context.Context) error {
	var rows []struct {
		ID      int64  `db:"id"`
		Text    string `db:"text"`
		Place   string `db:"place_text"`
		Answers string `db:"answers"`
	}
	if err := selectAll(ctx, e.tx.tx, &rows, `SELECT id, text, place_text, answers FROM opinions WHERE resident_id = ?`, e.resident); err != nil {
		return err
	}
	at := now()
	for _, r := range rows {
		answers, err := e.answers(r.Answers)
		if err != nil {
			return fmt.Errorf("opinion %d: %w", r.ID, err)
		}
		text := e.text(r.Text)
		_, err = exec(ctx, e.tx.tx, `UPDATE opinions SET resident_id = NULL, contact_name = '', contact_phone = '',
			location = NULL, attachments = '[]', answers = ?, text = ?, text_folded = ?, place_text = ?, updated_at = ?
			WHERE id = ?`,
			answers, text, vntext.Fold(text), e.text(r.Place), at, r.ID)
		if err != nil {
			return fmt.Errorf("opinion %d: %w", r.ID, err)
		}
	}
	return nil
}

// responses keeps the resident's campaign responses for the results
// without them: no link, their answers as an opinion's.
func (e *erasure) responses(ctx context.Context) error {
	err := e.rewrite(ctx, "response", `SELECT id, answers AS value FROM campaign_responses WHERE resident_id = ?`,
		`UPDATE campaign_responses SET answers = ? WHERE id = ?`, e.answers)
	if err != nil {
		return err
	}
	_, err = exec(ctx, e.tx.tx, `UPDATE campaign_responses SET resident_id = NULL WHERE resident_id = ?`, e.resident)
	return err
}

// events redacts the notes of the resident's opinions' events: an
// official's answer or a forwarding note may quote their name and phone,
// their own "not satisfied" reason anything.
func (e *erasure) events(ctx context.Context) error {
	return e.rewrite(ctx, "event", `SELECT id, note AS value FROM opinion_events
		WHERE note <> '' AND opinion_id IN (SELECT id FROM opinions WHERE resident_id = ?)`,
		`UPDATE opinion_events SET note = ? WHERE id = ?`,
		func(note string) (string, error) { return e.text(note), nil })
}

// rewrite passes the value of each row that query selects (id, value; its
// one parameter the resident) through redact, and stores it with update
// (value, id) where it changed. what names a row in errors.
func (e *erasure) rewrite(ctx context.Context, what, query, update string, redact func(string) (string, error)) error {
	var rows []struct {
		ID    int64  `db:"id"`
		Value string `db:"value"`
	}
	if err := selectAll(ctx, e.tx.tx, &rows, query, e.resident); err != nil {
		return err
	}
	for _, r := range rows {
		v, err := redact(r.Value)
		if err != nil {
			return fmt.Errorf("%s %d: %w", what, r.ID, err)
		}
		if v == r.Value {
			continue
		}
		if _, err := exec(ctx, e.tx.tx, update, v, r.ID); err != nil {
			return fmt.Errorf("%s %d: %w", what, r.ID, err)
		}
	}
	return nil
}

// erasePage is how many queued messages one read of messages loads.
const erasePage = 500

// messages redacts, in table (outbox or outbox_dead), the messages to
// others (officials' notifications, digests) that name the resident or
// their opinions: the message stays, without the identity. The queue is
// short (delivered messages leave it), so it is read whole, page by page.
func (e *erasure) messages(ctx context.Context, table string) error {
	for after := int64(0); ; {
		var rows []struct {
			ID        int64  `db:"id"`
			Message   string `db:"message"`
			LastError string `db:"last_error"`
		}
		err := selectAll(ctx, e.tx.tx, &rows, `SELECT id, message, last_error FROM `+table+`
			WHERE id > ? ORDER BY id LIMIT ?`, after, erasePage)
		if err != nil {
			return err
		}
		for _, r := range rows {
			msg, changed, err := e.document(r.Message)
			if err != nil {
				return fmt.Errorf("message %d: %w", r.ID, err)
			}
			lastErr := r.LastError
			if e.mentions(lastErr) {
				lastErr = e.text(lastErr)
			}
			if changed || lastErr != r.LastError {
				if _, err := exec(ctx, e.tx.tx, `UPDATE `+table+` SET message = ?, last_error = ? WHERE id = ?`,
					msg, lastErr, r.ID); err != nil {
					return fmt.Errorf("message %d: %w", r.ID, err)
				}
			}
		}
		if len(rows) < erasePage {
			return nil
		}
		after = rows[len(rows)-1].ID
	}
}
