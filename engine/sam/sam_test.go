package sam_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/assets"
	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/ort"
	"github.com/samwise-app/samwise/engine/sam"
	"github.com/samwise-app/samwise/engine/synth"
)

// TestInterfaceMismatchIsExplained loads a tracker bundle whose decoder is
// really the encoder: the error names what is missing.
func TestInterfaceMismatchIsExplained(t *testing.T) {
	b, rt := demoBundle(t, assets.DemoTracker)
	enc, _ := b.Path(model.RoleVisionEncoder)
	dec, _ := b.Path(model.RoleMaskDecoder)
	data, _ := os.ReadFile(enc)
	os.WriteFile(dec, data, 0o644)
	_, err := sam.OpenTracker(rt, b, ort.SessionOptions{})
	var ie *sam.InterfaceError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), `"input_points" is missing`) || !strings.Contains(err.Error(), filepath.Base(dec)) {
		t.Fatalf("loading a wrong decoder: %v", err)
	}
}

// TestVideoMemoryStaysBounded tracks an object through 80 frames: the
// recent window never grows beyond the pointer window, mask memories beyond
// num_maskmem-1, and the state's size stops growing.
func TestVideoMemoryStaysBounded(t *testing.T) {
	vt := openDemoVideo(t)
	sc := synth.StandardVideo(80)
	ctx := context.Background()
	st := sam.NewObjectState()
	var sizes []int64
	for f := 0; f < sc.Frames; f++ {
		img, truth := sc.Frame(f)
		emb, err := vt.Encode(ctx, imaging.ToTensor(img, vt.InputSize(), nil))
		if err != nil {
			t.Fatal(err)
		}
		if f == 0 {
			x0, y0, x1, y1, _ := truth["green"].BBox()
			_, err = vt.Prompt(ctx, emb, sc.W, sc.H, sam.Prompt{Points: [][2]float64{{float64(x0+x1) / 2, float64(y0+y1) / 2}}, Labels: []int64{1}}, st, 0)
		} else {
			_, err = vt.Track(ctx, emb, st, f, false)
		}
		if err != nil {
			t.Fatal(err)
		}
		withFeatures := 0
		for _, m := range st.Recent {
			if m.Features != nil {
				withFeatures++
			}
		}
		if len(st.Recent) > 16 || withFeatures > 6 || len(st.Cond) != 1 {
			t.Fatalf("frame %d: %d recent memories (%d with features), %d conditioning", f, len(st.Recent), withFeatures, len(st.Cond))
		}
		sizes = append(sizes, st.Bytes())
	}
	if sizes[40] != sizes[79] {
		t.Errorf("the memory grew from %d bytes at frame 40 to %d at frame 79", sizes[40], sizes[79])
	}
}
