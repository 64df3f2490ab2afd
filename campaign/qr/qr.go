// Package qr draws a campaign's deep link as a QR code, for the poster page
// and the standing code at a unit's counter: PNG to print or send, SVG for
// the poster, which any printer scales without blur. It wraps
// github.com/piglig/go-qr.
package qr

import (
	"fmt"

	goqr "github.com/piglig/go-qr"

	"langnghe"
)

// QuietZone is the light margin around the code, in modules: the four the
// standard asks for, so phones find the code on a busy poster.
const QuietZone = 4

// MaxLink is the longest link drawn: a t.me deep link is about 60
// characters, and a longer text makes a denser code that is harder to
// scan from a wall.
const MaxLink = 512

// Code is a link drawn as a QR code.
type Code struct {
	qr *goqr.QrCode
}

// Encode draws link with error correction level Q (a quarter of the code
// can be restored), since a code at a counter gets worn and dirty.
func Encode(link string) (*Code, error) {
	if link == "" || len(link) > MaxLink {
		return nil, langnghe.Errorf(langnghe.EINVALID, "a QR code needs a link of 1 to %d bytes (got %d)", MaxLink, len(link))
	}
	q, err := goqr.EncodeText(link, goqr.Quartile)
	if err != nil {
		return nil, fmt.Errorf("encode QR code: %w", err)
	}
	return &Code{qr: q}, nil
}

// Size is the number of modules on a side, without the quiet zone.
func (c *Code) Size() int { return c.qr.Size() }

// Dark reports whether the module at x, y (from the top left, without the
// quiet zone) is dark.
func (c *Code) Dark(x, y int) bool { return c.qr.Module(x, y) }

// PNG draws the code black on white with its quiet zone, each module
// moduleSize pixels wide: (Size()+2·QuietZone)·moduleSize pixels a side.
func (c *Code) PNG(moduleSize int) ([]byte, error) {
	if moduleSize < 1 || moduleSize > 64 {
		return nil, langnghe.Errorf(langnghe.EINVALID, "a QR module is 1 to 64 pixels wide (got %d)", moduleSize)
	}
	b, err := c.qr.ToPNGBytes(goqr.NewQrCodeImgConfig(moduleSize, QuietZone))
	if err != nil {
		return nil, fmt.Errorf("draw QR code as PNG: %w", err)
	}
	return b, nil
}

// SVG draws the code with one unit a module, its view box including the
// quiet zone: the page sets its printed size.
func (c *Code) SVG() ([]byte, error) {
	// The library counts the SVG's border in user units (the PNG's in
	// modules): with one unit a module they agree. A square a dark module
	// (about 10 kB for a deep link) rather than the merged outline keeps
	// the file checkable module by module.
	b, err := c.qr.ToSVGBytes(goqr.NewQrCodeImgConfig(1, QuietZone))
	if err != nil {
		return nil, fmt.Errorf("draw QR code as SVG: %w", err)
	}
	return b, nil
}
