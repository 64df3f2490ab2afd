package studio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/storage"
	"langnghe/web/console"
)

// The form view of a category's keywords (issue 6): one keyword a line,
// saved as a new catalogue revision. Only the keywords' lines of the file
// change, so admins' comments and layout stay as they wrote them.

var settingsKeywordsPage = console.Templates(settingsFS, "templates/settings_keywords.html")

func (s *Studio) keywordRoutes() {
	s.mux.HandleFunc("GET /console/studio/settings/catalogue/categories/{code}", s.showKeywords)
	s.mux.HandleFunc("POST /console/studio/settings/catalogue/categories/{code}", s.saveKeywords)
}

// keywordsView is what the keyword form shows.
type keywordsView struct {
	Code, Name string
	Keywords   string
	Base       int
	Problems   []problem
	Conflict   string
	Saved      bool
}

// currentCategory returns the current catalogue's revision and source,
// and its category named in the path; ENOTFOUND when it has none.
func (s *Studio) currentCategory(r *http.Request) (int, []byte, langnghe.Category, error) {
	rev, src, err := s.currentSetting(r.Context(), langnghe.SettingCatalogue, catalogue.DefaultFile)
	if err != nil {
		return 0, nil, langnghe.Category{}, err
	}
	cat, err := catalogue.Parse(src)
	if err != nil {
		return 0, nil, langnghe.Category{}, fmt.Errorf("stored catalogue revision %d: %w", rev, err)
	}
	c, ok := cat.Category(r.PathValue("code"))
	if !ok {
		return 0, nil, langnghe.Category{}, langnghe.Errorf(langnghe.ENOTFOUND, "the catalogue has no category %q", r.PathValue("code"))
	}
	return rev, src, c, nil
}

func (s *Studio) showKeywords(w http.ResponseWriter, r *http.Request) error {
	rev, _, c, err := s.currentCategory(r)
	if err != nil {
		return err
	}
	view := &keywordsView{Code: c.Code, Keywords: strings.Join(c.Keywords, "\n"), Base: rev, Saved: r.URL.Query().Has("saved")}
	s.renderKeywords(w, r, http.StatusOK, c, view)
	return nil
}

// saveKeywords replaces one category's keywords and saves the catalogue as
// a new revision, with the same checks as the whole file.
func (s *Studio) saveKeywords(w http.ResponseWriter, r *http.Request) error {
	v, _ := console.ViewerFrom(r.Context())
	rev, src, c, err := s.currentCategory(r)
	if err != nil {
		return err
	}
	text := string(normaliseText(r.PostFormValue("keywords")))
	view := &keywordsView{Code: c.Code, Keywords: text}
	base, err := strconv.Atoi(r.PostFormValue("base"))
	if err != nil || base < 0 {
		return langnghe.Errorf(langnghe.EINVALID, "the form's base revision is not a number; reload the page")
	}
	view.Base = base
	if base != rev {
		view.Conflict = fmt.Sprintf(v.Locale.T("The catalogue changed since you opened this form: revision %d was saved meanwhile. Your keywords are kept below; reload the page to see the other changes, then save again."), rev)
		s.renderKeywords(w, r, http.StatusConflict, c, view)
		return nil
	}
	edited, err := setKeywords(src, c.Code, keywordLines(text))
	if err != nil {
		view.Problems, err = problemsOf(err, nil)
		if err != nil {
			return err
		}
		s.renderKeywords(w, r, http.StatusBadRequest, c, view)
		return nil
	}
	ps, err := s.checkCatalogue(r.Context(), edited)
	if err != nil {
		return err
	}
	if len(ps) > 0 {
		view.Problems = ps
		s.renderKeywords(w, r, http.StatusBadRequest, c, view)
		return nil
	}
	err = s.db.InTx(r.Context(), func(tx *storage.Tx) error {
		_, err := tx.SaveSetting(r.Context(), langnghe.SettingChange{Name: langnghe.SettingCatalogue, Source: edited,
			Author: v.Actor(), Base: base, Action: "keywords", Detail: "keywords of category " + c.Code})
		return err
	})
	switch langnghe.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/console/studio/settings/catalogue/categories/"+c.Code+"?saved=1", http.StatusSeeOther)
	case langnghe.ECONFLICT:
		view.Conflict = langnghe.ErrorMessage(err)
		s.renderKeywords(w, r, http.StatusConflict, c, view)
	default:
		return err
	}
	return nil
}

func (s *Studio) renderKeywords(w http.ResponseWriter, r *http.Request, status int, c langnghe.Category, view *keywordsView) {
	v, _ := console.ViewerFrom(r.Context())
	view.Name = c.Name(v.Locale.Lang)
	flash := ""
	if view.Saved {
		flash = v.Locale.T("Saved as a new revision of the catalogue.")
	}
	console.Render(w, r, settingsKeywordsPage, console.Page{
		Title: fmt.Sprintf(v.Locale.T("Keywords of %s"), view.Name), Section: "studio", Data: view, Flash: flash, Status: status})
}

// keywordLines splits the form's text into keywords: one a line, trimmed,
// in NFC (the classifier folds them), blank lines and repeats dropped.
func keywordLines(text string) []string {
	out := []string{}
	for _, line := range strings.Split(text, "\n") {
		kw := norm.NFC.String(strings.TrimSpace(line))
		if kw != "" && !slices.Contains(out, kw) {
			out = append(out, kw)
		}
	}
	return out
}

// setKeywords returns the catalogue src with the keywords of category code
// replaced by kws. Only the keywords' text changes; the result is parsed
// and compared with the original, so a file this cannot edit safely is
// refused rather than changed elsewhere.
func setKeywords(src []byte, code string, kws []string) ([]byte, error) {
	cantEdit := func(why string) error {
		return langnghe.Errorf(langnghe.EINVALID, "the keywords of %s cannot be edited in the form (%s); edit the catalogue file instead", code, why)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil || len(root.Content) == 0 {
		return nil, cantEdit("the file does not parse")
	}
	item := categoryNode(root.Content[0], code)
	if item == nil {
		return nil, cantEdit("no such category in the file")
	}
	if item.Style&yaml.FlowStyle != 0 {
		return nil, cantEdit("the category is written on one line")
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	indent := strings.Repeat(" ", item.Column-1)
	var edited []byte
	if key, value := mappingEntry(item, "keywords"); key != nil {
		// Replace from just after "keywords:" to the end of its value.
		start := byteOffset(lines, key.Line, key.Column)
		colon := bytes.IndexByte(src[start:], ':')
		if colon < 0 {
			return nil, cantEdit("no colon after keywords")
		}
		start += colon + 1
		end := regionEnd(src, &root, value, start)
		list := " " + flowList(kws, len(indent)+len("keywords: "), indent+"  ")
		edited = slices.Concat(src[:start], []byte(list), src[end:])
	} else {
		last := item.Content[len(item.Content)-1]
		end := regionEnd(src, &root, last, byteOffset(lines, last.Line, last.Column))
		entry := "\n" + indent + "keywords: " + flowList(kws, len(indent)+len("keywords: "), indent+"  ")
		edited = slices.Concat(src[:end], []byte(entry), src[end:])
	}
	before, err := catalogue.Parse(src)
	if err != nil {
		return nil, err
	}
	after, err := catalogue.Parse(edited)
	if err != nil {
		return nil, err
	}
	for i := range before.Categories {
		if before.Categories[i].Code == code {
			before.Categories[i].Keywords = kws
		}
		if len(before.Categories[i].Keywords) == 0 {
			before.Categories[i].Keywords = nil
		}
	}
	for i := range after.Categories {
		if len(after.Categories[i].Keywords) == 0 {
			after.Categories[i].Keywords = nil
		}
	}
	if !reflect.DeepEqual(before, after) {
		return nil, cantEdit("the file's layout is unusual")
	}
	return edited, nil
}

// categoryNode finds the mapping of category code in the catalogue's tree.
func categoryNode(doc *yaml.Node, code string) *yaml.Node {
	_, cats := mappingEntry(doc, "categories")
	if cats == nil || cats.Kind != yaml.SequenceNode {
		return nil
	}
	for _, item := range cats.Content {
		if _, c := mappingEntry(item, "code"); c != nil && c.Value == code && item.Kind == yaml.MappingNode {
			return item
		}
	}
	return nil
}

// mappingEntry returns the key and value nodes of key in mapping n.
func mappingEntry(n *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

// byteOffset turns a node's line and column (1-based, in characters) into a
// byte offset in the file.
func byteOffset(lines [][]byte, line, col int) int {
	off := 0
	for i := 0; i < line-1 && i < len(lines); i++ {
		off += len(lines[i])
	}
	if line-1 < len(lines) {
		l := lines[line-1]
		for c := 1; c < col && len(l) > 0; c++ {
			_, size := utf8.DecodeRune(l)
			off += size
			l = l[size:]
		}
	}
	return off
}

// regionEnd returns where node n's text ends: just before the next node of
// the document, less the blank lines, comments and list dash that belong
// to that next node. from is where n's text starts.
func regionEnd(src []byte, root, n *yaml.Node, from int) int {
	lines := bytes.SplitAfter(src, []byte("\n"))
	last := lastNode(n)
	end := len(src)
	var walk func(x *yaml.Node)
	walk = func(x *yaml.Node) {
		if nodeAfter(x, last) {
			if o := byteOffset(lines, x.Line, x.Column); o < end && o > from {
				end = o
			}
		}
		for _, c := range x.Content {
			walk(c)
		}
	}
	walk(root)
	for end > from {
		trimmed := bytes.TrimRight(src[from:end], " \t\r\n")
		end = from + len(trimmed)
		lineStart := bytes.LastIndexByte(src[:end], '\n') + 1
		switch content := bytes.TrimSpace(src[max(lineStart, from):end]); {
		case lineStart > from && len(content) > 0 && content[0] == '#':
			end = lineStart // a comment line above the next node
		case len(content) == 1 && content[0] == '-' && lineStart > from:
			end = lineStart // the next item's dash
		default:
			return end
		}
	}
	return end
}

// lastNode returns the node of n's tree that starts last.
func lastNode(n *yaml.Node) *yaml.Node {
	last := n
	for _, c := range n.Content {
		if l := lastNode(c); nodeAfter(l, last) {
			last = l
		}
	}
	return last
}

func nodeAfter(a, b *yaml.Node) bool {
	return a.Line > b.Line || a.Line == b.Line && a.Column > b.Column
}

// flowList writes kws as a YAML flow list, wrapped like the default
// catalogue: continuation lines indented by cont, about 110 columns wide.
// first is the column the list starts at.
func flowList(kws []string, first int, cont string) string {
	const width = 110
	var b strings.Builder
	b.WriteByte('[')
	col := first + 1
	for i, kw := range kws {
		item := flowScalar(kw)
		if i > 0 {
			b.WriteByte(',')
			col++
			if col+1+utf8.RuneCountInString(item) > width {
				b.WriteString("\n" + cont)
				col = len(cont)
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(item)
		col += utf8.RuneCountInString(item)
	}
	b.WriteByte(']')
	return b.String()
}

// flowScalar writes a keyword as it may appear in a flow list: plain when
// that reads back as the same string, double-quoted otherwise.
func flowScalar(kw string) string {
	var back []string
	if err := yaml.Unmarshal([]byte("["+kw+"]"), &back); err == nil && len(back) == 1 && back[0] == kw &&
		!strings.ContainsAny(kw, "\"'#") {
		return kw
	}
	q, _ := json.Marshal(kw) // a JSON string is a YAML double-quoted scalar
	return string(q)
}
