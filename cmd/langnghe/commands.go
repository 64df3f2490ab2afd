package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"langnghe"
	"langnghe/config"
	"langnghe/flowlib"
	"langnghe/flows"
	"langnghe/flows/catalogue"
	"langnghe/flows/classify"
)

func classifyCmd(_ context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	eval := fs.String("eval", "", "a labelled file (category<TAB>track<TAB>text) to measure accuracy on")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	cl, err := classify.New(catalogue.Default())
	if err != nil {
		return err
	}
	if *eval != "" {
		f, err := os.Open(*eval)
		if err != nil {
			return err
		}
		defer f.Close()
		rows, err := classify.ReadLabelled(f)
		if err != nil {
			return fmt.Errorf("%s: %w", *eval, err)
		}
		fmt.Fprint(stdout, classify.Evaluate(cl, rows).String())
		return nil
	}
	text := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(text) == "" {
		return usageError{"classify needs a text, e.g. langnghe classify \"đường bị ngập\""}
	}
	return json.NewEncoder(stdout).Encode(cl.Classify(text))
}

func opinionsCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	if len(args) == 0 || args[0] != "list" {
		return usageError{"usage: langnghe opinions list --json [--status S] [--category C] [--limit N]"}
	}
	fs := flag.NewFlagSet("opinions list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "JSON lines (the only format for now)")
	status := fs.String("status", "", "only this status")
	category := fs.String("category", "", "only this category code")
	limit := fs.Int("limit", 0, "at most this many (0: all)")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err.Error()}
	}
	if !*asJSON {
		return usageError{"opinions list prints JSON lines: add --json"}
	}
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	const page = 500
	var after int64
	printed := 0
	for {
		n := page
		if *limit > 0 && *limit-printed < n {
			n = *limit - printed
		}
		if n <= 0 {
			return nil
		}
		ops, err := db.ListOpinions(ctx, langnghe.OpinionFilter{
			Status: langnghe.Status(*status), Category: *category, AfterID: after, Limit: n,
		})
		if err != nil {
			return err
		}
		if err := writeJSONLines(w, ops); err != nil {
			return err
		}
		if len(ops) > 0 {
			after = ops[len(ops)-1].ID
		}
		printed += len(ops)
		if len(ops) < n {
			return nil
		}
	}
}

func flowsCmd(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	if len(args) == 0 {
		return usageError{"flows needs a subcommand: list, validate, import, publish, rollback, export"}
	}
	sub, args := args[0], args[1:]
	if sub == "validate" {
		// Checking files needs no database: against the embedded catalogue.
		return validateFiles(flowlib.New(catalogue.Default()), args, stdout)
	}
	db, set, err := openWithSettings(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	lib := flowlib.New(set.catalogue)
	if _, err := lib.Seed(ctx, db); err != nil {
		return err
	}
	actor := "cli:" + os.Getenv("USER")
	switch sub {
	case "list":
		infos, err := db.Flows(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-16s %9s %7s  %-20s %s\n", "FLOW", "PUBLISHED", "LATEST", "CHANGED BY", "AT")
		for _, f := range infos {
			fmt.Fprintf(stdout, "%-16s %9d %7d  %-20s %s\n", f.ID, f.PublishedRevision, f.LatestRevision, f.UpdatedBy, f.UpdatedAt.Format(time.RFC3339))
		}
		return nil
	case "import":
		if len(args) == 0 {
			return usageError{"flows import needs one or more files"}
		}
		for _, path := range args {
			data, err := readAdminFile(path)
			if err != nil {
				return err
			}
			id, rev, problems, err := lib.Import(ctx, db, actor, filepath.Base(path), data, 0)
			fmt.Fprint(stdout, flows.FormatProblems(problems))
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			fmt.Fprintf(stdout, "%s: saved as %s revision %d (publish with: langnghe flows publish %s %d)\n", path, id, rev, id, rev)
		}
		return nil
	case "publish", "rollback":
		if len(args) < 1 || (sub == "rollback" && len(args) < 2) {
			return usageError{"usage: langnghe flows publish FLOW [REVISION] | rollback FLOW REVISION"}
		}
		rev := 0
		if len(args) > 1 {
			if rev, err = strconv.Atoi(args[1]); err != nil || rev <= 0 {
				return usageError{fmt.Sprintf("%q is not a revision number", args[1])}
			}
		} else {
			infos, err := db.Flows(ctx)
			if err != nil {
				return err
			}
			for _, f := range infos {
				if f.ID == args[0] {
					rev = f.LatestRevision
				}
			}
			if rev == 0 {
				return langnghe.Errorf(langnghe.ENOTFOUND, "no flow %q", args[0])
			}
		}
		if err := lib.Publish(ctx, db, actor, args[0], rev); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: revision %d published; running conversations stay on their revision\n", args[0], rev)
		return nil
	case "export":
		if len(args) < 1 {
			return usageError{"usage: langnghe flows export FLOW [REVISION]"}
		}
		rev := 0
		if len(args) > 1 {
			if rev, err = strconv.Atoi(args[1]); err != nil || rev <= 0 {
				return usageError{fmt.Sprintf("%q is not a revision number", args[1])}
			}
		}
		src, _, err := lib.Export(ctx, db, args[0], rev)
		if err != nil {
			return err
		}
		_, err = stdout.Write(src)
		return err
	}
	return usageError{fmt.Sprintf("unknown flows subcommand %q", sub)}
}

// maxAdminFile is far above any sane flow or units file and keeps a
// mistaken path (a video, a disk image) from being read whole.
const maxAdminFile = 1 << 20

func readAdminFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxAdminFile+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxAdminFile {
		return nil, langnghe.Errorf(langnghe.ETOOLARGE, "%s is larger than %d bytes: not a flow or units file", path, maxAdminFile)
	}
	return data, nil
}

func validateFiles(lib *flowlib.Library, paths []string, stdout io.Writer) error {
	if len(paths) == 0 {
		return usageError{"flows validate needs one or more files"}
	}
	failed := 0
	for _, path := range paths {
		data, err := readAdminFile(path)
		if err != nil {
			return err
		}
		def, problems, err := lib.Validate(filepath.Base(path), data)
		fmt.Fprint(stdout, flows.FormatProblems(problems))
		if err != nil {
			failed++
			fmt.Fprintf(stdout, "%s: invalid\n", path)
			continue
		}
		fmt.Fprintf(stdout, "%s: flow %s is valid\n", path, def.ID)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files invalid", failed, len(paths))
	}
	return nil
}

// writeJSONLines writes items as JSON lines, one an item (the CLI's --json).
func writeJSONLines[T any](w io.Writer, items []T) error {
	enc := json.NewEncoder(w)
	for i := range items {
		if err := enc.Encode(&items[i]); err != nil {
			return err
		}
	}
	return nil
}
