package mask_test

import (
	"testing"

	"github.com/samwise-app/samwise/engine/mask"
)

// Runs answer what the mask they hold answers.
func TestRunsAgreeWithTheMask(t *testing.T) {
	for _, s := range samples(7) {
		t.Run(s.name, func(t *testing.T) {
			r := mask.RunsOf(s.m)
			if got, want := r.RLE(), mask.Encode(s.m); got != want {
				t.Errorf("RLE %v, want %v", got, want)
			}
			if got, want := r.Area(), s.m.Area(); got != want {
				t.Errorf("area %d, want %d", got, want)
			}
			x0, y0, x1, y1, ok := r.BBox()
			wx0, wy0, wx1, wy1, wok := s.m.BBox()
			if [5]any{x0, y0, x1, y1, ok} != [5]any{wx0, wy0, wx1, wy1, wok} {
				t.Errorf("box %d,%d,%d,%d %v, want %d,%d,%d,%d %v", x0, y0, x1, y1, ok, wx0, wy0, wx1, wy1, wok)
			}
			requireEqual(t, r.Mask(), s.m)
		})
	}
}

// A run from the foot of one column to the top of the next spans every
// row; one inside a column spans only its own.
func TestRunsBoxOfWrappingRun(t *testing.T) {
	m := parse(
		"....",
		"..#.",
		".##.",
		".#..",
	)
	if x0, y0, x1, y1, _ := mask.RunsOf(m).BBox(); [4]int{x0, y0, x1, y1} != [4]int{1, 1, 3, 4} {
		t.Errorf("box %v, want [1 1 3 4]", [4]int{x0, y0, x1, y1})
	}
	m = parse(
		"..#.",
		"....",
		"....",
		".#..",
	)
	if x0, y0, x1, y1, _ := mask.RunsOf(m).BBox(); [4]int{x0, y0, x1, y1} != [4]int{1, 0, 3, 4} {
		t.Errorf("box %v, want [1 0 3 4]", [4]int{x0, y0, x1, y1})
	}
}

func TestRunsMaskPanicsOnBadRuns(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("runs adding up to 5 for a 2×2 mask made a mask")
		}
	}()
	mask.Runs{W: 2, H: 2, Counts: []int{2, 3}}.Mask()
}
