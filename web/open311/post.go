package open311

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/storage"
)

// Limits on what a POST may carry.
const (
	maxBody        = 64 << 10
	maxDescription = 4000 // runes
	maxContact     = 200  // runes, each contact field
)

// created is the answer to POST requests.
type created struct {
	ServiceRequestID string `json:"service_request_id" xml:"service_request_id"`
	ServiceNotice    string `json:"service_notice" xml:"service_notice"`
}

// post files an opinion (POST requests.{fmt}) for a caller holding an
// active API key. A missing key is 401, an unknown or revoked one 403.
func (a *API) post(w http.ResponseWriter, r *http.Request) {
	name, format, ok := splitFormat(r.PathValue("file"))
	switch {
	case !ok:
		a.fail(w, r, format, langnghe.Errorf(langnghe.ENOTFOUND, "unknown format: use .json or .xml"))
		return
	case name != "requests":
		a.fail(w, r, format, langnghe.Errorf(langnghe.ENOTFOUND, "no such Open311 resource %q", name))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		a.fail(w, r, format, langnghe.Errorf(langnghe.EINVALID, "the request body is not a form of at most %d bytes", maxBody))
		return
	}
	key, err := a.key(r.Context(), r.PostForm.Get("api_key"))
	if err != nil {
		a.fail(w, r, format, err)
		return
	}
	if !a.limit.allow(key.ID) {
		w.Header().Set("Retry-After", "60")
		a.failStatus(w, format, http.StatusTooManyRequests,
			fmt.Sprintf("at most %d requests a minute per API key", a.opts.PostsPerMinute))
		return
	}
	lang := language(r)
	o, err := a.opinionFrom(r.PostForm, lang)
	if err != nil {
		a.fail(w, r, format, err)
		return
	}
	if err := a.file(r.Context(), key, o); err != nil {
		a.fail(w, r, format, err)
		return
	}
	a.opts.Log.Info("opinion filed through Open311", "code", o.Code, "key", key.ID, "category", o.Category, "unit", o.Unit)
	notice := fmt.Sprintf(say(lang, "open311.received"),
		o.Code, o.DueAt.In(a.opts.TimeZone).Format(langnghe.DateLayout))
	a.write(w, http.StatusCreated, format, newList("service_requests", "request", created{ServiceRequestID: o.Code, ServiceNotice: notice}))
}

// key checks the caller's API key.
func (a *API) key(ctx context.Context, secret string) (*langnghe.APIKey, error) {
	if secret == "" {
		return nil, langnghe.Errorf(langnghe.EUNAUTHORIZED, "api_key is required to file a request")
	}
	k, err := a.store.APIKeyBySecret(ctx, secret)
	switch {
	case langnghe.ErrorCode(err) == langnghe.ENOTFOUND, err == nil && !k.Active():
		return nil, langnghe.Errorf(langnghe.EFORBIDDEN, "api_key is not valid")
	case err != nil:
		return nil, err
	}
	return k, nil
}

// form is what opinionFrom reads; url.Values satisfies it.
type form interface{ Get(key string) string }

// opinionFrom checks a POST's fields and builds the opinion they describe.
// Where it is: attribute[area] or address_id (an area code), else
// address_string matched against the area names, else lat/long; the spec
// wants at least one. Contact details make the opinion reachable (not
// anonymous); e-mail is not kept, opinions have no place for it.
func (a *API) opinionFrom(f form, lang string) (*langnghe.Opinion, error) {
	code := strings.TrimSpace(f.Get("service_code"))
	if code == "" {
		return nil, langnghe.Errorf(langnghe.EINVALID, "service_code is required")
	}
	cat, ok := a.category(code)
	if !ok {
		return nil, langnghe.Errorf(langnghe.EINVALID, "service_code %q is not a service: see services.json", code)
	}
	text := strings.TrimSpace(norm.NFC.String(f.Get("description")))
	switch {
	case text == "":
		return nil, langnghe.Errorf(langnghe.EINVALID, "description is required")
	case utf8.RuneCountInString(text) > maxDescription:
		return nil, langnghe.Errorf(langnghe.EINVALID, "description is longer than %d characters", maxDescription)
	}
	o := &langnghe.Opinion{
		Category: cat.Code, LegalTrack: langnghe.TrackFeedback, Text: text, Language: lang,
		Channel: Channel, Status: langnghe.StatusReceived, Confidence: 1,
	}
	var err error
	if o.AreaCode, err = a.area(f); err != nil {
		return nil, err
	}
	// The address as the caller wrote it, kept beside the area code it
	// gave (cleaned, redacted and cut by storage).
	o.PlaceText = f.Get("address_string")
	if o.Location, err = location(f.Get("lat"), f.Get("long")); err != nil {
		return nil, err
	}
	if o.AreaCode == "" && o.Location == nil {
		return nil, langnghe.Errorf(langnghe.EINVALID,
			"say where: attribute[area] or address_id (an area code), address_string, or lat and long")
	}
	name := strings.TrimSpace(strings.TrimSpace(f.Get("first_name")) + " " + strings.TrimSpace(f.Get("last_name")))
	phone := strings.TrimSpace(f.Get("phone"))
	if utf8.RuneCountInString(name) > maxContact || utf8.RuneCountInString(phone) > maxContact {
		return nil, langnghe.Errorf(langnghe.EINVALID, "first_name, last_name and phone take at most %d characters", maxContact)
	}
	o.ContactName, o.ContactPhone = norm.NFC.String(name), phone
	o.Anonymous = name == "" && phone == ""
	return o, nil
}

// area finds the area a POST names; "" when it names none.
func (a *API) area(f form) (string, error) {
	code := strings.TrimSpace(f.Get("attribute[" + attributeArea + "]"))
	if code == "" {
		code = strings.TrimSpace(f.Get("address_id"))
	}
	if code != "" {
		if _, ok := a.opts.Catalogue.Area(code); !ok {
			return "", langnghe.Errorf(langnghe.EINVALID, "area %q is not known: see the service definition", code)
		}
		return code, nil
	}
	if addr := strings.TrimSpace(f.Get("address_string")); addr != "" {
		if found := catalogue.MatchArea(a.opts.Catalogue, addr); len(found) > 0 {
			return found[0].Code, nil
		}
	}
	return "", nil
}

// location reads lat/long; nil when both are absent. They are decimal
// degrees (langnghe.ParseCoordinates): NaN, infinities and hexadecimal
// floats are refused.
func location(lat, long string) (*langnghe.Location, error) {
	if lat == "" && long == "" {
		return nil, nil
	}
	loc, ok := langnghe.ParseCoordinates(strings.TrimSpace(lat), strings.TrimSpace(long))
	if !ok {
		return nil, langnghe.Errorf(langnghe.EINVALID, "lat and long must be WGS84 degrees in decimal, e.g. lat=10.7769 long=106.7009")
	}
	return &loc, nil
}

// file stores o the way the chat does, in one transaction: the next code
// of the local year, the category's due date in working days, the
// opinion, a note of which key filed it, then routing and the unit's
// officials' notification (Intake).
func (a *API) file(ctx context.Context, key *langnghe.APIKey, o *langnghe.Opinion) error {
	cat, _ := a.opts.Catalogue.Category(o.Category)
	return a.store.InTx(ctx, func(tx *storage.Tx) error {
		at := a.opts.Now()
		code, err := tx.NextOpinionCode(ctx, a.opts.OpinionPrefix, at.In(a.opts.TimeZone).Year())
		if err != nil {
			return err
		}
		o.Code, o.CreatedAt = code, at
		if a.opts.Calendar != nil && cat.ServiceDays > 0 {
			o.DueAt = a.opts.Calendar.AddWorkingDays(at, cat.ServiceDays)
		}
		if err := tx.CreateOpinion(ctx, o); err != nil {
			return fmt.Errorf("create opinion %s: %w", code, err)
		}
		if err := tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{
			OpinionID: o.ID, Actor: Channel, At: at,
			Note: fmt.Sprintf("filed through Open311 with API key %d (%s)", key.ID, key.Name),
		}); err != nil {
			return err
		}
		if a.opts.Intake == nil {
			return nil
		}
		if err := a.opts.Intake.OpinionCreated(ctx, tx, o); err != nil {
			return fmt.Errorf("route opinion %s: %w", code, err)
		}
		return nil
	})
}

// keyLimiter allows each key n requests per window: a fixed window per
// key, enough to stop a runaway client without costing a query.
type keyLimiter struct {
	n      int
	window time.Duration
	now    func() time.Time
	mu     sync.Mutex
	keys   map[int64]*keyWindow
}

type keyWindow struct {
	start time.Time
	used  int
}

func newKeyLimiter(n int, window time.Duration, now func() time.Time) *keyLimiter {
	return &keyLimiter{n: n, window: window, now: now, keys: map[int64]*keyWindow{}}
}

// allow counts one request of key and reports whether it is within the limit.
func (l *keyLimiter) allow(key int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	at := l.now()
	w := l.keys[key]
	if w == nil || at.Sub(w.start) >= l.window {
		w = &keyWindow{start: at}
		l.keys[key] = w
	}
	w.used++
	return w.used <= l.n
}
