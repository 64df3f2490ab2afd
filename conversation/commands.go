package conversation

import "langnghe/flows"

// residentCommands maps the residents' slash commands, Vietnamese and
// English, to the engine's global command names. Every channel that has
// commands (Telegram, the terminal chat) reads them here, so the names in
// the help flow hold everywhere.
var residentCommands = map[string]string{
	"start":        flows.CommandStart,
	"menu":         flows.CommandMenu,
	"huy":          flows.CommandCancel,
	"cancel":       flows.CommandCancel,
	"trogiup":      flows.CommandHelp,
	"help":         flows.CommandHelp,
	"ngonngu":      flows.CommandLanguage,
	"language":     flows.CommandLanguage,
	"ykiencuatoi":  flows.CommandMyOpinions,
	"myopinions":   flows.CommandMyOpinions,
	"dulieucuatoi": flows.CommandMyData,
	"mydata":       flows.CommandMyData,
	"xoadulieu":    flows.CommandDeleteData,
	"deletedata":   flows.CommandDeleteData,
}

// CommandName returns the command name for a slash command typed without
// its slash ("huy" → flows.CommandCancel). Any other word is its own name,
// for the application's other commands (admins' /flows, officials' /xem).
func CommandName(word string) string {
	if name, ok := residentCommands[word]; ok {
		return name
	}
	return word
}
