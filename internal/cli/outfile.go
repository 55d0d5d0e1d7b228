package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"

	"agglo/internal/i18n"
)

// outputExistsError refuses to replace a file without --force. Every
// command that writes a file (-o) reports it with the same message; it is
// a usage error (exit 2) but needs no pointer to --help.
type outputExistsError struct{ path string }

func (e *outputExistsError) Error() string { return e.Localized(i18n.EN) }

// Localized implements i18n.Localizer.
func (e *outputExistsError) Localized(lang string) string {
	return i18n.Tf("文件 %s 已存在；加 --force 覆盖", "%s exists; use --force to overwrite it", e.path).In(lang)
}

// writeError is a failure to write path, in the user's language.
type writeError struct {
	path string
	err  error
}

func (e *writeError) Error() string { return e.Localized(i18n.EN) }
func (e *writeError) Unwrap() error { return e.err }

// Localized implements i18n.Localizer.
func (e *writeError) Localized(lang string) string {
	return i18n.Tf("写入 %s 失败：", "write %s: ", e.path).In(lang) + i18n.Message(e.err, lang)
}

// outputFile is a file being written through a temporary file in the same
// folder: Close renames it into place, Abort removes it, so that a failed
// write leaves nothing half-written and the old file untouched.
type outputFile struct {
	tmp  *os.File
	path string
	done bool
}

func (f *outputFile) Write(p []byte) (int, error) { return f.tmp.Write(p) }

// Close finishes the file: the temporary file becomes path, readable by
// others like any document.
func (f *outputFile) Close() error {
	if f.done {
		return nil
	}
	f.done = true
	defer os.Remove(f.tmp.Name())
	_ = f.tmp.Chmod(0o644) // CreateTemp makes the file private (0600)
	if err := f.tmp.Close(); err != nil {
		return &writeError{f.path, err}
	}
	if err := os.Rename(f.tmp.Name(), f.path); err != nil {
		return &writeError{f.path, err}
	}
	return nil
}

// Abort drops what was written; path keeps its old content, if any.
func (f *outputFile) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.tmp.Close()
	os.Remove(f.tmp.Name())
}

// createOutput opens path for a command's output (-o). An existing file is
// replaced only with force, else the error says so ("exists; use
// --force"). The file appears at path only when Close succeeds; a writer
// that fails should call Abort (the returned value has it) instead, as
// writeFileAtomic does.
func createOutput(path string, force bool) (io.WriteCloser, error) {
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			return nil, usageError{i18n.Errorf("%s 是文件夹，不能作为输出文件", "%s is a folder, not an output file", path)}
		}
		if !force {
			return nil, &outputExistsError{path: path}
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, i18n.Errorf("无法写入 %s：%v", "cannot write %s: %v", path, err)
	}
	return &outputFile{tmp: tmp, path: path}, nil
}

// writeFileAtomic writes path with write through createOutput: nothing
// half-written on failure, an existing file replaced only with force.
func writeFileAtomic(path string, force bool, write func(io.Writer) error) error {
	w, err := createOutput(path, force)
	if err != nil {
		return err
	}
	if err := write(w); err != nil {
		w.(*outputFile).Abort()
		return &writeError{path, err}
	}
	return w.Close()
}

func isOutputExists(err error) bool {
	var e *outputExistsError
	return errors.As(err, &e)
}

// refuseOverwrite is the check of commands that write through another
// writer (the report, the dataset export): an existing file is replaced
// only with force, with the same message as createOutput.
func refuseOverwrite(path string, force bool) error {
	if force || path == "" || path == "-" {
		return nil
	}
	if _, err := os.Stat(path); err == nil {
		return &outputExistsError{path: path}
	}
	return nil
}

// forceFlagUsage is the help text of --force.
const forceFlagUsage = "覆盖已存在的输出文件 / overwrite an existing output file"
