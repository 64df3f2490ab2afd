// Package telegramtest is a fake Telegram Bot API server for tests.
//
// It answers like Telegram on the wire (the {"ok":...} envelope, 401 for a
// wrong token, 409 while a webhook is set, 429 with retry_after, "message is
// too long", BUTTON_DATA_INVALID, blocked users) so that the bot can be
// tested with the real go-telegram-bot-api library pointed at Endpoint().
// Tests play the residents (SendText, PressButton, ...) and read what the
// bot did (Sent, WaitSent, Calls).
//
// A test typically does:
//
//	s := telegramtest.NewServer()
//	defer s.Close()
//	bot, _ := tgbotapi.NewBotAPIWithClient(s.Token(), s.Endpoint(), client)
//	s.SendText(telegramtest.User{ID: 1001, FirstName: "Lan"}, "/start")
//	// ... the bot polls (or set a webhook) and answers ...
//	msgs, err := s.WaitSent(ctx, 1001, 1)
//
// The fake serves load tests too, so it is fast (one lock, no per-request
// allocation beyond the JSON) and keeps a bounded history: the last
// messages per chat, the last messages overall, files up to a byte budget
// and the updates the bot has not confirmed yet.
package telegramtest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults chosen so that ordinary tests never hit a bound while a load
// test of thousands of residents stays within tens of megabytes.
const (
	DefaultToken          = "123456:TEST-token-abc"
	DefaultBotUsername    = "langnghe_test_bot"
	DefaultRetainPerChat  = 1000
	DefaultRetainAll      = 10000
	DefaultMaxPending     = 100000
	DefaultFileBudget     = 64 << 20
	DefaultHookRetryDelay = 200 * time.Millisecond
	DefaultHookTimeout    = 10 * time.Second
)

// Limits are Telegram's flood limits, enforced on messages the bot sends
// (sendMessage, sendDocument, sendPhoto). Zero turns a limit off; all are
// off by default.
type Limits struct {
	Global  int // messages per second overall
	PerChat int // messages per second to one private chat
	// PerChatBurst, with PerChat, lets a private chat take this many
	// messages at once and then PerChat a second (a token bucket), instead
	// of PerChat in any one second.
	PerChatBurst int
	PerGroup     int // messages per minute to one group
	// RetryAfter is the number of seconds told in a 429; zero computes it
	// from when the window frees up (at least 1).
	RetryAfter int
}

// Option configures a Server.
type Option func(*Server)

// WithToken sets the one token the fake accepts; any other gets 401.
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// WithBotUsername sets the bot's username returned by getMe.
func WithBotUsername(name string) Option { return func(s *Server) { s.bot.Username = name } }

// WithLimits enables flood limits from the start.
func WithLimits(l Limits) Option { return func(s *Server) { s.limits = l } }

// WithLatency delays every Bot API answer, as a slow network would.
func WithLatency(d time.Duration) Option { return func(s *Server) { s.latency = d } }

// WithClock replaces the clock used for message dates, Message.At and the
// flood-limit windows, so tests of limits need not sleep. Long-poll and
// webhook timing keep using real time.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithRetention bounds the history Sent and AllSent return: the last
// perChat entries of each chat and the last all entries overall.
func WithRetention(perChat, all int) Option {
	return func(s *Server) {
		if perChat > 0 {
			s.retainPerChat = perChat
		}
		if all > 0 {
			s.retainAll = all
		}
	}
}

// WithMaxPending bounds the updates waiting for the bot; beyond it the
// oldest are forgotten, as Telegram forgets updates after 24 hours.
func WithMaxPending(n int) Option {
	return func(s *Server) {
		if n > 0 {
			s.maxPending = n
		}
	}
}

// WithFileBudget bounds the bytes of stored files; the oldest files are
// forgotten first (getFile then answers "invalid file_id").
func WithFileBudget(bytes int64) Option {
	return func(s *Server) {
		if bytes > 0 {
			s.fileBudget = bytes
		}
	}
}

// WithWebhookRetry sets how long a failed webhook delivery waits before it
// is tried again, and how long one delivery may take before it counts as
// failed. Zero keeps the default.
func WithWebhookRetry(delay, timeout time.Duration) Option {
	return func(s *Server) {
		if delay > 0 {
			s.hookRetryDelay = delay
		}
		if timeout > 0 {
			s.hookTimeout = timeout
		}
	}
}

// WithKnownChatsOnly makes sends to chats no resident ever wrote from fail
// with 400 "Bad Request: chat not found", as Telegram does.
func WithKnownChatsOnly() Option { return func(s *Server) { s.knownChatsOnly = true } }

// Server is a running fake Bot API. Its methods are safe for concurrent use.
type Server struct {
	ts     *httptest.Server
	token  string
	bot    wireUser
	now    func() time.Time
	ctx    context.Context // cancelled by Close; bounds webhook deliveries
	cancel context.CancelFunc
	done   chan struct{}
	closed sync.Once
	wg     sync.WaitGroup // webhook workers

	latency        time.Duration
	retainPerChat  int
	retainAll      int
	maxPending     int
	fileBudget     int64
	hookRetryDelay time.Duration
	hookTimeout    time.Duration
	knownChatsOnly bool
	hookClient     *http.Client

	mu          sync.Mutex
	limits      Limits
	global      window
	chats       map[int64]*chat
	all         ring[Message]
	calls       map[string]int
	faults      map[string][]fault
	outages     map[string]outage // FailFor, by method
	rejected429 int
	commands    []Command
	callbacks   map[int]*callback // by update id
	cbOrder     ring[int]
	files       fileStore
	updates     updateQueue
	hook        webhook
}

// NewServer starts a fake Bot API on 127.0.0.1 at a free port. Close it
// when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		token:          DefaultToken,
		bot:            wireUser{IsBot: true, FirstName: "Lắng nghe (test)", Username: DefaultBotUsername},
		now:            time.Now,
		done:           make(chan struct{}),
		retainPerChat:  DefaultRetainPerChat,
		retainAll:      DefaultRetainAll,
		maxPending:     DefaultMaxPending,
		fileBudget:     DefaultFileBudget,
		hookRetryDelay: DefaultHookRetryDelay,
		hookTimeout:    DefaultHookTimeout,
		chats:          make(map[int64]*chat),
		calls:          make(map[string]int),
		faults:         make(map[string][]fault),
		callbacks:      make(map[int]*callback),
	}
	for _, opt := range opts {
		opt(s)
	}
	s.bot.ID = botID(s.token)
	s.all = newRing[Message](s.retainAll)
	s.cbOrder = newRing[int](s.retainAll)
	s.files = newFileStore(s.fileBudget)
	s.updates = newUpdateQueue()
	s.hook.cond = sync.NewCond(&s.mu)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.hookClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 100}}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// botID is the numeric part of a token, which Telegram uses as the bot's
// user id.
func botID(token string) int64 {
	head, _, _ := strings.Cut(token, ":")
	id, err := strconv.ParseInt(head, 10, 64)
	if err != nil || id <= 0 {
		return 123456
	}
	return id
}

// Close stops the server: waiting long polls return, webhook deliveries
// stop, and the listener closes.
func (s *Server) Close() {
	s.closed.Do(func() {
		close(s.done)
		s.cancel()
		s.mu.Lock()
		s.hook.url = ""
		s.hook.gen++
		s.hook.cond.Broadcast()
		s.mu.Unlock()
		s.ts.Close()
		s.wg.Wait()
		s.hookClient.CloseIdleConnections()
	})
}

// URL is the server's base URL, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return s.ts.URL }

// Endpoint is the Bot API endpoint format the library takes:
// "<URL>/bot%s/%s".
func (s *Server) Endpoint() string { return s.ts.URL + "/bot%s/%s" }

// FileURL is where a file with the given file_path is downloaded, as
// Telegram's https://api.telegram.org/file/bot<token>/<file_path>.
func (s *Server) FileURL(filePath string) string {
	return s.ts.URL + "/file/bot" + s.token + "/" + filePath
}

// Token is the token the fake accepts.
func (s *Server) Token() string { return s.token }

// BotUsername is the bot's username (without @).
func (s *Server) BotUsername() string { return s.bot.Username }

// BotID is the bot's user id, the numeric part of the token.
func (s *Server) BotID() int64 { return s.bot.ID }

// SetLimits changes the flood limits; zero values turn limits off.
func (s *Server) SetLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = l
}

// Calls reports how many requests were made for a Bot API method (method
// names are case-insensitive, as in Telegram), failed ones included.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[strings.ToLower(method)]
}

// Rejected429 reports how many requests were answered 429 Too Many Requests.
func (s *Server) Rejected429() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected429
}

// maxCountedMethods bounds the Calls map against requests for endless
// made-up method names.
const maxCountedMethods = 256

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/file/bot"); ok {
		s.serveFile(w, r, rest)
		return
	}
	rest, ok := strings.CutPrefix(path, "/bot")
	if !ok {
		writeError(w, errNotFound)
		return
	}
	token, method, ok := strings.Cut(rest, "/")
	method = strings.ToLower(method)
	s.mu.Lock()
	if _, counted := s.calls[method]; counted || len(s.calls) < maxCountedMethods {
		s.calls[method]++
	}
	s.mu.Unlock()
	if token != s.token {
		writeError(w, &apiError{Code: http.StatusUnauthorized, Description: "Unauthorized"})
		return
	}
	handle, known := methods[method]
	if !ok || !known {
		writeError(w, errNotFound)
		return
	}
	if err := s.delay(r.Context()); err != nil {
		return // the client or the server went away; nobody reads an answer
	}
	if f, failed := s.takeFault(method); failed {
		f.write(w)
		return
	}
	p, ae := readParams(w, r)
	if ae != nil {
		writeError(w, ae)
		return
	}
	result, ae := handle(s, r.Context(), p)
	if ae != nil {
		if ae.Code == http.StatusTooManyRequests {
			s.mu.Lock()
			s.rejected429++
			s.mu.Unlock()
		}
		writeError(w, ae)
		return
	}
	writeOK(w, result)
}

// delay waits the configured latency, or less when the request or the
// server ends first.
func (s *Server) delay(ctx context.Context) error {
	if s.latency <= 0 {
		return nil
	}
	t := time.NewTimer(s.latency)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-s.done:
		return errClosed
	}
}

var errClosed = errors.New("telegramtest: server closed")

// methodFunc answers one Bot API method: a result to put in the envelope,
// or the error Telegram would give.
type methodFunc func(s *Server, ctx context.Context, p params) (any, *apiError)

// methods are the Bot API methods the fake knows, by lower-case name;
// anything else is 404 Not Found, as in Telegram.
var methods = map[string]methodFunc{
	"getme":                  (*Server).getMe,
	"getupdates":             (*Server).getUpdates,
	"setwebhook":             (*Server).setWebhook,
	"deletewebhook":          (*Server).deleteWebhook,
	"getwebhookinfo":         (*Server).getWebhookInfo,
	"sendmessage":            (*Server).sendMessage,
	"editmessagetext":        (*Server).editMessageText,
	"editmessagereplymarkup": (*Server).editMessageReplyMarkup,
	"deletemessage":          (*Server).deleteMessage,
	"sendchataction":         (*Server).sendChatAction,
	"answercallbackquery":    (*Server).answerCallbackQuery,
	"senddocument":           (*Server).sendDocument,
	"sendphoto":              (*Server).sendPhoto,
	"getfile":                (*Server).getFile,
	"setmycommands":          (*Server).setMyCommands,
	"getmycommands":          (*Server).getMyCommands,
	"deletemycommands":       (*Server).deleteMyCommands,
}

func (s *Server) getMe(context.Context, params) (any, *apiError) {
	me := s.bot
	me.CanJoinGroups = true
	return me, nil
}
