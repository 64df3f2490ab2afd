package studio

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"langnghe"
	"langnghe/flows"
	"langnghe/web"
	"langnghe/web/console"
)

// The form view: the common edits of a flow without touching YAML — what
// each node says, per language, and the labels of a question's buttons.
// The edits are made on the file's YAML tree (yamlDoc), so its comments,
// order and quoting survive, and the result is saved as a new revision
// like any save.

// flowDoc is a flow file's YAML tree with what the form needs to find its
// texts.
type flowDoc struct {
	yamlDoc
	languages []string
	base      string
}

func parseFlowDoc(src []byte) (*flowDoc, error) {
	y, err := parseYAMLDoc(src, "nodes", "id")
	if err != nil {
		return nil, langnghe.Errorf(langnghe.EINVALID, "the flow's text is not readable YAML (%v); use the editor", err)
	}
	d := &flowDoc{yamlDoc: *y, base: langnghe.LangVI}
	root := d.root()
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, langnghe.Errorf(langnghe.EINVALID, "the flow's text is not a flow; use the editor")
	}
	if b := yamlValue(root, "base_language"); b != nil && b.Value != "" {
		d.base = b.Value
	}
	if ls := yamlValue(root, "languages"); ls != nil {
		for _, l := range ls.Content {
			d.languages = append(d.languages, l.Value)
		}
	}
	if !slices.Contains(d.languages, d.base) {
		d.languages = append([]string{d.base}, d.languages...)
	}
	return d, nil
}

// flowText is one translatable text of the file: where it is and its node.
type flowText struct {
	key    string // field name prefix: "t/<node>/<where>"
	node   string // the flow node's id ("" for the flow's name)
	what   string // "message", "retry", "say 1", "button yes", "name"
	text   *yaml.Node
	inFlow bool // inside a flow-style collection, where block scalars cannot go
}

// texts lists the file's translatable texts in file order.
func (d *flowDoc) texts() []flowText {
	root := d.root()
	var out []flowText
	if n := yamlValue(root, "name"); n != nil {
		out = append(out, flowText{key: "t//name", what: "name", text: n, inFlow: n.Style&yaml.FlowStyle != 0})
	}
	nodes := yamlValue(root, "nodes")
	if nodes == nil {
		return out
	}
	for _, n := range nodes.Content {
		idNode := yamlValue(n, "id")
		if idNode == nil {
			continue
		}
		id := idNode.Value
		flow := n.Style&yaml.FlowStyle != 0
		if say := yamlValue(n, "say"); say != nil && say.Kind == yaml.SequenceNode {
			for i, t := range say.Content {
				out = append(out, flowText{key: fmt.Sprintf("t/%s/say.%d", id, i), node: id, what: fmt.Sprintf("say %d", i+1),
					text: t, inFlow: flow || say.Style&yaml.FlowStyle != 0 || t.Style&yaml.FlowStyle != 0})
			}
		}
		ask := yamlValue(n, "ask")
		if ask == nil || ask.Kind != yaml.MappingNode {
			continue
		}
		askFlow := flow || ask.Style&yaml.FlowStyle != 0
		for _, field := range []string{"message", "retry"} {
			if t := yamlValue(ask, field); t != nil {
				out = append(out, flowText{key: "t/" + id + "/" + field, node: id, what: field, text: t,
					inFlow: askFlow || t.Style&yaml.FlowStyle != 0})
			}
		}
		if opts := yamlValue(ask, "options"); opts != nil && opts.Kind == yaml.SequenceNode {
			for _, o := range opts.Content {
				v, label := yamlValue(o, "value"), yamlValue(o, "label")
				if v == nil || label == nil {
					continue
				}
				out = append(out, flowText{key: "t/" + id + "/option." + v.Value, node: id, what: "button " + v.Value, text: label,
					inFlow: askFlow || opts.Style&yaml.FlowStyle != 0 || o.Style&yaml.FlowStyle != 0 || label.Style&yaml.FlowStyle != 0})
			}
		}
	}
	return out
}

// value returns the text's translation in lang ("" when missing).
func (d *flowDoc) value(t flowText, lang string) string {
	switch t.text.Kind {
	case yaml.ScalarNode:
		if lang == d.base {
			return t.text.Value
		}
	case yaml.MappingNode:
		if v := yamlValue(t.text, lang); v != nil {
			return v.Value
		}
	}
	return ""
}

// set changes the text's translation in lang to value; an empty value
// removes a translation (the base language's cannot be removed).
func (d *flowDoc) set(t flowText, lang, value string) error {
	n := t.text
	if n.Kind == yaml.ScalarNode {
		if lang == d.base {
			if value == "" {
				return langnghe.Errorf(langnghe.EINVALID, "%s of node %s: the %s text cannot be empty", t.what, t.node, d.base)
			}
			setScalar(n, value, t.inFlow)
			return nil
		}
		if value == "" {
			return nil
		}
		// A plain text in the base language becomes a mapping of languages.
		old := *n
		old.LineComment, old.HeadComment, old.FootComment = "", "", ""
		*n = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle,
			LineComment: n.LineComment, HeadComment: n.HeadComment, FootComment: n.FootComment,
			Content: []*yaml.Node{strNode(d.base), &old, strNode(lang), strNode("")}}
		if strings.Contains(value, "\n") || strings.Contains(old.Value, "\n") {
			n.Style = 0
		}
		setScalar(n.Content[3], value, t.inFlow || n.Style&yaml.FlowStyle != 0)
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return langnghe.Errorf(langnghe.EINVALID, "%s of node %s is neither a text nor a mapping of languages; use the editor", t.what, t.node)
	}
	inFlow := t.inFlow || n.Style&yaml.FlowStyle != 0
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value != lang {
			continue
		}
		if value == "" {
			if lang == d.base {
				return langnghe.Errorf(langnghe.EINVALID, "%s of node %s: the %s text cannot be empty", t.what, t.node, d.base)
			}
			n.Content = slices.Delete(n.Content, i, i+2)
			return nil
		}
		setScalar(n.Content[i+1], value, inFlow)
		return nil
	}
	if value != "" {
		v := strNode("")
		setScalar(v, value, inFlow)
		n.Content = append(n.Content, strNode(lang), v)
	}
	return nil
}

// formView is the form page.
type formView struct {
	Flow      string
	Base      int
	Languages []string
	Nodes     []formNode
	Error     string
	Problems  []flows.Problem
}

// formNode is a node of the flow with its texts.
type formNode struct {
	ID    string
	Texts []formText
}

// formText is one text with a field per language: what the form calls it
// in the admin's language (Label) and in the file's words (Key).
type formText struct {
	Label, Key string
	Values     []formValue
}

// formValue is a text in one language.
type formValue struct {
	Lang, Field, Value string
	Missing, Long      bool
}

// label is what the form calls the text, in the admin's language.
func (t flowText) label(l console.Locale) string {
	kind, arg, _ := strings.Cut(t.what, " ")
	switch kind {
	case "name":
		return l.T("Name of the flow")
	case "message":
		return l.T("Prompt")
	case "retry":
		return l.T("Reminder when the answer is not valid")
	case "say":
		return fmt.Sprintf(l.T("Says, part %s"), arg)
	case "button":
		return fmt.Sprintf(l.T("Button “%s”"), arg)
	}
	return t.what
}

func (d *flowDoc) view(l console.Locale, flow string, base int) *formView {
	v := &formView{Flow: flow, Base: base, Languages: d.languages}
	for _, t := range d.texts() {
		if len(v.Nodes) == 0 || v.Nodes[len(v.Nodes)-1].ID != t.node {
			v.Nodes = append(v.Nodes, formNode{ID: t.node})
		}
		ft := formText{Label: t.label(l), Key: t.what}
		for _, lang := range d.languages {
			val := d.value(t, lang)
			ft.Values = append(ft.Values, formValue{Lang: lang, Field: t.key + "/" + lang, Value: val,
				Missing: val == "", Long: len(val) > 60 || strings.Contains(val, "\n")})
		}
		n := &v.Nodes[len(v.Nodes)-1]
		n.Texts = append(n.Texts, ft)
	}
	return v
}

// apply sets every text the form changed; it reports whether any did.
func (d *flowDoc) apply(form url.Values) (bool, error) {
	changed := false
	for _, t := range d.texts() {
		for _, lang := range d.languages {
			field := t.key + "/" + lang
			if _, ok := form[field]; !ok {
				continue
			}
			value := string(normaliseText(form.Get(field)))
			if value == d.value(t, lang) {
				continue
			}
			if err := d.set(t, lang, value); err != nil {
				return changed, err
			}
			changed = true
		}
	}
	return changed, nil
}

// flowForm shows a revision's texts as a form (?rev=, the latest by default).
func (s *Studio) flowForm(w http.ResponseWriter, r *http.Request) error {
	v, _ := console.ViewerFrom(r.Context())
	id := r.PathValue("id")
	rev, src, err := s.shownRevision(r, id)
	if err != nil {
		return err
	}
	d, err := parseFlowDoc(src)
	if err != nil {
		return err
	}
	console.Render(w, r, flowFormPage, console.Page{Title: v.Locale.T("Texts and buttons of flow") + " " + flowTitle(v.Locale, id, src),
		Section: "studio", Data: d.view(v.Locale, id, rev)})
	return nil
}

// saveFlowForm applies the form's texts to the revision it showed and
// saves the result as a new revision, which a stale base refuses as in the
// editor; refused edits come back in the form.
func (s *Studio) saveFlowForm(w http.ResponseWriter, r *http.Request) error {
	v, _ := console.ViewerFrom(r.Context())
	l := v.Locale
	id := r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, maxFlowForm)
	if err := r.ParseForm(); err != nil {
		return langnghe.Errorf(langnghe.EINVALID, "the form could not be read")
	}
	base, err := revisionParam(r.PostForm.Get("base"))
	if err == nil && base == 0 {
		err = langnghe.Errorf(langnghe.EINVALID, "the form does not say which revision it edits")
	}
	if err != nil {
		return err
	}
	src, err := s.db.FlowRevision(r.Context(), id, base)
	if err != nil {
		return err
	}
	d, err := parseFlowDoc(src)
	if err != nil {
		return err
	}
	title := l.T("Texts and buttons of flow") + " " + flowTitle(l, id, src)
	refuse := func(status int, msg string, problems []flows.Problem) {
		view := d.view(l, id, base)
		view.Error, view.Problems = msg, problems
		console.Render(w, r, flowFormPage, console.Page{Title: title, Section: "studio", Data: view, Status: status})
	}
	changed, err := d.apply(r.PostForm)
	if err != nil {
		refuse(web.StatusOf(err), langnghe.ErrorMessage(err), nil)
		return nil
	}
	if !changed {
		http.Redirect(w, r, "/console/studio/flows/"+url.PathEscape(id)+"/form?rev="+strconv.Itoa(base), http.StatusSeeOther)
		return nil
	}
	out, err := d.encode()
	if err != nil {
		return err
	}
	chk, err := s.checkFlow(r.Context(), id, out)
	if err != nil {
		return err
	}
	if chk.def == nil {
		var errs []flows.Problem
		for _, p := range chk.problems {
			if p.Severity == flows.SeverityError {
				errs = append(errs, p)
			}
		}
		refuse(http.StatusUnprocessableEntity, l.T("Not saved: the changed texts make the flow invalid."), errs)
		return nil
	}
	_, rev, _, err := s.opts.Library.Import(r.Context(), s.db, v.Actor(), id+".yaml", out, base)
	switch {
	case langnghe.ErrorCode(err) == langnghe.ECONFLICT:
		refuse(http.StatusConflict, fmt.Sprintf(l.T("Not saved: someone saved a newer revision of this flow after you opened revision %d. Your texts are kept below; open the latest revision and enter them again."), base), nil)
		return nil
	case err != nil:
		return err
	}
	q := url.Values{"rev": {strconv.Itoa(rev)}, "saved": {strconv.Itoa(rev)}}
	http.Redirect(w, r, "/console/studio/flows/"+url.PathEscape(id)+"?"+q.Encode(), http.StatusSeeOther)
	return nil
}
