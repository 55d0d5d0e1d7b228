package composite

import (
	"bytes"
	"testing"
)

// FuzzParseFramework checks that no framework file makes the parser panic
// and that an accepted framework validates.
func FuzzParseFramework(f *testing.F) {
	for _, code := range BuiltinCodes() {
		b, err := builtinFS.ReadFile("frameworks/" + code + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("code: x\nindicators:\n  - {code: a, parent: b}\naggregates:\n  - {code: b, parent: a}\n"))
	f.Add([]byte("code: x\nindicators: [{code: a, weight: .nan, parent: i}]\naggregates: [{code: i}]\n"))
	f.Add([]byte("{{{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fw, err := ParseFramework(bytes.NewReader(data))
		if err != nil {
			if fw != nil {
				t.Fatal("framework returned with an error")
			}
			_ = err.Error()
			return
		}
		if err := fw.Validate(); err != nil {
			t.Fatalf("accepted framework does not validate: %v", err)
		}
	})
}

// FuzzParseUASpec checks the uncertainty spec parser.
func FuzzParseUASpec(f *testing.F) {
	f.Add([]byte("sensitivity: true\nchoices:\n  - {name: w, step: treatment, winmax: [1, 2]}\n"))
	f.Add([]byte("choices:\n  - {name: n, step: weight_noise, level: 2, factor: 0.25}\n"))
	f.Add([]byte("choices: [{name: a, step: aggregation, alternatives: [{method: geometric}]}]"))
	f.Add([]byte("choices: 7"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sp, err := ParseUASpec(bytes.NewReader(data))
		if err != nil && sp != nil {
			t.Fatal("spec returned with an error")
		}
	})
}
