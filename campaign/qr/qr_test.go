package qr_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"

	goqr "github.com/piglig/go-qr"

	"langnghe"
	"langnghe/campaign/qr"
)

// link is a campaign's deep link as the poster prints it: 51 bytes, which
// at error correction Q need version 5 (46 bytes fit version 4), 37
// modules a side.
const link = "https://t.me/langnghe_bot?start=c_abcdefghijklmnop"

func TestPNG(t *testing.T) {
	c, err := qr.Encode(link)
	if err != nil {
		t.Fatal(err)
	}
	if c.Size() != 37 {
		t.Fatalf("Size = %d, want 37 (version 5)", c.Size())
	}
	const px = 8
	data, err := c.PNG(px)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	side := (37 + 2*qr.QuietZone) * px
	if b := img.Bounds(); b != image.Rect(0, 0, side, side) {
		t.Fatalf("bounds %v, want %d×%d", b, side, side)
	}
	// Every pixel is black or white, and each module's square is all dark
	// or all light as the code says; the quiet zone is light.
	dark := func(x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		switch {
		case r == 0 && g == 0 && b == 0:
			return true
		case r == 0xffff && g == 0xffff && b == 0xffff:
			return false
		}
		t.Fatalf("pixel %d,%d is %v, neither black nor white", x, y, img.At(x, y))
		return false
	}
	for y := range side {
		for x := range side {
			mx, my := x/px-qr.QuietZone, y/px-qr.QuietZone
			want := mx >= 0 && my >= 0 && mx < 37 && my < 37 && c.Dark(mx, my)
			if dark(x, y) != want {
				t.Fatalf("pixel %d,%d (module %d,%d) dark %v, want %v", x, y, mx, my, !want, want)
			}
		}
	}
	// The three finder patterns: a dark 7×7 ring at three corners.
	for _, corner := range [][2]int{{0, 0}, {30, 0}, {0, 30}} {
		for i := range 7 {
			for _, m := range [][2]int{{i, 0}, {i, 6}, {0, i}, {6, i}} {
				if !c.Dark(corner[0]+m[0], corner[1]+m[1]) {
					t.Fatalf("finder at %v: module %v is light", corner, m)
				}
			}
		}
	}
	// What a phone reads is the link (the library's own decoder; the
	// point is that the link went in whole).
	if got, err := goqr.Decode(img); err != nil || got != link {
		t.Errorf("decoded %q, %v; want the link", got, err)
	}
}

func TestSVG(t *testing.T) {
	c, err := qr.Encode(link)
	if err != nil {
		t.Fatal(err)
	}
	data, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	// Well-formed XML whose root is an SVG with a view box of the code and
	// its quiet zone.
	var svg struct {
		XMLName xml.Name `xml:"svg"`
		ViewBox string   `xml:"viewBox,attr"`
		Rect    struct {
			Fill string `xml:"fill,attr"`
		} `xml:"rect"`
		Paths []struct {
			D    string `xml:"d,attr"`
			Fill string `xml:"fill,attr"`
		} `xml:"path"`
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	if err := dec.Decode(&svg); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, data)
	}
	if svg.XMLName.Space != "http://www.w3.org/2000/svg" {
		t.Errorf("namespace %q", svg.XMLName.Space)
	}
	if want := fmt.Sprintf("0 0 %d %d", 45, 45); svg.ViewBox != want {
		t.Errorf("viewBox %q, want %q", svg.ViewBox, want)
	}
	if len(svg.Paths) != 1 || !strings.EqualFold(svg.Paths[0].Fill, "#000000") || !strings.EqualFold(svg.Rect.Fill, "#ffffff") {
		t.Fatalf("paths %d, fills %q on %q", len(svg.Paths), svg.Paths[0].Fill, svg.Rect.Fill)
	}
	// One unit square a dark module, at its place after the quiet zone.
	square := regexp.MustCompile(`^M(\d+),(\d+)h1v1h-1z$`)
	drawn := map[[2]int]bool{}
	for _, cmd := range strings.Fields(svg.Paths[0].D) {
		m := square.FindStringSubmatch(cmd)
		if m == nil {
			t.Fatalf("path command %q is not a module square", cmd)
		}
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		drawn[[2]int{x - qr.QuietZone, y - qr.QuietZone}] = true
	}
	n := 0
	for y := range c.Size() {
		for x := range c.Size() {
			if c.Dark(x, y) != drawn[[2]int{x, y}] {
				t.Fatalf("module %d,%d: dark %v, drawn %v", x, y, c.Dark(x, y), drawn[[2]int{x, y}])
			}
			if c.Dark(x, y) {
				n++
			}
		}
	}
	if len(drawn) != n {
		t.Errorf("%d squares drawn for %d dark modules", len(drawn), n)
	}
}

func TestEncodeRefuses(t *testing.T) {
	for _, l := range []string{"", strings.Repeat("x", qr.MaxLink+1)} {
		if _, err := qr.Encode(l); langnghe.ErrorCode(err) != langnghe.EINVALID {
			t.Errorf("Encode(%d bytes): %v", len(l), err)
		}
	}
	c, err := qr.Encode(link)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PNG(0); langnghe.ErrorCode(err) != langnghe.EINVALID {
		t.Errorf("PNG(0): %v", err)
	}
	// A longer link makes a larger code.
	long, err := qr.Encode(link + "&x=" + strings.Repeat("y", 100))
	if err != nil {
		t.Fatal(err)
	}
	if long.Size() <= c.Size() {
		t.Errorf("a 154-byte link is %d modules, the 51-byte one %d", long.Size(), c.Size())
	}
}
