package composite

import (
	"fmt"
	"reflect"
)

// Error is a user-facing error with a Chinese and an English message. Line and
// Column locate the problem in a YAML source when known (1-based, 0 = unknown).
type Error struct {
	ZH     string
	EN     string
	Line   int
	Column int
}

// Error returns the English message, prefixed with the location when known.
func (e *Error) Error() string { return e.Localized("en") }

// Localized returns the message in lang ("zh" or "en"; anything else is en),
// prefixed with the location when known.
func (e *Error) Localized(lang string) string {
	msg := e.EN
	if lang == "zh" {
		msg = e.ZH
		if e.Line > 0 {
			return fmt.Sprintf("第 %d 行第 %d 列: %s", e.Line, e.Column, msg)
		}
		return msg
	}
	if e.Line > 0 {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, msg)
	}
	return msg
}

func errorf(zh, en string, args ...any) *Error {
	return &Error{ZH: fmt.Sprintf(zh, args...), EN: fmt.Sprintf(en, args...)}
}

func errorAt(line, col int, zh, en string, args ...any) *Error {
	e := errorf(zh, en, args...)
	e.Line, e.Column = line, col
	return e
}

func reflectTypeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }
