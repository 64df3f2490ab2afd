package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"langnghe/config"
)

const apikeysUsage = `usage:
  langnghe apikeys create --name NAME   issue an Open311 key (the secret is printed once)
  langnghe apikeys list [--json]
  langnghe apikeys revoke ID`

// apikeysCmd manages the keys other channels file opinions with through
// Open311 (POST /open311/v2/requests.json).
func apikeysCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	if len(args) == 0 {
		return usageError{apikeysUsage}
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "create":
		fs := flag.NewFlagSet("apikeys create", flag.ContinueOnError)
		name := fs.String("name", "", "who uses the key, e.g. \"Hotline\" or \"Web form\"")
		if err := fs.Parse(args); err != nil {
			return usageError{err.Error()}
		}
		if *name == "" || fs.NArg() > 0 {
			return usageError{apikeysUsage}
		}
		db, err := openDatabase(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		secret, key, err := db.CreateAPIKey(ctx, *name)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "API key %d for %s (shown once; only its hash is stored):\n%s\n", key.ID, key.Name, secret)
		return nil
	case "list":
		fs := flag.NewFlagSet("apikeys list", flag.ContinueOnError)
		asJSON := fs.Bool("json", false, "JSON lines")
		if err := fs.Parse(args); err != nil {
			return usageError{err.Error()}
		}
		db, err := openDatabase(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		keys, err := db.APIKeys(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSONLines(stdout, keys)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tENDS WITH\tCREATED\tSTATE")
		for _, k := range keys {
			state := "active"
			if !k.Active() {
				state = "revoked " + k.RevokedAt.In(cfg.TimeZone).Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%d\t%s\t…%s\t%s\t%s\n", k.ID, k.Name, k.Hint, k.CreatedAt.In(cfg.TimeZone).Format("2006-01-02 15:04"), state)
		}
		return tw.Flush()
	case "revoke":
		if len(args) != 1 {
			return usageError{apikeysUsage}
		}
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil || id <= 0 {
			return usageError{fmt.Sprintf("API key id %q is not a number", args[0])}
		}
		db, err := openDatabase(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.RevokeAPIKey(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "API key %d revoked: it can no longer file requests\n", id)
		return nil
	}
	return usageError{apikeysUsage}
}
