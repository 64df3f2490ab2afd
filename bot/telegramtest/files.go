package telegramtest

import (
	"bytes"
	"context"
	"image"
	_ "image/gif" // photo sizes of GIF uploads
	_ "image/jpeg"
	_ "image/png"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// maxDownload is the largest file Telegram lets a bot download.
const maxDownload = 20 << 20

// storedFile is a file residents or the bot sent.
type storedFile struct {
	id   string
	path string
	name string
	mime string
	data []byte
}

// fileStore keeps files up to a byte budget, forgetting the oldest first.
type fileStore struct {
	byID   map[string]*storedFile
	byPath map[string]*storedFile
	order  []*storedFile // oldest first
	bytes  int64
	budget int64
	seq    int
}

func newFileStore(budget int64) fileStore {
	return fileStore{byID: make(map[string]*storedFile), byPath: make(map[string]*storedFile), budget: budget}
}

// add stores data and returns the new file. dir is "photos" or
// "documents", as in Telegram's file paths.
func (fs *fileStore) add(dir, name, mimeType string, data []byte) *storedFile {
	fs.seq++
	ext := path.Ext(name)
	if ext == "" && dir == "photos" {
		ext = ".jpg"
	}
	f := &storedFile{
		id:   "BQAC" + strconv.Itoa(fs.seq),
		path: dir + "/file_" + strconv.Itoa(fs.seq) + ext,
		name: name,
		mime: mimeType,
		data: data,
	}
	if f.mime == "" || f.mime == "application/octet-stream" {
		if byExt := mime.TypeByExtension(ext); byExt != "" {
			f.mime = byExt
		} else {
			f.mime = "application/octet-stream"
		}
	}
	fs.byID[f.id], fs.byPath[f.path] = f, f
	fs.order = append(fs.order, f)
	fs.bytes += int64(len(data))
	for fs.bytes > fs.budget && len(fs.order) > 1 {
		old := fs.order[0]
		fs.order[0] = nil
		fs.order = fs.order[1:]
		delete(fs.byID, old.id)
		delete(fs.byPath, old.path)
		fs.bytes -= int64(len(old.data))
	}
	return f
}

// File returns the bytes of a file residents or the bot sent, by file_id,
// while the file budget keeps them.
func (s *Server) File(fileID string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files.byID[fileID]
	if !ok {
		return nil, false
	}
	return bytes.Clone(f.data), true
}

func (s *Server) getFile(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files.byID[p.get("file_id")]
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	if len(f.data) > maxDownload {
		return nil, badRequest("file is too big")
	}
	return wireFile{FileID: f.id, FileUniqueID: "u" + f.id, FileSize: len(f.data), FilePath: f.path}, nil
}

// serveFile answers /file/bot<token>/<file_path>.
func (s *Server) serveFile(w http.ResponseWriter, _ *http.Request, rest string) {
	token, filePath, ok := strings.Cut(rest, "/")
	if !ok || token != s.token {
		writeError(w, errNotFound)
		return
	}
	s.mu.Lock()
	f, ok := s.files.byPath[filePath]
	s.mu.Unlock()
	if !ok {
		writeError(w, errNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	_, _ = w.Write(f.data)
}

// photoSize reads an image's dimensions, falling back to a common camera
// size for bytes that are not an image the standard library knows.
func photoSize(data []byte) (width, height int) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 1280, 960
	}
	return cfg.Width, cfg.Height
}

func (s *Server) sendDocument(ctx context.Context, p params) (any, *apiError) {
	return s.sendFile(ctx, p, "sendDocument", "document")
}

func (s *Server) sendPhoto(ctx context.Context, p params) (any, *apiError) {
	return s.sendFile(ctx, p, "sendPhoto", "photo")
}

// sendFile takes an uploaded file (multipart) or the file_id of a known
// one, with an optional caption.
func (s *Server) sendFile(_ context.Context, p params, method, field string) (any, *apiError) {
	id, ae := chatID(p)
	if ae != nil {
		return nil, ae
	}
	caption, ae := messageText(p, "caption", maxCaptionLen)
	if ae != nil {
		return nil, ae
	}
	up, uploaded := p.files[field]
	ref := p.get(field)
	switch {
	case uploaded && len(up.data) == 0:
		return nil, badRequest("file must be non-empty")
	case !uploaded && ref == "":
		return nil, badRequest("there is no %s in the request", field)
	}
	mk, ae := parseMarkup(p.get("reply_markup"))
	if ae != nil {
		return nil, ae
	}
	return s.withChat(id, func(c *chat) (any, *apiError) {
		f := s.files.byID[ref]
		if !uploaded && f == nil {
			return nil, badRequest("wrong file identifier/HTTP URL specified")
		}
		if ae := s.admit(c); ae != nil {
			return nil, ae
		}
		if uploaded {
			dir := "documents"
			if field == "photo" {
				dir = "photos"
			}
			f = s.files.add(dir, up.name, up.mime, up.data)
		}
		c.lastID++
		m := Message{
			MessageID: c.lastID, ChatID: id, Method: method,
			Text: caption, Source: p.get("caption"), ParseMode: p.get("parse_mode"),
			InlineKeyboard: mk.inline, Keyboard: mk.keyboard, RemoveKeyboard: mk.remove,
			Document: &Document{FileID: f.id, Name: f.name, MIME: f.mime, Size: len(f.data)},
			At:       s.now(),
		}
		s.record(c, m)
		return s.wireMessage(c, m), nil
	})
}
