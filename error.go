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

// ErrorCode returns the code of the application error in err's chain, or
// EINTERNAL when there is none.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessageIn is ErrorMessage in lang: the Vietnamese message for LangVI
// when the error has one.
func ErrorMessageIn(err error, lang string) string {
	var e *Error
	if lang == LangVI && errors.As(err, &e) && e.Vietnamese != "" {
		return e.Vietnamese
	}
	if lang == LangVI && err != nil && ErrorCode(err) == EINTERNAL {
		return "Có lỗi nội bộ."
	}
	return ErrorMessage(err)
}

// ErrorMessage returns the message of the application error in err's chain,
// or a generic message that leaks nothing.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
