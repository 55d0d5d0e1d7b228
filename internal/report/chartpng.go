package report

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"runtime"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"agglo/internal/format"
	"agglo/internal/i18n"
)

// This file draws the report's bar and rank-interval charts as PNG images
// for the Word output, in Go with golang.org/x/image (BSD-3-Clause): no
// browser is needed. Categories always run down the left side, so that no
// label is rotated, dropped or clipped; every series of a chart shares its
// one value axis and unit (charts never mix units). Chinese text needs a
// CJK font from the system (listed in cjkFontPaths); without one, Chinese
// charts are left out and the tables carry the numbers.

// cjkFontPaths are system fonts with Chinese glyphs, on Linux, Windows and
// macOS.
func cjkFontPaths() []string {
	paths := []string{
		"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
		"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
		"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
		"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
		"/usr/share/fonts/truetype/arphic/uming.ttc",
		"/System/Library/Fonts/PingFang.ttc",
		"/System/Library/Fonts/STHeiti Light.ttc",
		"/System/Library/Fonts/Hiragino Sans GB.ttc",
		"/Library/Fonts/Arial Unicode.ttf",
	}
	if runtime.GOOS == "windows" {
		dir := os.Getenv("WINDIR")
		if dir == "" {
			dir = `C:\Windows`
		}
		for _, f := range []string{"msyh.ttc", "msyh.ttf", "simhei.ttf", "simsun.ttc", "Deng.ttf"} {
			paths = append([]string{dir + `\Fonts\` + f}, paths...)
		}
	}
	return paths
}

// chartFonts are the faces a chart is drawn with: a CJK face where the
// system has one, and Go's own sans-serif face for Latin text and as the
// fallback of any glyph the first lacks.
type chartFonts struct {
	cjk, latin *opentype.Font
}

// loadFonts finds the fonts: Go's sans-serif face and the first CJK font
// of cjkFontPaths that parses (none is not an error).
func loadFonts() (chartFonts, error) {
	var fs chartFonts
	var err error
	if fs.latin, err = opentype.Parse(goregular.TTF); err != nil {
		return fs, err
	}
	for _, p := range cjkFontPaths() {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if c, err := opentype.ParseCollection(b); err == nil && c.NumFonts() > 0 {
			if f, err := c.Font(0); err == nil {
				fs.cjk = f
				return fs, nil
			}
		}
	}
	return fs, nil
}

// errNoCJKFont is returned for a Chinese chart on a system without a CJK
// font.
var errNoCJKFont = errors.New("report: no CJK font on this system to draw Chinese chart labels")

// hasCJK reports whether s holds Han characters or CJK punctuation.
func hasCJK(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF || r >= 0xFF00 && r <= 0xFFEF || r >= 0x3000 && r <= 0x303F {
			return true
		}
	}
	return false
}

// painter draws text and shapes on an RGBA image.
type painter struct {
	img          *image.RGBA
	primary, alt font.Face
}

func newFace(f *opentype.Font, size float64) (font.Face, error) {
	return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
}

// faceFor returns the face that has the rune.
func (p *painter) faceFor(r rune) font.Face {
	if _, ok := p.primary.GlyphAdvance(r); ok || p.alt == nil {
		return p.primary
	}
	return p.alt
}

// width measures s in pixels.
func (p *painter) width(s string) int {
	var w fixed.Int26_6
	for _, r := range s {
		a, _ := p.faceFor(r).GlyphAdvance(r)
		w += a
	}
	return w.Ceil()
}

// text draws s with its baseline at (x, y).
func (p *painter) text(s string, x, y int, c color.Color) {
	dot := fixed.P(x, y)
	for _, r := range s {
		f := p.faceFor(r)
		d := &font.Drawer{Dst: p.img, Src: image.NewUniform(c), Face: f, Dot: dot}
		d.DrawString(string(r))
		dot = d.Dot
	}
}

func (p *painter) rect(x0, y0, x1, y1 int, c color.Color) {
	if x1 < x0 {
		x0, x1 = x1, x0
	}
	draw.Draw(p.img, image.Rect(x0, y0, x1, y1), image.NewUniform(c), image.Point{}, draw.Over)
}

// hatch lightens a bar with diagonal white stripes.
func (p *painter) hatch(x0, y0, x1, y1 int) {
	if x1 < x0 {
		x0, x1 = x1, x0
	}
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			if (x+y)%12 < 5 {
				p.img.Set(x, y, color.White)
			}
		}
	}
}

// wrap breaks s into lines no wider than w (at spaces in English, between
// characters in Chinese).
func (p *painter) wrap(s string, w int) []string {
	if p.width(s) <= w {
		return []string{s}
	}
	var lines []string
	var cur strings.Builder
	words := strings.Fields(s)
	if hasCJK(s) || len(words) <= 1 {
		for _, r := range s {
			if cur.Len() > 0 && p.width(cur.String()+string(r)) > w {
				lines = append(lines, cur.String())
				cur.Reset()
			}
			cur.WriteRune(r)
		}
	} else {
		for _, wd := range words {
			next := wd
			if cur.Len() > 0 {
				next = cur.String() + " " + wd
			}
			if cur.Len() > 0 && p.width(next) > w {
				lines = append(lines, cur.String())
				cur.Reset()
				next = wd
			}
			cur.Reset()
			cur.WriteString(next)
		}
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// niceStep returns a round tick step for a span.
func niceStep(span float64, ticks int) float64 {
	if span <= 0 {
		return 1
	}
	raw := span / float64(ticks)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*mag {
			return m * mag
		}
	}
	return 10 * mag
}

var (
	chartInk   = color.RGBA{0x1d, 0x27, 0x33, 0xff}
	chartMuted = color.RGBA{0x5b, 0x6b, 0x7b, 0xff}
	chartGrid  = color.RGBA{0xe3, 0xe8, 0xee, 0xff}
	chartRef   = color.RGBA{0xb0, 0x30, 0x2a, 0xff}
)

func paletteColor(i int) color.RGBA {
	p := []color.RGBA{{0xc2, 0x35, 0x31, 0xff}, {0x2f, 0x45, 0x54, 0xff}, {0x61, 0xa0, 0xa8, 0xff}, {0xd4, 0x82, 0x65, 0xff}, {0x74, 0x9f, 0x83, 0xff}, {0xca, 0x86, 0x22, 0xff}}
	return p[i%len(p)]
}

// chartPNGWidth is the width of a chart image in pixels (printed 16 cm
// wide, about 250 dpi).
const chartPNGWidth = 1600

// chartPNG draws a bar or rank-interval chart in lang as a PNG image and
// returns it with its height in pixels. Radar charts are not drawn (their
// numbers are in a table).
func (fs chartFonts) chartPNG(c *Chart, lang string) ([]byte, int, error) {
	if c.Kind != ChartBar && c.Kind != ChartRange {
		return nil, 0, errors.New("report: only bar and range charts are drawn as images")
	}
	var err error
	t := func(x i18n.Text) string { return x.In(lang) }
	needCJK := false
	for _, cat := range c.Categories {
		needCJK = needCJK || hasCJK(t(cat))
	}
	for _, s := range c.Series {
		needCJK = needCJK || hasCJK(t(s.Name))
	}
	needCJK = needCJK || hasCJK(t(c.Unit))
	primary := fs.latin
	var alt *opentype.Font
	if fs.cjk != nil {
		primary, alt = fs.cjk, fs.latin
	} else if needCJK {
		return nil, 0, errNoCJKFont
	}
	const size = 30
	pf, err := newFace(primary, size)
	if err != nil {
		return nil, 0, err
	}
	var af font.Face
	if alt != nil {
		if af, err = newFace(alt, size); err != nil {
			return nil, 0, err
		}
	}
	p := &painter{primary: pf, alt: af}
	W := chartPNGWidth
	lineH := size + 10
	pad := 24
	// Legend.
	series := c.Series
	names := make([]string, len(series))
	for i, s := range series {
		names[i] = t(s.Name)
	}
	if c.Kind == ChartRange && len(series) == 4 {
		names = []string{t(series[0].Name) + "–" + t(series[2].Name), t(series[1].Name), t(series[3].Name)}
	}
	legendRows, x := 1, pad
	for _, n := range names {
		w := 40 + p.width(n) + 30
		if x+w > W-pad && x > pad {
			legendRows++
			x = pad
		}
		x += w
	}
	legendH := 0
	if len(names) > 1 {
		legendH = legendRows*lineH + 10
	}
	// Category labels down the left, wrapped into at most a third of the
	// width.
	labelW := 0
	for _, cat := range c.Categories {
		labelW = max(labelW, p.width(t(cat)))
	}
	labelW = min(labelW, W/3)
	labels := make([][]string, len(c.Categories))
	for i, cat := range c.Categories {
		labels[i] = p.wrap(t(cat), labelW)
	}
	nBars := len(series)
	if c.Kind == ChartRange {
		nBars = 1
	}
	barH := 34
	groupH := make([]int, len(c.Categories))
	plotH := 0
	for i := range c.Categories {
		groupH[i] = max(nBars*barH+20, len(labels[i])*lineH+10)
		plotH += groupH[i]
	}
	axisH := 2*lineH + 20
	H := pad + legendH + plotH + axisH + pad
	p.img = image.NewRGBA(image.Rect(0, 0, W, H))
	draw.Draw(p.img, p.img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	// Legend.
	x, y := pad, pad+size
	if len(names) > 1 {
		for i, n := range names {
			w := 40 + p.width(n) + 30
			if x+w > W-pad && x > pad {
				x = pad
				y += lineH
			}
			col := paletteColor(i)
			if c.Kind == ChartRange {
				col = []color.RGBA{{0x9a, 0xa8, 0xb4, 0xff}, paletteColor(0), paletteColor(1)}[i]
			}
			p.rect(x, y-size+6, x+30, y, col)
			p.text(n, x+40, y, chartInk)
			x += w
		}
	}
	top := pad + legendH
	left := pad + labelW + 16
	// Value range.
	lo, hi := 0.0, 0.0
	first := true
	for _, s := range series {
		for _, pt := range s.Points {
			if pt.Value == nil || math.IsNaN(*pt.Value) {
				continue
			}
			if first {
				lo, hi, first = *pt.Value, *pt.Value, false
			}
			lo, hi = math.Min(lo, *pt.Value), math.Max(hi, *pt.Value)
		}
	}
	if c.Reference != nil {
		lo, hi = math.Min(lo, *c.Reference), math.Max(hi, *c.Reference)
	}
	if c.Kind == ChartRange {
		lo, hi = 0.5, math.Max(hi, float64(len(c.Categories)))+0.5
	} else {
		lo = math.Min(lo, 0)
	}
	if hi == lo {
		hi = lo + 1
	}
	step := niceStep(hi-lo, 5)
	if c.Kind == ChartRange {
		step = math.Max(1, niceStep(hi-lo, 8))
	}
	a0, a1 := math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if c.Kind == ChartRange {
		a0, a1 = lo, hi
	}
	// Room for the value labels right of the bars.
	valW := p.width(format.Number(a1, c.Decimals)) + 20
	right := W - pad - valW
	xOf := func(v float64) int { return left + int(math.Round((v-a0)/(a1-a0)*float64(right-left))) }
	bottom := top + plotH
	// Grid and ticks.
	tickDec := 0
	if step < 1 {
		tickDec = int(math.Ceil(-math.Log10(step)))
	}
	for v := math.Ceil(a0/step) * step; v <= a1+step/1000; v += step {
		gx := xOf(v)
		p.rect(gx, top, gx+1, bottom, chartGrid)
		s := format.Number(v, tickDec)
		p.text(s, gx-p.width(s)/2, bottom+lineH, chartMuted)
	}
	p.rect(left, top, left+2, bottom, chartMuted)
	if u := t(c.Unit); u != "" {
		p.text(u, (left+right)/2-p.width(u)/2, bottom+2*lineH+6, chartMuted)
	}
	// Bars; derived values are hatched where the chart also shows printed
	// ones.
	mixed := chartMixed(c)
	gy := top
	for i := range c.Categories {
		h := groupH[i]
		ly := gy + (h-len(labels[i])*lineH)/2 + size
		for k, l := range labels[i] {
			p.text(l, left-16-p.width(l), ly+k*lineH, chartInk)
		}
		by := gy + (h-nBars*barH)/2
		if c.Kind == ChartRange {
			v := func(k int) (float64, bool) {
				if k >= len(series) || i >= len(series[k].Points) || series[k].Points[i].Value == nil {
					return 0, false
				}
				return *series[k].Points[i].Value, true
			}
			if l5, ok := v(0); ok {
				if h5, ok := v(2); ok {
					p.rect(xOf(l5)-3, by+4, xOf(h5)+3, by+barH-4, color.RGBA{0x9a, 0xa8, 0xb4, 0xff})
				}
			}
			if m, ok := v(1); ok {
				p.rect(xOf(m)-7, by+barH/2-7, xOf(m)+7, by+barH/2+7, paletteColor(0))
			}
			if n, ok := v(3); ok {
				p.rect(xOf(n)-4, by+barH/2-4, xOf(n)+4, by+barH/2+4, paletteColor(1))
			}
		} else {
			for k, s := range series {
				if i >= len(s.Points) || s.Points[i].Value == nil || math.IsNaN(*s.Points[i].Value) {
					continue
				}
				v := *s.Points[i].Value
				y0 := by + k*barH
				p.rect(xOf(0), y0+3, xOf(v), y0+barH-3, paletteColor(k))
				if mixed && s.Points[i].Prov.Derived() {
					p.hatch(xOf(0), y0+3, xOf(v), y0+barH-3)
				}
				lab := format.Number(v, c.Decimals)
				lx := xOf(math.Max(v, 0)) + 8
				p.text(lab, lx, y0+barH-8, chartInk)
			}
		}
		gy += h
	}
	if c.Reference != nil {
		rx := xOf(*c.Reference)
		for yy := top; yy < bottom; yy += 16 {
			p.rect(rx-1, yy, rx+2, min(yy+9, bottom), chartRef)
		}
	}
	b, err := encodePNG(p.img)
	return b, H, err
}

// encodePNG encodes a chart image for the Word report. BestSpeed
// compression: the charts are flat colours, which deflate well even at
// the fastest level, and encoding at the default level took most of the
// time of writing a report.
func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
