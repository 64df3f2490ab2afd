package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os/user"
	"strconv"
	"strings"
	"time"

	"langnghe"
	"langnghe/config"
	"langnghe/flows"
	"langnghe/storage"
)

// chatCmd lets a person talk to the bot in the terminal: the same engine,
// storage and transactions as Telegram, with a terminal for a channel.
// Buttons are numbered; typing the number presses the button.
func chatCmd(ctx context.Context, cfg *config.Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	name := fs.String("as", "", "who you are in the conversation (default: your login name)")
	lang := fs.String("lang", "vi", "your client's language hint: vi, en or zh")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *name == "" {
		*name = "terminal"
		if u, err := user.Current(); err == nil && u.Username != "" {
			*name = u.Username
		}
	}
	a, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()

	c := &terminalChat{a: a, user: *name, lang: *lang, out: stdout, seq: time.Now().UnixNano()}
	fmt.Fprintln(stdout, "Lắng nghe — trò chuyện trong cửa sổ dòng lệnh. Gõ /huy để hủy, /menu, /trogiup; Ctrl-D để thoát.")
	fmt.Fprintln(stdout, "Commands: /cancel, /menu, /help, /language; numbers press buttons; Ctrl-D quits.")
	// A new resident is welcomed (language, consent); one who chose a
	// language before goes on at the menu, and one who left a conversation
	// half-way (a summary not yet sent) goes on where it was: a /menu would
	// throw it away.
	first, unfinished := flows.CommandStart, false
	err = a.db.InTx(ctx, func(tx *storage.Tx) error {
		r, err := tx.ResidentByExternal(ctx, langnghe.ChannelTerminal, *name)
		if langnghe.ErrorCode(err) == langnghe.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		if r.Language != "" {
			first = flows.CommandMenu
		}
		stored, err := tx.Session(ctx, r.ID)
		if langnghe.ErrorCode(err) == langnghe.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		var s flows.Session
		unfinished = json.Unmarshal(stored.Data, &s) == nil && s.Waiting()
		return nil
	})
	if err != nil {
		return err
	}
	if unfinished {
		fmt.Fprintln(stdout, "(Cuộc trò chuyện trước còn dở: gõ tiếp câu trả lời, hoặc /menu để bắt đầu lại. / Your last conversation is unfinished: type your answer, or /menu to start over.)")
	} else if err := c.send(ctx, langnghe.Input{Kind: langnghe.InputCommand, Command: first}); err != nil {
		return err
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for {
		fmt.Fprint(stdout, "> ")
		if !sc.Scan() {
			fmt.Fprintln(stdout)
			return sc.Err()
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if err := c.send(ctx, c.input(line)); err != nil {
			return err
		}
	}
}

type terminalChat struct {
	a       *app
	user    string
	lang    string
	out     io.Writer
	seq     int64
	buttons []langnghe.Button // the last message's buttons, in display order
}

// input turns a typed line into an engine input: /commands, a button
// number, "/location LAT,LON", or text.
func (c *terminalChat) input(line string) langnghe.Input {
	now := time.Now()
	if strings.HasPrefix(line, "/") {
		name, args, _ := strings.Cut(line[1:], " ")
		if name == "location" {
			if lat, lon, ok := parseLatLon(args); ok {
				return langnghe.Input{Kind: langnghe.InputLocation, Location: &langnghe.Location{Latitude: lat, Longitude: lon}, At: now}
			}
		}
		return langnghe.Input{Kind: langnghe.InputCommand, Command: strings.ToLower(name), Text: strings.TrimSpace(args), At: now}
	}
	if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(c.buttons) {
		return langnghe.Input{Kind: langnghe.InputButton, Data: c.buttons[n-1].Data, At: now}
	}
	return langnghe.Input{Kind: langnghe.InputText, Text: line, At: now}
}

// parseLatLon reads "LAT,LON" in decimal degrees (langnghe.ParseCoordinates:
// no NaN, infinities or hexadecimal floats).
func parseLatLon(s string) (float64, float64, bool) {
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		return 0, 0, false
	}
	loc, ok := langnghe.ParseCoordinates(strings.TrimSpace(a), strings.TrimSpace(b))
	return loc.Latitude, loc.Longitude, ok
}

// send applies one input and prints the replies it queued.
func (c *terminalChat) send(ctx context.Context, in langnghe.Input) error {
	c.seq++
	err := c.a.service.Handle(ctx, langnghe.Inbound{
		Channel: langnghe.ChannelTerminal, UpdateID: strconv.FormatInt(c.seq, 10),
		UserID: c.user, ChatID: c.user, Name: c.user, LanguageCode: c.lang, Private: true, Input: in,
	})
	if err != nil {
		return err
	}
	return c.printReplies(ctx)
}

func (c *terminalChat) printReplies(ctx context.Context) error {
	out, err := c.a.db.TakeChat(ctx, langnghe.ChannelTerminal, c.user)
	if err != nil {
		return err
	}
	for _, o := range out {
		m := o.Message
		fmt.Fprintln(c.out, m.Text)
		if len(m.Buttons) > 0 {
			c.buttons = c.buttons[:0]
			for _, row := range m.Buttons {
				for _, b := range row {
					c.buttons = append(c.buttons, b)
					fmt.Fprintf(c.out, "  [%d] %s\n", len(c.buttons), b.Label)
				}
			}
		}
		switch m.Request {
		case langnghe.RequestContact:
			fmt.Fprintln(c.out, "  (gõ số điện thoại / type a phone number)")
		case langnghe.RequestLocation:
			fmt.Fprintln(c.out, "  (gõ /location VĨ_ĐỘ,KINH_ĐỘ / type /location LAT,LON)")
		}
	}
	return nil
}
