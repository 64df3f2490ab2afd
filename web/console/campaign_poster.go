package console

import (
	"embed"
	"net/http"
	"strings"

	"langnghe"
	"langnghe/campaign/qr"
)

// Reach: a campaign's QR code (PNG to print or send, SVG that any printer
// scales without blur) and the printable A4 poster that carries it, in
// Vietnamese whatever the viewer's language, since residents read it. A
// print stylesheet (campaigns.css) drops the console's frame and sets the
// poster on one A4 page with the code about 9 cm wide, readable from a
// few metres.

//go:embed templates/campaign_poster.html
var posterFS embed.FS

var posterPage = Templates(posterFS, "templates/campaign_poster.html")

// qrModule is the PNG's module size in pixels: a deep link's code is
// about 45 modules with its quiet zone, so about 540 pixels, sharp when
// printed 9 cm wide.
const qrModule = 12

func (c *Console) posterRoutes() {
	c.mux.Handle("GET "+campaignsPath+"/{id}/qr.png", c.requireOfficial(c.qrPNG))
	c.mux.Handle("GET "+campaignsPath+"/{id}/qr.svg", c.requireOfficial(c.qrSVG))
	c.mux.Handle("GET "+campaignsPath+"/{id}/poster", c.requireOfficial(c.poster))
}

func (c *Console) qrPNG(w http.ResponseWriter, r *http.Request, v *visit) error {
	return c.sendQR(w, r, v, "image/png", func(code *qr.Code) ([]byte, error) { return code.PNG(qrModule) })
}

func (c *Console) qrSVG(w http.ResponseWriter, r *http.Request, v *visit) error {
	return c.sendQR(w, r, v, "image/svg+xml", (*qr.Code).SVG)
}

// sendQR draws the campaign's deep link as a QR code.
func (c *Console) sendQR(w http.ResponseWriter, r *http.Request, v *visit, contentType string, draw func(*qr.Code) ([]byte, error)) error {
	cp, err := c.campaignFor(r, v)
	if err != nil {
		return err
	}
	link := cp.Link(c.opts.BotUsername)
	if link == "" {
		return noLinkYet()
	}
	code, err := qr.Encode(link)
	if err != nil {
		return err
	}
	body, err := draw(code)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentType)
	_, _ = w.Write(body)
	return nil
}

func noLinkYet() error {
	return langnghe.Errorf(langnghe.ENOTFOUND, "the deep link is made once the service is connected to Telegram")
}

// posterData is what the poster shows, in Vietnamese.
type posterData struct {
	Organiser, Kind, Title, Theme string
	// When says when and where (a conference), or when answers are taken.
	When []string
	// For is who it addresses (the areas).
	For                string
	Summary, DraftLink string
	QR, Link           string
	How                []string
	Results            string
	Back               string
	// P is the poster's locale: Vietnamese.
	P Locale
}

func (c *Console) poster(w http.ResponseWriter, r *http.Request, v *visit) error {
	viewer := v.viewer
	cp, units, err := c.campaignWithUnits(r, v)
	if err != nil {
		return err
	}
	vi := Locale{Lang: langnghe.LangVI, TZ: viewer.Locale.TZ}
	d := &posterData{Kind: cp.Kind.Name(vi.Lang), Title: cp.Title, Theme: cp.Theme,
		Link: cp.Link(c.opts.BotUsername), Results: c.absolute(r, c.publicResultsURL(cp)), Back: campaignURL(cp.ID), P: vi}
	d.Organiser = vi.T("Board")
	if cp.Unit != "" {
		d.Organiser = unitName(units, cp.Unit, vi)
	}
	if d.Link != "" {
		d.QR = campaignURL(cp.ID) + "/qr.svg"
	}
	if len(cp.Areas) > 0 {
		d.For = c.areaNames(cp.Areas, vi)
	}
	period := periodWords(cp, vi)
	switch cp.Kind {
	case langnghe.CampaignDialogue:
		if cf := cp.Conference; cf != nil {
			d.When = append(d.When, vi.T("The conference is held at")+" "+cf.At.In(vi.TZ).Format("15:04")+" "+vi.T("on")+" "+vi.Date(cf.At)+
				", "+vi.T("at")+" "+cf.Place+".")
			if len(cf.Hosts) > 0 {
				d.When = append(d.When, vi.T("Hosted by")+": "+strings.Join(cf.Hosts, "; ")+".")
			}
		}
		d.When = append(d.When, vi.T("Send your questions and suggestions")+" "+period+".")
		d.How = []string{vi.T("Send your question or suggestion in a few lines; you may send several."),
			vi.T("After the conference the leaders' answer reaches you in Telegram, and you may rate it.")}
	case langnghe.CampaignConsultation:
		if dr := cp.Draft; dr != nil {
			d.Summary, d.DraftLink = dr.Summary, dr.Link
		}
		d.When = append(d.When, vi.T("Give your opinion")+" "+period+".")
		d.How = []string{vi.T("Answer a few questions about the draft; it takes a few minutes.")}
	case langnghe.CampaignFeedbackPoint:
		d.When = append(d.When, vi.T("Please rate the service you received today: the staff's attitude, the time taken and the result."))
		d.How = []string{vi.T("Rate from 1 to 5 and add a comment if you wish; it takes about a minute.")}
	}
	d.How = append([]string{vi.T("Open your phone's camera or Telegram and scan the QR code (or open the link under it)."),
		vi.T("Press «Start» (Bắt đầu) to talk with the Lắng nghe bot.")}, d.How...)
	Render(w, r, posterPage, Page{Title: viewer.Locale.T("Poster") + " — " + cp.Title, Section: "campaigns", Data: d})
	return nil
}

// periodWords says when answers are taken: «từ ngày 01/05/2026 đến hết
// ngày 15/05/2026».
func periodWords(cp *langnghe.Campaign, l Locale) string {
	if cp.Closes.IsZero() {
		return l.T("from") + " " + l.Date(cp.Opens)
	}
	return l.T("from") + " " + l.Date(cp.Opens) + " " + l.T("to the end of") + " " + l.Date(cp.Closes)
}

// absolute is path on the console's public address (LANGNGHE_PUBLIC_URL),
// or on the request's own host: a printed address needs both.
func (c *Console) absolute(r *http.Request, path string) string {
	if c.opts.PublicURL != "" {
		return strings.TrimRight(c.opts.PublicURL, "/") + path
	}
	scheme := "http"
	if secureRequest(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}
