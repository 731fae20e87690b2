package mask_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/samwise-app/samwise/engine/mask"
)

func TestNewPanicsOnBadSize(t *testing.T) {
	for _, s := range [][2]int{{-1, 1}, {1, -1}, {1 << 15, 1<<13 + 1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%d, %d) did not panic", s[0], s[1])
				}
			}()
			mask.New(s[0], s[1])
		}()
	}
}

func TestAtSet(t *testing.T) {
	m := mask.New(3, 2)
	m.Set(2, 1, true)
	m.Set(-1, 0, true) // ignored
	m.Set(3, 0, true)  // ignored
	m.Set(0, 2, true)  // ignored
	if want := []byte{0, 0, 0, 0, 0, 1}; string(m.Pix) != string(want) {
		t.Fatalf("Pix = %v, want %v", m.Pix, want)
	}
	for _, c := range []struct {
		x, y int
		want bool
	}{{2, 1, true}, {1, 1, false}, {-1, 0, false}, {3, 1, false}, {2, 2, false}, {0, -1, false}} {
		if got := m.At(c.x, c.y); got != c.want {
			t.Errorf("At(%d, %d) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
	m.Set(2, 1, false)
	if m.At(2, 1) {
		t.Error("Set(false) did not clear the pixel")
	}
}

func TestArea(t *testing.T) {
	tests := []struct {
		name string
		m    *mask.Mask
		want int
	}{
		{"empty", mask.New(0, 0), 0},
		{"zero", mask.New(13, 3), 0},
		{"one", parse("....", ".#..", "...."), 1},
		{"rect", rect(40, 30, 3, 4, 23, 14), 200},
		{"non-binary bytes", &mask.Mask{W: 11, H: 1, Pix: []byte{0, 255, 7, 0, 1, 0, 0, 0, 0, 128, 2}}, 5},
	}
	for _, tt := range tests {
		if got := tt.m.Area(); got != tt.want {
			t.Errorf("%s: Area() = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestBBox(t *testing.T) {
	tests := []struct {
		name           string
		m              *mask.Mask
		x0, y0, x1, y1 int
		ok             bool
	}{
		{"empty", mask.New(5, 5), 0, 0, 0, 0, false},
		{"no pixels", mask.New(0, 0), 0, 0, 0, 0, false},
		{"single", parse("...", "..#"), 2, 1, 3, 2, true},
		{"shape", parse(
			".....",
			"..#..",
			".#...",
			"...#.",
			".....",
		), 1, 1, 4, 4, true},
		{"wide rows", rect(37, 4, 9, 1, 30, 3), 9, 1, 30, 3, true},
		{"full", rect(19, 2, 0, 0, 19, 2), 0, 0, 19, 2, true},
	}
	for _, tt := range tests {
		x0, y0, x1, y1, ok := tt.m.BBox()
		if x0 != tt.x0 || y0 != tt.y0 || x1 != tt.x1 || y1 != tt.y1 || ok != tt.ok {
			t.Errorf("%s: BBox() = %d,%d,%d,%d,%v, want %d,%d,%d,%d,%v",
				tt.name, x0, y0, x1, y1, ok, tt.x0, tt.y0, tt.x1, tt.y1, tt.ok)
		}
	}
}

// BBox against a pixel-by-pixel search on random sparse masks, with set
// bytes other than 1 and boxes touching every edge.
func TestBBoxMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 500 {
		w, h := 1+rng.IntN(70), 1+rng.IntN(40)
		m := mask.New(w, h)
		for range rng.IntN(6) {
			m.Pix[rng.IntN(w*h)] = byte(1 + rng.IntN(255))
		}
		want := [5]any{0, 0, 0, 0, false}
		x0, y0, x1, y1 := w, h, 0, 0
		for y := range h {
			for x := range w {
				if m.Pix[y*w+x] != 0 {
					x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x+1), max(y1, y+1)
					want = [5]any{x0, y0, x1, y1, true}
				}
			}
		}
		a, b, c, d, ok := m.BBox()
		if got := [5]any{a, b, c, d, ok}; got != want {
			t.Fatalf("mask %d (%d×%d): BBox() = %v, want %v", i, w, h, got, want)
		}
	}
}

func TestIoU(t *testing.T) {
	a := rect(10, 10, 0, 0, 4, 5) // 20 pixels
	b := rect(10, 10, 2, 0, 6, 5) // 20 pixels, 10 shared
	tests := []struct {
		name string
		a, b *mask.Mask
		want float64
	}{
		{"same", a, a, 1},
		{"half", a, b, 10.0 / 30.0},
		{"disjoint", a, rect(10, 10, 5, 5, 9, 9), 0},
		{"both empty", mask.New(3, 3), mask.New(3, 3), 1},
		{"nil and empty", nil, mask.New(3, 3), 1},
		{"one empty", a, mask.New(10, 10), 0},
		{"nil", a, nil, 0},
		{"sizes differ", rect(4, 5, 0, 0, 4, 5), b, 10.0 / 30.0},
	}
	for _, tt := range tests {
		if got := mask.IoU(tt.a, tt.b); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: IoU = %v, want %v", tt.name, got, tt.want)
		}
		if got := mask.IoU(tt.b, tt.a); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s (swapped): IoU = %v, want %v", tt.name, got, tt.want)
		}
	}
}
