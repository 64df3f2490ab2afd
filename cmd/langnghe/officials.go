package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"langnghe"
	"langnghe/bot"
	"langnghe/config"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/web/console"
)

// openFollowup opens the database with the default units seeded, for the
// officials and units commands.
func openFollowup(ctx context.Context, cfg *config.Config) (*storage.DB, *followup.Service, error) {
	db, _, svc, err := openFollowupSettings(ctx, cfg)
	return db, svc, err
}

// openFollowupSettings is openFollowup that also returns the catalogue and
// holidays the service runs on.
func openFollowupSettings(ctx context.Context, cfg *config.Config) (*storage.DB, settings, *followup.Service, error) {
	db, set, err := openWithSettings(ctx, cfg)
	if err != nil {
		return nil, settings{}, nil, err
	}
	svc := followup.New(set.catalogue, set.calendar, followup.Options{TimeZone: cfg.TimeZone})
	if _, err := svc.Seed(ctx, db); err != nil {
		db.Close()
		return nil, settings{}, nil, err
	}
	return db, set, svc, nil
}

const officialsUsage = `usage:
  langnghe officials invite --role board|unit|admin [--unit CODE[,CODE]] [--name NAME] [--ttl 72h] [--bot USERNAME] [--sees-denouncers]
  langnghe officials list [--json]
  langnghe officials revoke ID
  langnghe officials permit ID --denunciations on|off
  langnghe officials login-link --official ID [--base http://HOST:PORT]
  langnghe officials login-link --new-admin NAME [--base http://HOST:PORT]`

func officialsCmd(ctx context.Context, cfg *config.Config, args []string, stdout, stderr io.Writer) error {
	return runCommand(ctx, cfg, args, stdout, stderr, officialsUsage, map[string]command{
		"invite": inviteCmd, "list": officialsListCmd, "login-link": loginLinkCmd, "permit": permitCmd, "revoke": revokeCmd,
	})
}

func revokeCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	if len(args) != 1 {
		return usageError{officialsUsage}
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return usageError{fmt.Sprintf("official id %q is not a number", args[0])}
	}
	db, svc, err := openFollowup(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := svc.Revoke(ctx, db, id, "cli:"+os.Getenv("USER")); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "official %d revoked: they can no longer see or act on opinions\n", id)
	return nil
}

func inviteCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("officials invite", flag.ContinueOnError)
	role := fs.String("role", "", "board (sees all), unit (their units' opinions) or admin")
	units := fs.String("unit", "", "unit codes, comma-separated (see 'langnghe units list')")
	name := fs.String("name", "", "the official's name as colleagues know it")
	ttl := fs.Duration("ttl", 72*time.Hour, "how long the invitation stays valid")
	bot := fs.String("bot", "", "the bot's Telegram username, to print a t.me link")
	denouncers := fs.Bool("sees-denouncers", false, "the official may see who made a denunciation (Law on Denunciations 2018, art. 9); no role implies it")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *role == "" || fs.NArg() > 0 {
		return usageError{officialsUsage}
	}
	codes := langnghe.SplitList(*units, ",")
	db, svc, err := openFollowup(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	var opts []followup.InviteOption
	if *denouncers {
		opts = append(opts, followup.WithDenouncers)
	}
	inv, err := svc.Invite(ctx, db, langnghe.Role(*role), codes, *name, *ttl, opts...)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "invitation for a %s official %s, valid until %s (one use)\n", inv.Role, *name,
		inv.ExpiresAt.In(cfg.TimeZone).Format("2006-01-02 15:04 MST"))
	if inv.SeesDenouncers {
		fmt.Fprintf(stdout, "the official will see who made a denunciation\n")
	}
	if link := inv.Link(linkBot(ctx, cfg, *bot)); link != "" {
		fmt.Fprintf(stdout, "link: %s\n", link)
	}
	fmt.Fprintf(stdout, "or send the bot: /start %s%s\n", langnghe.InvitePrefix, inv.Code)
	return nil
}

// permitCmd grants or withdraws an official's permission to see who made
// a denunciation: `officials permit ID --denunciations on|off` (the flag
// may come first too). Whoever runs it owns the server, as for revoke.
func permitCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("officials permit", flag.ContinueOnError)
	which := fs.String("denunciations", "", "on: the official may see who made a denunciation; off: no longer")
	var idText string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		idText, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if idText == "" && fs.NArg() == 1 {
		idText = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageError{officialsUsage}
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return usageError{fmt.Sprintf("official id %q is not a number\n%s", idText, officialsUsage)}
	}
	var on bool
	switch *which {
	case "on":
		on = true
	case "off":
	default:
		return usageError{"--denunciations must be on or off\n" + officialsUsage}
	}
	db, svc, err := openFollowup(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := svc.PermitDenouncers(ctx, db, id, on); err != nil {
		return err
	}
	if on {
		fmt.Fprintf(stdout, "official %d may now see who made a denunciation\n", id)
	} else {
		fmt.Fprintf(stdout, "official %d no longer sees who made a denunciation: it reads %q\n", id, langnghe.Concealed)
	}
	return nil
}

// loginLinkCmd prints a one-time console sign-in link for an official: for
// the first admin, or anyone on a machine without Telegram.
func loginLinkCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("officials login-link", flag.ContinueOnError)
	id := fs.Int64("official", 0, "the official's id (see 'langnghe officials list')")
	newAdmin := fs.String("new-admin", "", "create an admin with this name who signs in only to the console (the first admin, or a machine without Telegram)")
	base := fs.String("base", cfg.ConsoleURL(), "the console's address as the browser reaches it (default LANGNGHE_PUBLIC_URL)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	*newAdmin = strings.TrimSpace(*newAdmin)
	if (*id <= 0) == (*newAdmin == "") || fs.NArg() > 0 {
		return usageError{officialsUsage}
	}
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	expires := time.Now().Add(console.LinkTTL)
	var token string
	err = db.InTx(ctx, func(tx *storage.Tx) (err error) {
		if *newAdmin != "" {
			// Whoever runs this command owns the machine, as in `langnghe
			// chat`. The admin has no chat: no notifications, no digests.
			account := make([]byte, 8)
			if _, err := rand.Read(account); err != nil {
				return err
			}
			o := &langnghe.Official{Name: *newAdmin, Role: langnghe.RoleAdmin, Channel: langnghe.ChannelTerminal,
				ExternalID: "console-" + hex.EncodeToString(account), Digest: langnghe.DigestOff}
			if err := tx.CreateOfficial(ctx, o); err != nil {
				return err
			}
			*id = o.ID
		}
		token, err = tx.CreateSignInToken(ctx, *id, expires)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sign-in link for official %d, valid until %s (one use):\n%s\n", *id,
		expires.In(cfg.TimeZone).Format("2006-01-02 15:04 MST"), console.SignInLink(*base, token))
	return nil
}

func officialsListCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("officials list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "JSON lines")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	db, _, err := openFollowup(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Officials(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSONLines(stdout, list)
	}
	fmt.Fprintf(stdout, "%-5s %-24s %-6s %-30s %s\n", "ID", "NAME", "ROLE", "UNITS", "STATE")
	for _, o := range list {
		state := "active"
		if o.RevokedAt != nil {
			state = "revoked " + o.RevokedAt.In(cfg.TimeZone).Format(time.DateOnly)
		} else if o.SeesDenouncers {
			state += ", sees denouncers"
		}
		fmt.Fprintf(stdout, "%-5d %-24s %-6s %-30s %s\n", o.ID, o.Name, o.Role, strings.Join(o.Units, ","), state)
	}
	return nil
}

const unitsUsage = "usage: langnghe units list | export | import FILE"

func unitsCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	if len(args) == 0 {
		return usageError{unitsUsage}
	}
	db, set, _, err := openFollowupSettings(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch {
	case args[0] == "list" && len(args) == 1:
		return listUnits(ctx, db, stdout)
	case args[0] == "export" && len(args) == 1:
		out, err := followup.ExportSetup(ctx, db)
		if err != nil {
			return err
		}
		_, err = stdout.Write(out)
		return err
	case args[0] == "import" && len(args) == 2:
		return importUnits(ctx, db, set.catalogue, args[1], stdout)
	}
	return usageError{unitsUsage}
}

// importUnits validates a units-and-rules file against the catalogue and
// applies it in one transaction: units are added or renamed, the routing
// rules replaced. A broken file changes nothing.
func importUnits(ctx context.Context, db *storage.DB, cat *langnghe.Catalogue, path string, stdout io.Writer) error {
	data, err := readAdminFile(path)
	if err != nil {
		return err
	}
	setup, err := followup.ParseSetup(data, cat)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := db.InTx(ctx, func(tx *storage.Tx) error { return followup.Apply(ctx, tx, setup) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d units, %d routing rules applied\n", path, len(setup.Units), len(setup.Rules))
	return nil
}

func listUnits(ctx context.Context, db *storage.DB, stdout io.Writer) error {
	units, err := db.Units(ctx)
	if err != nil {
		return err
	}
	rules, err := db.RoutingRules(ctx)
	if err != nil {
		return err
	}
	handles := map[string][]string{}
	for _, r := range rules {
		what := r.Category
		switch {
		case r.Category == "" && r.Area == "":
			what = "everything else"
		case r.Category == "":
			what = "area " + r.Area
		case r.Area != "":
			what += " in " + r.Area
		}
		handles[r.Unit] = append(handles[r.Unit], what)
	}
	for _, u := range units {
		fmt.Fprintf(stdout, "%-22s %s / %s\n", u.Code, u.Name(langnghe.LangVI), u.Name(langnghe.LangEN))
		if h := handles[u.Code]; len(h) > 0 {
			fmt.Fprintf(stdout, "%-22s handles: %s\n", "", strings.Join(h, "; "))
		}
	}
	return nil
}

// linkBot is the bot's username for a t.me link: the --bot flag as given
// (without its @), else asked of Telegram when there is a token; "" when
// neither says.
func linkBot(ctx context.Context, cfg *config.Config, flagValue string) string {
	if name := strings.TrimPrefix(strings.TrimSpace(flagValue), "@"); name != "" {
		return name
	}
	if cfg.TelegramToken == "" {
		return ""
	}
	return botUsername(ctx, cfg)
}

// botUsername asks Telegram who the bot is, for a t.me link; without an
// answer the /start code alone still works.
func botUsername(ctx context.Context, cfg *config.Config) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := bot.NewClient(ctx, cfg.TelegramToken, cfg.TelegramEndpoint)
	if err != nil {
		return ""
	}
	return c.Username()
}
