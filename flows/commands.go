package flows

// CommandTable says which flow each global command starts, and which typed
// words residents use for a command. Admins edit it in one place; the
// engine handles only these commands and cancel, and the caller routes any
// other command (admin commands) elsewhere.
type CommandTable struct {
	// Flows maps a command name to the flow it starts.
	Flows map[string]string `yaml:"flows" json:"flows"`
	// Words maps a whole typed message, folded (no diacritics, lower case),
	// to a command: "huy" → cancel. Only a message that is exactly the word
	// counts, so "hủy đơn đất" is still an answer.
	Words map[string]string `yaml:"words" json:"words"`
}

// DefaultCommands is the command table of the default content.
func DefaultCommands() *CommandTable {
	return &CommandTable{
		Flows: map[string]string{
			CommandStart:      "welcome",
			CommandMenu:       "menu",
			CommandHelp:       "help",
			CommandLanguage:   "language",
			CommandMyOpinions: "my_opinions",
			CommandMyData:     "my_data",
			CommandDeleteData: "delete_data",
		},
		Words: map[string]string{
			"huy": CommandCancel, "huy bo": CommandCancel, "cancel": CommandCancel, "thoat": CommandCancel,
			"取消":   CommandCancel,
			"menu": CommandMenu, "danh muc": CommandMenu, "菜单": CommandMenu,
			"tro giup": CommandHelp, "giup do": CommandHelp, "help": CommandHelp, "帮助": CommandHelp,
			"ngon ngu": CommandLanguage, "language": CommandLanguage, "语言": CommandLanguage,
		},
	}
}

func (env *Env) commands() *CommandTable {
	if env.Commands != nil {
		return env.Commands
	}
	return defaultCommands
}

var defaultCommands = DefaultCommands()
