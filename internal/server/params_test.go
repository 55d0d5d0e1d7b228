package server

import (
	"strings"
	"testing"

	"agglo/internal/i18n"
)

func TestClip(t *testing.T) {
	long := strings.Repeat("北", 100)
	q := clip(long)
	if !q.cut || q.n != 100 || q.text != strings.Repeat("北", 80)+"…" {
		t.Errorf("clip of 100 characters: %+v", q)
	}
	short := clip("short")
	if short.cut || short.text != "short" {
		t.Errorf("clip(short) = %+v", short)
	}
	e := errf(400, codeBadRequest, "x", "值“%s”无效", "invalid value %q", short)
	if e.text.ZH != "值“short”无效" {
		t.Errorf("uncut value: %q", e.text.ZH)
	}
	e = errf(400, codeBadRequest, "x", "值“%s”无效", "invalid value %q", clip(long))
	if !strings.HasSuffix(e.text.ZH, "（所引用的值共 100 个字符）") || !strings.HasSuffix(e.text.EN, " (the quoted value has 100 characters)") {
		t.Errorf("cut value: %q / %q", e.text.ZH, e.text.EN)
	}
}

func TestClipMessage(t *testing.T) {
	x := strings.Repeat("x", 1000)
	for _, c := range []struct {
		in, lang, want string
	}{
		{"short “" + x[:10] + "”", i18n.ZH, "short “" + x[:10] + "”"},
		{"第3行第3列“" + x + "”不是数字", i18n.ZH, "第3行第3列“" + x[:80] + "…”（共 1000 个字符）不是数字"},
		{`row 3: "` + x + `" is not a number`, i18n.EN, `row 3: "` + x[:80] + `…" (1000 characters) is not a number`},
		{`a "q\"` + x + `" b`, i18n.EN, `a "q\"` + x[:77] + `…" (1003 characters) b`},
		{`two "` + x + `" and "` + x + `"`, i18n.EN, `two "` + x[:80] + `…" (1000 characters) and "` + x[:80] + `…" (1000 characters)`},
		{`open "` + x, i18n.EN, `open "` + x[:80] + `… (1000 characters)`},
	} {
		if got := clipMessage(c.in, c.lang); got != c.want {
			t.Errorf("clipMessage(%.30q…)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
	if got := clipMessage(strings.Repeat("y", 5000), i18n.EN); len([]rune(got)) != maxMessage+1 {
		t.Errorf("a 5,000-character message is cut to %d characters", len([]rune(got)))
	}
}
