// Package i18n holds the two user languages of agglo (Chinese and English)
// and the small helpers that pick a text in the user's language.
package i18n

import (
	"errors"
	"fmt"
	"strings"
)

// Languages supported for user-facing text.
const (
	ZH = "zh"
	EN = "en"
)

// Normalize maps a user's language choice (flag value, Accept-Language
// header, query parameter) to ZH or EN. Unknown values give ZH, the default
// language for Chinese regions.
func Normalize(lang string) string {
	l := strings.ToLower(strings.TrimSpace(lang))
	if strings.HasPrefix(l, "en") {
		return EN
	}
	return ZH
}

// Valid reports whether lang is exactly one of the supported codes.
func Valid(lang string) bool { return lang == ZH || lang == EN }

// Text is a message in both languages.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// T builds a Text.
func T(zh, en string) Text { return Text{ZH: zh, EN: en} }

// Tf builds a Text from two format strings sharing the same arguments.
func Tf(zh, en string, args ...any) Text {
	return Text{ZH: fmt.Sprintf(zh, args...), EN: fmt.Sprintf(en, args...)}
}

// In returns the text in lang, falling back to the other language when the
// requested one is empty.
func (t Text) In(lang string) string {
	if Normalize(lang) == EN {
		if t.EN != "" {
			return t.EN
		}
		return t.ZH
	}
	if t.ZH != "" {
		return t.ZH
	}
	return t.EN
}

// Localizer is implemented by errors that can describe themselves in the
// user's language.
type Localizer interface {
	Localized(lang string) string
}

// Message returns err's message in lang: the first Localizer in err's chain
// speaks for it, with any context wrapped around it kept as is.
func Message(err error, lang string) string {
	if err == nil {
		return ""
	}
	var l Localizer
	if errors.As(err, &l) {
		msg := l.Localized(lang)
		// Keep the wrapping context ("read x.csv: ...") when the localized
		// error sits inside other errors.
		full := err.Error()
		inner := fmt.Sprint(l)
		if i := strings.LastIndex(full, inner); i > 0 && inner != "" {
			return full[:i] + msg
		}
		return msg
	}
	return err.Error()
}

// Error is an error that carries its message in both languages.
type Error struct {
	Text Text
}

// Errorf builds an Error from two format strings sharing the same arguments.
func Errorf(zh, en string, args ...any) *Error { return &Error{Text: Tf(zh, en, args...)} }

func (e *Error) Error() string { return e.Text.EN }

// Localized implements Localizer.
func (e *Error) Localized(lang string) string { return e.Text.In(lang) }

// HasLatinWord reports whether s holds a run of two or more Latin letters
// once the allowed abbreviations (GDP, R&D …) are taken out: the check the
// tests make that a Chinese text carries no English word or identifier.
func HasLatinWord(s string, allowed ...string) bool {
	for _, a := range allowed {
		s = strings.ReplaceAll(s, a, "")
	}
	run := 0
	for _, c := range s {
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') {
			run++
			if run >= 2 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}
