package server_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/client"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/mask"
)

// blobs draws discs and rectangles, cuts holes in them and sprinkles
// specks, some touching only at a corner: every kind of boundary.
func blobs(rng *rand.Rand, w, h int) *mask.Mask {
	m := mask.New(w, h)
	for range 1 + rng.IntN(4) {
		cx, cy, r := rng.IntN(w), rng.IntN(h), 2+rng.IntN(min(w, h)/3)
		hole := rng.IntN(2) == 0
		for y := max(0, cy-r); y < min(h, cy+r+1); y++ {
			for x := max(0, cx-r); x < min(w, cx+r+1); x++ {
				d := (x-cx)*(x-cx) + (y-cy)*(y-cy)
				m.Set(x, y, d <= r*r && !(hole && d <= r*r/9))
			}
		}
	}
	for range rng.IntN(12) {
		x, y := rng.IntN(w), rng.IntN(h)
		m.Set(x, y, true)
		if x+1 < w && y+1 < h {
			m.Set(x+1, y+1, true)
		}
	}
	return m
}

func outline(t *testing.T, c *client.Client, req api.OutlineRequest) (*api.OutlineResponse, error) {
	t.Helper()
	var out api.OutlineResponse
	err := c.Do(context.Background(), "POST", "/v1/masks/outline", req, &out)
	return &out, err
}

// xorRing flips the pixels whose centres lie inside ring (even-odd).
func xorRing(m *mask.Mask, pts []int) {
	flat := make([]float64, len(pts))
	for i, v := range pts {
		flat[i] = float64(v)
	}
	inside := mask.Rasterize([][]float64{flat}, m.W, m.H)
	for y := range m.H {
		for x := range m.W {
			if inside.At(x, y) {
				m.Set(x, y, !m.At(x, y))
			}
		}
	}
}

// TestOutlineRings checks on random masks that the rings give back the mask
// exactly (even-odd over all rings), and that the handles are ordered corners
// of their ring, at least three, outlining it within the tolerance.
func TestOutlineRings(t *testing.T) {
	e := enginetest.Start(t)
	rng := rand.New(rand.NewPCG(3, 8))
	for i := range 40 {
		w, h := 20+rng.IntN(90), 20+rng.IntN(90)
		m := blobs(rng, w, h)
		tol := []float64{0, 1, 2.5}[i%3]
		res, err := outline(t, e.Client, api.OutlineRequest{Mask: mask.Encode(m), Tolerance: tol})
		if err != nil {
			t.Fatal(err)
		}
		if res.Width != w || res.Height != h {
			t.Fatalf("size %dx%d, want %dx%d", res.Width, res.Height, w, h)
		}
		got := mask.New(w, h)
		for _, ring := range res.Rings {
			xorRing(got, ring.Points)
			checkHandles(t, ring, tol)
		}
		if iou := mask.IoU(got, m); iou != 1 && m.Area() > 0 {
			t.Fatalf("mask %d (%dx%d, tolerance %v): the rings fill a mask of IoU %v with it, want 1", i, w, h, tol, iou)
		}
		if m.Area() == 0 && len(res.Rings) != 0 {
			t.Fatalf("an empty mask has %d rings", len(res.Rings))
		}
	}
}

func checkHandles(t *testing.T, ring api.OutlineRing, tol float64) {
	t.Helper()
	n := len(ring.Points) / 2
	hs := ring.Handles
	if len(hs) < 3 {
		t.Fatalf("ring of %d corners has %d handles, want at least 3", n, len(hs))
	}
	for i, k := range hs {
		if k < 0 || k >= n || (i > 0 && k <= hs[i-1]) {
			t.Fatalf("handles %v of a ring of %d corners: not increasing corner indices", hs, n)
		}
	}
	corner := func(k int) [2]float64 {
		k %= n
		return [2]float64{float64(ring.Points[2*k]), float64(ring.Points[2*k+1])}
	}
	for i, a := range hs {
		b := hs[(i+1)%len(hs)]
		if b <= a {
			b += n
		}
		for k := a + 1; k < b; k++ {
			if d := pointSegment(corner(k), corner(a), corner(b)); d > tol+1e-9 {
				t.Fatalf("corner %v lies %.3f from the handles' segment %v-%v, more than the tolerance %v", corner(k), d, corner(a), corner(b), tol)
			}
		}
	}
}

func pointSegment(p, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	px, py := p[0]-a[0], p[1]-a[1]
	if l := dx*dx + dy*dy; l > 0 {
		s := min(max((px*dx+py*dy)/l, 0), 1)
		px, py = px-s*dx, py-s*dy
	}
	return math.Sqrt(px*px + py*py)
}

func TestOutlineBadInput(t *testing.T) {
	e := enginetest.Start(t)
	square := mask.New(8, 8)
	square.Set(3, 3, true)
	checker := mask.New(1100, 1000)
	for y := range checker.H {
		for x := range checker.W {
			checker.Set(x, y, (x+y)%2 == 0)
		}
	}
	for _, tc := range []struct {
		name string
		req  api.OutlineRequest
		want string
	}{
		{"negative tolerance", api.OutlineRequest{Mask: mask.Encode(square), Tolerance: -1}, "give 0 to 64 pixels"},
		{"tolerance too large", api.OutlineRequest{Mask: mask.Encode(square), Tolerance: 65}, "give 0 to 64 pixels"},
		{"counts past the size", api.OutlineRequest{Mask: api.RLE{Size: [2]int{4, 4}, Counts: "0:"}}, "mask:"},
		{"no size", api.OutlineRequest{Mask: api.RLE{Counts: "1"}}, "mask:"},
		{"too many corners", api.OutlineRequest{Mask: mask.Encode(checker), Tolerance: 1}, "remove its specks"},
	} {
		_, err := outline(t, e.Client, tc.req)
		var ae *client.Error
		if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest || !strings.Contains(ae.Body.Message, tc.want) {
			t.Errorf("%s: got %v, want a 400 saying %q", tc.name, err, tc.want)
		}
	}
	// The speck outlined with tolerance 1 still has its four corners.
	res, err := outline(t, e.Client, api.OutlineRequest{Mask: mask.Encode(square), Tolerance: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rings) != 1 || len(res.Rings[0].Handles) != 4 {
		t.Fatalf("a one-pixel mask gives %+v, want one ring of four handles", res.Rings)
	}
}
