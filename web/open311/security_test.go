package open311_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// publicURL is LANGNGHE_PUBLIC_URL in these tests.
const publicURL = "https://langnghe.example.vn"

// Coordinates are decimal degrees: NaN (which answered 500), infinities,
// hexadecimal floats (0x1p-2 was taken as 0.25) and digit separators are
// the caller's error, 400, and nothing is filed.
func TestPostCoordinatesRefused(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, 100)
		form := func(key string) url.Values {
			return url.Values{"api_key": {key}, "service_code": {"health"}, "description": {"Trạm y tế hết thuốc"}}
		}
		for _, tc := range [][2]string{
			{"NaN", "NaN"}, {"nan", "106.7"}, {"10.7", "NaN"},
			{"Inf", "106.7"}, {"10.7", "-Infinity"}, {"+Inf", "+Inf"},
			{"0x1p-2", "106.7"}, {"10.7", "0x1.aap6"}, {"1_0", "106.7"}, {"1e400", "106.7"},
		} {
			v := form(f.secret)
			v.Set("lat", tc[0])
			v.Set("long", tc[1])
			status, body := f.post(t, "/open311/v2/requests.json", v)
			checkError(t, "lat="+tc[0]+" long="+tc[1], status, body, http.StatusBadRequest)
			if !strings.Contains(string(body), "lat") {
				t.Errorf("lat=%s long=%s: the error does not name lat: %s", tc[0], tc[1], body)
			}
		}
		if list, err := db.ListOpinions(context.Background(), langnghe.OpinionFilter{}); err != nil || len(list) != 0 {
			t.Fatalf("refused coordinates filed %d opinions (err %v)", len(list), err)
		}
		v := form(f.secret)
		v.Set("lat", "10.7769")
		v.Set("long", "1.067009e2")
		if status, body := f.post(t, "/open311/v2/requests.json", v); status != http.StatusCreated {
			t.Fatalf("decimal coordinates: %d %s", status, body)
		}
		list, err := db.ListOpinions(context.Background(), langnghe.OpinionFilter{})
		if err != nil || len(list) != 1 || list[0].Location == nil || list[0].Location.Latitude != 10.7769 || list[0].Location.Longitude != 106.7009 {
			t.Fatalf("filed %+v (err %v), want one at 10.7769, 106.7009", list, err)
		}
	})
}

// Discovery names the endpoint under LANGNGHE_PUBLIC_URL, whatever Host
// and X-Forwarded-Proto the request carries.
func TestDiscoveryUsesPublicURL(t *testing.T) {
	f := newFixture(t, storagetest.SQLite(t), 0)
	for _, file := range []string{"discovery.json", "discovery.xml"} {
		req, _ := http.NewRequest(http.MethodGet, f.server.URL+"/open311/v2/"+file, nil)
		req.Host = "evil.example"
		req.Header.Set("X-Forwarded-Proto", "https")
		req.Header.Set("X-Forwarded-Host", "evil.example")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		status, body := readAll(t, resp)
		if status != http.StatusOK || strings.Contains(string(body), "evil") || !strings.Contains(string(body), publicURL+"/open311/v2<") && !strings.Contains(string(body), `"`+publicURL+`/open311/v2"`) {
			t.Errorf("%s with Host evil.example = %d %s; want the endpoint at %s/open311/v2", file, status, body, publicURL)
		}
		if file == "discovery.json" {
			var d struct {
				Endpoints []struct{ URL string } `json:"endpoints"`
			}
			if err := json.Unmarshal(body, &d); err != nil || len(d.Endpoints) != 1 || d.Endpoints[0].URL != publicURL+"/open311/v2" {
				t.Errorf("discovery.json endpoints %+v (%v)", d.Endpoints, err)
			}
		}
	}
}
