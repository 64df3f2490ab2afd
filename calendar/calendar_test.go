package calendar

import (
	"strings"
	"testing"
	"time"

	"langnghe"
)

var hcm = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return loc
}()

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, hcm) }

func TestAddWorkingDays(t *testing.T) {
	cal := New(hcm, day(2026, 4, 30), day(2026, 5, 1))
	tests := []struct {
		name string
		from time.Time
		days int
		want time.Time
	}{
		{"within the week", day(2026, 3, 2), 3, day(2026, 3, 5)},                                                    // Mon → Thu
		{"over a weekend", day(2026, 3, 6), 1, day(2026, 3, 9)},                                                     // Fri → Mon
		{"sent on Saturday", day(2026, 3, 7), 1, day(2026, 3, 9)},                                                   // Sat → Mon
		{"over 30/4 and 1/5", day(2026, 4, 29), 2, day(2026, 5, 5)},                                                 // Wed → (Thu, Fri off, weekend) Mon 4, Tue 5
		{"late evening UTC is next day in Hanoi", time.Date(2026, 3, 5, 18, 0, 0, 0, time.UTC), 1, day(2026, 3, 9)}, // Fri 01:00 local → Mon
		{"zero days", day(2026, 3, 2), 0, day(2026, 3, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.AddWorkingDays(tt.from, tt.days)
			if want := endOf(tt.want); !got.Equal(want) {
				t.Fatalf("got %s, want %s", got, want)
			}
		})
	}
}

func endOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, hcm)
}

// The shipped calendar around each holiday of 2026 and 2027.
func TestDefaultHolidays(t *testing.T) {
	cal := Default(hcm)
	off := func(y int, m time.Month, from, to int) []time.Time {
		var out []time.Time
		for d := from; d <= to; d++ {
			out = append(out, day(y, m, d))
		}
		return out
	}
	var days []time.Time
	add := func(ts ...time.Time) { days = append(days, ts...) }
	add(off(2026, 1, 1, 1)...)   // Tết Dương lịch (Thu)
	add(off(2026, 2, 14, 22)...) // Tết 2026: Sat 14 – Sun 22 Feb
	add(off(2026, 4, 27, 27)...) // Hùng Kings' day Sun 26 Apr → Mon 27
	add(off(2026, 4, 30, 30)...) // 30/4 (Thu)
	add(off(2026, 5, 1, 1)...)   // 1/5 (Fri)
	add(off(2026, 9, 1, 2)...)   // 2/9 (Wed) and 1/9
	add(off(2027, 1, 1, 1)...)   // Tết Dương lịch (Fri)
	add(off(2027, 2, 5, 11)...)  // Tết 2027: lunar new year Sat 6 Feb
	add(off(2027, 4, 16, 16)...) // Hùng Kings' day (Fri)
	add(off(2027, 4, 30, 30)...) // 30/4 (Fri)
	add(off(2027, 5, 3, 3)...)   // 1/5 is a Saturday → Mon 3
	add(off(2027, 9, 2, 3)...)   // 2/9 (Thu) and 3/9
	for _, d := range days {
		if cal.WorkingDay(d) {
			t.Errorf("%s (%s) is a working day, want a holiday", d.Format(time.DateOnly), d.Weekday())
		}
	}
	working := []time.Time{
		day(2026, 1, 2), day(2026, 2, 13), day(2026, 2, 23), day(2026, 4, 24), day(2026, 4, 28), day(2026, 4, 29),
		day(2026, 5, 4), day(2026, 8, 31), day(2026, 9, 3),
		day(2027, 2, 4), day(2027, 2, 12), day(2027, 4, 15), day(2027, 4, 29), day(2027, 5, 4), day(2027, 9, 1),
		day(2027, 9, 6),
	}
	for _, d := range working {
		if !cal.WorkingDay(d) {
			t.Errorf("%s (%s) is off, want a working day", d.Format(time.DateOnly), d.Weekday())
		}
	}

	tests := []struct {
		name string
		from time.Time
		days int
		want time.Time
	}{
		{"a plain weekend", day(2026, 3, 13), 1, day(2026, 3, 16)},          // Fri → Mon
		{"over New Year 2026", day(2025, 12, 31), 1, day(2026, 1, 2)},       // Wed → (Thu 1/1 off) Fri
		{"into Tết 2026", day(2026, 2, 12), 2, day(2026, 2, 23)},            // Thu → Fri 13, (14–22 off) Mon 23
		{"received during Tết 2026", day(2026, 2, 17), 5, day(2026, 2, 27)}, // mùng 1 → Mon 23 … Fri 27
		{"service level across Tết 2026", day(2026, 2, 10), 10, day(2026, 3, 3)},
		{"Hùng Kings 2026", day(2026, 4, 24), 1, day(2026, 4, 28)},               // Fri → (weekend, Mon 27 off) Tue 28
		{"Hùng Kings to May Day 2026", day(2026, 4, 24), 5, day(2026, 5, 6)},     // 28, 29, (30/4–3/5 off) 4, 5, 6
		{"National Day 2026", day(2026, 8, 31), 1, day(2026, 9, 3)},              // Mon → (1–2/9 off) Thu
		{"into Tết 2027", day(2027, 2, 3), 2, day(2027, 2, 12)},                  // Wed → Thu 4, (5–11 off) Fri 12
		{"Hùng Kings 2027", day(2027, 4, 15), 1, day(2027, 4, 19)},               // Thu → (Fri off, weekend) Mon
		{"30/4–1/5 2027", day(2027, 4, 29), 1, day(2027, 5, 4)},                  // Thu → (Fri 30, weekend, Mon 3) Tue
		{"National Day 2027", day(2027, 9, 1), 1, day(2027, 9, 6)},               // Wed → (Thu, Fri off, weekend) Mon
		{"first notice across Tết 2027", day(2027, 1, 29), 10, day(2027, 2, 19)}, // Fri → 1–4 Feb, (5–11) 12, 15–19
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := cal.AddWorkingDays(tt.from, tt.days), endOf(tt.want); !got.Equal(want) {
				t.Fatalf("got %s, want %s", got.Format(time.DateOnly), want.Format(time.DateOnly))
			}
		})
	}
}

func TestParse(t *testing.T) {
	cal, err := Parse(hcm, []byte("holidays:\n  - {date: 2028-01-03, name: test}\n  - {from: 2028-01-24, to: 2028-01-26, name: Tết}\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []time.Time{day(2028, 1, 3), day(2028, 1, 24), day(2028, 1, 25), day(2028, 1, 26)} {
		if cal.WorkingDay(d) {
			t.Errorf("%s should be off", d.Format(time.DateOnly))
		}
	}
	if !cal.WorkingDay(day(2028, 1, 27)) {
		t.Error("the day after the run should be a working day")
	}
	bad := map[string]string{
		"not YAML":          "holidays: [",
		"unknown field":     "holidays:\n  - {day: 2028-01-03, name: x}\n",
		"no name":           "holidays:\n  - {date: 2028-01-03}\n",
		"bad date":          "holidays:\n  - {date: 3/1/2028, name: x}\n",
		"date and range":    "holidays:\n  - {date: 2028-01-03, from: 2028-01-03, to: 2028-01-04, name: x}\n",
		"range backwards":   "holidays:\n  - {from: 2028-01-05, to: 2028-01-03, name: x}\n",
		"range too long":    "holidays:\n  - {from: 2028-01-01, to: 2028-12-31, name: x}\n",
		"range without end": "holidays:\n  - {from: 2028-01-01, name: x}\n",
	}
	for name, file := range bad {
		if _, err := Parse(hcm, []byte(file)); langnghe.ErrorCode(err) != langnghe.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Each error names the line of its entry, so the studio can point at it.
func TestParseErrorsNameTheLine(t *testing.T) {
	head := "# comment\nholidays:\n  - {date: 2028-01-03, name: fine}\n"
	for name, tc := range map[string]struct{ file, want string }{
		"unknown field": {head + "  - day: 2028-01-04\n    name: x\n", "line 4: field day not found"},
		"no name":       {head + "  - date: 2028-01-04\n", "line 4: holiday 2 (): needs a name"},
		"bad date":      {head + "\n  - {date: 4/1/2028, name: x}\n", "line 5: holiday 2 (x): date \"4/1/2028\" is not YYYY-MM-DD"},
		"not YAML":      {head + "  - {date: [\n", "line 4: did not find expected node content"},
		// 9999 for 2029 would overflow SQLite's due dates (issue 13).
		"year 9999": {head + "  - {date: 9999-04-30, name: x}\n", "line 4: holiday 2 (x): 30/04/9999 is not an allowed date"},
		"year 1999": {head + "  - {from: 1999-12-31, to: 2000-01-01, name: x}\n", "line 4: holiday 2 (x): 31/12/1999 is not an allowed date"},
	} {
		_, err := Parse(hcm, []byte(tc.file))
		if msg := langnghe.ErrorMessage(err); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %q, want it to contain %q", name, msg, tc.want)
		}
	}
}

func TestDefaultFileParses(t *testing.T) {
	if _, err := Parse(hcm, DefaultFile()); err != nil {
		t.Fatal(err)
	}
}
