package studio

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"

	"langnghe"
	"langnghe/calendar"
	"langnghe/flows"
	"langnghe/flows/catalogue"
	"langnghe/flows/classify"
	"langnghe/flows/faq"
	"langnghe/followup"
	"langnghe/storage"
)

// document is a settings file admins edit whole in the studio: the
// catalogue, the holidays and the FAQ (stored revisions, applied at each
// replica's next start) and the units with their routing rules (database rows,
// applied at once).
type document struct {
	name  string // in URLs and storage
	title string // English; pages translate it
	file  string // the download's file name
	// live documents take effect at once; the others at the next start.
	live bool
	// load returns the text to edit and the base a save must still match.
	load func(ctx context.Context) (src []byte, base string, err error)
	// check returns every problem of src; none means it may be saved.
	check func(ctx context.Context, src []byte) ([]problem, error)
	// save stores src (checked) in one transaction with its audit entry,
	// unless base is stale (ECONFLICT). action is "save" or "import".
	save func(ctx context.Context, actor, action string, src []byte, base string) error
}

// maxSettingsFile bounds an edited or uploaded settings file; the default
// catalogue is about 30 KiB.
const maxSettingsFile = 1 << 20

func (s *Studio) documents() map[string]*document {
	return map[string]*document{
		langnghe.SettingCatalogue: s.revisioned(langnghe.SettingCatalogue, "Catalogue: categories and areas", "catalogue.yaml",
			catalogue.DefaultFile, s.checkCatalogue),
		langnghe.SettingHolidays: s.revisioned(langnghe.SettingHolidays, "Holidays", "holidays.yaml",
			calendar.DefaultFile, s.checkHolidays),
		langnghe.SettingFAQ: s.revisioned(langnghe.SettingFAQ, "FAQ: answers to common questions", "faq.yaml",
			faq.DefaultFile, s.checkFAQ),
		langnghe.AuditUnits: {name: langnghe.AuditUnits, title: "Units and routing rules", file: "units.yaml", live: true,
			load: s.loadUnits, check: s.checkUnits, save: s.saveUnits},
	}
}

// revisioned is a document kept as revisions in the database, the embedded
// default standing for revision 0.
func (s *Studio) revisioned(name, title, file string, defaultFile func() []byte,
	check func(context.Context, []byte) ([]problem, error)) *document {
	return &document{
		name: name, title: title, file: file, check: check,
		load: func(ctx context.Context) ([]byte, string, error) {
			rev, src, err := s.currentSetting(ctx, name, defaultFile)
			return src, strconv.Itoa(rev), err
		},
		save: func(ctx context.Context, actor, action string, src []byte, base string) error {
			b, err := strconv.Atoi(base)
			if err != nil || b < 0 {
				return langnghe.Errorf(langnghe.EINVALID, "the form's base revision %q is not a number; reload the page", base)
			}
			return s.db.InTx(ctx, func(tx *storage.Tx) error {
				_, err := tx.SaveSetting(ctx, langnghe.SettingChange{Name: name, Source: src, Author: actor, Base: b,
					Action: action, Detail: fmt.Sprintf("%d bytes", len(src))})
				return err
			})
		},
	}
}

// currentSetting returns the stored current revision of a document, or
// revision 0 and the embedded default when none was stored.
func (s *Studio) currentSetting(ctx context.Context, name string, defaultFile func() []byte) (int, []byte, error) {
	rev, src, err := s.db.Setting(ctx, name)
	if langnghe.ErrorCode(err) == langnghe.ENOTFOUND {
		return 0, defaultFile(), nil
	}
	if err != nil {
		return 0, nil, fmt.Errorf("load %s: %w", name, err)
	}
	return rev, src, nil
}

// storedCatalogue is the catalogue the next start will load: the current
// stored revision, or the default. Units and rules are checked against it,
// and a new catalogue is compared with it. A stored revision that no
// longer parses (a newer binary's stricter parser) stands for the default,
// as it does at start, so the pages still work to fix it.
func (s *Studio) storedCatalogue(ctx context.Context) (*langnghe.Catalogue, error) {
	cat, _, err := storage.CurrentSetting(ctx, s.db, langnghe.SettingCatalogue, catalogue.Parse, catalogue.Default(), s.opts.Log,
		"the stored catalogue does not parse; checking against the default")
	return cat, err
}

// checkCatalogue parses a catalogue and checks that what runs on it still
// works: the classifier builds, every published flow still validates, and
// every routing rule's category and area still exist. A category or area
// in use must not disappear.
func (s *Studio) checkCatalogue(ctx context.Context, src []byte) ([]problem, error) {
	cat, err := catalogue.Parse(src)
	if err != nil {
		return problemsOf(err, src)
	}
	if _, err := classify.New(cat); err != nil {
		return problemsOf(err, src)
	}
	var out []problem
	// Flows that were already broken on the current catalogue are not this
	// file's doing, so only flows it would break are named.
	old, err := s.storedCatalogue(ctx)
	if err != nil {
		return nil, err
	}
	infos, err := s.db.Flows(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range infos {
		if f.PublishedRevision == 0 {
			continue
		}
		rev, fsrc, err := s.db.PublishedFlow(ctx, f.ID)
		if err != nil {
			return nil, fmt.Errorf("check flow %s against the catalogue: %w", f.ID, err)
		}
		name := f.ID + ".yaml"
		_, ps, err := flows.Parse(name, fsrc, cat)
		if err == nil {
			continue
		}
		if _, _, errOld := flows.Parse(name, fsrc, old); errOld != nil {
			continue
		}
		for _, p := range ps {
			if p.Severity == flows.SeverityError {
				out = append(out, problem{Message: fmt.Sprintf("published flow %s (revision %d) would break: %s", f.ID, rev, p)})
			}
		}
	}
	rules, err := s.db.RoutingRules(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rules {
		if _, ok := cat.Category(r.Category); r.Category != "" && !ok {
			out = append(out, problem{Message: fmt.Sprintf("routing rule %s uses category %q, which this file no longer has", ruleName(r), r.Category)})
		}
		if _, ok := cat.Area(r.Area); r.Area != "" && !ok {
			out = append(out, problem{Message: fmt.Sprintf("routing rule %s uses area %q, which this file no longer has", ruleName(r), r.Area)})
		}
	}
	return out, nil
}

func ruleName(r langnghe.RoutingRule) string {
	cat, area := r.Category, r.Area
	if cat == "" {
		cat = "*"
	}
	if area == "" {
		area = "*"
	}
	return fmt.Sprintf("%s × %s → %s", cat, area, r.Unit)
}

func (s *Studio) checkHolidays(_ context.Context, src []byte) ([]problem, error) {
	_, err := calendar.Parse(s.opts.TimeZone, src)
	return problemsOf(err, src)
}

// storedFAQ is the FAQ the next start will load: the current stored
// revision, or the default. A stored revision that no longer parses stands
// for the default, as it does at start.
func (s *Studio) storedFAQ(ctx context.Context) (*faq.FAQ, error) {
	f, _, err := storage.CurrentSetting(ctx, s.db, langnghe.SettingFAQ, faq.Parse, faq.Default(), s.opts.Log,
		"the stored FAQ does not parse; the simulator answers from the default")
	return f, err
}

func (s *Studio) checkFAQ(_ context.Context, src []byte) ([]problem, error) {
	_, err := faq.Parse(src)
	return problemsOf(err, src)
}

// unitsHeader explains the units file above the exported rows; comments
// are not kept, since units and rules live in the database as rows.
const unitsHeader = `# Units and routing rules. Saving applies them at once, all or nothing.
# Units are added or renamed; a unit missing from this file is kept
# (officials and opinions refer to it). The rules are replaced as a whole:
# the most specific matching rule wins (category and area, then category,
# then area, then the catch-all with only a unit). Comments are not kept.
`

// fingerprint names a state of the units and rules, so a save made on an
// older state is refused like a stale revision.
func fingerprint(export []byte) string {
	sum := sha256.Sum256(export)
	return hex.EncodeToString(sum[:12])
}

func (s *Studio) loadUnits(ctx context.Context) ([]byte, string, error) {
	export, err := followup.ExportSetup(ctx, s.db)
	if err != nil {
		return nil, "", err
	}
	return append([]byte(unitsHeader), export...), fingerprint(export), nil
}

func (s *Studio) checkUnits(ctx context.Context, src []byte) ([]problem, error) {
	cat, err := s.storedCatalogue(ctx)
	if err != nil {
		return nil, err
	}
	_, err = followup.ParseSetup(src, cat)
	return problemsOf(err, src)
}

// saveUnits applies a units file in one transaction: the state must still
// be the one the admin edited, then units are added or renamed, the rules
// replaced and the change audited; any failure leaves everything as it was.
func (s *Studio) saveUnits(ctx context.Context, actor, action string, src []byte, base string) error {
	cat, err := s.storedCatalogue(ctx)
	if err != nil {
		return err
	}
	setup, err := followup.ParseSetup(src, cat)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		export, err := followup.ExportSetup(ctx, tx)
		if err != nil {
			return err
		}
		if fingerprint(export) != base {
			return langnghe.Errorf(langnghe.ECONFLICT, "the units or routing rules changed since you opened them")
		}
		if err := followup.Apply(ctx, tx, setup); err != nil {
			return err
		}
		return tx.RecordAudit(ctx, langnghe.AuditEntry{Kind: langnghe.AuditUnits, Subject: "units", Action: action,
			Actor: actor, Detail: fmt.Sprintf("%d units, %d routing rules", len(setup.Units), len(setup.Rules))})
	})
}
