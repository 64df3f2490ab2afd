package telegramtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
)

// apiError is a Bot API error as Telegram reports it: error_code is also
// the HTTP status.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int // seconds; only for 429
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{Code: http.StatusBadRequest, Description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

var errNotFound = &apiError{Code: http.StatusNotFound, Description: "Not Found"}

type envelope struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *struct {
		RetryAfter int `json:"retry_after,omitempty"`
	} `json:"parameters,omitempty"`
}

// described is a result that Telegram accompanies with a description, such
// as setWebhook's "Webhook was set".
type described struct {
	result      any
	description string
}

func writeOK(w http.ResponseWriter, result any) {
	env := envelope{OK: true}
	if d, ok := result.(described); ok {
		result, env.Description = d.result, d.description
	}
	raw, ok := result.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(result); err != nil {
			writeError(w, &apiError{Code: http.StatusInternalServerError, Description: "Internal Server Error"})
			return
		}
	}
	env.Result = raw
	writeEnvelope(w, http.StatusOK, env)
}

func writeError(w http.ResponseWriter, e *apiError) {
	env := envelope{ErrorCode: e.Code, Description: e.Description}
	if e.RetryAfter > 0 {
		env.Parameters = &struct {
			RetryAfter int `json:"retry_after,omitempty"`
		}{e.RetryAfter}
	}
	writeEnvelope(w, e.Code, env)
}

func writeEnvelope(w http.ResponseWriter, status int, env envelope) {
	body, err := json.Marshal(env)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// maxUpload is Telegram's limit on files a bot uploads.
const maxUpload = 50 << 20

// params are a request's parameters. Telegram takes them from the query
// string, a form, multipart form data or a JSON body alike.
type params struct {
	values map[string]string
	files  map[string]upload
}

// upload is a file sent in a multipart request.
type upload struct {
	name string
	mime string
	data []byte
}

func (p params) get(key string) string { return p.values[key] }

func (p params) has(key string) bool {
	_, ok := p.values[key]
	return ok
}

// int reads an integer parameter; a missing one is 0. Telegram rejects
// values that are not numbers.
func (p params) int(key string) (int64, *apiError) {
	v, ok := p.values[key]
	if !ok || v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0, badRequest("invalid %s specified", key)
	}
	return n, nil
}

func (p params) bool(key string) bool {
	v := strings.ToLower(p.values[key])
	return v == "true" || v == "1"
}

// readParams reads a request's parameters wherever the client put them.
func readParams(w http.ResponseWriter, r *http.Request) (params, *apiError) {
	p := params{values: make(map[string]string)}
	for k, vs := range r.URL.Query() {
		p.values[k] = vs[0]
	}
	if r.Body == nil {
		return p, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return p, requestError(err)
		}
		for k, vs := range r.PostForm {
			p.values[k] = vs[0]
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxUpload); err != nil {
			return p, requestError(err)
		}
		for k, vs := range r.MultipartForm.Value {
			p.values[k] = vs[0]
		}
		p.files = make(map[string]upload)
		for k, fhs := range r.MultipartForm.File {
			up, err := readUpload(fhs[0])
			if err != nil {
				return p, requestError(err)
			}
			p.files[k] = up
		}
	case "application/json":
		var body map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return p, requestError(err)
		}
		for k, raw := range body {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				p.values[k] = s
			} else {
				p.values[k] = string(raw)
			}
		}
	}
	return p, nil
}

func readUpload(fh *multipart.FileHeader) (upload, error) {
	f, err := fh.Open()
	if err != nil {
		return upload{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return upload{}, err
	}
	return upload{name: fh.Filename, mime: fh.Header.Get("Content-Type"), data: data}, nil
}

// requestError turns a failure to read the request into what Telegram says.
func requestError(err error) *apiError {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &apiError{Code: http.StatusRequestEntityTooLarge, Description: "Request Entity Too Large"}
	}
	return badRequest("can't parse request: %v", err)
}

// Telegram objects as they travel on the wire.

type wireUser struct {
	ID            int64  `json:"id"`
	IsBot         bool   `json:"is_bot"`
	FirstName     string `json:"first_name"`
	LastName      string `json:"last_name,omitempty"`
	Username      string `json:"username,omitempty"`
	LanguageCode  string `json:"language_code,omitempty"`
	CanJoinGroups bool   `json:"can_join_groups,omitempty"`
}

type wireChat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Username  string `json:"username,omitempty"`
}

type wireEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type wireContact struct {
	PhoneNumber string `json:"phone_number"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name,omitempty"`
	UserID      int64  `json:"user_id,omitempty"`
}

type wireLocation struct {
	Longitude float64 `json:"longitude"`
	Latitude  float64 `json:"latitude"`
}

type wirePhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size,omitempty"`
}

type wireDocument struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int    `json:"file_size,omitempty"`
}

type wireFile struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int    `json:"file_size,omitempty"`
	FilePath     string `json:"file_path,omitempty"`
}

type wireMessage struct {
	MessageID      int              `json:"message_id"`
	From           *wireUser        `json:"from,omitempty"`
	Date           int64            `json:"date"`
	Chat           wireChat         `json:"chat"`
	EditDate       int64            `json:"edit_date,omitempty"`
	ReplyToMessage *wireMessage     `json:"reply_to_message,omitempty"`
	Text           string           `json:"text,omitempty"`
	Entities       []wireEntity     `json:"entities,omitempty"`
	Caption        string           `json:"caption,omitempty"`
	Document       *wireDocument    `json:"document,omitempty"`
	Photo          []wirePhotoSize  `json:"photo,omitempty"`
	Contact        *wireContact     `json:"contact,omitempty"`
	Location       *wireLocation    `json:"location,omitempty"`
	ReplyMarkup    *wireInlineReply `json:"reply_markup,omitempty"`
}

type wireCallbackQuery struct {
	ID           string       `json:"id"`
	From         wireUser     `json:"from"`
	Message      *wireMessage `json:"message,omitempty"`
	ChatInstance string       `json:"chat_instance"`
	Data         string       `json:"data,omitempty"`
}

type wireUpdate struct {
	UpdateID      int                `json:"update_id"`
	Message       *wireMessage       `json:"message,omitempty"`
	CallbackQuery *wireCallbackQuery `json:"callback_query,omitempty"`
}

type wireWebhookInfo struct {
	URL                  string   `json:"url"`
	HasCustomCertificate bool     `json:"has_custom_certificate"`
	PendingUpdateCount   int      `json:"pending_update_count"`
	LastErrorDate        int64    `json:"last_error_date,omitempty"`
	LastErrorMessage     string   `json:"last_error_message,omitempty"`
	MaxConnections       int      `json:"max_connections,omitempty"`
	AllowedUpdates       []string `json:"allowed_updates,omitempty"`
}

// wireInlineReply is the inline keyboard Telegram echoes back on a message.
type wireInlineReply struct {
	InlineKeyboard [][]wireInlineButton `json:"inline_keyboard"`
}

type wireInlineButton struct {
	Text                         string          `json:"text"`
	CallbackData                 *string         `json:"callback_data,omitempty"`
	URL                          *string         `json:"url,omitempty"`
	SwitchInlineQuery            *string         `json:"switch_inline_query,omitempty"`
	SwitchInlineQueryCurrentChat *string         `json:"switch_inline_query_current_chat,omitempty"`
	LoginURL                     json.RawMessage `json:"login_url,omitempty"`
	WebApp                       json.RawMessage `json:"web_app,omitempty"`
	CallbackGame                 json.RawMessage `json:"callback_game,omitempty"`
	Pay                          bool            `json:"pay,omitempty"`
}
