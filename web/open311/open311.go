// Package open311 serves the Open311 GeoReport v2 API under /open311/v2/:
// discovery, the catalogue as services, opinions as service requests (read
// only, without the reporter), and POST requests for other channels (a web
// form, a hotline operator's tool) holding an API key an admin issued.
//
// Every call answers in JSON or XML after the format suffix
// (requests.json, requests.xml), errors included, in the spec's shapes.
// Names are Vietnamese unless ?lang=en or Accept-Language asks for English.
package open311

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/web"
	"langnghe/wording"
)

// Store is what the API needs of the database (storage.DB).
type Store interface {
	langnghe.OpinionReader
	LatestPublicNotes(ctx context.Context, opinionIDs []int64) (map[int64]string, error)
	Units(ctx context.Context) ([]langnghe.Unit, error)
	APIKeyBySecret(ctx context.Context, secret string) (*langnghe.APIKey, error)
	InTx(ctx context.Context, fn func(tx *storage.Tx) error) error
}

// Intake takes a new opinion on from where the chat hands it over: routing
// it to a unit and telling the unit's officials, in the transaction that
// stored it (officedesk.Desk).
type Intake interface {
	OpinionCreated(ctx context.Context, tx *storage.Tx, o *langnghe.Opinion) error
}

// Calendar counts working days for due dates (calendar.Calendar).
type Calendar interface {
	AddWorkingDays(from time.Time, days int) time.Time
}

// Channel is the channel of opinions filed through the API.
const Channel = "open311"

// Options wire the API to the service.
type Options struct {
	Catalogue *langnghe.Catalogue
	Calendar  Calendar
	Intake    Intake
	// OpinionPrefix starts the codes of new opinions (DT-2026-000123).
	OpinionPrefix string
	// TimeZone gives the year of a code and the offset of every datetime.
	TimeZone *time.Location
	// PostsPerMinute caps the requests one key may file (default 30).
	PostsPerMinute int
	// Contact is shown in discovery: who runs the service.
	Contact string
	// PublicURL is the service's address as clients reach it
	// (LANGNGHE_PUBLIC_URL, https://langnghe.example.vn): discovery names
	// the endpoint under it, never after the request's Host or
	// X-Forwarded-Proto headers. Empty gives the endpoint's path alone.
	PublicURL string
	Now       func() time.Time
	Log       *slog.Logger
}

// API is the Open311 handler.
type API struct {
	store     Store
	opts      Options
	mux       *http.ServeMux
	limit     *keyLimiter
	changeset time.Time
}

// New returns the API, ready to mount at /open311/v2/.
func New(store Store, opts Options) *API {
	opts.TimeZone, opts.Now = langnghe.Clock(opts.TimeZone, opts.Now)
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.PostsPerMinute <= 0 {
		opts.PostsPerMinute = 30
	}
	if opts.Catalogue == nil {
		opts.Catalogue = &langnghe.Catalogue{}
	}
	a := &API{store: store, opts: opts, mux: http.NewServeMux(), changeset: opts.Now()}
	a.limit = newKeyLimiter(opts.PostsPerMinute, time.Minute, opts.Now)
	a.mux.HandleFunc("GET "+Root+"{file}", a.top)
	a.mux.HandleFunc("GET "+Root+"services/{file}", a.serviceDefinition)
	a.mux.HandleFunc("GET "+Root+"requests/{file}", a.request)
	a.mux.HandleFunc("POST "+Root+"{file}", a.post)
	a.mux.HandleFunc(Root, func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, r, formatOf(r.URL.Path), langnghe.Errorf(langnghe.ENOTFOUND, "no such Open311 resource"))
	})
	return a
}

// Root is where the API is mounted.
const Root = "/open311/v2/"

// ServeHTTP makes the API an http.Handler.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

// top serves discovery.{fmt}, services.{fmt} and requests.{fmt}.
func (a *API) top(w http.ResponseWriter, r *http.Request) {
	name, format, ok := splitFormat(r.PathValue("file"))
	if !ok {
		a.fail(w, r, format, langnghe.Errorf(langnghe.ENOTFOUND, "unknown format: use .json or .xml"))
		return
	}
	switch name {
	case "discovery":
		a.discovery(w, r, format)
	case "services":
		a.services(w, r, format)
	case "requests":
		a.requests(w, r, format)
	default:
		a.fail(w, r, format, langnghe.Errorf(langnghe.ENOTFOUND, "no such Open311 resource %q", name))
	}
}

// Response formats.
const (
	formatJSON = "json"
	formatXML  = "xml"
)

// splitFormat splits "requests.json" into its name and format; ok is false
// for a format the API does not speak (format is then JSON, for the error).
func splitFormat(file string) (name, format string, ok bool) {
	i := strings.LastIndexByte(file, '.')
	if i < 0 {
		return file, formatJSON, false
	}
	name, format = file[:i], strings.ToLower(file[i+1:])
	if format != formatJSON && format != formatXML {
		return name, formatJSON, false
	}
	return name, format, true
}

// formatOf is the format a path asks for, for errors outside the routes.
func formatOf(path string) string {
	if strings.HasSuffix(strings.ToLower(path), ".xml") {
		return formatXML
	}
	return formatJSON
}

// write answers v in format; v marshals to the spec's element names.
func (a *API) write(w http.ResponseWriter, status int, format string, v any) {
	var (
		body []byte
		err  error
	)
	if format == formatXML {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		body, err = xml.Marshal(v)
		body = append([]byte(xml.Header), body...)
	} else {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		body, err = json.Marshal(v)
	}
	if err != nil {
		a.opts.Log.Error("encode Open311 response", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// apiError is one error in the spec's format.
type apiError struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

// list is one of the spec's list documents: a bare JSON array (empty
// rather than null), or in XML an element named root with an element named
// item for each of items (<errors><error>…</error></errors>).
type list[T any] struct {
	root, item string
	items      []T
}

func newList[T any](root, item string, items ...T) list[T] {
	return list[T]{root: root, item: item, items: items}
}

func (l list[T]) MarshalJSON() ([]byte, error) {
	if l.items == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(l.items)
}

func (l list[T]) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	root := xml.StartElement{Name: xml.Name{Local: l.root}}
	if err := e.EncodeToken(root); err != nil {
		return err
	}
	for i := range l.items {
		if err := e.EncodeElement(l.items[i], xml.StartElement{Name: xml.Name{Local: l.item}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(root.End())
}

// fail answers err in the spec's error format with its HTTP status. An
// internal error is logged and described without its details.
func (a *API) fail(w http.ResponseWriter, r *http.Request, format string, err error) {
	status := web.StatusOf(err)
	if status == http.StatusInternalServerError {
		a.opts.Log.Error("open311", "path", r.URL.Path, "err", err)
	}
	a.failStatus(w, format, status, langnghe.ErrorMessage(err))
}

func (a *API) failStatus(w http.ResponseWriter, format string, status int, description string) {
	a.write(w, status, format, newList("errors", "error", apiError{Code: status, Description: description}))
}

// language is English when the caller asks for it (?lang=en, or
// Accept-Language preferring English), else Vietnamese.
func language(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l != "" {
		if strings.HasPrefix(strings.ToLower(l), "en") {
			return langnghe.LangEN
		}
		return langnghe.LangVI
	}
	first, _, _ := strings.Cut(r.Header.Get("Accept-Language"), ",")
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(first)), "en") {
		return langnghe.LangEN
	}
	return langnghe.LangVI
}

// say is the catalogue's text key (open311.*) in lang.
func say(lang, key string) string { return wording.Text(lang, key) }

// datetime is how the API writes times: W3C (RFC 3339) with the local offset.
func (a *API) datetime(t time.Time) string { return t.In(a.opts.TimeZone).Format(time.RFC3339) }

// discovery describes the endpoint (GET discovery.{fmt}).
func (a *API) discovery(w http.ResponseWriter, r *http.Request, format string) {
	changeset := a.datetime(a.changeset)
	a.write(w, http.StatusOK, format, discoveryDoc{
		Changeset:  changeset,
		Contact:    a.opts.Contact,
		KeyService: say(language(r), "open311.key_service"),
		Endpoints: []endpoint{{
			Specification: "http://wiki.open311.org/GeoReport_v2",
			URL:           strings.TrimRight(a.opts.PublicURL, "/") + strings.TrimSuffix(Root, "/"),
			Changeset:     changeset,
			Type:          "production",
			Formats:       []string{"application/json", "text/xml"},
		}},
	})
}

type discoveryDoc struct {
	XMLName    xml.Name   `json:"-" xml:"discovery"`
	Changeset  string     `json:"changeset" xml:"changeset"`
	Contact    string     `json:"contact" xml:"contact"`
	KeyService string     `json:"key_service" xml:"key_service"`
	Endpoints  []endpoint `json:"endpoints" xml:"endpoints>endpoint"`
}

type endpoint struct {
	Specification string   `json:"specification" xml:"specification"`
	URL           string   `json:"url" xml:"url"`
	Changeset     string   `json:"changeset" xml:"changeset"`
	Type          string   `json:"type" xml:"type"`
	Formats       []string `json:"formats" xml:"formats>format"`
}
