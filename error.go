package langnghe

import (
	"errors"
	"fmt"
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
	Message string
	// Vietnamese is Message in Vietnamese, for the officials and residents
	// who read the service in Vietnamese; "" when it has no translation.
	Vietnamese string
}

// Vi sets the error's Vietnamese message and returns it:
// Errorf(EINVALID, "there is no unit %q", u).Vi("Không có đơn vị %q", u).
func (e *Error) Vi(format string, args ...any) *Error {
	e.Vietnamese = fmt.Sprintf(format, args...)
	return e
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an application error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

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

// ErrorMessageIn is ErrorMessage in lang: the Vietnamese message for LangVI
// when the error has one.
func ErrorMessageIn(err error, lang string) string {
	if lang != LangVI {
		return ErrorMessage(err)
	}
	if e := asError(err); e != nil && e.Vietnamese != "" {
		return e.Vietnamese
	} else if ErrorCode(err) == EINTERNAL {
		return "Có lỗi nội bộ."
	}
	return ErrorMessage(err)
}

// ErrorMessage returns the message of the application error in err's chain,
// or a generic message that leaks nothing.
func ErrorMessage(err error) string {
	if e := asError(err); e != nil {
		return e.Message
	} else if err != nil {
		return "Internal error."
	}
	return ""
}
