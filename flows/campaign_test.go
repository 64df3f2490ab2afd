package flows_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"langnghe"
	"langnghe/campaign"
	"langnghe/flows"
)

// publishCampaign generates the flow of the campaign in file, checks that
// it loads without a problem (a warning included), publishes it and
// returns its id. Golden scripts with a campaign play it (runScript).
func publishCampaign(t *testing.T, e *testEnv, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var c langnghe.Campaign
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	src, err := campaign.Flow(&c, e.Catalogue)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	def, problems, err := flows.Parse(langnghe.CampaignFlowID(c.ID)+".yaml", src, e.Catalogue)
	if err != nil || len(problems) > 0 {
		t.Fatalf("the flow generated from %s: %v\n%s\n%s", file, err, flows.FormatProblems(problems), src)
	}
	if err := e.lib.Publish(def); err != nil {
		t.Fatal(err)
	}
	return def.ID
}

// A returning resident in the middle of an opinion opens a campaign's deep
// link: the campaign's conversation begins in place of the opinion, who
// they are stays, and a button of the opinion's question is stale.
func TestOpenCampaign(t *testing.T) {
	e := newTestEnv(t)
	id := publishCampaign(t, e, "../campaign/testdata/feedback_point.json")
	s, _, err := flows.Start(e.Env, "send_opinion", flows.StartOptions{Language: "en", Name: "Lan", Consent: true, Phone: "0912345678"}, langnghe.Input{})
	if err != nil {
		t.Fatal(err)
	}
	before := *s
	opened, events, err := flows.Open(e.Env, s, id, "", langnghe.Input{Kind: langnghe.InputCommand, Command: flows.CommandStart})
	if err != nil {
		t.Fatal(err)
	}
	if s.Flow != before.Flow || s.Wait != before.Wait {
		t.Fatalf("Open changed the session it was given: %+v", s)
	}
	if opened.Flow != id || opened.Wait != s.Wait+1 || opened.Language != "en" || opened.Name != "Lan" || !opened.Consent ||
		opened.SavedPhone != "0912345678" || opened.Node == "" {
		t.Fatalf("opened: %+v", opened)
	}
	var texts []string
	for _, ev := range events {
		if ev.Type == flows.EventMessage {
			texts = append(texts, ev.Message.Text)
		}
	}
	if len(texts) != 2 || !strings.HasPrefix(texts[0], "Hello. This is the feedback point of") || !strings.HasPrefix(texts[1], "Question 1/4") {
		t.Errorf("messages: %q", texts)
	}
	stale := langnghe.Input{Kind: langnghe.InputButton, Data: fmt.Sprintf("%d:%s", s.Wait, "skip")}
	after, _, err := flows.Resume(e.Env, opened, stale)
	if err != nil || after.Flow != id || after.Node != opened.Node {
		t.Errorf("a button of the earlier question moved the campaign on: %+v, %v", after, err)
	}
	if _, _, err := flows.Open(e.Env, opened, "no_such_flow", "", langnghe.Input{}); err == nil {
		t.Error("opening a flow that does not exist: no error")
	}
}
