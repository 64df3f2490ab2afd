package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// checkPublicResults reads a campaign's public results page from the
// running service, as anyone does, without signing in: it must show the
// leaders' answers and name nobody who took part.
func checkPublicResults(t *testing.T, addr, payload string, answers, names []string) {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/results/" + payload)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	page := string(body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("the public results page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, a := range answers {
		if !strings.Contains(page, a) {
			t.Errorf("the public results page lacks the leaders' answer %q", a)
		}
	}
	for _, n := range names {
		if strings.Contains(page, n) {
			t.Errorf("the public results page names %q", n)
		}
	}
}

// answerTexts are the leaders' answers to the groups, by issue.
func answerTexts(issueGroup map[string]int64) map[string]string {
	out := map[string]string{}
	for issue := range issueGroup {
		out[issue] = answerFor(issue)
	}
	return out
}

// askerNames are the conference's residents' names, as Telegram gave them.
func askerNames(askers []*asker) []string {
	var out []string
	for _, a := range askers {
		out = append(out, a.name)
	}
	return out
}
