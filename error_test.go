package langnghe_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"langnghe"
)

func TestErrorMessageIn(t *testing.T) {
	// "there is no unit %q" is in the catalogue (wording/*/errors.yaml).
	translated := fmt.Errorf("forward DT-1: %w", langnghe.Errorf(langnghe.EINVALID, "there is no unit %q", "x"))
	untranslated := langnghe.Errorf(langnghe.EINVALID, "bad input")
	internal := fmt.Errorf("query: connection refused")
	// A Wording argument is said in the reader's language; Said keeps what
	// English messages always said.
	status := langnghe.Errorf(langnghe.EINVALID, "opinion %s is %s: it cannot be assigned now", "DT-1",
		langnghe.Said(string(langnghe.StatusClosed), langnghe.StatusClosed.Name))
	tests := []struct {
		err        error
		lang, want string
	}{
		{translated, langnghe.LangVI, `Không có đơn vị "x"`},
		{translated, langnghe.LangEN, `there is no unit "x"`},
		{translated, langnghe.LangZH, `没有单位 "x"`},
		{untranslated, langnghe.LangVI, "bad input"},
		{internal, langnghe.LangVI, "Có lỗi nội bộ."},
		{internal, langnghe.LangEN, "Internal error."},
		{langnghe.Errorf(langnghe.EINTERNAL, "disk full"), langnghe.LangVI, "Có lỗi nội bộ."},
		{langnghe.Errorf(langnghe.EINTERNAL, "disk full"), langnghe.LangEN, "disk full"},
		{status, langnghe.LangEN, "opinion DT-1 is closed: it cannot be assigned now"},
		{status, langnghe.LangVI, "Ý kiến DT-1 đang ở trạng thái «Đã kết thúc»: không thể giao xử lý lúc này"},
		{nil, langnghe.LangVI, ""},
	}
	for _, tt := range tests {
		if got := langnghe.ErrorMessageIn(tt.err, tt.lang); got != tt.want {
			t.Errorf("ErrorMessageIn(%v, %s) = %q, want %q", tt.err, tt.lang, got, tt.want)
		}
	}
}

// A campaign's problems are listed in the reader's language, each part
// translated, the labels inside them too.
func TestCampaignProblemsInEachLanguage(t *testing.T) {
	c := langnghe.Campaign{Kind: langnghe.CampaignConsultation, Title: ""}
	err := c.Validate(nil)
	var e *langnghe.Error
	if !errors.As(err, &e) {
		t.Fatalf("Validate = %v, want an application error", err)
	}
	en, vi := langnghe.ErrorMessageIn(err, langnghe.LangEN), langnghe.ErrorMessageIn(err, langnghe.LangVI)
	if en != e.Message || !strings.Contains(en, "the title is missing") || !strings.Contains(en, "the opening date is missing") {
		t.Errorf("English: %q (Message %q)", en, e.Message)
	}
	if !strings.Contains(vi, "chưa có tiêu đề") || !strings.Contains(vi, "chưa có ngày bắt đầu") || strings.Contains(vi, "missing") {
		t.Errorf("Vietnamese: %q", vi)
	}
}
