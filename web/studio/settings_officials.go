package studio

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"langnghe"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/web/console"
)

// Officials in the studio: the list (bound accounts and invitations still
// waiting for one), invitations through followup (the t.me link and the
// /start code shown once, as the CLI prints them), revocation with a
// confirmation, and changes of role and units. Each takes effect at once:
// every request and update reloads the official. Each is audited in its
// own transaction.

var (
	settingsOfficialsPage = console.Templates(settingsFS, "templates/settings_officials.html")
	settingsOfficialPage  = console.Templates(settingsFS, "templates/settings_official.html")
	settingsInvitedPage   = console.Templates(settingsFS, "templates/settings_invited.html")
	settingsRevokePage    = console.Templates(settingsFS, "templates/settings_revoke.html")
)

// Invitation validity the form offers, in hours: a day to a month.
const (
	defaultInviteHours = 72
	maxInviteHours     = 30 * 24
)

func (s *Studio) officialRoutes() {
	s.mux.HandleFunc("GET /console/studio/officials", s.listOfficials)
	s.mux.HandleFunc("POST /console/studio/officials/invite", s.inviteOfficial)
	s.mux.HandleFunc("GET /console/studio/officials/{id}", s.showOfficial)
	s.mux.HandleFunc("POST /console/studio/officials/{id}", s.changeOfficial)
	s.mux.HandleFunc("POST /console/studio/officials/{id}/denouncers", s.permitDenouncers)
	s.mux.HandleFunc("GET /console/studio/officials/{id}/revoke", s.confirmRevoke)
	s.mux.HandleFunc("POST /console/studio/officials/{id}/revoke", s.revokeOfficial)
}

// audited runs each transaction of db and records entry in it, so that a
// change made through another package (followup's Invite and Revoke) and
// its audit entry commit together.
type audited struct {
	db    *storage.DB
	entry langnghe.AuditEntry
}

func (a audited) InTx(ctx context.Context, fn func(tx *storage.Tx) error) error {
	return a.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return tx.RecordAudit(ctx, a.entry)
	})
}

var _ followup.Transactor = audited{}

// officialRow is one official or invitation in the list.
type officialRow struct {
	ID                  int64
	Name, Role, Units   string
	State               string
	Revoked, Invitation bool
	// Self is the signed-in admin, who changes nothing of their own.
	Self bool
	// SeesDenouncers: the official (or the invitation's) may see who made
	// a denunciation.
	SeesDenouncers bool
}

// roleChoice is a role in the forms.
type roleChoice struct {
	Value, Label string
	Selected     bool
}

// roleChoices lists the roles, role selected, with their names in l.
func roleChoices(l console.Locale, role string) []roleChoice {
	var out []roleChoice
	for _, r := range []langnghe.Role{langnghe.RoleUnit, langnghe.RoleBoard, langnghe.RoleAdmin} {
		out = append(out, roleChoice{Value: string(r), Label: console.Named(roleNames, r, l), Selected: string(r) == role})
	}
	return out
}

// unitChoice is a unit in the forms, ticked when chosen.
type unitChoice struct {
	Code, Name string
	Checked    bool
}

type officialsView struct {
	Officials []officialRow
	Units     []unitChoice
	Roles     []roleChoice
	Hours     int
	// Error explains a refused invitation; the form keeps its values.
	Error string
	Name  string
	Role  string
	// Denouncers: the invitation grants the permission to see who made a
	// denunciation.
	Denouncers bool
}

func (s *Studio) listOfficials(w http.ResponseWriter, r *http.Request) error {
	flash := ""
	v, _ := console.ViewerFrom(r.Context())
	switch {
	case r.URL.Query().Has("revoked"):
		flash = fmt.Sprintf(v.Locale.T("Official %s revoked: they can no longer see or act on opinions."), r.URL.Query().Get("revoked"))
	case r.URL.Query().Has("changed"):
		flash = fmt.Sprintf(v.Locale.T("Official %s changed."), r.URL.Query().Get("changed"))
	}
	s.renderOfficials(w, r, http.StatusOK, &officialsView{Hours: defaultInviteHours, Role: string(langnghe.RoleUnit)}, nil, flash)
	return nil
}

func (s *Studio) renderOfficials(w http.ResponseWriter, r *http.Request, status int, view *officialsView, chosen []string, flash string) {
	ctx := r.Context()
	v, _ := console.ViewerFrom(ctx)
	l := v.Locale
	units, err := s.db.Units(ctx)
	if err != nil {
		console.Fail(w, r, err)
		return
	}
	unitName := map[string]string{}
	for _, u := range units {
		unitName[u.Code] = u.Name(l.Lang)
		view.Units = append(view.Units, unitChoice{Code: u.Code, Name: u.Name(l.Lang), Checked: slices.Contains(chosen, u.Code)})
	}
	names := func(codes []string) string {
		var out []string
		for _, c := range codes {
			if n := unitName[c]; n != "" {
				out = append(out, n)
			} else {
				out = append(out, c)
			}
		}
		return strings.Join(out, ", ")
	}
	invitations, err := s.db.PendingInvitations(ctx, s.opts.Now())
	if err != nil {
		console.Fail(w, r, err)
		return
	}
	for _, inv := range invitations {
		view.Officials = append(view.Officials, officialRow{Name: inv.Name, Role: console.Named(roleNames, inv.Role, l),
			Units: names(inv.UnitCodes()), Invitation: true, SeesDenouncers: inv.SeesDenouncers,
			State: fmt.Sprintf(l.T("Invited, no account bound yet (the invitation expires %s)"), l.DateTime(inv.ExpiresAt))})
	}
	list, err := s.db.Officials(ctx)
	if err != nil {
		console.Fail(w, r, err)
		return
	}
	for _, o := range list {
		row := officialRow{ID: o.ID, Name: o.Name, Role: console.Named(roleNames, o.Role, l), Units: names(o.Units), Self: o.ID == v.Official.ID,
			SeesDenouncers: o.SeesDenouncers && o.RevokedAt == nil, State: accountState(l, o)}
		if o.RevokedAt != nil {
			row.Revoked, row.State = true, fmt.Sprintf(l.T("Revoked %s"), l.DateTime(*o.RevokedAt))
		}
		view.Officials = append(view.Officials, row)
	}
	view.Roles = roleChoices(l, view.Role)
	console.Render(w, r, settingsOfficialsPage, console.Page{Title: l.T("Officials"), Section: "studio", Data: view, Flash: flash, Status: status})
}

// accountState says how an official reaches the service: a Telegram
// account bound through an invitation, or the console alone (an admin
// made with `langnghe officials login-link --new-admin`, who gets no
// notifications).
func accountState(l console.Locale, o langnghe.Official) string {
	if o.Channel == langnghe.ChannelTelegram {
		return fmt.Sprintf(l.T("Telegram account bound since %s"), l.Date(o.CreatedAt))
	}
	return fmt.Sprintf(l.T("Console only, no Telegram account bound (since %s)"), l.Date(o.CreatedAt))
}

// roleNames name the roles in English; console.Named translates them.
var roleNames = map[langnghe.Role]string{langnghe.RoleBoard: "Board", langnghe.RoleUnit: "Unit", langnghe.RoleAdmin: "Admin"}

// invitedView shows a new invitation once.
type invitedView struct {
	Name, Role, Expires, Link, Start string
}

func (s *Studio) inviteOfficial(w http.ResponseWriter, r *http.Request) error {
	v, _ := console.ViewerFrom(r.Context())
	role := langnghe.Role(r.PostFormValue("role"))
	name := strings.TrimSpace(r.PostFormValue("name"))
	units := r.PostForm["unit"] // PostFormValue parsed the form
	denouncers := r.PostFormValue("denouncers") == "on"
	view := &officialsView{Name: name, Role: string(role), Hours: defaultInviteHours, Denouncers: denouncers}
	hours, err := strconv.Atoi(r.PostFormValue("hours"))
	if err != nil || hours < 1 || hours > maxInviteHours {
		view.Error = fmt.Sprintf(v.Locale.T("An invitation is valid for 1 to %d hours."), maxInviteHours)
		s.renderOfficials(w, r, http.StatusBadRequest, view, units, "")
		return nil
	}
	view.Hours = hours
	if name == "" {
		view.Error = v.Locale.T("Give the official's name, as colleagues know it.")
		s.renderOfficials(w, r, http.StatusBadRequest, view, units, "")
		return nil
	}
	if role != langnghe.RoleUnit {
		units = nil // board and admin see every unit
	}
	ttl := time.Duration(hours) * time.Hour
	entry := langnghe.AuditEntry{Kind: langnghe.AuditOfficial, Subject: name, Action: "invite", Actor: v.Actor(),
		Detail: fmt.Sprintf("role %s; units %s; valid %d h", role, strings.Join(units, ","), hours)}
	var opts []followup.InviteOption
	if denouncers {
		opts = append(opts, followup.WithDenouncers)
		entry.Detail += "; sees denouncers"
	}
	inv, err := s.opts.Followup.Invite(r.Context(), audited{db: s.db, entry: entry}, role, units, name, ttl, opts...)
	if code := langnghe.ErrorCode(err); code == langnghe.EINVALID || code == langnghe.ENOTFOUND {
		view.Error = langnghe.ErrorMessage(err)
		s.renderOfficials(w, r, http.StatusBadRequest, view, units, "")
		return nil
	} else if err != nil {
		return err
	}
	// The code is shown here once; only its hash is stored.
	iv := &invitedView{Name: name, Role: console.Named(roleNames, inv.Role, v.Locale), Expires: v.Locale.DateTime(inv.ExpiresAt),
		Link: inv.Link(strings.TrimPrefix(s.opts.BotUsername, "@")), Start: "/start " + langnghe.InvitePrefix + inv.Code}
	console.Render(w, r, settingsInvitedPage, console.Page{Title: v.Locale.T("Invitation created"), Section: "studio", Data: iv})
	return nil
}

// official loads the official the path names, with the admin viewing.
func (s *Studio) official(r *http.Request) (*console.Viewer, *langnghe.Official, error) {
	v, _ := console.ViewerFrom(r.Context())
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return v, nil, langnghe.Errorf(langnghe.ENOTFOUND, "there is no official %q", r.PathValue("id"))
	}
	var o *langnghe.Official
	err = s.db.InTx(r.Context(), func(tx *storage.Tx) (err error) {
		o, err = tx.Official(r.Context(), id)
		return err
	})
	return v, o, err
}

// unchangeable says why the admin v may not change o's access, "" when
// they may: not their own (the studio never loses its last admin by a
// slip; self says so for what they tried), not a revoked official's.
func unchangeable(v *console.Viewer, o *langnghe.Official, self string) string {
	switch {
	case o.ID == v.Official.ID:
		return self
	case o.RevokedAt != nil:
		return v.Locale.T("This official is revoked; invite them again instead.")
	}
	return ""
}

// officialView is the page of one official: role and units, revocation.
type officialView struct {
	Official *langnghe.Official
	Role     string
	Roles    []roleChoice
	Units    []unitChoice
	Self     bool
	Error    string
}

func (s *Studio) showOfficial(w http.ResponseWriter, r *http.Request) error {
	_, o, err := s.official(r)
	if err != nil {
		return err
	}
	s.renderOfficial(w, r, http.StatusOK, &officialView{Official: o, Role: string(o.Role)}, o.Units)
	return nil
}

func (s *Studio) renderOfficial(w http.ResponseWriter, r *http.Request, status int, view *officialView, chosen []string) {
	v, _ := console.ViewerFrom(r.Context())
	units, err := s.db.Units(r.Context())
	if err != nil {
		console.Fail(w, r, err)
		return
	}
	for _, u := range units {
		view.Units = append(view.Units, unitChoice{Code: u.Code, Name: u.Name(v.Locale.Lang), Checked: slices.Contains(chosen, u.Code)})
	}
	view.Roles = roleChoices(v.Locale, view.Role)
	view.Self = view.Official.ID == v.Official.ID
	console.Render(w, r, settingsOfficialPage, console.Page{Title: view.Official.Name, Section: "studio", Data: view, Status: status})
}

// changeOfficial sets an official's role and units. Admins do not change
// their own, so the studio never loses its last admin by a slip.
func (s *Studio) changeOfficial(w http.ResponseWriter, r *http.Request) error {
	v, o, err := s.official(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	role, units := langnghe.Role(r.PostFormValue("role")), r.PostForm["unit"]
	if role != langnghe.RoleUnit {
		units = nil
	}
	view := &officialView{Official: o, Role: string(role)}
	view.Error = unchangeable(v, o, v.Locale.T("You cannot change your own role or units; ask another admin."))
	switch {
	case view.Error != "":
	case !role.Valid():
		view.Error = fmt.Sprintf(v.Locale.T("Unknown role %q."), role)
	case role == langnghe.RoleUnit && len(units) == 0:
		view.Error = v.Locale.T("A unit official needs at least one unit.")
	}
	if view.Error != "" {
		s.renderOfficial(w, r, http.StatusBadRequest, view, units)
		return nil
	}
	err = s.db.InTx(r.Context(), func(tx *storage.Tx) error {
		if err := tx.SetOfficialAccess(r.Context(), o.ID, role, units); err != nil {
			return err
		}
		return tx.RecordAudit(r.Context(), langnghe.AuditEntry{Kind: langnghe.AuditOfficial, Subject: officialSubject(o),
			Action: "change", Actor: v.Actor(), Detail: fmt.Sprintf("role %s → %s; units %s → %s", o.Role, role,
				strings.Join(o.Units, ","), strings.Join(units, ","))})
	})
	if code := langnghe.ErrorCode(err); code == langnghe.ENOTFOUND || code == langnghe.EINVALID {
		view.Error = langnghe.ErrorMessage(err)
		s.renderOfficial(w, r, http.StatusBadRequest, view, units)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/console/studio/officials?changed="+strconv.FormatInt(o.ID, 10), http.StatusSeeOther)
	return nil
}

// permitDenouncers grants or withdraws (denouncers=on or off) an
// official's permission to see who made a denunciation, through followup,
// audited in the same transaction. Admins do not change their own.
func (s *Studio) permitDenouncers(w http.ResponseWriter, r *http.Request) error {
	v, o, err := s.official(r)
	if err != nil {
		return err
	}
	on := r.PostFormValue("denouncers") == "on"
	view := &officialView{Official: o, Role: string(o.Role)}
	view.Error = unchangeable(v, o, v.Locale.T("You cannot change your own permissions; ask another admin."))
	if view.Error != "" {
		s.renderOfficial(w, r, http.StatusBadRequest, view, o.Units)
		return nil
	}
	if on != o.SeesDenouncers {
		action := "permit denunciations"
		if !on {
			action = "withdraw denunciations"
		}
		entry := langnghe.AuditEntry{Kind: langnghe.AuditOfficial, Subject: officialSubject(o), Action: action, Actor: v.Actor(),
			Detail: fmt.Sprintf("sees denouncers %t → %t", o.SeesDenouncers, on)}
		if err := s.opts.Followup.PermitDenouncers(r.Context(), audited{db: s.db, entry: entry}, o.ID, on); err != nil {
			return err
		}
	}
	http.Redirect(w, r, "/console/studio/officials?changed="+strconv.FormatInt(o.ID, 10), http.StatusSeeOther)
	return nil
}

// officialSubject names an official in the audit: "#12 Nguyễn Văn An".
func officialSubject(o *langnghe.Official) string {
	return fmt.Sprintf("#%d %s", o.ID, o.Name)
}

func (s *Studio) confirmRevoke(w http.ResponseWriter, r *http.Request) error {
	v, o, err := s.official(r)
	if err != nil {
		return err
	}
	console.Render(w, r, settingsRevokePage, console.Page{
		Title: fmt.Sprintf(v.Locale.T("Revoke %s?"), o.Name), Section: "studio",
		Data: &officialView{Official: o, Self: o.ID == v.Official.ID}})
	return nil
}

// revokeOfficial ends an official's access at once, through followup, with
// its audit entry in the same transaction.
func (s *Studio) revokeOfficial(w http.ResponseWriter, r *http.Request) error {
	v, o, err := s.official(r)
	if err != nil {
		return err
	}
	if o.ID == v.Official.ID {
		return langnghe.Errorf(langnghe.EFORBIDDEN, "you cannot revoke yourself; ask another admin")
	}
	if o.RevokedAt != nil {
		http.Redirect(w, r, "/console/studio/officials?revoked="+strconv.FormatInt(o.ID, 10), http.StatusSeeOther)
		return nil
	}
	entry := langnghe.AuditEntry{Kind: langnghe.AuditOfficial, Subject: officialSubject(o), Action: "revoke", Actor: v.Actor()}
	if err := s.opts.Followup.Revoke(r.Context(), audited{db: s.db, entry: entry}, o.ID, v.Actor()); err != nil {
		return err
	}
	http.Redirect(w, r, "/console/studio/officials?revoked="+strconv.FormatInt(o.ID, 10), http.StatusSeeOther)
	return nil
}
