package report

import (
	"errors"
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"

	"agglo/internal/format"
	"agglo/internal/i18n"
)

// This file draws the report's line charts (σ by year, the shares of the
// Dagum decomposition, kernel densities) as PNG images for the Word
// output, with the faces and painter of chartpng.go.

// newPainter returns a painter with the chart faces for texts in lang;
// errNoCJKFont when the texts need Chinese glyphs the system lacks.
func (fs chartFonts) newPainter(size float64, needCJK bool) (*painter, error) {
	primary := fs.latin
	var alt *opentype.Font
	if fs.cjk != nil {
		primary, alt = fs.cjk, fs.latin
	} else if needCJK {
		return nil, errNoCJKFont
	}
	pf, err := newFace(primary, size)
	if err != nil {
		return nil, err
	}
	var af font.Face
	if alt != nil {
		if af, err = newFace(alt, size); err != nil {
			return nil, err
		}
	}
	return &painter{primary: pf, alt: af}, nil
}

// line draws a line of width w from (x0, y0) to (x1, y1).
func (p *painter) line(x0, y0, x1, y1 float64, w float64, c color.Color) {
	d := math.Hypot(x1-x0, y1-y0)
	steps := max(1, int(math.Ceil(d*2)))
	r := w / 2
	for k := 0; k <= steps; k++ {
		f := float64(k) / float64(steps)
		x, y := x0+f*(x1-x0), y0+f*(y1-y0)
		p.rect(int(math.Round(x-r)), int(math.Round(y-r)), int(math.Round(x+r)), int(math.Round(y+r)), c)
	}
}

// dot draws a filled disc of radius r.
func (p *painter) dot(cx, cy, r float64, c color.Color) {
	for y := int(cy - r); y <= int(cy+r)+1; y++ {
		for x := int(cx - r); x <= int(cx+r)+1; x++ {
			if math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy) <= r {
				p.img.Set(x, y, c)
			}
		}
	}
}

// legend draws names with colour keys from the top left, wrapping at the
// width; it returns the height used.
func (p *painter) legend(names []string, colors []color.Color, x0, y0, width, size, lineH int, draw bool) int {
	x, y := x0, y0+size
	for i, n := range names {
		w := 40 + p.width(n) + 30
		if x+w > x0+width && x > x0 {
			x = x0
			y += lineH
		}
		if draw {
			p.rect(x, y-size+6, x+30, y, colors[i])
			p.text(n, x+40, y, chartInk)
		}
		x += w
	}
	return y - y0 + 10
}

// linePNG draws a line chart in lang as a PNG image and returns it with
// its height in pixels: the lines run over the categories (years) or
// over the chart's numeric x values.
func (fs chartFonts) linePNG(c *Chart, lang string) ([]byte, int, error) {
	if c.Kind != ChartLine {
		return nil, 0, errors.New("report: not a line chart")
	}
	t := func(x i18n.Text) string { return x.In(lang) }
	needCJK := hasCJK(t(c.Unit)) || hasCJK(t(c.XUnit))
	for _, cat := range c.Categories {
		needCJK = needCJK || hasCJK(t(cat))
	}
	for _, s := range c.Series {
		needCJK = needCJK || hasCJK(t(s.Name))
	}
	const size = 30
	p, err := fs.newPainter(size, needCJK)
	if err != nil {
		return nil, 0, err
	}
	W, H, pad, lineH := chartPNGWidth, 900, 24, size+10
	names := make([]string, len(c.Series))
	colors := make([]color.Color, len(c.Series))
	for i, s := range c.Series {
		names[i], colors[i] = t(s.Name), paletteColor(i)
	}
	legendH := 0
	if len(names) > 1 {
		legendH = p.legend(names, colors, pad, pad, W-2*pad, size, lineH, false)
	}
	p.img = image.NewRGBA(image.Rect(0, 0, W, H))
	draw.Draw(p.img, p.img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	if len(names) > 1 {
		p.legend(names, colors, pad, pad, W-2*pad, size, lineH, true)
	}
	// Value range.
	lo, hi, first := 0.0, 0.0, true
	for _, s := range c.Series {
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
	if c.HideValues {
		lo = math.Min(lo, 0)
	}
	if hi == lo {
		hi = lo + 1
	}
	step := niceStep(hi-lo, 5)
	a0, a1 := math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	tickDec := 0
	if step < 1 {
		tickDec = int(math.Ceil(-math.Log10(step)))
	}
	labelW := 0
	if !c.HideValues {
		for v := a0; v <= a1+step/1000; v += step {
			labelW = max(labelW, p.width(format.Number(v, tickDec)))
		}
	}
	top := pad + legendH + lineH
	left := pad + labelW + 16
	right := W - pad - 40
	bottom := H - pad - 2*lineH - 10
	numeric := len(c.X) > 0
	var b0, b1, xs float64
	xdec := 0
	if numeric {
		b0, b1 = c.X[0], c.X[len(c.X)-1]
		if b1 == b0 {
			b1 = b0 + 1
		}
		xs = niceStep(b1-b0, 6)
		if xs < 1 {
			xdec = int(math.Ceil(-math.Log10(xs)))
		}
		// Room for the first and last tick labels inside the image.
		tw := 0
		for v := math.Ceil(b0/xs) * xs; v <= b1+xs/1000; v += xs {
			tw = max(tw, p.width(format.Number(v, xdec)))
		}
		left, right = max(left, pad+tw/2+4), min(right, W-pad-tw/2-4)
	}
	if u := t(c.Unit); u != "" {
		p.text(u, left, top-12, chartMuted)
	}
	yOf := func(v float64) float64 { return float64(bottom) - (v-a0)/(a1-a0)*float64(bottom-top-lineH/2) }
	for v := a0; v <= a1+step/1000; v += step {
		y := int(math.Round(yOf(v)))
		p.rect(left, y, right, y+1, chartGrid)
		if !c.HideValues {
			s := format.Number(v, tickDec)
			p.text(s, left-12-p.width(s), y+size/3, chartMuted)
		}
	}
	// The x axis: categories evenly spaced, or nice ticks over c.X.
	var xOf func(i int) float64
	if numeric {
		dec := xdec
		pos := func(v float64) float64 { return float64(left) + (v-b0)/(b1-b0)*float64(right-left) }
		xOf = func(i int) float64 { return pos(c.X[i]) }
		for v := math.Ceil(b0/xs) * xs; v <= b1+xs/1000; v += xs {
			x := int(math.Round(pos(v)))
			p.rect(x, top, x+1, bottom, chartGrid)
			s := format.Number(v, dec)
			p.text(s, x-p.width(s)/2, bottom+lineH, chartMuted)
		}
		if u := t(c.XUnit); u != "" {
			p.text(u, (left+right)/2-p.width(u)/2, bottom+2*lineH+6, chartMuted)
		}
	} else {
		n := len(c.Categories)
		xOf = func(i int) float64 {
			if n <= 1 {
				return float64(left+right) / 2
			}
			return float64(left) + float64(i)*float64(right-left)/float64(n-1)
		}
		// Labels too wide for their place alternate between two rows, so
		// that none is dropped or drawn over another.
		widest := 0
		for _, cat := range c.Categories {
			widest = max(widest, p.width(t(cat)))
		}
		stagger := n > 1 && float64(widest+12) > float64(right-left)/float64(n-1)
		for i, cat := range c.Categories {
			s := t(cat)
			x := int(math.Round(xOf(i)))
			y := bottom + lineH
			if stagger && i%2 == 1 {
				y += lineH
			}
			p.rect(x, bottom, x+1, bottom+8, chartMuted)
			p.text(s, x-p.width(s)/2, y, chartInk)
		}
	}
	p.rect(left, bottom, right, bottom+2, chartMuted)
	for k, s := range c.Series {
		col := paletteColor(k)
		prevOK := false
		var px, py float64
		for i, pt := range s.Points {
			if pt.Value == nil || math.IsNaN(*pt.Value) {
				prevOK = false
				continue
			}
			x, y := xOf(i), yOf(*pt.Value)
			if prevOK {
				p.line(px, py, x, y, 4, col)
			}
			if !numeric {
				p.dot(x, y, 7, col)
			}
			px, py, prevOK = x, y, true
		}
	}
	b, err := encodePNG(p.img)
	return b, H, err
}
