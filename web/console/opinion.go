package console

import (
	"context"
	"embed"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/followup"
	"langnghe/storage"
)

// An opinion's page: what the resident wrote (as text, never as HTML), the
// files they sent, where, how to reach them when they allowed it, the full
// history, and the follow-up actions. An action goes through the Desk, the
// code path of the officials' chat commands, so the console and Telegram
// apply the same rules and the resident hears of a change in the same way.

//go:embed templates/opinion.html
var opinionFS embed.FS

var opinionPage = Templates(opinionFS, "templates/opinion.html")

// Desk applies an official's action to an opinion as the chat does
// (officedesk.Desk): the follow-up core checks the official's scope and the
// lifecycle's rules, and the resident is told through the outbox, all in
// the caller's transaction.
type Desk interface {
	Act(ctx context.Context, tx *storage.Tx, official *langnghe.Official, code string, a followup.Action) (*followup.Change, error)
}

// opinionRoutes mounts an opinion's page, its actions and its files.
func (c *Console) opinionRoutes() {
	c.mux.Handle("GET /console/opinions/{code}", c.requireOfficial(c.opinion))
	c.mux.Handle("POST /console/opinions/{code}", c.requireOfficial(c.act))
	c.mux.Handle("GET /console/opinions/{code}/attachments/{id}", c.requireOfficial(c.attachment))
	c.mux.Handle("GET /console/opinions/{code}/sheet", c.requireOfficial(c.caseSheet))
}

// actionForm is an action as the official filled its form, kept as typed
// so that a refused action comes back with what was written.
type actionForm struct {
	Kind string
	// From is the status the page showed: an action on an opinion that
	// changed since is refused rather than applied to what the official
	// did not see.
	From                                string
	Note, Unit, Due, Original, Category string
	// Assignee is the official to give the opinion to ("0": nobody).
	Assignee string
}

// consoleAction is an action the page offers: the words of its form, and
// the confirmation after it.
type consoleAction struct {
	Kind followup.ActionKind
	// Summary heads a folded form ("": always shown); Label names its
	// note ("": none); Button submits it.
	Summary, Label, Button string
	NoteRequired           bool
	done                   string
}

// consoleActions are the actions the page offers, in its order.
var consoleActions = []consoleAction{
	{Kind: followup.ActAnswer, Label: "Answer the resident", Button: "Send the answer", NoteRequired: true,
		done: "The answer is sent to the resident."},
	{Kind: followup.ActTake, Button: "Take it",
		done: "You took the opinion; the resident is told it is in progress."},
	{Kind: followup.ActAssign, Summary: "Assign to an official of the unit", Label: "Internal note (optional)", Button: "Assign",
		done: "The opinion is assigned; the official is told in Telegram."},
	{Kind: followup.ActForward, Summary: "Forward to a unit", Label: "Internal note (optional)", Button: "Forward",
		done: "The opinion is forwarded; the unit's officials and the resident are told."},
	{Kind: followup.ActExtend, Summary: "Extend the due date", Label: "Reason (told to the resident)", Button: "Extend", NoteRequired: true,
		done: "The due date is extended; the resident is told why."},
	{Kind: followup.ActReject, Summary: "Not admissible", Label: "Reason (told to the resident)", Button: "Reject", NoteRequired: true,
		done: "The opinion is not admissible; the resident is told why."},
	{Kind: followup.ActRedirect, Summary: "Guide to the proper route", Label: "Where the resident should turn (told to the resident)", Button: "Guide", NoteRequired: true,
		done: "The resident is guided to the proper route."},
	{Kind: followup.ActDuplicate, Summary: "Mark a duplicate", Label: "Internal note (optional)", Button: "Mark",
		done: "The opinion is marked a duplicate; the resident is told."},
	{Kind: followup.ActClose, Summary: "Close the opinion", Label: "Internal note (optional)", Button: "Close",
		done: "The opinion is closed; the resident is told."},
	{Kind: followup.ActNote, Summary: "Internal note", Label: "The note (officials only)", Button: "Save the note", NoteRequired: true,
		done: "The internal note is saved."},
	{Kind: followup.ActRecategorize, Summary: "Correct the category", Label: "Reason (optional, internal)", Button: "Correct",
		done: "The category is corrected."},
}

// action turns the form into a follow-up action; a field that cannot be
// read comes back as a message in the viewer's language.
func (f actionForm) action(l Locale) (followup.Action, string) {
	a := followup.Action{Kind: followup.ActionKind(f.Kind), Note: f.Note}
	known := false
	for _, k := range consoleActions {
		known = known || k.Kind == a.Kind
	}
	if !known {
		return a, fmt.Sprintf(l.T("There is no action %q."), f.Kind)
	}
	switch a.Kind {
	case followup.ActForward:
		a.Unit = f.Unit
	case followup.ActExtend:
		// As in the chat (/giahan).
		d, err := followup.ExtendedDue(f.Due, l.TZ)
		if langnghe.ErrorCode(err) == langnghe.EINVALID {
			return a, langnghe.ErrorMessageIn(err, l.Lang) // outside the years officials may enter
		} else if err != nil {
			return a, fmt.Sprintf(l.T("%q is not a date DD/MM/YYYY."), f.Due)
		}
		a.Due = d
	case followup.ActDuplicate:
		a.DuplicateOf = strings.ToUpper(f.Original)
	case followup.ActRecategorize:
		a.Category = f.Category
	case followup.ActAssign:
		if f.Assignee != "" {
			id, err := strconv.ParseInt(f.Assignee, 10, 64)
			if err != nil || id < 0 {
				return a, l.T("Choose the official to assign it to.")
			}
			a.Assignee = id
		}
	}
	return a, ""
}

// opinionFile is an attachment as the page lists it.
type opinionFile struct {
	URL, Name, Size string
}

// opinionData is the opinion page's data.
type opinionData struct {
	// URL is the page's address, where its forms post; StatusCode the
	// status as stored, which the forms send back (actionForm.From).
	URL, StatusCode                                                                           string
	Code, Text, Status, Category, Area, Unit, Track, Received, Due, Answered, Rating, Channel string
	Open, Overdue, DueSoon                                                                    bool
	// Dates are its dates, each labelled with what it is and what sets it
	// (dates): received, due, the legal deadlines of an open opinion by
	// its track (followup.DeadlinesOf), answered.
	Dates []dateRow
	// SheetURL is its printable case sheet; Assignee whom it is given to
	// ("" nobody), NotSatisfied whether the resident was not satisfied
	// with the latest answer.
	SheetURL, Assignee        string
	NotSatisfied              bool
	Assignees                 []inboxChoice
	DuplicateOf, DuplicateURL string
	MapURL, Coordinates       string
	// PlaceText is the place as the resident wrote it, as the viewer may
	// read it, when it says more than the area's name (catalogue.AsWritten).
	PlaceText string
	// Contact is the resident's name and phone when they chose to be
	// reachable by the unit, «Bảo mật» for a denouncer the viewer may not
	// identify; "" otherwise (the gate, through followup, removed the rest).
	Contact string
	// Confidential marks a denunciation: its author's identity is
	// protected by law; Concealed, that it is hidden from this viewer, and
	// FilesWithheld how many of its files are held back with it.
	Confidential, Concealed bool
	FilesWithheld           int
	Photos, Files           []opinionFile
	History                 []opinionEvent
	Actions                 []consoleAction // those the opinion's status allows
	Units                   []inboxChoice
	Categories              []inboxChoice
	Form                    actionForm
	Problem                 string
}

func (c *Console) opinion(w http.ResponseWriter, r *http.Request, v *visit) error {
	viewer := v.viewer
	flash := ""
	if done := r.URL.Query().Get("done"); done != "" {
		for _, a := range consoleActions {
			if string(a.Kind) == done {
				flash = viewer.Locale.T(a.done)
			}
		}
		if done == "unassign" {
			flash = viewer.Locale.T("The assignment is taken back.")
		}
	}
	return c.showOpinion(w, r, v, strings.ToUpper(r.PathValue("code")), actionForm{}, "", http.StatusOK, flash)
}

// act applies an action from the page's forms and goes back to the page
// (303) with a confirmation; a refused action shows the page again with
// the reason and what the official wrote.
func (c *Console) act(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx, l := r.Context(), v.viewer.Locale
	code := strings.ToUpper(r.PathValue("code"))
	form := actionForm{Kind: r.PostFormValue("action"), From: r.PostFormValue("from"), Note: r.PostFormValue("note"),
		Unit: r.PostFormValue("unit"), Due: strings.TrimSpace(r.PostFormValue("due")),
		Original: strings.TrimSpace(r.PostFormValue("original")), Category: r.PostFormValue("category"),
		Assignee: strings.TrimSpace(r.PostFormValue("assignee"))}
	a, problem := form.action(l)
	if c.opts.Desk == nil {
		problem = l.T("Actions are not available on this server.")
	}
	status := http.StatusBadRequest
	if problem == "" {
		err := c.db.InTx(ctx, func(tx *storage.Tx) error {
			o, _, err := c.opts.Followup.Opinion(ctx, tx, v.official, code)
			if err != nil {
				return err
			}
			if form.From != "" && form.From != string(o.Status) {
				return langnghe.Errorf(langnghe.ECONFLICT, l.T("Opinion %s changed while the page was open: it is now %s. Check it and try again; what you wrote is kept below."),
					code, o.Status.Name(l.Lang))
			}
			_, err = c.opts.Desk.Act(ctx, tx, v.official, code, a)
			return err
		})
		switch langnghe.ErrorCode(err) {
		case "":
			done := string(a.Kind)
			if a.Kind == followup.ActAssign && a.Assignee == 0 {
				done = "unassign"
			}
			http.Redirect(w, r, opinionURL(code)+"?done="+done, http.StatusSeeOther)
			return nil
		case langnghe.EINVALID, langnghe.ECONFLICT:
			problem, status = langnghe.ErrorMessageIn(err, l.Lang), statusOf(err)
		default:
			// Outside the scope, revoked meanwhile, or broken: no page to show.
			return err
		}
	}
	return c.showOpinion(w, r, v, code, form, problem, status, "")
}

// record is an opinion as its page and its case sheet show it: with its
// history, the units that name where it went and the names of the
// officials in it.
type record struct {
	o      *langnghe.Opinion
	events []langnghe.OpinionEvent
	units  []langnghe.Unit
	names  historyNames
}

// opinionRecord loads the record of the opinion with code, as the visiting
// official may see it (followup's scope).
func (c *Console) opinionRecord(ctx context.Context, tx *storage.Tx, v *visit, code string, l Locale) (*record, error) {
	o, events, err := c.opts.Followup.Opinion(ctx, tx, v.official, code)
	if err != nil {
		return nil, err
	}
	units, err := tx.Units(ctx)
	if err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	names, err := loadHistoryNames(ctx, tx, events, l)
	if err != nil {
		return nil, err
	}
	return &record{o: o, events: events, units: units, names: names}, nil
}

// showOpinion renders the page of the opinion with code, with a refused
// action's form and reason, or a confirmation.
func (c *Console) showOpinion(w http.ResponseWriter, r *http.Request, v *visit, code string, form actionForm, problem string, status int, flash string) error {
	ctx, l := r.Context(), v.viewer.Locale
	var d *opinionData
	err := c.db.InTx(ctx, func(tx *storage.Tx) error {
		rec, err := c.opinionRecord(ctx, tx, v, code, l)
		if err != nil {
			return err
		}
		o, events, units, names := rec.o, rec.events, rec.units, rec.names
		files, err := tx.OpinionAttachments(ctx, o.ID)
		if err != nil {
			return err
		}
		if !v.official.MayIdentify(o) {
			// A photo's or a document's metadata can name its sender.
			d = c.opinionData(o, events, nil, units, names, l)
			d.FilesWithheld = len(files)
		} else {
			d = c.opinionData(o, events, files, units, names, l)
		}
		if o.Assignee != 0 {
			d.Assignee = names.official(o.Assignee, l)
		}
		if d.Open && c.opts.Desk != nil {
			assignees, err := c.opts.Followup.Assignees(ctx, tx, v.official, code)
			if err != nil {
				return err
			}
			for _, a := range assignees {
				d.Assignees = append(d.Assignees, inboxChoice{Value: itoa(a.ID), Name: a.Name, Selected: a.ID == o.Assignee})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	d.Form, d.Problem = form, problem
	Render(w, r, opinionPage, Page{Title: d.Code, Section: "inbox", Data: d, Flash: flash, Status: status})
	return nil
}

func (c *Console) opinionData(o *langnghe.Opinion, events []langnghe.OpinionEvent, files []langnghe.StoredAttachment,
	units []langnghe.Unit, names historyNames, l Locale) *opinionData {
	now := c.opts.Now()
	d := &opinionData{
		URL: opinionURL(o.Code), StatusCode: string(o.Status), Code: o.Code, Text: o.Text, Status: o.Status.Name(l.Lang), Category: categoryName(c.opts.Catalogue, o.Category, l),
		Area: areaName(c.opts.Catalogue, o.AreaCode, l), Unit: unitName(units, o.Unit, l), Track: trackName(o.LegalTrack, l),
		Received: l.DateTime(o.CreatedAt), Due: l.Date(o.DueAt), Channel: o.Channel, Open: o.Status.Open(),
		Overdue: followup.Overdue(*o, now), DueSoon: followup.DueSoon(*o, now, c.opts.Calendar),
		PlaceText:    catalogue.AsWritten(c.opts.Catalogue, o.AreaCode, o.PlaceText),
		Contact:      strings.TrimSpace(o.ContactName + " " + o.ContactPhone),
		Confidential: o.Confidential(), Concealed: o.ContactName == langnghe.Concealed,
	}
	if o.AnsweredAt != nil {
		d.Answered = l.DateTime(*o.AnsweredAt)
	}
	d.Dates = c.dates(o, events, d.Open, l)
	d.SheetURL = opinionURL(o.Code) + "/sheet"
	d.NotSatisfied = o.Rating == langnghe.RatingNotSatisfied
	d.Rating = ratingName(o.Rating, l)
	if o.DuplicateOf != "" {
		d.DuplicateOf, d.DuplicateURL = o.DuplicateOf, opinionURL(o.DuplicateOf)
	}
	if p := o.Location; p != nil {
		lat, lon := strconv.FormatFloat(p.Latitude, 'f', 6, 64), strconv.FormatFloat(p.Longitude, 'f', 6, 64)
		d.Coordinates = lat + ", " + lon
		d.MapURL = "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=17/" + lat + "/" + lon
	}
	for _, f := range files {
		file := opinionFile{URL: fmt.Sprintf("%s/attachments/%d", opinionURL(o.Code), f.ID), Name: f.Name,
			Size: l.Number(int((f.Size+1023)/1024)) + " KB"}
		if file.Name == "" {
			file.Name = fmt.Sprintf("%s-%d", o.Code, f.ID)
		}
		if inlineImage(&f) {
			d.Photos = append(d.Photos, file)
		} else {
			d.Files = append(d.Files, file)
		}
	}
	d.History = c.history(o, events, units, names, l)
	// The forms the lifecycle allows from here (followup's rules decide;
	// this only spares the official forms that would be refused).
	if c.opts.Desk != nil {
		open := o.Status.Open()
		for _, a := range consoleActions {
			var offered bool
			switch a.Kind {
			case followup.ActTake:
				offered = open && o.Status != langnghe.StatusInProgress
			case followup.ActClose:
				offered = open || o.Status == langnghe.StatusAnswered
			case followup.ActNote, followup.ActRecategorize:
				offered = true
			case followup.ActAssign:
				offered = open && o.Unit != ""
			default:
				offered = open
			}
			if offered {
				d.Actions = append(d.Actions, a)
			}
		}
	}
	for _, u := range units {
		if u.Code != o.Unit {
			d.Units = append(d.Units, inboxChoice{Value: u.Code, Name: u.Name(l.Lang)})
		}
	}
	for _, cat := range c.opts.Catalogue.Categories {
		if cat.Code != o.Category {
			d.Categories = append(d.Categories, inboxChoice{Value: cat.Code, Name: cat.Name(l.Lang)})
		}
	}
	return d
}

// inlineImages are the types a browser shows as pictures and no script can
// hide in, with their file name extensions; any other file is only ever
// downloaded.
var inlineImages = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}

// inlineImage reports whether a is shown as a picture: its type says so and
// its first bytes agree (a's Data may hold only those, storage.SniffLen).
func inlineImage(a *langnghe.StoredAttachment) bool {
	_, ok := inlineImages[a.MIME]
	return ok && http.DetectContentType(a.Data) == a.MIME
}

// attachment serves a file of an opinion the official may see: a picture
// inline when its bytes are the picture its type says, anything else as a
// download, never interpreted by the browser (nosniff, sandboxed).
func (c *Console) attachment(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	code := strings.ToUpper(r.PathValue("code"))
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return langnghe.Errorf(langnghe.ENOTFOUND, "there is no attachment %q", r.PathValue("id"))
	}
	var a *langnghe.StoredAttachment
	err = c.db.InTx(ctx, func(tx *storage.Tx) error {
		o, _, err := c.opts.Followup.Opinion(ctx, tx, v.official, code)
		if err != nil {
			return err
		}
		if !v.official.MayIdentify(o) { // as the page: a denouncer's files are withheld
			return langnghe.Errorf(langnghe.ENOTFOUND, "there is no attachment %d", id)
		}
		a, err = tx.OpinionAttachment(ctx, o.ID, id)
		return err
	})
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	disposition, contentType := "attachment", "application/octet-stream"
	if inlineImage(a) {
		disposition, contentType = "inline", a.MIME
	}
	name := a.Name
	if name == "" {
		name = fmt.Sprintf("%s-%d", code, a.ID) + inlineImages[contentType]
	}
	if cd := mime.FormatMediaType(disposition, map[string]string{"filename": name}); cd != "" {
		disposition = cd
	}
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", disposition)
	h.Set("Content-Length", strconv.Itoa(len(a.Data)))
	_, _ = w.Write(a.Data)
	return nil
}
