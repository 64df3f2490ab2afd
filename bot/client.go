package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe"
)

// DefaultEndpoint is Telegram's Bot API endpoint format (token, method).
const DefaultEndpoint = tgbotapi.APIEndpoint

// defaultHTTPTimeout caps one HTTP exchange. It must exceed the long-poll
// timeout, or every quiet getUpdates would end as a client timeout.
const defaultHTTPTimeout = 90 * time.Second

// Client is a Bot API client bound to one token. Every call takes a context,
// and no error it returns contains the token (the library puts the token in
// every URL, so a plain *url.Error would leak it into logs).
//
// The wrapped *tgbotapi.BotAPI exports its Token: it is kept unexported here
// and must never be logged or marshalled.
type Client struct {
	api          *tgbotapi.BotAPI
	http         *http.Client
	token        string
	fileEndpoint string // fmt format (token, file_path)
	// self is the bot as getMe described it; nil until connect succeeded.
	self atomic.Pointer[tgbotapi.User]
}

// ClientOption adjusts a Client.
type ClientOption func(*Client)

// WithHTTPTimeout caps each HTTP exchange with the Bot API (default 90s). It
// must stay above the long-poll timeout.
func WithHTTPTimeout(d time.Duration) ClientOption {
	return func(c *Client) { c.http.Timeout = d }
}

// NewClient checks the token with getMe and returns a client for endpoint, a
// format with two %s verbs (token, method) such as DefaultEndpoint; "" means
// DefaultEndpoint.
func NewClient(ctx context.Context, token, endpoint string, opts ...ClientOption) (*Client, error) {
	c, err := newClient(token, endpoint, opts...)
	if err != nil {
		return nil, err
	}
	if err := c.connect(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// newClient returns a client for endpoint without calling Telegram (the
// library's constructor calls getMe, and fails when Telegram does):
// connect checks the token.
func newClient(token, endpoint string, opts ...ClientOption) (*Client, error) {
	if token == "" {
		return nil, langnghe.Errorf(langnghe.EINVALID, "telegram token is empty")
	}
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	fileEndpoint, err := fileEndpointFor(endpoint)
	if err != nil {
		return nil, err
	}
	// Sends run in parallel to one host; the default transport would keep
	// only two idle connections and open (and TLS-handshake) the rest anew.
	// A slow Telegram keeps up to Limits.Workers sends in flight.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 256
	c := &Client{
		http:         &http.Client{Timeout: defaultHTTPTimeout, Transport: transport},
		token:        token,
		fileEndpoint: fileEndpoint,
	}
	for _, opt := range opts {
		opt(c)
	}
	// What NewBotAPIWithClient builds, without its getMe. The unexported
	// shutdown channel serves only GetUpdatesChan, which is not used.
	c.api = &tgbotapi.BotAPI{Token: token, Client: c.http, Buffer: 100}
	c.api.SetAPIEndpoint(endpoint)
	return c, nil
}

// connect checks the token with getMe and learns the bot's username.
func (c *Client) connect(ctx context.Context) error {
	api, d := c.bound(ctx)
	me, err := api.GetMe()
	if err != nil {
		return c.wrap("getMe", d, err)
	}
	c.self.Store(&me)
	return nil
}

// fileEndpointFor derives the file download format from the method format:
// GetFileDirectURL always uses api.telegram.org, ignoring a self-hosted
// server or a test fake.
func fileEndpointFor(endpoint string) (string, error) {
	const method = "/bot%s/%s"
	i := strings.LastIndex(endpoint, method)
	if i < 0 || strings.Count(endpoint, "%s") != 2 {
		return "", langnghe.Errorf(langnghe.EINVALID, "telegram endpoint %q must end in %q", endpoint, method)
	}
	return endpoint[:i] + "/file" + endpoint[i:], nil
}

// connected reports whether getMe has answered.
func (c *Client) connected() bool { return c.self.Load() != nil }

// Username is the bot's @username, without the @; "" until connected.
func (c *Client) Username() string {
	if me := c.self.Load(); me != nil {
		return me.UserName
	}
	return ""
}

// String keeps the token out of fmt and slog output.
func (c *Client) String() string { return "telegram client @" + c.Username() }

// boundDoer attaches a call's context to the library's requests (the library
// builds them without one) and remembers the HTTP status, which classifies
// replies the library cannot decode (a proxy's HTML 502) and upload errors
// (the library leaves their error_code at 0).
type boundDoer struct {
	ctx    context.Context
	client *http.Client
	status int
}

func (d *boundDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.client.Do(req.WithContext(d.ctx))
	if resp != nil {
		d.status = resp.StatusCode
	}
	return resp, err
}

// bound returns a shallow copy of the library client whose requests carry
// ctx. BotAPI holds no lock, so copying it per call is safe and keeps calls
// independent.
func (c *Client) bound(ctx context.Context) (*tgbotapi.BotAPI, *boundDoer) {
	d := &boundDoer{ctx: ctx, client: c.http}
	api := *c.api
	api.Client = d
	return &api, d
}

// request calls a method that answers true or an object the caller ignores
// (answerCallbackQuery, deleteWebhook, setMyCommands): Send would fail to
// decode a bare true into a Message.
func (c *Client) request(ctx context.Context, chattable tgbotapi.Chattable, method string) error {
	api, d := c.bound(ctx)
	if _, err := api.Request(chattable); err != nil {
		return c.wrap(method, d, err)
	}
	return nil
}

// send calls a method that answers a Message (sendMessage, sendDocument).
func (c *Client) send(ctx context.Context, chattable tgbotapi.Chattable, method string) (tgbotapi.Message, error) {
	api, d := c.bound(ctx)
	msg, err := api.Send(chattable)
	if err != nil {
		return tgbotapi.Message{}, c.wrap(method, d, err)
	}
	return msg, nil
}

// makeRequest calls a method with raw parameters, for what the library's
// configs lack (setWebhook's secret_token).
func (c *Client) makeRequest(ctx context.Context, method string, params tgbotapi.Params) (json.RawMessage, error) {
	api, d := c.bound(ctx)
	resp, err := api.MakeRequest(method, params)
	if err != nil {
		return nil, c.wrap(method, d, err)
	}
	return resp.Result, nil
}

// getUpdates long-polls for updates from cfg.Offset on. Each update is
// decoded on its own: the library decodes the whole batch at once, so one
// update it cannot read (a field whose type Telegram changed since 2021)
// would fail every batch and stall polling for good. Such an update comes
// back in skipped, to be acknowledged and logged.
func (c *Client) getUpdates(ctx context.Context, cfg tgbotapi.UpdateConfig) (updates []tgbotapi.Update, skipped []int, err error) {
	params := tgbotapi.Params{}
	params.AddNonZero("offset", cfg.Offset)
	params.AddNonZero("limit", cfg.Limit)
	params.AddNonZero("timeout", cfg.Timeout)
	if err := params.AddInterface("allowed_updates", cfg.AllowedUpdates); err != nil {
		return nil, nil, fmt.Errorf("getUpdates: %w", err)
	}
	result, err := c.makeRequest(ctx, "getUpdates", params)
	if err != nil {
		return nil, nil, err
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(result, &raws); err != nil {
		return nil, nil, &APIError{Method: "getUpdates", Kind: KindTransient, Description: "result is not a list: " + err.Error()}
	}
	for _, raw := range raws {
		var u tgbotapi.Update
		if err := json.Unmarshal(raw, &u); err != nil {
			var id struct {
				UpdateID int `json:"update_id"`
			}
			if json.Unmarshal(raw, &id) != nil || id.UpdateID == 0 {
				// Without an id the offset cannot move past it; the
				// batch is retried and the caller sees the error.
				return nil, nil, &APIError{Method: "getUpdates", Kind: KindTransient, Description: "update without update_id: " + err.Error()}
			}
			skipped = append(skipped, id.UpdateID)
			continue
		}
		updates = append(updates, u)
	}
	return updates, skipped, nil
}

// errFileTooLarge reports a file above the caller's limit.
var errFileTooLarge = errors.New("file too large")

// download fetches a file's bytes: getFile, then the file URL built from the
// configured endpoint. A file above limit gives errFileTooLarge (known from
// getFile's size or found while reading), never more than limit bytes read.
func (c *Client) download(ctx context.Context, fileID string, limit int64) ([]byte, error) {
	api, d := c.bound(ctx)
	file, err := api.GetFile(tgbotapi.FileConfig{FileID: fileID})
	if err != nil {
		return nil, c.wrap("getFile", d, err)
	}
	if int64(file.FileSize) > limit {
		return nil, errFileTooLarge
	}
	if file.FilePath == "" {
		return nil, &APIError{Method: "getFile", Kind: KindPermanent, Description: "no file_path in getFile result"}
	}
	link := fmt.Sprintf(c.fileEndpoint, c.token, file.FilePath)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return nil, c.wrap("getFile", d, err)
	}
	resp, err := d.Do(req)
	if err != nil {
		return nil, c.wrap("download", d, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, c.wrap("download", d, fmt.Errorf("HTTP %s", resp.Status))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, c.wrap("download", d, err)
	}
	if int64(len(data)) > limit {
		return nil, errFileTooLarge
	}
	return data, nil
}

// ErrorKind says what a failed Bot API call means for a retry.
type ErrorKind string

const (
	// KindRetryAfter: flood control (429); wait RetryAfter, then retry.
	KindRetryAfter ErrorKind = "retry_after"
	// KindTransient: 5xx, network errors, timeouts; retry with backoff.
	KindTransient ErrorKind = "transient"
	// KindBlocked: the person blocked the bot, was deactivated, or the
	// private chat is gone; stop writing to them.
	KindBlocked ErrorKind = "blocked"
	// KindPermanent: any other 4xx; the same request will fail again.
	KindPermanent ErrorKind = "permanent"
)

// APIError is a failed Bot API call, classified. Its text and everything
// its Unwrap chain carries are free of the token.
type APIError struct {
	Method      string
	Kind        ErrorKind
	Code        int // Telegram's error_code, or the HTTP status when that is all there is
	Description string
	RetryAfter  time.Duration // for KindRetryAfter
	err         error
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "telegram %s: %s", e.Method, e.Kind)
	if e.Code != 0 {
		fmt.Fprintf(&b, " %d", e.Code)
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

func (e *APIError) Unwrap() error { return e.err }

// Is lets callers test a kind: errors.Is(err, &APIError{Kind: KindBlocked}).
func (e *APIError) Is(target error) bool {
	t, ok := target.(*APIError)
	return ok && t.Method == "" && t.Kind == e.Kind
}

// kindOf returns err's classification, KindTransient when err is not an
// *APIError (a failure we cannot read is worth another try).
func kindOf(err error) (ErrorKind, time.Duration) {
	var e *APIError
	if errors.As(err, &e) {
		return e.Kind, e.RetryAfter
	}
	return KindTransient, 0
}

// wrap classifies err from one call and removes the token from it.
func (c *Client) wrap(method string, d *boundDoer, err error) error {
	e := &APIError{Method: method, Code: d.status}
	var tgErr *tgbotapi.Error
	switch {
	case errors.As(err, &tgErr):
		if tgErr.Code != 0 {
			e.Code = tgErr.Code
		}
		e.Description = c.redact(tgErr.Message)
		e.RetryAfter = time.Duration(tgErr.RetryAfter) * time.Second
		e.Kind = classify(e.Code, e.Description)
	case d.ctx.Err() != nil:
		// Our own cancellation or deadline: transient, and the chain keeps
		// context.Canceled / DeadlineExceeded for callers that stop on it.
		e.Kind = KindTransient
		e.Description = c.redact(err.Error())
		e.err = d.ctx.Err()
		return e
	case e.Code == http.StatusTooManyRequests:
		e.Kind = KindRetryAfter
		e.Description = "undecodable 429 reply"
	case e.Code >= 400 && e.Code < 500:
		e.Kind = classify(e.Code, "")
		e.Description = c.redact(err.Error())
	default:
		// Network errors, timeouts, 5xx, replies that are not JSON.
		e.Kind = KindTransient
		e.Description = c.redact(err.Error())
	}
	if e.Kind == KindRetryAfter && e.RetryAfter <= 0 {
		e.RetryAfter = time.Second
	}
	e.err = c.redactedCause(err)
	return e
}

// classify sorts a Telegram error by its code and description.
func classify(code int, description string) ErrorKind {
	d := strings.ToLower(description)
	switch {
	case code == http.StatusTooManyRequests:
		return KindRetryAfter
	case code >= 500 || code == 0:
		return KindTransient
	case code == http.StatusForbidden:
		// "bot was blocked by the user", "user is deactivated", "bot was
		// kicked from the group chat", "bot can't initiate conversation":
		// all say we may not write to this chat.
		return KindBlocked
	case code == http.StatusBadRequest && strings.Contains(d, "chat not found"):
		return KindBlocked
	default:
		return KindPermanent
	}
}

// redact removes the token (raw and URL-escaped) from s.
func (c *Client) redact(s string) string {
	for _, t := range []string{c.token, url.PathEscape(c.token), url.QueryEscape(c.token)} {
		s = strings.ReplaceAll(s, t, "<token>")
	}
	return s
}

// redactedCause keeps err's useful chain (net.Error, *url.Error for
// timeouts) while removing the token from the URL that *url.Error carries.
func (c *Client) redactedCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: c.redact(ue.URL), Err: ue.Err}
	}
	var tgErr *tgbotapi.Error
	if errors.As(err, &tgErr) {
		// The description is already in APIError; the library's error has
		// nothing more and no URL.
		return tgErr
	}
	return errors.New(c.redact(err.Error()))
}
