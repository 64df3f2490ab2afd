package vntext

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nfd spells s with decomposed accents, as some keyboards (macOS, some
// Android IMEs) send it.
func nfd(s string) string { return norm.NFD.String(s) }

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"clean stays", "Sổ đỏ nhà tôi", "Sổ đỏ nhà tôi"},
		{"NFD becomes NFC", nfd("Thạnh An"), "Thạnh An"},
		{"trim and collapse", "  xã \t Thanh   An \n", "xã Thanh An"},
		{"newlines collapse", "dòng 1\r\n\r\ndòng 2", "dòng 1 dòng 2"},
		{"control chars dropped", "ab\x00c\x07d\x1b", "abcd"},
		{"C1 control dropped", "a\u0085b", "a b"}, // NEL is white space
		{"zero width and BOM dropped", "\ufeffđường\u200b hư", "đường hư"},
		{"zero width joiner kept", "👨\u200d👩", "👨\u200d👩"},
		{"invalid UTF-8 replaced", "ab\xffcd", "ab\uFFFDcd"},
		{"only spaces", " \t\n ", ""},
		{"non-breaking space", "sổ\u00a0đỏ", "sổ đỏ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if !utf8.ValidString(got) || !norm.NFC.IsNormalString(got) {
				t.Errorf("Normalize(%q) = %q is not valid NFC", tt.in, got)
			}
			if again := Normalize(got); again != got {
				t.Errorf("Normalize is not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ascii lower", "so do", "so do"},
		{"ascii upper", "BHYT Qua Han", "bhyt qua han"},
		{"diacritics NFC", "Sổ đỏ", "so do"},
		{"diacritics NFD", nfd("Sổ Đỏ"), "so do"},
		{"đ and Đ", "Đường đất", "duong dat"},
		{"eth look-alike", "Ðịnh An", "dinh an"},
		{"horn and breve", "Thường Ương Ắt", "thuong uong at"},
		{"Thạnh and Thanh fold together", "Thạnh An", "thanh an"},
		{"all tones", "a à á ả ã ạ", "a a a a a a"},
		{"spaces normalised", "  Hỏa   hoạn ", "hoa hoan"},
		{"invalid UTF-8", "ch\xc3y", "ch\uFFFDy"},
		{"chinese unchanged", "土地 问题", "土地 问题"},
		{"hangul recomposed", "한국", "한국"},
		{"digits and punctuation kept", "GCN-QSDĐ số 12/2025!", "gcn-qsdd so 12/2025!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Sổ đỏ, sổ hồng!!!", []string{"so", "do", "so", "hong"}},
		{"k/ko đc hnay", []string{"k", "ko", "dc", "hnay"}},
		{"p.Tây Nam", []string{"p", "tay", "nam"}},
		{"BHYT-2025 😡😡 hết hạn", []string{"bhyt", "2025", "het", "han"}},
		{nfd("Xã Định Hiệp"), []string{"xa", "dinh", "hiep"}},
		{"...;;; ", nil},
	}
	for _, tt := range tests {
		got := Words(tt.in)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestHuge checks that megabytes of hostile input are handled in one pass
// and keep their content.
func TestHuge(t *testing.T) {
	unit := nfd("Đường  ổ gà\x00 \xff ")
	in := strings.Repeat(unit, 50_000) // about 1.2 MB
	got := Fold(in)
	if !utf8.ValidString(got) {
		t.Fatal("Fold of huge input is not valid UTF-8")
	}
	if n := strings.Count(got, "duong o ga"); n != 50_000 {
		t.Errorf("Fold kept %d copies of the phrase, want 50000", n)
	}
	if strings.Contains(got, "  ") || strings.ContainsRune(got, 0) {
		t.Error("Fold left double spaces or NUL in huge input")
	}
	if n := len(Words(in)); n != 150_000 { // U+FFFD is not a letter
		t.Errorf("Words found %d words, want 150000", n)
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "Sổ đỏ", nfd("Thạnh An"), "a\x00\xffb", "  k/ko đc  ", "🔥cháy🔥"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) is not valid UTF-8", s)
		}
		if Normalize(n) != n {
			t.Fatalf("Normalize not idempotent on %q", s)
		}
		if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Fatalf("Normalize(%q) = %q has stray spaces", s, n)
		}
		if fast, ok := foldFast(n); ok && fast != foldSlow(n) {
			t.Fatalf("fast fold %q differs from the definition %q for %q", fast, foldSlow(n), s)
		}
		folded := Fold(s)
		if !utf8.ValidString(folded) {
			t.Fatalf("Fold(%q) is not valid UTF-8", s)
		}
		if Fold(folded) != folded {
			t.Fatalf("Fold not idempotent on %q: %q then %q", s, folded, Fold(folded))
		}
		if strings.ContainsAny(folded, "đĐ") {
			t.Fatalf("Fold(%q) = %q keeps đ", s, folded)
		}
		for _, w := range Words(s) {
			if w == "" {
				t.Fatalf("Words(%q) has an empty word", s)
			}
		}
	})
}

func BenchmarkFold(b *testing.B) {
	s := strings.Repeat("Kính gửi UBND xã, đường vào ấp bị hư hỏng nặng, ổ gà nhiều. ", 5)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Fold(s)
	}
}

func TestCutAndClip(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{
		{"ngắn", 10, "ngắn"},
		{"đường ấp bốn bị ngập", 12, "đường ấp…"},
		{"đường ấp bốn bị ngập", 13, "đường ấp bốn…"},
		{"đường\nấp bốn bị ngập", 9, "đường\nấp…"},
		{"đườngấpbốnbịngập", 8, "đườngấpb…"},
	} {
		if got := Cut(tt.s, tt.n); got != tt.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
	if got := Clip("Thủ tục hành chính", 8); got != "Thủ tục…" || utf8.RuneCountInString(got) != 8 {
		t.Errorf("Clip = %q, want 8 characters", got)
	}
	if got := Clip("Đất đai", 8); got != "Đất đai" {
		t.Errorf("Clip of a short text = %q", got)
	}
}
