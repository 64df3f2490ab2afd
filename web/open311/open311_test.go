package open311_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/flows/catalogue"
	"langnghe/followup"
	"langnghe/officedesk"
	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web"
	"langnghe/web/open311"
)

var hcm = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// The spec's field names, per document.
var (
	serviceFields    = []string{"description", "group", "keywords", "metadata", "service_code", "service_name", "type"}
	requestFields    = []string{"address", "address_id", "agency_responsible", "description", "expected_datetime", "requested_datetime", "service_code", "service_name", "service_notice", "service_request_id", "status", "status_notes", "updated_datetime"}
	definitionFields = []string{"attributes", "service_code"}
	attributeFields  = []string{"code", "datatype", "datatype_description", "description", "order", "required", "values", "variable"}
	valueFields      = []string{"key", "name"}
	createdFields    = []string{"service_notice", "service_request_id"}
	errorFields      = []string{"code", "description"}
	discoveryFields  = []string{"changeset", "contact", "endpoints", "key_service"}
	endpointFields   = []string{"changeset", "formats", "specification", "type", "url"}
)

// fixture is the API on a real database with the default units and routing.
type fixture struct {
	db     *storage.DB
	cat    *langnghe.Catalogue
	server *httptest.Server
	secret string
}

func newFixture(t *testing.T, db *storage.DB, postsPerMinute int) *fixture {
	t.Helper()
	ctx := context.Background()
	cat := catalogue.Default()
	cal := calendar.Default(hcm)
	core := followup.New(cat, cal, followup.Options{TimeZone: hcm})
	if _, err := core.Seed(ctx, db); err != nil {
		t.Fatalf("seed units: %v", err)
	}
	api := open311.New(db, open311.Options{
		Catalogue: cat, Calendar: cal, OpinionPrefix: "DT", TimeZone: hcm, PostsPerMinute: postsPerMinute,
		Intake:    officedesk.New(core, cat, officedesk.Options{TimeZone: hcm}, nil),
		Log:       slog.New(slog.DiscardHandler),
		PublicURL: publicURL,
	})
	// Mounted as the service mounts it.
	srv := httptest.NewServer(web.New(web.Options{Open311: api}))
	t.Cleanup(srv.Close)
	secret, _, err := db.CreateAPIKey(ctx, "Hotline")
	if err != nil {
		t.Fatalf("create API key: %v", err)
	}
	return &fixture{db: db, cat: cat, server: srv, secret: secret}
}

func (f *fixture) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(f.server.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return readAll(t, resp)
}

func (f *fixture) post(t *testing.T, path string, form url.Values) (int, []byte) {
	t.Helper()
	resp, err := http.PostForm(f.server.URL+path, form)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	return readAll(t, resp)
}

func readAll(t *testing.T, resp *http.Response) (int, []byte) {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp.StatusCode, b
}

// jsonList decodes a JSON array of objects.
func jsonList(t *testing.T, body []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("not a JSON array of objects: %v\n%s", err, body)
	}
	return out
}

func checkKeys(t *testing.T, what string, m map[string]any, want []string) {
	t.Helper()
	var got []string
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("%s fields = %v, want the spec's %v", what, got, want)
	}
}

// node is a generic XML element.
type node struct {
	XMLName xml.Name
	Text    string `xml:",chardata"`
	Nodes   []node `xml:",any"`
}

func (n node) names() []string {
	var out []string
	for _, c := range n.Nodes {
		out = append(out, c.XMLName.Local)
	}
	slices.Sort(out)
	return out
}

func (n node) child(name string) node {
	for _, c := range n.Nodes {
		if c.XMLName.Local == name {
			return c
		}
	}
	return node{}
}

func xmlDoc(t *testing.T, body []byte, root string) node {
	t.Helper()
	if !strings.HasPrefix(string(body), xml.Header) {
		t.Errorf("XML without its declaration: %.60s", body)
	}
	var n node
	if err := xml.Unmarshal(body, &n); err != nil {
		t.Fatalf("not XML: %v\n%s", err, body)
	}
	if n.XMLName.Local != root {
		t.Fatalf("root element <%s>, want <%s>", n.XMLName.Local, root)
	}
	return n
}

func checkElements(t *testing.T, what string, n node, want []string) {
	t.Helper()
	if got := n.names(); !slices.Equal(got, want) {
		t.Errorf("<%s> elements = %v, want the spec's %v", what, got, want)
	}
}

func TestDiscoveryAndServices(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, 0)

		status, body := f.get(t, "/open311/v2/discovery.json")
		if status != http.StatusOK {
			t.Fatalf("discovery.json: %d %s", status, body)
		}
		var disc map[string]any
		if err := json.Unmarshal(body, &disc); err != nil {
			t.Fatalf("discovery.json: %v", err)
		}
		checkKeys(t, "discovery", disc, discoveryFields)
		eps, _ := disc["endpoints"].([]any)
		if len(eps) != 1 {
			t.Fatalf("discovery endpoints = %v", disc["endpoints"])
		}
		ep := eps[0].(map[string]any)
		checkKeys(t, "endpoint", ep, endpointFields)
		if ep["url"] != publicURL+"/open311/v2" {
			t.Errorf("endpoint url = %v", ep["url"])
		}
		_, body = f.get(t, "/open311/v2/discovery.xml")
		d := xmlDoc(t, body, "discovery")
		checkElements(t, "discovery", d, discoveryFields)
		checkElements(t, "endpoint", d.child("endpoints").child("endpoint"), endpointFields)

		status, body = f.get(t, "/open311/v2/services.json?lang=en")
		if status != http.StatusOK {
			t.Fatalf("services.json: %d %s", status, body)
		}
		services := jsonList(t, body)
		if len(services) != len(f.cat.Categories) {
			t.Fatalf("%d services, want one per category (%d)", len(services), len(f.cat.Categories))
		}
		for i, s := range services {
			checkKeys(t, "service", s, serviceFields)
			c := f.cat.Categories[i]
			if s["service_code"] != c.Code || s["service_name"] != c.Name(langnghe.LangEN) || s["metadata"] != true {
				t.Errorf("service %d = %v, want %s named %q with metadata", i, s, c.Code, c.Name(langnghe.LangEN))
			}
		}
		_, body = f.get(t, "/open311/v2/services.xml")
		doc := xmlDoc(t, body, "services")
		if len(doc.Nodes) != len(f.cat.Categories) {
			t.Fatalf("%d <service>, want %d", len(doc.Nodes), len(f.cat.Categories))
		}
		land := doc.Nodes[0]
		checkElements(t, "service", land, serviceFields)
		if land.child("service_name").Text != "Đất đai" {
			t.Errorf("Vietnamese by default: service_name = %q", land.child("service_name").Text)
		}

		_, body = f.get(t, "/open311/v2/services/land.json")
		var def map[string]any
		if err := json.Unmarshal(body, &def); err != nil {
			t.Fatalf("services/land.json: %v\n%s", err, body)
		}
		checkKeys(t, "service definition", def, definitionFields)
		attrs := def["attributes"].([]any)
		attr := attrs[0].(map[string]any)
		checkKeys(t, "attribute", attr, attributeFields)
		values := attr["values"].([]any)
		if attr["code"] != "area" || attr["datatype"] != "singlevaluelist" || len(values) == 0 {
			t.Fatalf("area attribute = %v", attr)
		}
		checkKeys(t, "value", values[0].(map[string]any), valueFields)
		_, body = f.get(t, "/open311/v2/services/land.xml")
		sd := xmlDoc(t, body, "service_definition")
		checkElements(t, "service_definition", sd, definitionFields)
		xattr := sd.child("attributes").child("attribute")
		checkElements(t, "attribute", xattr, attributeFields)
		checkElements(t, "value", xattr.child("values").child("value"), valueFields)

		for _, path := range []string{"/open311/v2/services/nothing.json", "/open311/v2/services/nothing.xml", "/open311/v2/nothing.json"} {
			status, body := f.get(t, path)
			checkError(t, path, status, body, http.StatusNotFound)
		}
	})
}

// checkError checks the spec's error document in the path's format.
func checkError(t *testing.T, what string, status int, body []byte, want int) {
	t.Helper()
	if status != want {
		t.Errorf("%s: status %d, want %d (%s)", what, status, want, body)
	}
	if strings.HasSuffix(what, ".xml") {
		e := xmlDoc(t, body, "errors")
		errs := e.Nodes
		if len(errs) != 1 || errs[0].XMLName.Local != "error" {
			t.Fatalf("%s: <errors> = %s", what, body)
		}
		checkElements(t, "error", errs[0], errorFields)
		if errs[0].child("code").Text != strconv.Itoa(want) || errs[0].child("description").Text == "" {
			t.Errorf("%s: error code %q, want %d", what, errs[0].child("code").Text, want)
		}
		return
	}
	errs := jsonList(t, body)
	if len(errs) != 1 {
		t.Fatalf("%s: errors = %s", what, body)
	}
	checkKeys(t, "error", errs[0], errorFields)
	if errs[0]["code"] != float64(want) || errs[0]["description"] == "" {
		t.Errorf("%s: error = %v, want code %d and a description", what, errs[0], want)
	}
}

// The reporter's contact as a hotline operator files it.
const (
	reporterName  = "Trần Thị Bích"
	reporterPhone = "0912345678"
	reporterEmail = "bich.tran@example.vn"
)

func TestPostedRequestIsStoredRoutedAndListedWithoutTheReporter(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 0)
		status, body := f.post(t, "/open311/v2/requests.json", url.Values{
			"api_key":         {f.secret},
			"service_code":    {"land"},
			"description":     {"Sổ đỏ nhà tôi làm 2 năm chưa được cấp, gọi 0912 345 678 hoặc " + reporterEmail},
			"attribute[area]": {"minh_thanh"},
			"first_name":      {"Trần Thị"},
			"last_name":       {"Bích"},
			"phone":           {reporterPhone},
			"email":           {reporterEmail},
		})
		if status != http.StatusCreated {
			t.Fatalf("POST requests.json: %d %s", status, body)
		}
		created := jsonList(t, body)
		if len(created) != 1 {
			t.Fatalf("POST answer = %s", body)
		}
		checkKeys(t, "created request", created[0], createdFields)
		code, _ := created[0]["service_request_id"].(string)
		if !regexp.MustCompile(`^DT-\d{4}-000001$`).MatchString(code) {
			t.Fatalf("service_request_id = %q, want the first opinion code", code)
		}

		o, err := db.Opinion(ctx, code)
		if err != nil {
			t.Fatalf("posted opinion not stored: %v", err)
		}
		if o.Category != "land" || o.AreaCode != "minh_thanh" || o.Channel != open311.Channel || o.Status != langnghe.StatusReceived {
			t.Errorf("stored opinion = %+v", o)
		}
		if o.Anonymous || o.ContactName != reporterName || o.ContactPhone != reporterPhone {
			t.Errorf("contact = %q %q anonymous=%v, want it kept for the unit", o.ContactName, o.ContactPhone, o.Anonymous)
		}
		if o.Unit == "" || o.DueAt.IsZero() || !o.DueAt.After(o.CreatedAt) {
			t.Errorf("unit %q due %v: want routed with a due date", o.Unit, o.DueAt)
		}

		// The unit answers with a public note (carrying a phone number), then
		// writes an internal one.
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			if err := tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{OpinionID: o.ID, StatusFrom: o.Status,
				StatusTo: langnghe.StatusAnswered, Actor: "official:1", Public: true,
				Note: "Hồ sơ đã được ký, mời nhận sổ; hỏi thêm: 0274.3561.234"}); err != nil {
				return err
			}
			return tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{OpinionID: o.ID, Actor: "official:1", Note: "internal: check the archive"})
		})
		if err != nil {
			t.Fatalf("answer: %v", err)
		}

		units, err := db.Units(ctx)
		if err != nil {
			t.Fatalf("units: %v", err)
		}
		var agency string
		for _, u := range units {
			if u.Code == o.Unit {
				agency = u.Name(langnghe.LangVI)
			}
		}
		area, _ := f.cat.Area("minh_thanh")
		want := map[string]any{
			"service_request_id": code,
			"status":             "closed",
			"status_notes":       "Hồ sơ đã được ký, mời nhận sổ; hỏi thêm: […]",
			"service_name":       "Đất đai",
			"service_code":       "land",
			"description":        "Sổ đỏ nhà tôi làm 2 năm chưa được cấp, gọi […] hoặc […]",
			"agency_responsible": agency,
			"service_notice":     "",
			"requested_datetime": o.CreatedAt.In(hcm).Format(time.RFC3339),
			"expected_datetime":  o.DueAt.In(hcm).Format(time.RFC3339),
			"address":            area.Name(langnghe.LangVI),
			"address_id":         "minh_thanh",
		}
		for _, path := range []string{"/open311/v2/requests.json", "/open311/v2/requests/" + code + ".json",
			"/open311/v2/requests.json?service_request_id=" + code + ",DT-1999-000001"} {
			status, body := f.get(t, path)
			if status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, status, body)
			}
			list := jsonList(t, body)
			if len(list) != 1 {
				t.Fatalf("GET %s: %d requests, want 1: %s", path, len(list), body)
			}
			checkKeys(t, "request", list[0], requestFields)
			for k, v := range want {
				if list[0][k] != v {
					t.Errorf("GET %s: %s = %q, want %q", path, k, list[0][k], v)
				}
			}
			checkNoReporter(t, path, body)
		}

		status, body = f.get(t, "/open311/v2/requests/"+code+".xml")
		if status != http.StatusOK {
			t.Fatalf("GET requests/%s.xml: %d %s", code, status, body)
		}
		doc := xmlDoc(t, body, "service_requests")
		if len(doc.Nodes) != 1 || doc.Nodes[0].XMLName.Local != "request" {
			t.Fatalf("<service_requests> = %s", body)
		}
		checkElements(t, "request", doc.Nodes[0], requestFields)
		for k, v := range want {
			if got := doc.Nodes[0].child(k).Text; got != v {
				t.Errorf("XML <%s> = %q, want %q", k, got, v)
			}
		}
		checkNoReporter(t, "requests.xml", body)

		// Filters: closed now, so status=open leaves it out; another
		// category too; a window before it was filed too.
		for _, tc := range []struct {
			query string
			n     int
		}{
			{"status=closed", 1},
			{"status=open", 0},
			{"status=open,closed", 1},
			{"service_code=land", 1},
			{"service_code=health", 0},
			{"service_code=health,land", 1},
			{"end_date=" + url.QueryEscape(o.CreatedAt.Add(-time.Hour).Format(time.RFC3339)), 0},
			{"start_date=" + url.QueryEscape(o.CreatedAt.Add(-time.Hour).Format(time.RFC3339)), 1},
		} {
			status, body := f.get(t, "/open311/v2/requests.json?"+tc.query)
			if status != http.StatusOK {
				t.Errorf("requests.json?%s: %d %s", tc.query, status, body)
				continue
			}
			if n := len(jsonList(t, body)); n != tc.n {
				t.Errorf("requests.json?%s: %d requests, want %d", tc.query, n, tc.n)
			}
		}
		status, body = f.get(t, "/open311/v2/requests.json?start_date=yesterday")
		checkError(t, "requests.json?start_date=yesterday", status, body, http.StatusBadRequest)
	})
}

// checkNoReporter fails when a response carries the reporter's contact.
func checkNoReporter(t *testing.T, what string, body []byte) {
	t.Helper()
	for _, s := range []string{reporterName, "Bích", reporterPhone, "0912 345 678", reporterEmail} {
		if strings.Contains(string(body), s) {
			t.Errorf("%s shows the reporter's %q:\n%s", what, s, body)
		}
	}
}

func TestUnknownRequestIsNotFound(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, 0)
		for _, path := range []string{"/open311/v2/requests/DT-2026-999999.json", "/open311/v2/requests/DT-2026-999999.xml"} {
			status, body := f.get(t, path)
			checkError(t, path, status, body, http.StatusNotFound)
		}
	})
}

func TestPostNeedsAValidKey(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 2)
		revoked, key, err := db.CreateAPIKey(ctx, "Old web form")
		if err != nil {
			t.Fatalf("create key: %v", err)
		}
		if err := db.RevokeAPIKey(ctx, key.ID); err != nil {
			t.Fatalf("revoke key: %v", err)
		}
		form := func(key string) url.Values {
			return url.Values{"api_key": {key}, "service_code": {"health"}, "description": {"Trạm y tế hết thuốc"},
				"address_string": {"xã Minh Thạnh"}}
		}
		for _, tc := range []struct {
			name, key, path string
			want            int
		}{
			{"no key", "", "/open311/v2/requests.json", http.StatusUnauthorized},
			{"no key, XML", "", "/open311/v2/requests.xml", http.StatusUnauthorized},
			{"wrong key", "lnk_0000", "/open311/v2/requests.json", http.StatusForbidden},
			{"revoked key", revoked, "/open311/v2/requests.xml", http.StatusForbidden},
		} {
			status, body := f.post(t, tc.path, form(tc.key))
			checkError(t, tc.name+" "+tc.path, status, body, tc.want)
		}
		if list, err := db.ListOpinions(ctx, langnghe.OpinionFilter{}); err != nil || len(list) != 0 {
			t.Fatalf("refused posts stored %d opinions (err %v)", len(list), err)
		}

		// Bad fields are the caller's error; nothing is filed. Each case
		// has a key of its own, since refused requests count too.
		for _, tc := range []struct {
			name  string
			set   map[string]string
			field string
		}{
			{"unknown service", map[string]string{"service_code": "parking"}, "service_code"},
			{"no description", map[string]string{"description": " "}, "description"},
			{"unknown area", map[string]string{"attribute[area]": "atlantis"}, "area"},
			{"nowhere", map[string]string{"address_string": ""}, "where"},
			{"bad point", map[string]string{"address_string": "", "lat": "91", "long": "106"}, "lat"},
		} {
			secret, _, err := db.CreateAPIKey(ctx, "Tester "+tc.name)
			if err != nil {
				t.Fatalf("create key: %v", err)
			}
			v := form(secret)
			for k, s := range tc.set {
				v.Set(k, s)
			}
			status, body := f.post(t, "/open311/v2/requests.json", v)
			checkError(t, tc.name, status, body, http.StatusBadRequest)
			if !strings.Contains(string(body), tc.field) {
				t.Errorf("%s: the error does not name %s: %s", tc.name, tc.field, body)
			}
		}

		// Two requests a minute per key, refused ones included: the key
		// above used its share, a fresh one files two and then waits.
		fresh, _, err := db.CreateAPIKey(ctx, "Web form")
		if err != nil {
			t.Fatalf("create key: %v", err)
		}
		for i, want := range []int{http.StatusCreated, http.StatusCreated, http.StatusTooManyRequests} {
			status, body := f.post(t, "/open311/v2/requests.xml", form(fresh))
			if status != want {
				t.Fatalf("post %d: %d, want %d: %s", i+1, status, want, body)
			}
			if want == http.StatusCreated {
				doc := xmlDoc(t, body, "service_requests")
				checkElements(t, "request", doc.child("request"), createdFields)
			} else {
				checkError(t, "rate limited .xml", status, body, want)
			}
		}
		list, err := db.ListOpinions(ctx, langnghe.OpinionFilter{})
		if err != nil || len(list) != 2 {
			t.Fatalf("%d opinions stored (err %v), want the 2 accepted", len(list), err)
		}
		if list[0].AreaCode != "minh_thanh" || !list[0].Anonymous || list[0].Category != "health" || list[0].PlaceText != "xã Minh Thạnh" {
			t.Errorf("opinion from address_string = %+v, want health in minh_thanh, anonymous", list[0])
		}
	})
}
