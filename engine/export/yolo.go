package export

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/samwise-app/samwise/engine/mask"
)

// YOLO writes Ultralytics YOLO segmentation labels as a zip:
// labels/<stem>.txt per picture, one line per object ("class x1 y1 x2 y2
// ...", coordinates normalised to 0..1), and data.yaml naming the classes.
// An object in several pieces is one polygon whose pieces (and holes) are
// joined by zero-width bridges, as YOLO has one polygon per instance.
func YOLO(in Input) ([]byte, error) { return zipped(yoloFiles(in)) }

func yoloFiles(in Input) (*archive, error) {
	cats := Categories(in)
	a := newArchive()
	err := forEachFrame(in, cats, func(f *frame) error {
		var b strings.Builder
		for _, o := range f.Objects {
			ring := joinRings(mask.Polygons(o.Mask, in.tolerance()))
			if len(ring) < 6 {
				continue
			}
			b.WriteString(strconv.Itoa(o.Category - 1))
			for i := 0; i < len(ring); i += 2 {
				b.WriteByte(' ')
				b.WriteString(norm(ring[i], f.Media.Width))
				b.WriteByte(' ')
				b.WriteString(norm(ring[i+1], f.Media.Height))
			}
			b.WriteByte('\n')
		}
		a.add("labels/"+f.Stem+".txt", []byte(b.String()))
		return nil
	})
	if err != nil {
		return nil, err
	}
	a.add("data.yaml", yoloYAML(in, cats, "images", "images"))
	return a, nil
}

// yoloYAML is the data.yaml of a YOLO export: where the train and val
// pictures are, and the class names by index.
func yoloYAML(in Input, cats []Category, train, val string) []byte {
	var y strings.Builder
	fmt.Fprintf(&y, "# Samwise export of project %q: YOLO segmentation.\n", in.Project.Name)
	y.WriteString("# The pictures are in images/ (or go there), beside labels/: the same names, their own extensions.\n")
	fmt.Fprintf(&y, "path: .\ntrain: %s\nval: %s\nnames:\n", train, val)
	for _, c := range cats {
		fmt.Fprintf(&y, "  %d: %s\n", c.ID-1, strconv.Quote(c.Name))
	}
	return []byte(y.String())
}

// norm formats v/size with six decimals, clamped to [0, 1].
func norm(v float64, size int) string {
	x := min(max(v/float64(size), 0), 1)
	return strconv.FormatFloat(x, 'f', 6, 64)
}

// joinRings joins flat rings into one: each next ring is spliced in at the
// pair of vertices closest to the rings joined so far, by a bridge walked in
// and back out.
func joinRings(rings [][]float64) []float64 {
	if len(rings) == 0 {
		return nil
	}
	out := append([]float64(nil), rings[0]...)
	for _, r := range rings[1:] {
		bi, bj, best := 0, 0, -1.0
		for i := 0; i < len(out); i += 2 {
			for j := 0; j < len(r); j += 2 {
				dx, dy := out[i]-r[j], out[i+1]-r[j+1]
				if d := dx*dx + dy*dy; best < 0 || d < best {
					bi, bj, best = i, j, d
				}
			}
		}
		joined := make([]float64, 0, len(out)+len(r)+4)
		joined = append(joined, out[:bi+2]...)
		joined = append(joined, r[bj:]...)
		joined = append(joined, r[:bj+2]...)
		joined = append(joined, out[bi:]...)
		out = joined
	}
	return out
}
