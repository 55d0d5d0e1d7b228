package dataset

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"agglo/internal/i18n"
)

// maxIssues caps how many problems one import reports; the rest are counted.
const maxIssues = 50

// Issue is one problem found in a user's file, located by file, sheet, row
// and column (1-based; 0 when not applicable).
type Issue struct {
	File   string    `json:"file,omitempty"`
	Sheet  string    `json:"sheet,omitempty"`
	Row    int       `json:"row,omitempty"`
	Col    int       `json:"col,omitempty"`
	Column string    `json:"column,omitempty"` // the column's header
	Text   i18n.Text `json:"message"`
}

// Localized writes the issue's location and message in lang, e.g.
// "gdp.csv 第3行 第2列（GDP）：数值格式错误“12a”".
func (is Issue) Localized(lang string) string {
	var loc []string
	en := i18n.Normalize(lang) == i18n.EN
	if is.File != "" {
		loc = append(loc, is.File)
	}
	if is.Sheet != "" {
		loc = append(loc, pick(en, "sheet "+is.Sheet, "工作表“"+is.Sheet+"”"))
	}
	if is.Row > 0 {
		loc = append(loc, pick(en, fmt.Sprintf("row %d", is.Row), fmt.Sprintf("第%d行", is.Row)))
	}
	if is.Col > 0 {
		c := pick(en, fmt.Sprintf("column %d", is.Col), fmt.Sprintf("第%d列", is.Col))
		if is.Column != "" {
			c += pick(en, " ("+is.Column+")", "（"+is.Column+"）")
		}
		loc = append(loc, c)
	} else if is.Column != "" {
		loc = append(loc, pick(en, "column "+is.Column, "列“"+is.Column+"”"))
	}
	sep := pick(en, ", ", " ")
	colon := pick(en, ": ", "：")
	if len(loc) == 0 {
		return is.Text.In(lang)
	}
	return strings.Join(loc, sep) + colon + is.Text.In(lang)
}

func (is Issue) Error() string { return is.Localized(i18n.EN) }

func pick(en bool, e, z string) string {
	if en {
		return e
	}
	return z
}

// ImportError reports every problem of a rejected file. Import is
// all-or-nothing: when an ImportError is returned nothing was imported.
type ImportError struct {
	File   string
	Issues []Issue
	More   int // problems found beyond those listed
	// TooLarge says that the file was refused for exceeding one of the
	// import Limits (a server answers 413 to it).
	TooLarge bool
}

func (e *ImportError) Error() string { return e.Localized(i18n.EN) }

// Localized implements i18n.Localizer: a summary line and one line per
// issue.
func (e *ImportError) Localized(lang string) string {
	var b strings.Builder
	n := len(e.Issues) + e.More
	if i18n.Normalize(lang) == i18n.EN {
		fmt.Fprintf(&b, "%s: %d problem(s), nothing imported", e.File, n)
	} else {
		fmt.Fprintf(&b, "%s：发现 %d 个问题，未导入任何数据", e.File, n)
	}
	for _, is := range e.Issues {
		b.WriteString("\n  ")
		b.WriteString(is.Localized(lang))
	}
	if e.More > 0 {
		if i18n.Normalize(lang) == i18n.EN {
			fmt.Fprintf(&b, "\n  ... and %d more", e.More)
		} else {
			fmt.Fprintf(&b, "\n  ……另有 %d 个问题", e.More)
		}
	}
	return b.String()
}

// issues collects problems. It keeps up to maxKept of them, so that they
// can be put in file order before the first maxIssues are reported, and
// counts the rest.
type issues struct {
	list     []Issue
	more     int
	tooLarge bool
}

// maxKept is how many problems an import keeps before it only counts.
const maxKept = 10 * maxIssues

func (s *issues) add(is Issue) {
	if len(s.list) < maxKept {
		s.list = append(s.list, is)
		return
	}
	s.more++
}

// err returns the first maxIssues problems as an *ImportError, or nil.
func (s *issues) err(file string) error {
	if len(s.list) == 0 {
		return nil
	}
	list, more := s.list, s.more
	if len(list) > maxIssues {
		more += len(list) - maxIssues
		list = list[:maxIssues:maxIssues]
	}
	return &ImportError{File: file, Issues: list, More: more, TooLarge: s.tooLarge}
}

func errDuplicateIndicator(code string) error {
	return i18n.Errorf("指标代码“%s”重复", "indicator code %q appears twice", code)
}

// errorWithDetail is the message zh / en (formats of args) followed by
// err's text. The text of an error from the standard library, zip or
// excelize is English: it is given in the English message only, and the
// Chinese one says what it can in Chinese words (a missing file, a
// refused permission, a message of agglo's own).
func errorWithDetail(err error, zh, en string, args ...any) *i18n.Error {
	t := i18n.Tf(zh, en, args...)
	t.EN += ": " + err.Error()
	var l i18n.Localizer
	switch {
	case errors.As(err, &l):
		t.ZH += "：" + l.Localized(i18n.ZH)
	case errors.Is(err, fs.ErrNotExist):
		t.ZH += "：文件不存在"
	case errors.Is(err, fs.ErrPermission):
		t.ZH += "：没有权限"
	}
	return &i18n.Error{Text: t}
}
