package measure

import (
	"encoding/json"
	"os"
	"testing"
)

// readRefJSON decodes a reference file under testdata/reference/ (written by
// the script named in the test that reads it).
func readRefJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(refDir + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}
