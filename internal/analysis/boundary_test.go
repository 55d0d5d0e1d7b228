package analysis

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The command line, the server and the report translate input into
// requests of this package and render its results: they never run an
// analysis themselves. This test reads their source and fails on any call
// of a function of the analysis packages other than the parsers of files
// users give them and the labels those packages own.
func TestEdgesGoThroughAnalysis(t *testing.T) {
	// Functions the edges may call: parsing files and flags into typed
	// values, and labels.
	allowed := map[string]bool{
		"composite.ParseFramework": true, "composite.Builtin": true, "composite.BuiltinCodes": true, "composite.ParseUASpec": true,
		"diagnose.DefaultConfig": true, "diagnose.ParseConfig": true, "diagnose.ParseStage": true, "diagnose.Stages": true,
		"diagnose.Label": true, "diagnose.Labels": true, "diagnose.Problems": true,
		"diagnose.AxisName": true, "diagnose.RefsZH": true, "diagnose.StatusName": true, "strategy.SourceText": true,
		"diagnose.MetricName": true, "diagnose.AgreementName": true, "diagnose.ResolutionName": true,
		"composite.StepName": true, "composite.MethodName": true, "composite.DescribeStep": true, "composite.DescribeChoice": true,
		"strategy.EvidenceText": true,
		// Names of finding axes, rule pushes and replication statuses.
		"diagnose.ProblemAxis": true, "strategy.PushName": true, "strategy.AxisName": true, "replicate.StatusName": true, "replicate.UnitText": true,
	}
	// Packages whose functions are analyses; measure, spatial and network
	// may not even be imported.
	guarded := map[string]string{
		"agglo/internal/composite": "composite", "agglo/internal/diagnose": "diagnose", "agglo/internal/strategy": "strategy",
		"agglo/internal/replicate": "replicate", "agglo/internal/measure": "measure", "agglo/internal/spatial": "spatial",
		"agglo/internal/network": "network",
	}
	methodsOnly := map[string]bool{"measure": true, "spatial": true, "network": true}
	funcs := map[string]map[string]bool{} // package name -> its top-level functions
	for path, name := range guarded {
		funcs[name] = topLevelFuncs(t, filepath.Join("..", strings.TrimPrefix(path, "agglo/internal/")))
	}
	if len(funcs["composite"]) == 0 || !funcs["composite"]["Build"] || !funcs["diagnose"]["Run"] {
		t.Fatalf("could not read the analysis packages: %v", funcs)
	}
	calls := 0
	for _, edge := range []string{"cli", "server", "report"} {
		for _, file := range goFiles(t, filepath.Join("..", edge)) {
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			local := map[string]string{} // import name in this file -> guarded package name
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				name, ok := guarded[p]
				if !ok {
					continue
				}
				if methodsOnly[name] {
					t.Errorf("%s imports %s: measures are computed by analysis.Measure", file, p)
				}
				as := name
				if imp.Name != nil {
					as = imp.Name.Name
				}
				local[as] = name
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				id, ok := sel.X.(*ast.Ident)
				if !ok {
					return true
				}
				pkg, ok := local[id.Name]
				if !ok || !funcs[pkg][sel.Sel.Name] {
					return true // a method, a type conversion or another package
				}
				calls++
				if q := pkg + "." + sel.Sel.Name; !allowed[q] {
					t.Errorf("%s calls %s: translate the input into an analysis request instead", file, q)
				}
				return true
			})
		}
	}
	if calls == 0 {
		t.Error("no call of an analysis package seen: the test reads nothing")
	}
}

func goFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			out = append(out, filepath.Join(dir, n))
		}
	}
	return out
}

// topLevelFuncs lists the functions (not methods) declared in a package.
func topLevelFuncs(t *testing.T, dir string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, file := range goFiles(t, dir) {
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				out[fd.Name.Name] = true
			}
		}
	}
	return out
}
