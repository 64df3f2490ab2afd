package classify

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

// kindRow is a line of testdata/emergencies.tsv: the expected kind ("" for
// "none") and the text.
type kindRow struct {
	want Emergency
	text string
}

func readEmergencies(t testing.TB) []kindRow {
	t.Helper()
	return readEmergenciesFile(t, "testdata/emergencies.tsv")
}

func readEmergenciesFile(t testing.TB, name string) []kindRow {
	t.Helper()
	rows := readTSV(t, name, "kind<TAB>text", func(f []string) kindRow { return kindRow{want: Emergency(f[0]), text: f[1]} })
	for i, r := range rows {
		switch r.want {
		case "none":
			rows[i].want = ""
		case EmergencyFire, EmergencyMedical, EmergencyCrime, EmergencyRescue, EmergencyUnknown:
		default:
			t.Fatalf("%s: unknown kind %q", name, r.want)
		}
	}
	return rows
}

// readTSV reads a dev set of label<TAB>text lines (parseTSV, as the
// classifier reads its training sets).
func readTSV[T any](t testing.TB, name, layout string, row func(fields []string) T) []T {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := parseTSV(string(data), 2, layout, row)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

// TestEmergencyFigures is the emergency gate: on testdata/emergencies.tsv at
// least 95% of the emergencies are caught and at most 2 of the look-alike
// opinions raise a false alarm. A missed emergency costs more than a false
// alarm (the resident is shown the numbers and the conversation goes on), but
// a detector that cries wolf on "phòng cháy chữa cháy" teaches officials to
// ignore it. Print the figures with
//
//	go test -run 'TestEmergencyFigures|TestTrackFigures' -v ./flows/classify/
func TestEmergencyFigures(t *testing.T) {
	sc := scoreEmergencies(readEmergencies(t))
	emergencies, caught, falseAlarms, calm, kindRight := sc.emergencies, sc.caught, sc.falseAlarms, sc.calm, sc.kindRight
	report := sc.report
	if emergencies < 60 || calm+falseAlarms < 60 {
		t.Fatalf("emergencies.tsv has %d emergencies and %d others, want at least 60 of each", emergencies, calm+falseAlarms)
	}
	recall := ratio(caught, emergencies)
	t.Logf("emergencies: recall %.1f%% (%d/%d), right kind %.1f%% of those caught, false alarms %d of %d\n%s",
		100*recall, caught, emergencies, 100*ratio(kindRight, caught), falseAlarms, calm+falseAlarms, report)
	if recall < 0.95 {
		t.Errorf("emergency recall %.1f%%, want at least 95%%", 100*recall)
	}
	if falseAlarms > 2 {
		t.Errorf("%d false alarms, want at most 2", falseAlarms)
	}
}

func TestDetectEmergency(t *testing.T) {
	tests := []struct {
		text string
		want Emergency
	}{
		// Short texts, with and without accents.
		{"cháy", EmergencyFire},
		{"CHÁY!!!", EmergencyFire},
		{"chay", EmergencyFire},
		{"chay nha", EmergencyFire},
		{"cháy nhà", EmergencyFire},
		{"cứu", EmergencyUnknown},
		{"cuu", EmergencyUnknown},
		{"cứu với", EmergencyUnknown},
		{"cuu vs", EmergencyUnknown},
		{"help", EmergencyUnknown},
		{"đuối nước", EmergencyFire},
		{"co nguoi duoi nuoc o ho", EmergencyFire},
		{"tai nạn", EmergencyMedical},
		{"cướp", EmergencyCrime},
		{"đánh nhau", EmergencyCrime},
		{"bị đâm", EmergencyCrime},
		{"ngất xỉu", EmergencyMedical},
		{"nước ngập tới mái nhà, kẹt trên mái", EmergencyRescue},
		{"sạt lở đè người", EmergencyRescue},
		{"someone collapsed", EmergencyMedical},
		{"flood trapped", EmergencyRescue},
		// NFD input (a decomposed keyboard) and the old tone placement.
		{"cha\u0301y nha\u0300", EmergencyFire},
		{"hoả hoạn ở xưởng", EmergencyFire},
		// The cause comes first when several dangers are named.
		{"cháy nhà, có người bị thương", EmergencyFire},
		{"đánh nhau, có người bất tỉnh", EmergencyCrime},
		{"cháy nhà ở ấp 3, đề nghị cho xe chữa cháy tới ngay", EmergencyFire},
		// Harmless look-alikes.
		{"nghiên cứu", ""},
		{"nghien cuu", ""},
		{"cựu chiến binh", ""},
		{"chùa Cửu Long", ""},
		{"tra cứu hồ sơ", ""},
		{"xe chạy nhanh", ""},
		{"xe chay nhanh qua cho", ""},
		{"nước chảy", ""},
		{"ăn chay", ""},
		{"vé cháy hàng", ""},
		{"phòng cháy chữa cháy", ""},
		{"cướp đất", ""},
		{"kẹt xe", ""},
		{"mất điện, ngắt điện cả ngày", ""},
		{"tai nạn lao động năm ngoái chưa được bồi thường", ""},
		{"hôm qua có tai nạn ở ngã ba, đề nghị lắp đèn tín hiệu", ""},
		{"không có cháy, chỉ có khói đốt rác", ""},
		{"mọi người ơi cháy nhà", EmergencyFire},
		{"can you help me with my papers", ""},
		// Riverbank erosion raised at a dialogue conference is an opinion:
		// the embankment against it names works, not a landslide.
		{"sạt lở bờ sông", ""},
		{"sat lo bo song gan nha toi, xin xa cho xay ke chong sat lo. Goi toi 0912 345 678", ""},
		{"Sạt lở bờ sông gần nhà tôi, xin xã cho xây kè chống sạt lở.", ""},
		{"Bờ sông Thị Tính bị sạt lở nhiều năm nay, khi nào làm kè chống sạt lở?", ""},
		{"bờ sông sạt lở, sạt lở ngày càng gần nhà, đề nghị làm kè", ""},
		{"Nhà tôi đang bị sạt lở xuống sông, cứu với!", EmergencyRescue},
		{"", ""},
		{"\xff\xfe", ""},
	}
	for _, tt := range tests {
		if got := DetectEmergency(tt.text); got != tt.want {
			t.Errorf("DetectEmergency(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestDetectEmergencyConcurrent(t *testing.T) {
	rows := readEmergencies(t)
	want := make([]Emergency, len(rows))
	for i, r := range rows {
		want[i] = DetectEmergency(r.text)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(rows); i += 4 {
				if got := DetectEmergency(rows[i].text); got != want[i] {
					t.Errorf("concurrent DetectEmergency(%q) = %q, want %q", rows[i].text, got, want[i])
				}
			}
		})
	}
	wg.Wait()
}

func FuzzDetectEmergency(f *testing.F) {
	for _, s := range []string{"", "cháy", "cuu vs", "\xff", strings.Repeat("cứu ", 500)} {
		f.Add(s)
	}
	valid := map[Emergency]bool{"": true, EmergencyFire: true, EmergencyMedical: true, EmergencyCrime: true,
		EmergencyRescue: true, EmergencyUnknown: true}
	f.Fuzz(func(t *testing.T, s string) {
		if k := DetectEmergency(s); !valid[k] {
			t.Fatalf("DetectEmergency(%q) = %q", s, k)
		}
	})
}

// BenchmarkDetectEmergency measures the check every message goes through
// first: a short cry for help and the 300-character opinion of
// BenchmarkClassify, which has no emergency and so is scanned to the end.
func BenchmarkDetectEmergency(b *testing.B) {
	for _, bc := range []struct{ name, text string }{
		{"short", "cứu với, cháy nhà"},
		{"opinion300", string(benchText[:300])},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			b.ReportAllocs()
			for b.Loop() {
				DetectEmergency(bc.text)
			}
		})
	}
}

// TestEmergencyHoldout reports the figures on texts written after the rules
// were tuned, an honest estimate of how they do on texts nobody has seen
// (at the time of writing: recall 75.8%, 25 of 33, with 1 false alarm in 25;
// every short text caught, the misses are long descriptions in unusual
// words). It fails only far below that, as a regression guard: tuning the
// rules to this file would make it one more tuning set.
func TestEmergencyHoldout(t *testing.T) {
	sc := scoreEmergencies(readEmergenciesFile(t, "testdata/emergencies_holdout.tsv"))
	emergencies, caught, falseAlarms, calm, report := sc.emergencies, sc.caught, sc.falseAlarms, sc.calm, sc.report
	recall := ratio(caught, emergencies)
	t.Logf("held-out emergencies: recall %.1f%% (%d/%d), false alarms %d of %d\n%s",
		100*recall, caught, emergencies, falseAlarms, calm+falseAlarms, report)
	if recall < 0.7 || falseAlarms > 3 {
		t.Errorf("held-out recall %.1f%% or %d false alarms is far below the gate", 100*recall, falseAlarms)
	}
}

// emergencyScore is DetectEmergency measured on a labelled file.
type emergencyScore struct {
	emergencies, caught, kindRight, calm, falseAlarms int
	report                                            string // the misses, false alarms and wrong kinds
}

func scoreEmergencies(rows []kindRow) *emergencyScore {
	sc := &emergencyScore{}
	var report strings.Builder
	for _, r := range rows {
		got := DetectEmergency(r.text)
		switch {
		case r.want == "" && got != "":
			sc.falseAlarms++
			fmt.Fprintf(&report, "  false alarm (%s): %s\n", got, r.text)
		case r.want == "":
			sc.calm++
		case got == "":
			sc.emergencies++
			fmt.Fprintf(&report, "  missed (%s): %s\n", r.want, r.text)
		default:
			sc.emergencies++
			sc.caught++
			if got == r.want {
				sc.kindRight++
			} else {
				fmt.Fprintf(&report, "  kind %s, want %s: %s\n", got, r.want, r.text)
			}
		}
	}
	sc.report = report.String()
	return sc
}
