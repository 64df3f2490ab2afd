package telegramtest_test

import (
	"testing"

	"langnghe/bot/telegramtest"
)

func TestParseHTML(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: "plain", want: "plain"},
		{in: `<b>đậm</b> <i>nghiêng</i> <a href="https://x.vn/?a=1&amp;b=2">liên kết</a>`, want: "đậm nghiêng liên kết"},
		{in: "<B>hoa</B>", want: "hoa"},
		{in: "<pre><code class='language-go'>x := 1</code></pre>", want: "x := 1"},
		{in: `<span class="tg-spoiler">bí mật</span>`, want: "bí mật"},
		{in: "&lt;tag&gt; &amp; &quot;q&quot; &#273; &#x1EC7;", want: `<tag> & "q" đ ệ`},
		{in: "AT&T &nbsp; &#xZZ; 5 > 3", want: "AT&T &nbsp; &#xZZ; 5 > 3"},
		{in: "<br>", wantErr: `Unsupported start tag "br" at byte offset 0`},
		{in: "a <b", wantErr: "Unclosed start tag at byte offset 2"},
		{in: "</b>", wantErr: "Unexpected end tag at byte offset 0"},
		{in: "<b><i>x</b></i>", wantErr: `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{in: "<b>x</b", wantErr: "Unclosed end tag at byte offset 4"},
		{in: "<b>x", wantErr: `Can't find end tag corresponding to start tag "b"`},
		{in: `<a href>x</a>`, wantErr: `Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0`},
		{in: `<a href="x>y</a>`, wantErr: "Unclosed start tag at byte offset 0"},
		{in: "<b>x</>", want: "x"},
	}
	for _, tt := range tests {
		got, err := telegramtest.ParseHTML(tt.in)
		switch {
		case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
			t.Errorf("parseHTML(%q) error = %v, want %q", tt.in, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || got != tt.want):
			t.Errorf("parseHTML(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseMarkdownV2(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: `Mã ý kiến: *DT\-2026\-000123*\.`, want: "Mã ý kiến: DT-2026-000123."},
		{in: "Mã ý kiến: DT-2026-000123", wantErr: `Character '-' is reserved and must be escaped with the preceding '\'`},
		{in: "Cảm ơn!", wantErr: `Character '!' is reserved and must be escaped with the preceding '\'`},
		{in: "__gạch__ ~xoá~ ||ẩn|| _nghiêng_", want: "gạch xoá ẩn nghiêng"},
		{in: "`a.b-c` ```\npre.x\n```", want: "a.b-c \npre.x\n"},
		{in: `[cổng](https://dichvucong.gov.vn/p?a=1)`, want: "cổng"},
		{in: `\\`, want: `\`},
		{in: "*đậm", wantErr: "Can't find end of Bold entity at byte offset 0"},
		{in: "> trích dẫn", want: " trích dẫn"},
		{in: "a > b", wantErr: `Character '>' is reserved and must be escaped with the preceding '\'`},
	}
	for _, tt := range tests {
		got, err := telegramtest.ParseMarkdownV2(tt.in)
		switch {
		case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
			t.Errorf("parseMarkdownV2(%q) error = %v, want %q", tt.in, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || got != tt.want):
			t.Errorf("parseMarkdownV2(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseMarkdown(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: "*đậm* _nghiêng_ `mã` [cổng](https://x.vn) DT-2026.", want: "đậm nghiêng mã cổng DT-2026."},
		{in: "so_do", wantErr: "Can't find end of the entity starting at byte offset 2"},
	}
	for _, tt := range tests {
		got, err := telegramtest.ParseMarkdown(tt.in)
		switch {
		case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
			t.Errorf("parseMarkdown(%q) error = %v, want %q", tt.in, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || got != tt.want):
			t.Errorf("parseMarkdown(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
