package open311

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"langnghe"
	"langnghe/redact"
)

// request is an opinion as an Open311 service request. It never carries the
// reporter: no name, phone, resident, and no point on a map (a resident's
// shared location is often their home); the area stands for the address.
type request struct {
	ServiceRequestID  string `json:"service_request_id" xml:"service_request_id"`
	Status            string `json:"status" xml:"status"`
	StatusNotes       string `json:"status_notes" xml:"status_notes"`
	ServiceName       string `json:"service_name" xml:"service_name"`
	ServiceCode       string `json:"service_code" xml:"service_code"`
	Description       string `json:"description" xml:"description"`
	AgencyResponsible string `json:"agency_responsible" xml:"agency_responsible"`
	ServiceNotice     string `json:"service_notice" xml:"service_notice"`
	RequestedDatetime string `json:"requested_datetime" xml:"requested_datetime"`
	UpdatedDatetime   string `json:"updated_datetime" xml:"updated_datetime"`
	ExpectedDatetime  string `json:"expected_datetime" xml:"expected_datetime"`
	Address           string `json:"address" xml:"address"`
	AddressID         string `json:"address_id" xml:"address_id"`
}

// Open311 statuses.
const (
	statusOpen   = "open"
	statusClosed = "closed"
)

// Listing limits: the spec's default window and largest answer.
const (
	defaultWindow = 90 * 24 * time.Hour
	maxRequests   = 1000
)

// requests lists opinions (GET requests.{fmt}), newest first. With
// service_request_id (comma-separated codes) the other filters are ignored,
// as the spec says; otherwise start_date/end_date (W3C datetimes; the last
// 90 days by default), status (open, closed) and service_code narrow it.
func (a *API) requests(w http.ResponseWriter, r *http.Request, format string) {
	q := r.URL.Query()
	var (
		list []langnghe.Opinion
		err  error
	)
	if ids := q.Get("service_request_id"); ids != "" {
		list, err = a.opinionsByCode(r.Context(), langnghe.SplitList(ids, ","))
	} else {
		var f requestFilter
		if f, err = a.parseFilter(q.Get("start_date"), q.Get("end_date"), q.Get("status"), q.Get("service_code")); err == nil {
			list, err = a.find(r.Context(), f)
		}
	}
	if err != nil {
		a.fail(w, r, format, err)
		return
	}
	out, err := a.present(r.Context(), language(r), list)
	if err != nil {
		a.fail(w, r, format, err)
		return
	}
	a.write(w, http.StatusOK, format, newList("service_requests", "request", out...))
}

// request shows one opinion (GET requests/{code}.{fmt}), as a list of one.
func (a *API) request(w http.ResponseWriter, r *http.Request) {
	code, format, ok := splitFormat(r.PathValue("file"))
	if !ok {
		a.fail(w, r, format, langnghe.Errorf(langnghe.ENOTFOUND, "unknown format: use .json or .xml"))
		return
	}
	o, err := a.store.Opinion(r.Context(), code)
	if err != nil {
		a.fail(w, r, format, err)
		return
	}
	out, err := a.present(r.Context(), language(r), []langnghe.Opinion{*o})
	if err != nil {
		a.fail(w, r, format, err)
		return
	}
	a.write(w, http.StatusOK, format, newList("service_requests", "request", out...))
}

// opinionsByCode loads the opinions with codes, skipping unknown ones.
func (a *API) opinionsByCode(ctx context.Context, codes []string) ([]langnghe.Opinion, error) {
	if len(codes) > maxRequests {
		return nil, langnghe.Errorf(langnghe.EINVALID, "at most %d service_request_id values", maxRequests)
	}
	var out []langnghe.Opinion
	for _, c := range codes {
		o, err := a.store.Opinion(ctx, c)
		switch {
		case langnghe.ErrorCode(err) == langnghe.ENOTFOUND:
			continue
		case err != nil:
			return nil, fmt.Errorf("load opinion %s: %w", c, err)
		}
		out = append(out, *o)
	}
	return out, nil
}

// requestFilter is a parsed requests query.
type requestFilter struct {
	start, end time.Time
	// open is nil for any status.
	open       *bool
	categories map[string]bool
}

func (f requestFilter) keep(o *langnghe.Opinion) bool {
	if o.CreatedAt.Before(f.start) || !o.CreatedAt.Before(f.end) {
		return false
	}
	if f.open != nil && o.Status.Open() != *f.open {
		return false
	}
	return len(f.categories) == 0 || f.categories[o.Category]
}

func (a *API) parseFilter(start, end, status, codes string) (requestFilter, error) {
	var f requestFilter
	parse := func(name, s string) (time.Time, error) {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return t, langnghe.Errorf(langnghe.EINVALID, "%s %q is not a W3C datetime such as 2026-01-31T00:00:00+07:00", name, s)
		}
		return t, nil
	}
	var err error
	f.end = a.opts.Now()
	if end != "" {
		if f.end, err = parse("end_date", end); err != nil {
			return f, err
		}
	}
	f.start = f.end.Add(-defaultWindow)
	if start != "" {
		if f.start, err = parse("start_date", start); err != nil {
			return f, err
		}
		if end == "" {
			f.end = f.start.Add(defaultWindow)
		}
	}
	if !f.start.Before(f.end) {
		return f, langnghe.Errorf(langnghe.EINVALID, "start_date must be before end_date")
	}
	for _, s := range langnghe.SplitList(status, ",") {
		open := s == statusOpen
		if s != statusOpen && s != statusClosed {
			return f, langnghe.Errorf(langnghe.EINVALID, "status %q: use open or closed", s)
		}
		if f.open != nil && *f.open != open {
			f.open = nil // both: any status
			break
		}
		f.open = &open
	}
	for _, c := range langnghe.SplitList(codes, ",") {
		if f.categories == nil {
			f.categories = map[string]bool{}
		}
		f.categories[c] = true
	}
	return f, nil
}

// pageSize is how many opinions one storage call reads while a listing
// looks for the ones its filter keeps.
const pageSize = 500

// find pages through the opinions created since f.start, newest first, and
// keeps what f keeps, up to maxRequests. The storage filter narrows what it
// can (since, open, one category); the end date and closed statuses are
// checked here.
func (a *API) find(ctx context.Context, f requestFilter) ([]langnghe.Opinion, error) {
	sf := langnghe.OpinionFilter{Since: f.start, Limit: pageSize}
	if f.open != nil && *f.open {
		sf.Open = true
	}
	if len(f.categories) == 1 {
		for c := range f.categories {
			sf.Category = c
		}
	}
	out := []langnghe.Opinion{}
	for {
		page, err := a.store.ListOpinions(ctx, sf)
		if err != nil {
			return nil, err
		}
		for i := range page {
			if f.keep(&page[i]) {
				out = append(out, page[i])
				if len(out) == maxRequests {
					return out, nil
				}
			}
		}
		if len(page) < pageSize {
			return out, nil
		}
		sf.AfterID = page[len(page)-1].ID
	}
}

// present turns opinions into requests in lang.
func (a *API) present(ctx context.Context, lang string, list []langnghe.Opinion) ([]request, error) {
	units, err := a.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	unitNames := make(map[string]string, len(units))
	for _, u := range units {
		unitNames[u.Code] = u.Name(lang)
	}
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
	}
	// Only public notes (an answer, a reason): internal notes never leave
	// the board.
	notes, err := a.store.LatestPublicNotes(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]request, 0, len(list))
	for i := range list {
		o := &list[i]
		req := request{
			ServiceRequestID:  o.Code,
			Status:            statusClosed,
			StatusNotes:       publicNote(o, notes[o.ID]),
			ServiceName:       o.Category,
			ServiceCode:       o.Category,
			Description:       publicText(o),
			AgencyResponsible: unitNames[o.Unit],
			RequestedDatetime: a.datetime(o.CreatedAt),
			UpdatedDatetime:   a.datetime(o.UpdatedAt),
			AddressID:         o.AreaCode,
		}
		if o.Status.Open() {
			req.Status = statusOpen
		}
		if c, ok := a.opts.Catalogue.Category(o.Category); ok {
			req.ServiceName = c.Name(lang)
		}
		if !o.DueAt.IsZero() {
			req.ExpectedDatetime = a.datetime(o.DueAt)
		}
		if ar, ok := a.opts.Catalogue.Area(o.AreaCode); ok {
			req.Address = ar.Name(lang)
		}
		out = append(out, req)
	}
	return out, nil
}

// publicText is the opinion's text as the public API shows it: residents'
// words, without phone numbers, e-mail addresses and ID numbers.
// Complaints and denunciations show none: the law keeps a denouncer's
// identity confidential, and their words can give it away.
func publicText(o *langnghe.Opinion) string {
	if !public(o) {
		return ""
	}
	return redact.Text(o.Text)
}

// publicNote is the latest public note of the opinion (an official's
// answer, a resident's reason for not being satisfied) as the public API
// shows it: redacted as the text is, and none at all for complaints and
// denunciations, whose answers and reasons may name the resident.
func publicNote(o *langnghe.Opinion, note string) string {
	if !public(o) {
		return ""
	}
	return redact.Text(note)
}

// public reports whether the opinion's words may be shown: only ordinary
// feedback's (an unknown track shows nothing).
func public(o *langnghe.Opinion) bool {
	return o.LegalTrack == "" || o.LegalTrack == langnghe.TrackFeedback
}
