package telegramtest

// Polling reports whether a getUpdates request is waiting for updates, so
// tests can send an update while it waits.
func (s *Server) Polling() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updates.poller != nil
}

// ParseHTML exposes the HTML entity parser to the tests.
var ParseHTML = parseHTML

// ParseMarkdownV2 and ParseMarkdown expose the Markdown parsers to the tests.
var (
	ParseMarkdownV2 = parseMarkdownV2
	ParseMarkdown   = parseMarkdown
)
