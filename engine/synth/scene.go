// Package synth paints synthetic scenes with known ground truth — flat
// shapes on a gradient background — for tests, benchmarks and demos.
package synth

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"

	"github.com/samwise-app/samwise/engine/mask"
)

// Shape is one object of a scene with its ground-truth mask.
type Shape struct {
	Name  string
	Color color.NRGBA
	Mask  *mask.Mask
}

// Scene is a generated image of flat shapes on a background.
type Scene struct {
	Image  *image.NRGBA
	Shapes []Shape
}

// Shape returns the named shape.
func (s *Scene) Shape(name string) *Shape {
	for i := range s.Shapes {
		if s.Shapes[i].Name == name {
			return &s.Shapes[i]
		}
	}
	return nil
}

// PNG encodes the scene image (fast compression).
func (s *Scene) PNG() []byte {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, s.Image); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Painter draws shapes in order (later shapes cover earlier ones, and their
// ground truth is cut out of the earlier masks).
type Painter struct {
	scene *Scene
	rng   *rand.Rand
	noise float64
}

// NewPainter starts a w×h scene on a smooth grey-blue gradient background
// with a little pixel noise (amplitude in 0..255 levels).
func NewPainter(w, h int, seed uint64, noise float64) *Painter {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(seed, 1))
	p := &Painter{scene: &Scene{Image: img}, rng: rng, noise: noise}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := float64(x+y) / float64(w+h)
			p.put(x, y, color.NRGBA{uint8(90 + 30*t), uint8(100 + 30*t), uint8(120 + 20*t), 255})
		}
	}
	return p
}

func (p *Painter) put(x, y int, c color.NRGBA) {
	n := func(v uint8) uint8 {
		if p.noise == 0 {
			return v
		}
		f := float64(v) + (p.rng.Float64()*2-1)*p.noise
		return uint8(math.Max(0, math.Min(255, math.Round(f))))
	}
	p.scene.Image.SetNRGBA(x, y, color.NRGBA{n(c.R), n(c.G), n(c.B), 255})
}

// Fill paints every pixel whose centre satisfies inside with c as a new
// shape.
func (p *Painter) Fill(name string, c color.NRGBA, inside func(x, y float64) bool) {
	b := p.scene.Image.Bounds()
	m := mask.New(b.Dx(), b.Dy())
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			if inside(float64(x)+0.5, float64(y)+0.5) {
				m.Set(x, y, true)
				p.put(x, y, c)
				for i := range p.scene.Shapes {
					p.scene.Shapes[i].Mask.Set(x, y, false)
				}
			}
		}
	}
	p.scene.Shapes = append(p.scene.Shapes, Shape{Name: name, Color: c, Mask: m})
}

// Rect paints an axis-aligned rectangle [x0,x1)×[y0,y1).
func (p *Painter) Rect(name string, c color.NRGBA, x0, y0, x1, y1 float64) {
	p.Fill(name, c, func(x, y float64) bool { return x >= x0 && x < x1 && y >= y0 && y < y1 })
}

// Circle paints a disc.
func (p *Painter) Circle(name string, c color.NRGBA, cx, cy, r float64) {
	p.Fill(name, c, func(x, y float64) bool { return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r })
}

// Ellipse paints an axis-aligned ellipse.
func (p *Painter) Ellipse(name string, c color.NRGBA, cx, cy, rx, ry float64) {
	p.Fill(name, c, func(x, y float64) bool {
		dx, dy := (x-cx)/rx, (y-cy)/ry
		return dx*dx+dy*dy <= 1
	})
}

// Scene returns the painted scene.
func (p *Painter) Scene() *Scene { return p.scene }

// Colours used by the standard scenes.
var (
	Red    = color.NRGBA{220, 40, 40, 255}
	Orange = color.NRGBA{235, 150, 30, 255}
	Green  = color.NRGBA{40, 170, 60, 255}
	Blue   = color.NRGBA{40, 70, 220, 255}
	Yellow = color.NRGBA{240, 220, 40, 255}
	// Shadow is close to Red: a click on red alone also takes shadow.
	Shadow = color.NRGBA{208, 50, 44, 255}
)

// StandardScene draws, scaled to w×h: a red ellipse with a dark-red
// "shadow" touching it below, a green rectangle, an orange rectangle touching
// the red ellipse's right side, and a blue ellipse.
func StandardScene(w, h int, seed uint64) *Scene {
	p := NewPainter(w, h, seed, 6)
	fw, fh := float64(w), float64(h)
	p.Rect("green", Green, 0.08*fw, 0.60*fh, 0.40*fw, 0.90*fh)
	p.Ellipse("blue", Blue, 0.75*fw, 0.70*fh, 0.15*fw, 0.18*fh)
	p.Ellipse("red", Red, 0.30*fw, 0.30*fh, 0.14*fw, 0.20*fh)
	p.Rect("orange", Orange, 0.44*fw, 0.12*fh, 0.62*fw, 0.48*fh)
	p.Rect("shadow", Shadow, 0.20*fw, 0.50*fh, 0.40*fw, 0.56*fh)
	return p.Scene()
}
