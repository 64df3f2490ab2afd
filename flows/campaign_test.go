package flows_test

import (
	"encoding/json"
	"os"
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
