package cli

import (
	"os"

	"agglo/internal/i18n"
)

// refuseOverwrite is the one check of every command that writes a file
// (-o): an existing file is replaced only with --force, and the message
// is the same everywhere. It is an ordinary error (exit 1), not a usage
// error: the command was called correctly.
func refuseOverwrite(path string, force bool) error {
	if force || path == "" || path == "-" {
		return nil
	}
	if _, err := os.Stat(path); err == nil {
		return i18n.Errorf("文件 %s 已存在：加 --force 覆盖，或用 -o 指定另一个文件", "%s exists already: add --force to overwrite it, or choose another file with -o", path)
	}
	return nil
}

// forceFlagUsage is the help text of --force.
const forceFlagUsage = "覆盖已存在的输出文件 / overwrite an existing output file"
