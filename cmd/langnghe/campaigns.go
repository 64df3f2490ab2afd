package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"langnghe"
	"langnghe/campaigns"
	"langnghe/config"
	"langnghe/flowlib"
	"langnghe/flows/classify"
	"langnghe/storage"
)

const campaignsUsage = `usage:
  langnghe campaigns create --kind dialogue|consultation|feedback_point --title TEXT [--areas CODE,...] [--unit CODE]
                            [--opens YYYY-MM-DD] [--closes YYYY-MM-DD] [--theme TEXT] [--bot USERNAME]
                            dialogue:     --at "YYYY-MM-DD HH:MM" --place TEXT [--hosts "NAME; NAME"]
                            consultation: --summary TEXT [--draft-link URL] --questions FILE.json
  langnghe campaigns list [--json]
  langnghe campaigns results ID [--json]
  langnghe campaigns groups ID [--json]
  langnghe campaigns answer GROUP_ID --text TEXT [--by "NAME, TITLE"]
  langnghe campaigns announce ID [--bot USERNAME]`

func campaignsCmd(ctx context.Context, cfg *config.Config, args []string, stdout, stderr io.Writer) error {
	return runCommand(ctx, cfg, args, stdout, stderr, campaignsUsage, map[string]command{
		"create": createCampaignCmd, "list": listCampaignsCmd, "results": campaignResultsCmd, "groups": campaignGroupsCmd,
		"answer": answerGroupCmd, "announce": announceCampaignCmd,
	})
}

// openCampaigns opens the database with the units seeded and the settings
// the service runs on, and the campaign service over them.
func openCampaigns(ctx context.Context, cfg *config.Config) (*storage.DB, *campaigns.Service, error) {
	db, set, _, err := openFollowupSettings(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	cl, err := classify.New(set.catalogue)
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("build classifier: %w", err)
	}
	lib := flowlib.New(set.catalogue)
	if _, err := lib.Seed(ctx, db); err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, campaigns.New(db, lib, set.catalogue, cl, set.calendar, campaigns.Options{TimeZone: cfg.TimeZone, OpinionPrefix: cfg.OpinionPrefix}), nil
}

// createdCampaign is what `campaigns create` prints: the contract's id and
// link, and what a script needs to print a poster or check the campaign.
type createdCampaign struct {
	ID      int64                 `json:"id"`
	Link    string                `json:"link"`
	Payload string                `json:"payload"`
	Start   string                `json:"start"` // what to send the bot when the link cannot be opened
	Kind    langnghe.CampaignKind `json:"kind"`
	Title   string                `json:"title"`
	FlowID  string                `json:"flow_id"`
	Opens   string                `json:"opens"`
	Closes  string                `json:"closes,omitempty"`
}

func createCampaignCmd(ctx context.Context, cfg *config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("campaigns create", flag.ContinueOnError)
	kind := fs.String("kind", "", "dialogue, consultation or feedback_point")
	title := fs.String("title", "", "the title, as the poster shows it")
	theme := fs.String("theme", "", "the theme")
	areas := fs.String("areas", "", "area codes the campaign addresses, comma-separated")
	unit := fs.String("unit", "", "the unit whose feedback point this is, or that organises the campaign")
	opens := fs.String("opens", "", "the first day answers are taken, YYYY-MM-DD (default today)")
	closes := fs.String("closes", "", "the last day answers are taken, YYYY-MM-DD (none for a feedback point)")
	at := fs.String("at", "", `dialogue: when the conference starts, "YYYY-MM-DD HH:MM"`)
	place := fs.String("place", "", "dialogue: where the conference is held")
	hosts := fs.String("hosts", "", `dialogue: the leaders who answer, separated by ";"`)
	summary := fs.String("summary", "", "consultation: the draft in a few lines")
	draftLink := fs.String("draft-link", "", "consultation: where the full draft is (http or https)")
	questions := fs.String("questions", "", "consultation: a JSON file with the questions (a list of {key, kind, text, options})")
	bot := fs.String("bot", "", "the bot's Telegram username, for the link (default: asked of Telegram with LANGNGHE_TELEGRAM_TOKEN)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *kind == "" || *title == "" || fs.NArg() > 0 {
		return usageError{campaignsUsage}
	}
	c := &langnghe.Campaign{Kind: langnghe.CampaignKind(*kind), Title: strings.TrimSpace(*title), Theme: strings.TrimSpace(*theme),
		Areas: langnghe.SplitList(*areas, ","), Unit: strings.TrimSpace(*unit)}
	var err error
	if c.Opens, err = parseDay(*opens, "--opens", cfg.TimeZone, langnghe.DayStart(time.Now(), cfg.TimeZone)); err != nil {
		return err
	}
	if c.Closes, err = parseDay(*closes, "--closes", cfg.TimeZone, time.Time{}); err != nil {
		return err
	}
	if *at != "" || *place != "" || *hosts != "" {
		cf := &langnghe.Conference{Place: strings.TrimSpace(*place), Hosts: langnghe.SplitList(*hosts, ";")}
		if *at != "" {
			if cf.At, err = time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(*at), cfg.TimeZone); err != nil {
				return usageError{fmt.Sprintf("--at %q is not a day and an hour such as \"2026-03-25 08:00\"", *at)}
			}
		}
		c.Conference = cf
	}
	if *summary != "" || *draftLink != "" {
		c.Draft = &langnghe.Draft{Summary: strings.TrimSpace(*summary), Link: strings.TrimSpace(*draftLink)}
	}
	if *questions != "" {
		data, err := readAdminFile(*questions)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c.Questions); err != nil {
			return langnghe.Errorf(langnghe.EINVALID, "%s: not a JSON list of questions: %v", *questions, err)
		}
	}
	db, svc, err := openCampaigns(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := svc.CreateCampaign(ctx, campaigns.Operator, c); err != nil {
		return err
	}
	name := linkBot(ctx, cfg, *bot)
	out := createdCampaign{ID: c.ID, Link: c.Link(name), Payload: c.Payload, Start: "/start " + c.Payload, Kind: c.Kind,
		Title: c.Title, FlowID: c.FlowID, Opens: c.Opens.Format(time.DateOnly)}
	if !c.Closes.IsZero() {
		out.Closes = c.Closes.Format(time.DateOnly)
	}
	if out.Link == "" {
		fmt.Fprintf(stderr, "langnghe: the bot's username is not known (no LANGNGHE_TELEGRAM_TOKEN, or Telegram did not answer): "+
			"the link is https://t.me/BOT_USERNAME?start=%s; pass --bot BOT_USERNAME to print it\n", c.Payload)
	}
	return json.NewEncoder(stdout).Encode(out)
}

// parseDay reads a YYYY-MM-DD day at midnight in loc; "" is def.
func parseDay(s, flagName string, loc *time.Location, def time.Time) (time.Time, error) {
	if s = strings.TrimSpace(s); s == "" {
		return def, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, usageError{fmt.Sprintf("%s %q is not a day such as 2026-03-25", flagName, s)}
	}
	return t, nil
}

func listCampaignsCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("campaigns list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "JSON lines, one campaign a line")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{campaignsUsage}
	}
	db, svc, err := openCampaigns(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := svc.Campaigns(ctx, campaigns.Operator)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSONLines(stdout, list)
	}
	fmt.Fprintf(stdout, "%-5s %-15s %-10s %-10s %-6s %s\n", "ID", "KIND", "OPENS", "CLOSES", "OPEN", "TITLE")
	now := time.Now()
	for _, c := range list {
		closes := "-"
		if !c.Closes.IsZero() {
			closes = c.Closes.Format(time.DateOnly)
		}
		open := "no"
		if c.OpenAt(now) {
			open = "yes"
		}
		fmt.Fprintf(stdout, "%-5d %-15s %-10s %-10s %-6s %s\n", c.ID, c.Kind, c.Opens.Format(time.DateOnly), closes, open, c.Title)
	}
	return nil
}

// parseWithID parses fs from args with one id among them, before or after
// the flags.
func parseWithID(fs *flag.FlagSet, args []string) (int64, error) {
	var id int64
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return 0, usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		n, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil || n <= 0 || id != 0 {
			return 0, usageError{campaignsUsage}
		}
		id, args = n, fs.Args()[1:]
	}
	if id == 0 {
		return 0, usageError{campaignsUsage}
	}
	return id, nil
}

// openWithID parses fs from args, which name one id, and opens the
// campaign service; the caller closes db.
func openWithID(ctx context.Context, cfg *config.Config, fs *flag.FlagSet, args []string) (int64, *storage.DB, *campaigns.Service, error) {
	id, err := parseWithID(fs, args)
	if err != nil {
		return 0, nil, nil, err
	}
	db, svc, err := openCampaigns(ctx, cfg)
	return id, db, svc, err
}

// announceCampaignCmd queues the campaign's announcement to the consenting
// residents of its areas and prints one JSON object: campaign_id, queued
// (now), before (queued by an earlier run: nobody gets it twice).
func announceCampaignCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("campaigns announce", flag.ContinueOnError)
	bot := fs.String("bot", "", "the bot's Telegram username, for the link (default: asked of Telegram with LANGNGHE_TELEGRAM_TOKEN)")
	id, db, svc, err := openWithID(ctx, cfg, fs, args)
	if err != nil {
		return err
	}
	defer db.Close()
	name := linkBot(ctx, cfg, *bot)
	a, err := svc.Announce(ctx, campaigns.Operator, id, name)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(a)
}

func campaignResultsCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("campaigns results", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "one JSON object")
	id, db, svc, err := openWithID(ctx, cfg, fs, args)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := svc.Results(ctx, id)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "campaign %d (%s): %d participants, %d responses\n", res.CampaignID, res.Kind, res.Participants, res.Responses)
	for _, a := range res.ByArea {
		area := a.Area
		if area == "" {
			area = "(not given)"
		}
		fmt.Fprintf(stdout, "  %-24s %d\n", area, a.Participants)
	}
	for _, q := range res.Questions {
		fmt.Fprintf(stdout, "%s (%s): %d answers", q.Text, q.Kind, q.Answered)
		if q.Kind == langnghe.QuestionScale {
			fmt.Fprintf(stdout, ", mean %.2f", q.Mean)
		}
		fmt.Fprintln(stdout)
		for _, c := range q.Counts {
			fmt.Fprintf(stdout, "  %-30s %d\n", c.Label, c.Count)
		}
		for _, g := range q.Groups {
			fmt.Fprintf(stdout, "  %4d  %s\n", g.Count, g.Title)
		}
	}
	for _, g := range res.Groups {
		answered := ""
		if g.Answer != nil {
			answered = " (answered)"
		}
		fmt.Fprintf(stdout, "%4d  %s%s\n", g.Count, g.Title, answered)
	}
	return nil
}

// campaignGroupsCmd lists a dialogue's question groups, the largest first,
// with the ids `campaigns answer` takes.
func campaignGroupsCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("campaigns groups", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "JSON lines, one group a line")
	id, db, svc, err := openWithID(ctx, cfg, fs, args)
	if err != nil {
		return err
	}
	defer db.Close()
	groups, err := svc.Groups(ctx, campaigns.Operator, id)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSONLines(stdout, groups)
	}
	fmt.Fprintf(stdout, "%-6s %-5s %-10s %-10s %s\n", "GROUP", "COUNT", "DUE", "ANSWERED", "TITLE")
	for _, g := range groups {
		due, answered := "-", "-"
		if !g.DueAt.IsZero() {
			due = g.DueAt.In(cfg.TimeZone).Format(time.DateOnly)
		}
		if g.Answer != nil {
			answered = g.Answer.At.In(cfg.TimeZone).Format(time.DateOnly)
		}
		fmt.Fprintf(stdout, "%-6d %-5d %-10s %-10s %s\n", g.ID, len(g.Members), due, answered, g.Title)
	}
	return nil
}

// answerGroupCmd records the leaders' answer to a group; the service sends
// it to every asker.
func answerGroupCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("campaigns answer", flag.ContinueOnError)
	text := fs.String("text", "", "the answer, as the leaders gave it")
	by := fs.String("by", "", "who answered, as the conference named them")
	id, db, svc, err := openWithID(ctx, cfg, fs, args)
	if err != nil {
		return err
	}
	defer db.Close()
	if strings.TrimSpace(*text) == "" {
		return usageError{campaignsUsage}
	}
	if err := svc.AnswerGroup(ctx, campaigns.Operator, id, langnghe.GroupAnswer{Text: *text, AnsweredBy: *by}); err != nil {
		return err
	}
	queued, _, err := db.GroupDeliveries(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "group %d answered; the answer goes to %d askers\n", id, queued)
	return nil
}
