package analysis

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"agglo/internal/i18n"
)

// TestInputReasonsTranslated reads the sources of packages measure,
// spatial and network and checks that every literal reason of an
// InputError (the value of a Reason field, the reason argument of
// spatial's unitError and network's edgeError, a variable named reason)
// has Chinese words in inputReasons, and that the reasons with numbers
// match a pattern: a new reason without Chinese words would otherwise show
// English in a Chinese message.
func TestInputReasonsTranslated(t *testing.T) {
	found := map[string]string{} // reason -> where
	for _, dir := range []string{"measure", "spatial", "network"} {
		files, err := filepath.Glob(filepath.Join("..", dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			lit := func(e ast.Expr) {
				if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
					if s, err := strconv.Unquote(b.Value); err == nil {
						found[s] = fset.Position(b.Pos()).String()
					}
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.KeyValueExpr:
					if id, ok := x.Key.(*ast.Ident); ok && id.Name == "Reason" {
						lit(x.Value)
					}
				case *ast.CallExpr:
					if id, ok := x.Fun.(*ast.Ident); ok && (id.Name == "unitError" || id.Name == "edgeError") && len(x.Args) > 0 {
						lit(x.Args[len(x.Args)-1])
					}
				case *ast.AssignStmt:
					for i, l := range x.Lhs {
						if id, ok := l.(*ast.Ident); ok && id.Name == "reason" && i < len(x.Rhs) {
							lit(x.Rhs[i])
						}
					}
				}
				return true
			})
		}
	}
	if len(found) < 20 {
		t.Fatalf("found only %d reasons: the scan no longer sees them", len(found))
	}
	for r, where := range found {
		if _, ok := inputReasons[r]; !ok {
			t.Errorf("%s: reason %q has no Chinese words in inputReasons", where, r)
		}
	}
	// The reasons built with numbers (measure/convergence.go,
	// spatial/weights.go, network/network.go), as those files format them.
	for _, c := range []struct{ en, zh string }{
		{"3 units are too few for 4 coefficients", "3 个单元不足以估计 4 个系数"},
		{"k must be at least 1 and less than the number of units (12)", "k 必须至少为 1 且小于单元数（12）"},
		{"unit 7 is at the same place: the inverse distance is infinite", "第 7 个单元位于同一地点，反距离为无穷大"},
		{"neighbour index 9 is out of range [0, 5)", "邻居序号 9 超出范围 [0, 5)"},
		{"neighbour 3 is listed twice", "邻居 3 列出了两次"},
		{"unit index must lie in [0, 5)", "单元序号必须在 [0, 5) 内"},
		{"a reason nobody wrote", "该值不可用"},
	} {
		if got := reasonText(c.en); got != i18n.T(c.zh, c.en) {
			t.Errorf("reasonText(%q) = %v, want %q", c.en, got, c.zh)
		}
	}
}
