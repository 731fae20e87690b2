package mask_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/samwise-app/samwise/engine/mask"
)

type pts = [][2]float64

func TestContours(t *testing.T) {
	tests := []struct {
		name string
		m    *mask.Mask
		want []mask.Contour
	}{
		{"empty", mask.New(4, 4), nil},
		{"no pixels", mask.New(0, 3), nil},
		{"single pixel", parse(
			"...",
			".#.",
			"...",
		), []mask.Contour{{Points: pts{{1, 1}, {2, 1}, {2, 2}, {1, 2}}}}},
		{"full 1x1", parse("#"), []mask.Contour{{Points: pts{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}}},
		{"long straight edges", rect(20, 3, 1, 0, 19, 3), []mask.Contour{{Points: pts{{1, 0}, {19, 0}, {19, 3}, {1, 3}}}}},
		{"L shape", parse(
			"#..",
			"#..",
			"###",
		), []mask.Contour{{Points: pts{{0, 0}, {1, 0}, {1, 2}, {3, 2}, {3, 3}, {0, 3}}}}},
		{"ring", parse(
			"###",
			"#.#",
			"###",
		), []mask.Contour{
			{Points: pts{{0, 0}, {3, 0}, {3, 3}, {0, 3}}},
			{Points: pts{{1, 1}, {1, 2}, {2, 2}, {2, 1}}, Hole: true},
		}},
		// Pixels touching at a corner form one component; the boundary
		// passes the shared corner twice.
		{"diagonal", parse(
			"#.",
			".#",
		), []mask.Contour{{Points: pts{{0, 0}, {1, 0}, {1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}, {0, 1}}}}},
		{"anti-diagonal", parse(
			".#",
			"#.",
		), []mask.Contour{{Points: pts{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 1}, {1, 1}}}}},
		// The unset centre touches the outside only at corners, so it is a
		// hole (holes are 4-connected).
		{"hole touching the outside at corners", parse(
			"##.",
			"#.#",
			".##",
		), []mask.Contour{
			{Points: pts{{0, 0}, {2, 0}, {2, 1}, {3, 1}, {3, 3}, {1, 3}, {1, 2}, {0, 2}}},
			{Points: pts{{1, 1}, {1, 2}, {2, 2}, {2, 1}}, Hole: true},
		}},
		{"island in a hole", parse(
			"#####",
			"#...#",
			"#.#.#",
			"#...#",
			"#####",
		), []mask.Contour{
			{Points: pts{{0, 0}, {5, 0}, {5, 5}, {0, 5}}},
			{Points: pts{{1, 1}, {1, 4}, {4, 4}, {4, 1}}, Hole: true},
			{Points: pts{{2, 2}, {3, 2}, {3, 3}, {2, 3}}},
		}},
		// Components are listed by their top-left pixel; each is followed
		// by its own holes even when another component starts between.
		{"two components with holes", parse(
			"###....",
			"#.#.###",
			"###.#.#",
			"....###",
		), []mask.Contour{
			{Points: pts{{0, 0}, {3, 0}, {3, 3}, {0, 3}}},
			{Points: pts{{1, 1}, {1, 2}, {2, 2}, {2, 1}}, Hole: true},
			{Points: pts{{4, 1}, {7, 1}, {7, 4}, {4, 4}}},
			{Points: pts{{5, 2}, {5, 3}, {6, 3}, {6, 2}}, Hole: true},
		}},
	}
	for _, tt := range tests {
		if got := mask.Contours(tt.m); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Contours =\n%v\nwant\n%v", tt.name, got, tt.want)
		}
	}
}

// TestContourProperties checks, on varied masks, that contours consist of
// axis-aligned steps between pixel corners with a turn at every point, that
// outer boundaries run clockwise and holes the other way, and that the
// signed areas add up to the mask's area.
func TestContourProperties(t *testing.T) {
	for _, s := range samples(3) {
		cs := mask.Contours(s.m)
		total := 0.0
		for i, c := range cs {
			n := len(c.Points)
			if n < 4 {
				t.Fatalf("%s: contour %d has %d points", s.name, i, n)
			}
			a := shoelace(c.Points)
			if (a > 0) == c.Hole || a == 0 {
				t.Fatalf("%s: contour %d (hole %v) has area %v", s.name, i, c.Hole, a)
			}
			if i == 0 && c.Hole {
				t.Fatalf("%s: first contour is a hole", s.name)
			}
			total += a
			for j, p := range c.Points {
				q, r := c.Points[(j+1)%n], c.Points[(j+2)%n]
				if p[0] < 0 || p[1] < 0 || p[0] > float64(s.m.W) || p[1] > float64(s.m.H) ||
					p[0] != math.Trunc(p[0]) || p[1] != math.Trunc(p[1]) {
					t.Fatalf("%s: contour %d point %v is not a corner of the mask", s.name, i, p)
				}
				if (p[0] == q[0]) == (p[1] == q[1]) {
					t.Fatalf("%s: contour %d step %v -> %v is not axis-aligned", s.name, i, p, q)
				}
				if (p[0] == q[0]) == (q[0] == r[0]) {
					t.Fatalf("%s: contour %d does not turn at %v", s.name, i, q)
				}
			}
		}
		if int(total) != s.m.Area() || total != math.Trunc(total) {
			t.Fatalf("%s: contour areas add up to %v, mask area %d", s.name, total, s.m.Area())
		}
	}
}
