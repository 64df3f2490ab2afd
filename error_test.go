package langnghe_test

import (
	"fmt"
	"testing"

	"langnghe"
)

func TestErrorMessageIn(t *testing.T) {
	translated := fmt.Errorf("forward DT-1: %w",
		langnghe.Errorf(langnghe.EINVALID, "there is no unit %q", "x").Vi("Không có đơn vị %q", "x"))
	untranslated := langnghe.Errorf(langnghe.EINVALID, "bad input")
	internal := fmt.Errorf("query: connection refused")
	tests := []struct {
		err        error
		lang, want string
	}{
		{translated, langnghe.LangVI, `Không có đơn vị "x"`},
		{translated, langnghe.LangEN, `there is no unit "x"`},
		{untranslated, langnghe.LangVI, "bad input"},
		{internal, langnghe.LangVI, "Có lỗi nội bộ."},
		{internal, langnghe.LangEN, "Internal error."},
		{nil, langnghe.LangVI, ""},
	}
	for _, tt := range tests {
		if got := langnghe.ErrorMessageIn(tt.err, tt.lang); got != tt.want {
			t.Errorf("ErrorMessageIn(%v, %s) = %q, want %q", tt.err, tt.lang, got, tt.want)
		}
	}
}
