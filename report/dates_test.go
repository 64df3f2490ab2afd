package report_test

import (
	"strings"
	"testing"

	"langnghe"
	"langnghe/report"
)

// `langnghe report --from/--to` keeps to the years officials may enter.
func TestParseDateYears(t *testing.T) {
	for _, s := range []string{"9999-12-31", "2101-01-01", "1999-12-31", "0001-01-01"} {
		_, err := report.ParseDate(s, hcm)
		if langnghe.ErrorCode(err) != langnghe.EINVALID || !strings.Contains(langnghe.ErrorMessage(err), "from 01/01/2000 to 31/12/2100") {
			t.Errorf("ParseDate(%q) error %v, want the allowed range", s, err)
		}
	}
	for _, s := range []string{"2000-01-01", "2100-12-31"} {
		if _, err := report.ParseDate(s, hcm); err != nil {
			t.Errorf("ParseDate(%q): %v", s, err)
		}
	}
}
