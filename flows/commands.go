package flows

import (
	"strings"

	"langnghe"
	"langnghe/wording"
)

// Command is one of the residents' global commands: the flow it starts and
// the words that name it.
type Command struct {
	// Flow is the flow of the default content the command starts; cancel
	// starts none.
	Flow string
	// Slash are the words of its slash commands, lower case, without the
	// slash: "huy" is /huy. Channels pass the word as typed; the
	// conversation names the command with SlashCommand.
	Slash []string
	// Typed are whole messages that are the command, folded (no
	// diacritics, lower case). Only a message that is exactly the word
	// counts, so "hủy đơn đất" is still an answer.
	Typed []string
}

// Commands is the one table of the residents' global commands, by name,
// with every word for each, Vietnamese first: every channel and the engine
// read it, so the names the help flow gives hold everywhere. It is code,
// not content: admins change what the flows say, not which commands there
// are. The engine handles only these commands; the caller routes any other
// (admins' /flows, officials' /xem) elsewhere.
func Commands() map[string]Command {
	return map[string]Command{
		CommandStart: {Flow: "welcome", Slash: []string{"start"}},
		CommandMenu: {Flow: "menu", Slash: []string{"menu"},
			Typed: []string{"menu", "danh muc", "菜单"}},
		CommandCancel: {Slash: []string{"huy", "cancel"},
			Typed: []string{"huy", "huy bo", "cancel", "thoat", "取消"}},
		CommandHelp: {Flow: "help", Slash: []string{"trogiup", "help"},
			Typed: []string{"tro giup", "giup do", "help", "帮助"}},
		CommandLanguage: {Flow: "language", Slash: []string{"ngonngu", "language"},
			Typed: []string{"ngon ngu", "language", "语言"}},
		CommandMyOpinions: {Flow: "my_opinions", Slash: []string{"ykiencuatoi", "myopinions"}},
		CommandMyData:     {Flow: "my_data", Slash: []string{"dulieucuatoi", "mydata"}},
		CommandDeleteData: {Flow: "delete_data", Slash: []string{"xoadulieu", "deletedata"}},
		CommandStopAnnouncements: {Flow: "stop_announcements", Slash: []string{"huythongbao", "unsubscribe"},
			Typed: []string{"huy thong bao", "huy nhan thong bao", "khong nhan thong bao", "khong nhan thong bao nua",
				"ngung nhan thong bao", "dung nhan thong bao", "unsubscribe", "stop announcements", "退订", "取消通知"}},
	}
}

// commandButtonPrefix starts the data of a button that gives a command
// (CommandButton); a question's buttons carry their wait number instead.
const commandButtonPrefix = "cmd:"

// CommandButton is the data of a button that gives the command name, for
// messages the service sends outside a conversation (the "no more
// announcements" button under an announcement): pressed at any time, it
// works as the command typed.
func CommandButton(name string) string { return commandButtonPrefix + name }

// commandOfButton is the command a button gives, if it is a command button
// of a known command.
func commandOfButton(data string) (string, bool) {
	name, ok := strings.CutPrefix(data, commandButtonPrefix)
	if _, known := commands[name]; !ok || !known {
		return "", false
	}
	return name, true
}

// menuOrder is the order of the chat's command menu.
var menuOrder = []string{CommandStart, CommandMenu, CommandCancel, CommandMyOpinions, CommandLanguage,
	CommandMyData, CommandDeleteData, CommandStopAnnouncements, CommandHelp}

// Menu is the chat's command menu made from Commands, every command in
// menuOrder saying what it does in the catalogue's words
// (bot.command.<name>), by the language of the client: English clients get
// each command's last slash word and English description, everyone else
// ("") the first, Vietnamese.
func Menu() map[string][]langnghe.MenuCommand {
	menu := map[string][]langnghe.MenuCommand{}
	for _, name := range menuOrder {
		c := commands[name]
		if len(c.Slash) == 0 {
			continue
		}
		menu[""] = append(menu[""], langnghe.MenuCommand{Word: c.Slash[0], Description: wording.Text(langnghe.LangVI, "bot.command."+name)})
		menu[langnghe.LangEN] = append(menu[langnghe.LangEN],
			langnghe.MenuCommand{Word: c.Slash[len(c.Slash)-1], Description: wording.Text(langnghe.LangEN, "bot.command."+name)})
	}
	return menu
}

var (
	commands      = Commands()
	slashCommands = commandsByWord(func(c Command) []string { return c.Slash })
	typedCommands = commandsByWord(func(c Command) []string { return c.Typed })
)

// commandsByWord maps each of the words a command is named by to its name.
func commandsByWord(words func(Command) []string) map[string]string {
	byWord := map[string]string{}
	for name, c := range commands {
		for _, w := range words(c) {
			byWord[w] = name
		}
	}
	return byWord
}

// SlashCommand names the command a slash command's word stands for
// ("huy" → CommandCancel). Any other word is its own name, for the
// application's other commands.
func SlashCommand(word string) string {
	if name, ok := slashCommands[word]; ok {
		return name
	}
	return word
}
