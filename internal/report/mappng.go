package report

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strconv"

	"golang.org/x/image/vector"

	"agglo/internal/assets"
	"agglo/internal/i18n"
)

// This file draws the cluster maps (LISA cluster types, hot and cold
// spots) as PNG images for the Word output: the provinces of the embedded
// ECharts China map (decoded from its compressed GeoJSON), filled by class
// for province data, with the units as coloured points for city data.
// The projection is ECharts' for geo maps: longitude scaled by 0.75
// against latitude.

// ring is a closed ring of a province's outline, in degrees.
type ring [][2]float64

// province is one province of the base map.
type province struct {
	code  string
	rings []ring
}

// decodeRing decodes one ring of ECharts' compressed GeoJSON: pairs of
// characters, each a zig-zag encoded delta (offset by 64) from the
// previous point, scaled by 1/scale (ECharts' decodeRing, echarts
// src/coord/geo/parseGeoJson.ts).
func decodeRing(s string, off [2]float64, scale float64) ring {
	r := []rune(s)
	out := make(ring, 0, len(r)/2)
	px, py := off[0], off[1]
	for i := 0; i+1 < len(r); i += 2 {
		x, y := int(r[i])-64, int(r[i+1])-64
		x = (x >> 1) ^ -(x & 1)
		y = (y >> 1) ^ -(y & 1)
		px, py = px+float64(x), py+float64(y)
		out = append(out, [2]float64{px / scale, py / scale})
	}
	return out
}

// chinaProvinces decodes the embedded base map.
func chinaProvinces() ([]province, error) {
	var m struct {
		UTF8Encoding bool     `json:"UTF8Encoding"`
		UTF8Scale    *float64 `json:"UTF8Scale"`
		Features     []struct {
			ID       string `json:"id"`
			Geometry struct {
				Type          string          `json:"type"`
				Coordinates   json.RawMessage `json:"coordinates"`
				EncodeOffsets json.RawMessage `json:"encodeOffsets"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(assets.ChinaMapJSON(), &m); err != nil {
		return nil, fmt.Errorf("report: china map: %w", err)
	}
	if !m.UTF8Encoding {
		return nil, fmt.Errorf("report: china map: expected ECharts' compressed GeoJSON")
	}
	scale := 1024.0
	if m.UTF8Scale != nil {
		scale = *m.UTF8Scale
	}
	var out []province
	for _, f := range m.Features {
		pr := province{code: f.ID}
		var polys [][]string
		var offs [][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var rings []string
			var o [][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &rings); err != nil {
				return nil, err
			}
			if err := json.Unmarshal(f.Geometry.EncodeOffsets, &o); err != nil {
				return nil, err
			}
			polys, offs = [][]string{rings}, [][][2]float64{o}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				return nil, err
			}
			if err := json.Unmarshal(f.Geometry.EncodeOffsets, &offs); err != nil {
				return nil, err
			}
		default:
			continue
		}
		for k, rings := range polys {
			for j, s := range rings {
				if k < len(offs) && j < len(offs[k]) {
					pr.rings = append(pr.rings, decodeRing(s, offs[k][j], scale))
				}
			}
		}
		out = append(out, pr)
	}
	return out, nil
}

// hexColor parses #rrggbb.
func hexColor(s string) color.RGBA {
	if len(s) != 7 || s[0] != '#' {
		return color.RGBA{0x9a, 0xa8, 0xb4, 0xff}
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.RGBA{0x9a, 0xa8, 0xb4, 0xff}
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}

// mapPNG draws a cluster map in lang as a PNG image and returns it with
// its height in pixels.
func (fs chartFonts) mapPNG(m *Map, lang string) ([]byte, int, error) {
	provs, err := chinaProvinces()
	if err != nil {
		return nil, 0, err
	}
	t := func(x i18n.Text) string { return x.In(lang) }
	names := make([]string, len(m.Groups))
	needCJK := false
	for i, g := range m.Groups {
		names[i] = t(g.Name) + " (" + strconv.Itoa(len(g.Points)) + ")"
		needCJK = needCJK || hasCJK(names[i])
	}
	const size = 30
	p, err := fs.newPainter(size, needCJK)
	if err != nil {
		return nil, 0, err
	}
	// Bounds of the base map, in projected units (x = 0.75·lon, y = −lat).
	x0, x1, y0, y1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, pr := range provs {
		for _, r := range pr.rings {
			for _, pt := range r {
				x, y := 0.75*pt[0], -pt[1]
				x0, x1, y0, y1 = math.Min(x0, x), math.Max(x1, x), math.Min(y0, y), math.Max(y1, y)
			}
		}
	}
	W, pad := chartPNGWidth, 24
	k := float64(W-2*pad) / (x1 - x0)
	H := int(math.Ceil((y1-y0)*k)) + 2*pad
	proj := func(lon, lat float64) (float64, float64) {
		return float64(pad) + (0.75*lon-x0)*k, float64(pad) + (-lat-y0)*k
	}
	p.img = image.NewRGBA(image.Rect(0, 0, W, H))
	draw.Draw(p.img, p.img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	fill := map[string]color.RGBA{}
	if m.Regions {
		for _, g := range m.Groups {
			for _, pt := range g.Points {
				fill[pt.Code] = hexColor(g.Color)
			}
		}
	}
	base, border := color.RGBA{0xf7, 0xf8, 0xfa, 0xff}, color.RGBA{0xa9, 0xb4, 0xc0, 0xff}
	for _, pr := range provs {
		c, ok := fill[pr.code]
		if !ok {
			c = base
		}
		// A rasterizer the size of the province's box: its (0, 0) is the
		// box's corner on the image.
		bx0, by0, bx1, by1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, r := range pr.rings {
			for _, pt := range r {
				x, y := proj(pt[0], pt[1])
				bx0, by0, bx1, by1 = math.Min(bx0, x), math.Min(by0, y), math.Max(bx1, x), math.Max(by1, y)
			}
		}
		box := image.Rect(int(math.Floor(bx0)), int(math.Floor(by0)), int(math.Ceil(bx1))+1, int(math.Ceil(by1))+1).Intersect(p.img.Bounds())
		if box.Empty() {
			continue
		}
		ras := vector.NewRasterizer(box.Dx(), box.Dy())
		for _, r := range pr.rings {
			for i, pt := range r {
				x, y := proj(pt[0], pt[1])
				x, y = x-float64(box.Min.X), y-float64(box.Min.Y)
				if i == 0 {
					ras.MoveTo(float32(x), float32(y))
				} else {
					ras.LineTo(float32(x), float32(y))
				}
			}
			ras.ClosePath()
		}
		ras.Draw(p.img, box, image.NewUniform(c), image.Point{})
	}
	for _, pr := range provs {
		for _, r := range pr.rings {
			for i := 1; i < len(r); i++ {
				ax, ay := proj(r[i-1][0], r[i-1][1])
				bx, by := proj(r[i][0], r[i][1])
				p.line(ax, ay, bx, by, 1.5, border)
			}
		}
	}
	if !m.Regions {
		n := 0
		for _, g := range m.Groups {
			n += len(g.Points)
		}
		rad := 9.0
		if n > 150 {
			rad = 6
		}
		// Not significant first, so that the classes are drawn on top.
		for i := len(m.Groups) - 1; i >= 0; i-- {
			g := m.Groups[i]
			for _, pt := range g.Points {
				x, y := proj(pt.Lon, pt.Lat)
				p.dot(x, y, rad+1.5, color.White)
				p.dot(x, y, rad, hexColor(g.Color))
			}
		}
	}
	// Legend at the bottom left.
	lineH := size + 12
	ly := H - pad - len(names)*lineH
	for i, n := range names {
		y := ly + i*lineH + size
		p.rect(pad, y-size+6, pad+30, y, hexColor(m.Groups[i].Color))
		p.text(n, pad+40, y, chartInk)
	}
	b, err := encodePNG(p.img)
	return b, H, err
}
