package studio

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"langnghe"
	"langnghe/flows"
	"langnghe/web"
	"langnghe/web/console"
)

// Checking a flow's text: the same validation as the command line
// (flowlib's Validate), plus what only makes sense for a flow edited in
// place: the file keeps the flow's id, and the flows it enters or hands
// over to are published.

// flowCheck is what checking a text found.
type flowCheck struct {
	// def is the parsed flow, nil when the text has errors.
	def      *flows.Definition
	problems []flows.Problem
	// graph is the flow's shape, also for a text with errors; nil when the
	// text cannot be read as a flow at all.
	graph *flows.Graph
}

// checkFlow checks src as the text of flow id.
func (s *Studio) checkFlow(ctx context.Context, id string, src []byte) (*flowCheck, error) {
	name := id + ".yaml"
	def, problems, err := s.opts.Library.Validate(name, src)
	if err != nil && langnghe.ErrorCode(err) != langnghe.EINVALID {
		return nil, fmt.Errorf("check flow %s: %w", id, err)
	}
	c := &flowCheck{def: def, problems: problems}
	c.graph, _ = flows.GraphOf(name, src, s.opts.Catalogue)
	if def != nil && def.ID != id {
		line := idLine(src)
		c.problems = append(c.problems, flows.Problem{File: name, Line: line, Column: 1, Severity: flows.SeverityError,
			Message: fmt.Sprintf("the file's id is %q, but this is flow %q: a flow keeps its id", def.ID, id)})
		c.def = nil
	}
	if c.def != nil {
		// Links name flows; which flows are published is all they need.
		infos, err := s.db.Flows(ctx)
		if err != nil {
			return nil, err
		}
		known := []*flows.Definition{c.def}
		for _, f := range infos {
			if f.PublishedRevision > 0 && f.ID != id {
				known = append(known, &flows.Definition{ID: f.ID})
			}
		}
		if links := flows.CheckLinks(known); len(links) > 0 {
			c.problems = append(c.problems, links...)
			c.def = nil
		}
	}
	slices.SortStableFunc(c.problems, func(a, b flows.Problem) int {
		if a.Severity != b.Severity {
			if a.Severity == flows.SeverityError {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return c, nil
}

var idLinePattern = regexp.MustCompile(`(?m)^id\s*:`)

// idLine is the line of the file's top-level id (1 when not found).
func idLine(src []byte) int {
	loc := idLinePattern.FindIndex(src)
	if loc == nil {
		return 1
	}
	return bytes.Count(src[:loc[0]], []byte("\n")) + 1
}

// checkView is the problems panel and the diagram.
type checkView struct {
	L        console.Locale
	Valid    bool
	Errors   []flows.Problem
	Warnings []flows.Problem
	// Missing lists the missing translations per language.
	Missing []missingTranslations
	Diagram template.HTML
}

// missingTranslations are the texts without a translation in Lang.
type missingTranslations struct {
	Lang   string
	Places []flows.Problem
}

func (c *flowCheck) view(l console.Locale) *checkView {
	v := &checkView{L: l, Valid: c.def != nil, Diagram: diagramSVG(c.graph, l)}
	byLang := map[string][]flows.Problem{}
	for _, p := range c.problems {
		switch {
		case p.Severity == flows.SeverityError:
			v.Errors = append(v.Errors, p)
		case p.Language != "":
			byLang[p.Language] = append(byLang[p.Language], p)
		default:
			v.Warnings = append(v.Warnings, p)
		}
	}
	for _, lang := range slices.Sorted(func(yield func(string) bool) {
		for k := range byLang {
			if !yield(k) {
				return
			}
		}
	}) {
		v.Missing = append(v.Missing, missingTranslations{Lang: lang, Places: byLang[lang]})
	}
	return v
}

// checkAnswer is the check call's JSON answer.
type checkAnswer struct {
	Valid    bool            `json:"valid"`
	Problems []flows.Problem `json:"problems"`
	// Missing counts the missing translations per language.
	Missing map[string]int `json:"missing"`
	// Report is the problems panel as HTML, Diagram the flow as SVG (empty
	// when the text cannot be read as a flow).
	Report  string `json:"report"`
	Diagram string `json:"diagram"`
}

// checkFlowText checks the editor's text. The editor's script calls it as
// the admin types and gets JSON; without JavaScript the "Check" button
// posts the form and gets the editor again, with the text and its problems.
func (s *Studio) checkFlowText(w http.ResponseWriter, r *http.Request) error {
	v, _ := console.ViewerFrom(r.Context())
	id := r.PathValue("id")
	src, base, err := readEditorForm(w, r)
	if err != nil {
		return err
	}
	if !wantsJSON(r) {
		s.renderEditor(w, r, http.StatusOK, id, base, src, "", nil, "")
		return nil
	}
	chk, err := s.checkFlow(r.Context(), id, src)
	if err != nil {
		writeJSONError(w, r, err)
		return nil
	}
	view := chk.view(v.Locale)
	var report bytes.Buffer
	if err := flowEditorPage.ExecuteTemplate(&report, "flow_report", view); err != nil {
		writeJSONError(w, r, fmt.Errorf("render problems: %w", err))
		return nil
	}
	answer := checkAnswer{Valid: view.Valid, Problems: chk.problems, Missing: map[string]int{},
		Report: report.String(), Diagram: string(view.Diagram)}
	if answer.Problems == nil {
		answer.Problems = []flows.Problem{}
	}
	for _, m := range view.Missing {
		answer.Missing[m.Lang] = len(m.Places)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(answer)
	return nil
}

// wantsJSON reports whether the request is the editor's script asking
// for JSON.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// writeJSONError answers a script's call with the error's status and its
// safe message; an internal error goes through console.Fail, which logs it.
func writeJSONError(w http.ResponseWriter, r *http.Request, err error) {
	status := web.StatusOf(err)
	if status == http.StatusInternalServerError {
		console.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": langnghe.ErrorMessage(err)})
}
