package conversation_test

import (
	"strconv"
	"strings"
	"testing"

	"langnghe"
	"langnghe/flows"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// Channels pass a slash command's word as it was typed; the conversation
// names the command as it applies the input, so /huy does what /cancel
// does, in the middle of a conversation as anywhere.
func TestSlashWordsNameTheResidentsCommands(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		svc := newService(t, db, 0)
		user := 700
		// after is what a resident who just chose their language hears
		// when they send command word, their account's id left out.
		after := func(word string) string {
			user++
			id := strconv.Itoa(user)
			c := start(t, db, svc, id)
			return strings.ReplaceAll(joined(c.send(langnghe.Input{Kind: langnghe.InputCommand, Command: word})), id, "…")
		}
		unknown := after("khongcolenhnay")
		for name, cmd := range flows.Commands() {
			want := after(name)
			if want == unknown {
				t.Fatalf("command %q is answered as an unknown one: %q", name, want)
			}
			for _, word := range cmd.Slash {
				if got := after(word); got != want {
					t.Errorf("/%s: got %q, want what %q gives: %q", word, got, name, want)
				}
			}
		}
	})
}
