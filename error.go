package langnghe

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"langnghe/wording"
)

// Application error codes. Each maps to one HTTP status in web/ and to one
// kind of message a person sees; anything else is an internal error whose
// details are logged, never shown.
const (
	ECONFLICT     = "conflict"     // 409: a stale revision, a duplicate
	EINTERNAL     = "internal"     // 500
	EINVALID      = "invalid"      // 400: bad input, a broken flow file
	ENOTFOUND     = "not_found"    // 404
	EFORBIDDEN    = "forbidden"    // 403: outside the caller's scope
	EUNAUTHORIZED = "unauthorized" // 401
	ETOOLARGE     = "too_large"    // 413
)

// Error is an application error: Message is safe to show to the person who
// caused it.
type Error struct {
	Code    string
	Message string // in English
	// format and args made Message; when the catalogue (wording) has format,
	// an English text, as a key, MessageIn says it in other languages.
	format string
	args   []any
	// parts, when set, are the problems the message lists, "; " between.
	parts []*Error
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an application error with code and a message formatted
// from format, an English text. Its translations are the catalogue's
// (wording/*/errors.yaml, keyed by format); an argument that is a Wording
// is said in the reader's language.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, argsIn(args, LangEN)...), format: format, args: args}
}

// errorList is one error listing problems, each said in the reader's
// language; nil when there is none.
func errorList(code string, parts []*Error) *Error {
	if len(parts) == 0 {
		return nil
	}
	msgs := make([]string, len(parts))
	for i, p := range parts {
		msgs[i] = p.Message
	}
	return &Error{Code: code, Message: strings.Join(msgs, "; "), parts: parts}
}

// MessageIn is the message in lang: the catalogue's translation of its
// format when there is one, the English message otherwise.
func (e *Error) MessageIn(lang string) string {
	switch {
	case e.parts != nil:
		msgs := make([]string, len(e.parts))
		for i, p := range e.parts {
			msgs[i] = p.MessageIn(lang)
		}
		return strings.Join(msgs, "; ")
	case lang != LangEN && e.format != "" && wording.Has(e.format):
		return fmt.Sprintf(wording.Text(lang, e.format), argsIn(e.args, lang)...)
	case lang != LangEN && e.Code == EINTERNAL:
		return wording.Text(lang, internalError)
	}
	return e.Message
}

// Wording is an argument of a message that reads differently in each
// language (a status's name, an action's verb).
type Wording interface{ In(lang string) string }

// Said is a Wording: en as English messages say it, name(lang) in the
// other languages.
func Said(en string, name func(lang string) string) Wording { return said{en, name} }

type said struct {
	en   string
	name func(lang string) string
}

func (s said) In(lang string) string {
	if lang == LangEN {
		return s.en
	}
	return s.name(lang)
}

// Words is a Wording from the catalogue: its text key in each language.
type Words string

func (w Words) In(lang string) string { return wording.Text(lang, string(w)) }

// phrase is a Wording formatted from the catalogue: format (an English
// text, its key) with args, themselves said in the reader's language.
type phrase struct {
	format string
	args   []any
}

func phrasef(format string, args ...any) Wording { return phrase{format, args} }

func (p phrase) In(lang string) string {
	return fmt.Sprintf(wording.Text(lang, p.format), argsIn(p.args, lang)...)
}

// argsIn is args with each Wording said in lang.
func argsIn(args []any, lang string) []any {
	var out []any
	for i, a := range args {
		if w, ok := a.(Wording); ok {
			if out == nil {
				out = slices.Clone(args)
			}
			out[i] = w.In(lang)
		}
	}
	if out == nil {
		return args
	}
	return out
}

// internalError is the message of an error whose details are not shown.
const internalError = "Internal error."

// asError is the application error in err's chain, nil when there is none.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// ErrorCode returns the code of the application error in err's chain, or
// EINTERNAL when there is none.
func ErrorCode(err error) string {
	if e := asError(err); e != nil {
		return e.Code
	} else if err != nil {
		return EINTERNAL
	}
	return ""
}

// ErrorMessageIn is ErrorMessage in lang (see Error.MessageIn); an error
// that is not an application error is an internal error in lang.
func ErrorMessageIn(err error, lang string) string {
	if e := asError(err); e != nil {
		return e.MessageIn(lang)
	} else if err != nil {
		return wording.Text(lang, internalError)
	}
	return ""
}

// ErrorMessage returns the message of the application error in err's chain,
// or a generic message that leaks nothing.
func ErrorMessage(err error) string {
	if e := asError(err); e != nil {
		return e.Message
	} else if err != nil {
		return internalError
	}
	return ""
}
