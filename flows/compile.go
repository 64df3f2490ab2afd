package flows

import (
	"slices"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"langnghe"
)

// compile validates raw and builds its Definition; every problem found is
// recorded, and the result is only used when none is an error.
func (p *parser) compile(root *yaml.Node, raw *rawFlow) *Definition {
	if !idPattern.MatchString(raw.ID) {
		p.errorAt(valueOr(root, "id"), "", "flow id %q must be lower-case letters, digits and _, starting with a letter, at most 40 long", raw.ID)
	}
	p.base = raw.BaseLanguage
	if p.base == "" {
		p.base = "vi"
	}
	p.langs = raw.Languages
	if len(p.langs) == 0 {
		p.langs = []string{p.base}
	}
	for i, l := range p.langs {
		if !langPattern.MatchString(l) {
			p.errorAt(seqItem(mapValue(root, "languages"), i), "", "language %q is not a language code such as vi, en, zh", l)
		}
	}
	if !slices.Contains(p.langs, p.base) {
		p.errorAt(valueOr(root, "base_language"), "", "base language %q is not among the flow's languages %v", p.base, p.langs)
	}
	def := &Definition{ID: raw.ID, File: p.file, BaseLanguage: p.base, Languages: p.langs,
		start: raw.Start, nodes: make(map[string]*node, len(raw.Nodes))}
	p.text(raw.Name, "")

	switch {
	case len(raw.Nodes) == 0:
		p.errorAt(mapKey(root, "nodes"), "", "the flow has no nodes")
		return def
	case len(raw.Nodes) > MaxNodes:
		p.errorAt(mapKey(root, "nodes"), "", "the flow has %d nodes; the limit is %d", len(raw.Nodes), MaxNodes)
		return def
	}
	byID := map[string]*rawNode{}
	for i := range raw.Nodes {
		rn := &raw.Nodes[i]
		idNode := valueOr(rn.node, "id")
		switch {
		case !idPattern.MatchString(rn.ID):
			p.errorAt(idNode, rn.ID, "node id %q must be lower-case letters, digits and _, starting with a letter, at most 40 long", rn.ID)
		case byID[rn.ID] != nil:
			p.errorAt(idNode, rn.ID, "duplicate node id; first defined at line %d", byID[rn.ID].node.Line)
			continue
		}
		byID[rn.ID] = rn
	}
	if raw.Start == "" {
		p.errorAt(root, "", "start is missing: name the node the flow begins at")
	} else if byID[raw.Start] == nil {
		p.errorAt(valueOr(root, "start"), "", "start %q is not a node of this flow", raw.Start)
	}
	for i := range raw.Nodes {
		rn := &raw.Nodes[i]
		if byID[rn.ID] != rn {
			continue // a duplicate, already reported
		}
		def.nodes[rn.ID] = p.node(def, rn, byID)
	}
	p.checkReachable(raw, byID)
	return def
}

func (p *parser) node(def *Definition, rn *rawNode, byID map[string]*rawNode) *node {
	n := &node{id: rn.ID, line: rn.node.Line, exits: rn.Exits, next: rn.Next, enter: rn.Enter, switchTo: rn.SwitchTo}
	for _, t := range rn.Say {
		n.say = append(n.say, p.text(t, rn.ID))
	}
	if rn.Action != nil {
		n.action = p.action(rn)
	}
	kinds := 0
	for _, set := range []bool{rn.Ask != nil, rn.Router != nil, rn.Classify != nil, rn.FAQ != nil, rn.Enter != "", rn.SwitchTo != ""} {
		if set {
			kinds++
		}
	}
	if kinds > 1 {
		p.errorAt(rn.node, rn.ID, "a node has at most one of ask, router, classify, faq, enter, switch_to")
		return n
	}
	var outcomes []string // what the node can lead to; nil: only next
	var optional []string // outcomes a node may wire but need not
	switch {
	case rn.Ask != nil:
		n.ask, outcomes = p.ask(rn)
	case rn.Router != nil:
		n.router, outcomes = p.router(rn)
	case rn.Classify != nil:
		n.classify = p.classifyStep(rn)
		outcomes = []string{OutcomeSure, OutcomeUnsure, OutcomeEmergency, OutcomeComplaint, OutcomeDenunciation}
		// Flows written before the resident chose the track have no
		// "track" exit and go on by the suggestion alone.
		optional = []string{OutcomeTrack}
	case rn.FAQ != nil:
		n.faq = rn.FAQ.Text
		if !idPattern.MatchString(n.faq) {
			p.errorAt(valueOr(rn.node, "faq"), rn.ID, "faq needs text: the answer key holding the resident's question")
		}
		outcomes = []string{OutcomeAnswered, OutcomeNone}
	case rn.Enter != "" || rn.SwitchTo != "":
		target, field := rn.Enter, "enter"
		if target == "" {
			target, field = rn.SwitchTo, "switch_to"
		}
		v := valueOr(rn.node, field)
		switch {
		case !idPattern.MatchString(target):
			p.errorAt(v, rn.ID, "%s %q is not a flow id", field, target)
		case target == def.ID && field == "enter":
			p.errorAt(v, rn.ID, "a flow cannot enter itself")
		}
		def.links = append(def.links, link{flow: target, node: rn.ID, line: v.Line, column: v.Column})
		if field == "enter" {
			outcomes = []string{OutcomeDone}
		} else if len(rn.Exits) > 0 || rn.Next != "" {
			p.errorAt(rn.node, rn.ID, "switch_to hands the conversation over; the node cannot have exits or next")
		}
	}
	p.checkExits(rn, outcomes, optional, byID)
	return n
}

// checkExits checks that every exit names an outcome the node can have and
// leads to a node, and that a node which sorts or waits has an exit for
// every outcome (or a next).
func (p *parser) checkExits(rn *rawNode, outcomes, optional []string, byID map[string]*rawNode) {
	exitsNode := mapValue(rn.node, "exits")
	for _, outcome := range sortedKeys(rn.Exits) {
		target := rn.Exits[outcome]
		if outcomes == nil || !slices.Contains(outcomes, outcome) && !slices.Contains(optional, outcome) {
			if outcomes == nil {
				p.errorAt(mapKey(exitsNode, outcome), rn.ID, "exit %q: this node has no outcomes; use next", outcome)
			} else {
				p.errorAt(mapKey(exitsNode, outcome), rn.ID, "exit %q is not an outcome of this node (outcomes: %v)", outcome, append(slices.Clone(outcomes), optional...))
			}
			continue
		}
		if byID[target] == nil {
			p.errorAt(mapValue(exitsNode, outcome), rn.ID, "exit %q leads to unknown node %q", outcome, target)
		}
	}
	if rn.Next != "" && byID[rn.Next] == nil {
		p.errorAt(valueOr(rn.node, "next"), rn.ID, "next leads to unknown node %q", rn.Next)
	}
	if rn.Next != "" || rn.Enter != "" {
		return
	}
	for _, o := range outcomes {
		if _, ok := rn.Exits[o]; !ok {
			p.errorAt(rn.node, rn.ID, "outcome %q has no exit; add it to exits or give next", o)
		}
	}
}

func (p *parser) checkReachable(raw *rawFlow, byID map[string]*rawNode) {
	if byID[raw.Start] == nil {
		return
	}
	seen := map[string]bool{raw.Start: true}
	queue := []string{raw.Start}
	for len(queue) > 0 {
		rn := byID[queue[0]]
		queue = queue[1:]
		targets := []string{rn.Next}
		for _, t := range rn.Exits {
			targets = append(targets, t)
		}
		for _, t := range targets {
			if byID[t] != nil && !seen[t] {
				seen[t] = true
				queue = append(queue, t)
			}
		}
	}
	for i := range raw.Nodes {
		rn := &raw.Nodes[i]
		if !seen[rn.ID] && byID[rn.ID] == rn {
			p.errorAt(valueOr(rn.node, "id"), rn.ID, "node is unreachable from start %q", raw.Start)
		}
	}
}

// text compiles t and reports template errors and missing translations.
func (p *parser) text(t rawText, nodeID string) *text {
	out := p.template(t, nodeID)
	if t.values == nil {
		return out
	}
	for _, lang := range p.langs {
		if !out.has(lang) {
			p.problems = append(p.problems, Problem{File: p.file, Line: t.line, Column: t.column, Node: nodeID,
				Severity: SeverityWarning, Language: lang, Message: "missing " + lang + " translation"})
		}
	}
	for lang := range t.values {
		if lang != "" && !slices.Contains(p.langs, lang) {
			p.add(SeverityWarning, t.line, t.column, nodeID, "translation %q is not among the flow's languages %v", lang, p.langs)
		}
	}
	return out
}

// template compiles t and reports template errors only: for texts the
// resident never sees, such as a router's value.
func (p *parser) template(t rawText, nodeID string) *text {
	out, errs := compileText(t, p.base)
	for _, err := range errs {
		p.add(SeverityError, t.line, t.column, nodeID, "%v", err)
	}
	return out
}

func (p *parser) requiredText(t *rawText, where *yaml.Node, nodeID, what string) *text {
	if t == nil || len(t.values) == 0 {
		p.errorAt(where, nodeID, "%s is missing", what)
		return &text{}
	}
	return p.text(*t, nodeID)
}

func (p *parser) action(rn *rawNode) *action {
	ra := rn.Action
	an := mapValue(rn.node, "action")
	a := &action{kind: ra.Type, purpose: ra.Purpose, noticeVersion: ra.NoticeVersion, to: ra.To,
		from: ra.From, textKey: ra.Text, category: ra.Category}
	switch ra.Type {
	case ActionConsent:
		if ra.Purpose == "" || ra.NoticeVersion == "" || ra.Granted == nil {
			p.errorAt(an, rn.ID, "a consent action needs purpose, notice_version and granted")
		} else {
			a.granted = *ra.Granted
		}
	case ActionSetLanguage:
		if (ra.To == "") == (ra.From == "") {
			p.errorAt(an, rn.ID, "set_language needs either to (a language) or from (the answer holding one)")
		} else if ra.To != "" && !langPattern.MatchString(ra.To) {
			p.errorAt(valueOr(an, "to"), rn.ID, "language %q is not a language code", ra.To)
		}
	case ActionSubmit:
		if a.textKey == "" {
			a.textKey = "description"
		}
		if ra.Category != "" {
			p.checkCategory(valueOr(an, "category"), rn.ID, ra.Category)
		}
	case ActionSetTrack:
		if !langnghe.LegalTrack(ra.To).Valid() {
			p.errorAt(valueOr(an, "to"), rn.ID, "set_track needs to: feedback, complaint or denunciation (got %q)", ra.To)
		}
	case ActionListOpinions, ActionShowData, ActionDeleteData, ActionStayAnonymous, ActionUseSavedPhone, ActionRecordResponse:
	default:
		p.errorAt(valueOr(an, "type"), rn.ID, "unknown action type %q (known: consent, delete_data, list_opinions, record_response, set_language, set_track, show_data, stay_anonymous, submit, use_saved_phone)", ra.Type)
	}
	return a
}

func (p *parser) checkCategory(where *yaml.Node, nodeID, code string) {
	if p.cat == nil {
		return
	}
	if _, ok := p.cat.Category(code); !ok {
		p.errorAt(where, nodeID, "unknown category %q", code)
	}
}

var askKinds = []string{AskArea, AskAttachment, AskCategory, AskChoice, AskContact, AskDate,
	AskLocation, AskNumber, AskPhone, AskScale, AskText, AskYesNo}

func (p *parser) ask(rn *rawNode) (*ask, []string) {
	ra := rn.Ask
	an := mapValue(rn.node, "ask")
	a := &ask{kind: ra.Kind, key: ra.Key, retries: 2, min: ra.Min, max: ra.Max}
	if !slices.Contains(askKinds, ra.Kind) {
		p.errorAt(valueOr(an, "kind"), rn.ID, "unknown ask kind %q (known: %v)", ra.Kind, askKinds)
	}
	if a.key == "" {
		a.key = rn.ID
	} else if !idPattern.MatchString(a.key) {
		p.errorAt(valueOr(an, "key"), rn.ID, "answer key %q must be lower-case letters, digits and _", a.key)
	}
	a.message = p.requiredText(ra.Message, an, rn.ID, "the question (message)")
	a.retry = p.requiredText(ra.Retry, an, rn.ID, "the retry message (retry)")
	if ra.Retries != nil {
		a.retries = *ra.Retries
		if a.retries < 0 || a.retries > MaxRetries {
			p.errorAt(valueOr(an, "retries"), rn.ID, "retries must be between 0 and %d", MaxRetries)
		}
	}
	outcomes := []string{OutcomeRetriesExhausted}
	if ra.Timeout != "" {
		d, err := time.ParseDuration(ra.Timeout)
		if err != nil || d < time.Minute || d > 30*24*time.Hour {
			p.errorAt(valueOr(an, "timeout"), rn.ID, "timeout %q must be a duration between 1m and 720h, such as 30m or 24h", ra.Timeout)
		}
		a.timeout = d
		outcomes = append(outcomes, OutcomeNoResponse)
	}
	if ra.MinLength != nil || ra.MaxLength != nil {
		if ra.Kind != AskText {
			p.errorAt(an, rn.ID, "min_length and max_length apply to text asks")
		}
		a.min, a.max = intPtrToFloat(ra.MinLength), intPtrToFloat(ra.MaxLength)
	} else if (ra.Min != nil || ra.Max != nil) && ra.Kind != AskNumber && ra.Kind != AskScale {
		p.errorAt(an, rn.ID, "min and max apply to number and scale asks")
	}
	if ra.Kind == AskScale {
		p.scale(rn, a)
	}
	if a.min != nil && a.max != nil && *a.min > *a.max {
		p.errorAt(an, rn.ID, "min is greater than max")
	}
	if ra.PassOn {
		if ra.FreeText != nil {
			p.errorAt(mapKey(an, "pass_on"), rn.ID, "pass_on and free_text both take words that answer no option: keep one")
		}
		a.passOn = true
	}
	if ft := ra.FreeText; ft != nil {
		switch {
		case ra.Kind != AskChoice:
			p.errorAt(mapKey(an, "free_text"), rn.ID, "free_text applies to choice asks")
		case !idPattern.MatchString(ft.Key):
			p.errorAt(valueOr(mapValue(an, "free_text"), "key"), rn.ID, "free_text needs key: the answer key to keep the words under")
		case ft.MinLength < 0 || ft.MinLength > MaxTextLength:
			p.errorAt(valueOr(mapValue(an, "free_text"), "min_length"), rn.ID, "free_text min_length must be between 0 and %d", MaxTextLength)
		}
		a.freeTextKey, a.freeTextMin = ft.Key, ft.MinLength
		outcomes = append(outcomes, OutcomeText)
	}
	if len(ra.Options) > MaxOptions {
		p.errorAt(mapKey(an, "options"), rn.ID, "%d options; the limit is %d buttons", len(ra.Options), MaxOptions)
	}
	optsNode := mapValue(an, "options")
	for i, o := range ra.Options {
		on := seqItem(optsNode, i)
		switch {
		case !valuePattern.MatchString(o.Value):
			p.errorAt(valueOr(on, "value"), rn.ID, "option value %q must be lower-case ASCII letters, digits and _, at most %d long, so the button data fits 64 bytes", o.Value, maxValueLen)
		case slices.Contains(outcomes, o.Value) || slices.ContainsFunc(a.options, func(x option) bool { return x.value == o.Value }):
			p.errorAt(valueOr(on, "value"), rn.ID, "duplicate option value %q", o.Value)
		}
		label := p.requiredText(&o.Label, on, rn.ID, "the option's label")
		for lang, s := range o.Label.values {
			if utf8.RuneCountInString(s) > MaxLabelRunes {
				p.errorAt(on, rn.ID, "label of option %q in %q is longer than %d characters", o.Value, lang, MaxLabelRunes)
			}
		}
		if ra.Kind == AskScale && isDigits(o.Value) {
			// A label for a point: the point leads to ok like any other.
			if !a.point(o.Value) {
				lo, hi := a.scale()
				p.errorAt(valueOr(on, "value"), rn.ID, "option %q labels no point of the scale %d to %d", o.Value, lo, hi)
			}
			a.options = append(a.options, option{value: o.Value, label: label})
			continue
		}
		a.options = append(a.options, option{value: o.Value, label: label})
		outcomes = append(outcomes, o.Value)
	}
	switch ra.Kind {
	case AskChoice:
		if len(ra.Options) == 0 {
			p.errorAt(an, rn.ID, "a choice needs options")
		}
	case AskYesNo:
		for _, o := range a.options {
			if o.value != OutcomeYes && o.value != OutcomeNo {
				p.errorAt(optsNode, rn.ID, "yes_no options relabel yes and no; %q is neither", o.value)
			}
		}
		outcomes = append(outcomes, OutcomeYes, OutcomeNo)
		outcomes = slices.Compact(slices.Sorted(slices.Values(outcomes)))
	default:
		outcomes = append(outcomes, OutcomeOK)
	}
	return a, outcomes
}

// scale checks a scale ask's ends and sets the defaults.
func (p *parser) scale(rn *rawNode, a *ask) {
	lo, hi := float64(DefaultScaleMin), float64(DefaultScaleMax)
	if a.min != nil {
		lo = *a.min
	}
	if a.max != nil {
		hi = *a.max
	}
	if lo != float64(int(lo)) || hi != float64(int(hi)) || lo < 0 || hi-lo+1 < 2 || hi-lo+1 > MaxScalePoints {
		p.errorAt(mapValue(rn.node, "ask"), rn.ID, "a scale runs from one whole number to another, 2 to %d points, such as min 1 and max 5", MaxScalePoints)
		lo, hi = DefaultScaleMin, DefaultScaleMax
	}
	a.min, a.max = &lo, &hi
}

func intPtrToFloat(i *int) *float64 {
	if i == nil {
		return nil
	}
	f := float64(*i)
	return &f
}

func (p *parser) router(rn *rawNode) (*router, []string) {
	rr := rn.Router
	rnode := mapValue(rn.node, "router")
	r := &router{def: rr.Default}
	if rr.On != nil {
		r.on = p.template(*rr.On, rn.ID)
	}
	if rr.Default == "" {
		p.errorAt(rnode, rn.ID, "a router needs a default outcome")
	}
	outcomes := []string{}
	if rr.Default != "" {
		outcomes = append(outcomes, rr.Default)
	}
	casesNode := mapValue(rnode, "cases")
	for i, c := range rr.Cases {
		cn := seqItem(casesNode, i)
		tests := 0
		for _, set := range []bool{c.Equals != nil, len(c.AnyOf) > 0, c.Category != "", c.Area != "", c.Empty} {
			if set {
				tests++
			}
		}
		if tests != 1 {
			p.errorAt(cn, rn.ID, "a case has exactly one test: equals, any_of, category, area or empty")
		}
		if (c.Equals != nil || len(c.AnyOf) > 0 || c.Empty) && rr.On == nil {
			p.errorAt(cn, rn.ID, "equals, any_of and empty test the router's on value, which is missing")
		}
		if c.Category != "" {
			p.checkCategory(valueOr(cn, "category"), rn.ID, c.Category)
		}
		if c.Area != "" && p.cat != nil {
			if _, ok := p.cat.Area(c.Area); !ok {
				p.errorAt(valueOr(cn, "area"), rn.ID, "unknown area %q", c.Area)
			}
		}
		if !idPattern.MatchString(c.Outcome) {
			p.errorAt(valueOr(cn, "outcome"), rn.ID, "outcome %q must be lower-case letters, digits and _", c.Outcome)
		}
		rc := routerCase{category: c.Category, area: c.Area, empty: c.Empty, outcome: c.Outcome}
		if c.Equals != nil {
			rc.equals = foldAnswer(*c.Equals)
		}
		for _, w := range c.AnyOf {
			rc.anyOf = append(rc.anyOf, foldAnswer(w))
		}
		r.cases = append(r.cases, rc)
		if !slices.Contains(outcomes, c.Outcome) {
			outcomes = append(outcomes, c.Outcome)
		}
	}
	return r, outcomes
}

func (p *parser) classifyStep(rn *rawNode) *classifyStep {
	rc := rn.Classify
	cn := mapValue(rn.node, "classify")
	c := &classifyStep{textKey: rc.Text, threshold: rc.Threshold, choices: rc.Choices}
	if c.textKey == "" {
		p.errorAt(cn, rn.ID, "classify needs text: the answer key holding the resident's words")
	}
	if c.threshold < 0 || c.threshold > 1 {
		p.errorAt(valueOr(cn, "threshold"), rn.ID, "threshold must be between 0 and 1")
	}
	if c.choices == 0 {
		c.choices = 3
	} else if c.choices < 1 || c.choices > MaxOptions-1 {
		p.errorAt(valueOr(cn, "choices"), rn.ID, "choices must be between 1 and %d", MaxOptions-1)
	}
	return c
}

// valueOr returns the value of key in n, or n itself when it is absent.
func valueOr(n *yaml.Node, key string) *yaml.Node {
	if v := mapValue(n, key); v != nil {
		return v
	}
	return n
}

func seqItem(n *yaml.Node, i int) *yaml.Node {
	if n != nil && n.Kind == yaml.SequenceNode && i < len(n.Content) {
		return n.Content[i]
	}
	return n
}
