// Command langnghe is the citizen-feedback service: one binary for the
// server, its migrations, flow administration, the classifier and a
// terminal chat. `langnghe` alone runs `langnghe serve`.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"langnghe/config"
)

const usage = `langnghe: citizens' opinions for the local board, through a chatbot.

Usage:
  langnghe [serve]                 run the service (Telegram, HTTP, sender)
  langnghe migrate                 apply database migrations and exit
  langnghe flows list              flows with their published and latest revisions
  langnghe flows validate FILE...  check flow files; errors name file, line and node
  langnghe flows import FILE...    save files as new draft revisions
  langnghe flows publish FLOW [REVISION]   publish a revision (default: the latest)
  langnghe flows rollback FLOW REVISION    publish an earlier revision again
  langnghe flows export FLOW [REVISION]    print a revision (default: the published one)
  langnghe classify TEXT           print the detected category as JSON
  langnghe classify --eval FILE    accuracy on a labelled file (category<TAB>track<TAB>text)
  langnghe chat [--as NAME]        talk to the bot in this terminal (same engine and storage)
  langnghe opinions list --json    stored opinions as JSON lines
  langnghe officials invite --role R [--unit U,...] [--name N] [--ttl 72h] [--bot USERNAME]
                                   a one-time invitation (a t.me link or /start code)
  langnghe officials list [--json] officials with their roles and units
  langnghe officials revoke ID     end an official's access at once
  langnghe officials login-link --official ID [--base URL]
                                   a one-time console sign-in link (valid 10 minutes)
  langnghe officials login-link --new-admin NAME [--base URL]
                                   a console-only admin (no Telegram needed) and their sign-in link
  langnghe apikeys create --name NAME   an Open311 API key for another channel (printed once)
  langnghe apikeys list|revoke ID  the keys (never their secrets); revoking takes effect at once
  langnghe units list|export|import FILE   units and routing rules (export, edit, import)
  langnghe report --from YYYY-MM-DD --to YYYY-MM-DD [--by category|area|unit|status|month] [--format table|csv|json]
                                   received, forwarded, answered on time/late, median days, satisfaction
  langnghe digest run              queue the officials' digests that are due now (serve does it every 30 s)
  langnghe digest preview --official ID   print an official's digest without sending it
  langnghe campaigns create --kind dialogue|consultation|feedback_point --title T [--areas A,...] [--unit U]
                          [--opens YYYY-MM-DD] [--closes YYYY-MM-DD] (see 'langnghe campaigns' for the rest)
                                   a campaign; prints JSON with its id and deep link
  langnghe campaigns list [--json] the campaigns, newest first
  langnghe campaigns results ID [--json]   participants, answers, question groups (no personal data)
  langnghe campaigns groups ID [--json]    a dialogue's question groups, the largest first
  langnghe campaigns answer GROUP --text T [--by NAME]   the leaders' answer, sent to every asker once
  langnghe campaigns announce ID [--bot USERNAME]   the announcement, to consenting residents of its areas, once each
  langnghe config                  every setting with its default

Settings come from LANGNGHE_* variables (see 'langnghe config').
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(os.Stderr, "langnghe: %v\n\n%s", err, usage)
			os.Exit(2)
		}
		fmt.Fprintf(os.Stderr, "langnghe: %v\n", err)
		os.Exit(1)
	}
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "config":
		fmt.Fprint(stdout, config.Help())
		return nil
	case "classify":
		return classifyCmd(ctx, args, stdout)
	}

	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	return runCommand(ctx, cfg, append([]string{cmd}, args...), stdout, stderr, fmt.Sprintf("unknown command %q", cmd),
		map[string]command{
			"serve": func(ctx context.Context, cfg *config.Config, _ []string, _, stderr io.Writer) error {
				return serve(ctx, cfg, stderr)
			},
			"migrate": func(ctx context.Context, cfg *config.Config, _ []string, stdout, _ io.Writer) error {
				return migrateCmd(ctx, cfg, stdout)
			},
			"chat": func(ctx context.Context, cfg *config.Config, args []string, stdout, stderr io.Writer) error {
				return chatCmd(ctx, cfg, args, stdin, stdout, stderr)
			},
			"flows": flowsCmd, "opinions": opinionsCmd, "officials": officialsCmd, "units": unitsCmd, "apikeys": apikeysCmd,
			"report": reportCmd, "digest": digestCmd, "campaigns": campaignsCmd,
		})
}

// command is a command or subcommand of the CLI: it reads its own flags
// from args.
type command func(ctx context.Context, cfg *config.Config, args []string, stdout, stderr io.Writer) error

// runCommand runs the command args[0] names in commands with the rest of
// args; no name, or one not in commands, is a usage error saying usage.
func runCommand(ctx context.Context, cfg *config.Config, args []string, stdout, stderr io.Writer, usage string,
	commands map[string]command) error {
	if len(args) == 0 {
		return usageError{usage}
	}
	run, ok := commands[args[0]]
	if !ok {
		return usageError{usage}
	}
	return run(ctx, cfg, args[1:], stdout, stderr)
}
