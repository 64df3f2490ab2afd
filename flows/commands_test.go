package flows_test

import (
	"regexp"
	"strings"
	"testing"

	"langnghe/flows"
	"langnghe/flows/vntext"
)

// The command table is the only place command words live, so what it
// holds must be usable as it is: slash words a channel can pass, typed
// words the engine can match, and no word for two commands.
func TestCommandTable(t *testing.T) {
	// What Telegram accepts as a command (and the bot passes on).
	slashWord := regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	slash, typed := map[string]string{}, map[string]string{}
	for name, c := range flows.Commands() {
		for _, w := range c.Slash {
			if !slashWord.MatchString(w) {
				t.Errorf("%s: /%s is no slash command a channel can pass", name, w)
			}
			if other, ok := slash[w]; ok {
				t.Errorf("/%s names both %s and %s", w, other, name)
			}
			slash[w] = name
			if got := flows.SlashCommand(w); got != name {
				t.Errorf("SlashCommand(%q) = %q, want %q", w, got, name)
			}
		}
		for _, w := range c.Typed {
			if folded := strings.Join(vntext.Words(w), " "); folded != w {
				t.Errorf("%s: typed word %q is not folded (%q): no message would match it", name, w, folded)
			}
			if other, ok := typed[w]; ok {
				t.Errorf("typed %q names both %s and %s", w, other, name)
			}
			typed[w] = name
		}
	}
	if got := flows.SlashCommand("xem"); got != "xem" {
		t.Errorf("a word that is no resident's command changed: SlashCommand(xem) = %q", got)
	}
}

// The chat's command menu is made from the table: every command is in it,
// in Vietnamese for everyone and in English for English clients, each
// under a word that names it.
func TestCommandMenu(t *testing.T) {
	menu := flows.Menu()
	for _, lang := range []string{"", "en"} {
		seen := map[string]bool{}
		for _, c := range menu[lang] {
			name := flows.SlashCommand(c.Word)
			if _, ok := flows.Commands()[name]; !ok || c.Description == "" || seen[name] {
				t.Errorf("menu %q: /%s %q names no command, twice, or says nothing", lang, c.Word, c.Description)
			}
			seen[name] = true
		}
		if len(seen) != len(flows.Commands()) {
			t.Errorf("menu %q has %d of the %d commands", lang, len(seen), len(flows.Commands()))
		}
	}
	if vi, en := menu[""][2], menu["en"][2]; vi.Word != "huy" || en.Word != "cancel" || vi.Description != "Hủy thao tác đang làm" {
		t.Errorf("cancel in the menu = %+v / %+v", vi, en)
	}
}
