package mask_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/samwise-app/samwise/engine/mask"
)

// fuzzPixels bounds the masks the fuzz tests decode, so that inputs naming
// valid but huge masks do not spend the run allocating.
const fuzzPixels = 1 << 20

func small(h, w int) bool {
	return h >= 0 && w >= 0 && (w == 0 || h <= fuzzPixels/w)
}

// FuzzDecode decodes arbitrary strings and sizes: Decode must never panic,
// must fail exactly when Area fails, and what it decodes must have the size
// and area the RLE claims and survive a round trip.
func FuzzDecode(f *testing.F) {
	for _, g := range goldens {
		f.Add(g.str, g.m.H, g.m.W)
	}
	f.Add("0004", 2, 2)
	f.Add("P2", 1, 64)
	f.Add("", 0, 0)
	f.Add("0P", 1, 1)
	f.Add("PPPPPPP0", 1, 1)
	f.Add("111D", 1, 1000)
	f.Add("ooooo?", 1, 1)
	f.Add("0", 1<<40, 1<<40)
	f.Add("0", -1, 1)
	f.Add("0!", 1, 2)
	f.Fuzz(func(t *testing.T, counts string, h, w int) {
		r := mask.RLE{Size: [2]int{h, w}, Counts: counts}
		area, areaErr := r.Area()
		if areaErr == nil && !small(h, w) {
			return
		}
		m, err := mask.Decode(r)
		if (err == nil) != (areaErr == nil) {
			t.Fatalf("Decode error %v but Area error %v", err, areaErr)
		}
		if err != nil {
			if !errors.Is(err, mask.ErrInvalidRLE) || m != nil {
				t.Fatalf("Decode = %v, %v; want nil and ErrInvalidRLE", m, err)
			}
			return
		}
		if m.W != w || m.H != h || len(m.Pix) != w*h {
			t.Fatalf("decoded %dx%d (%d bytes) for size %v", m.W, m.H, len(m.Pix), r.Size)
		}
		if m.Area() != area {
			t.Fatalf("mask area %d, RLE area %d", m.Area(), area)
		}
		re := mask.Encode(m)
		back, err := mask.Decode(re)
		if err != nil {
			t.Fatalf("Decode(Encode(m)): %v", err)
		}
		requireEqual(t, back, m)
	})
}

// FuzzUnmarshalJSON reads arbitrary JSON as an RLE: it must never panic,
// and whatever it accepts must decode and survive a JSON round trip.
func FuzzUnmarshalJSON(f *testing.F) {
	for _, s := range []string{
		`{"size":[3,4],"counts":"254L"}`,
		`{"size":[3,4],"counts":[2,5,4,1]}`,
		`{"size":[1,1200],"counts":"\\R1b1b1"}`,
		`{"size":[0,0],"counts":[]}`,
		`{"size":[1,1],"counts":null}`,
		`{"size":[1],"counts":"0"}`,
		`{"size":[-1,1],"counts":[1,-1]}`,
		`{"size":[100000,100000],"counts":"0"}`,
		`null`,
		`[]`,
		`{"size":[1,1],"counts":{"a":1}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r mask.RLE
		if err := json.Unmarshal(data, &r); err != nil {
			return
		}
		area, err := r.Area()
		if err != nil {
			t.Fatalf("accepted %+v, but Area fails: %v", r, err)
		}
		if small(r.Size[0], r.Size[1]) {
			m, err := mask.Decode(r)
			if err != nil {
				t.Fatalf("accepted %+v, but Decode fails: %v", r, err)
			}
			if m.Area() != area {
				t.Fatalf("mask area %d, RLE area %d", m.Area(), area)
			}
		}
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		var back mask.RLE
		if err := json.Unmarshal(out, &back); err != nil || back != r {
			t.Fatalf("round trip of %s gave %+v, %v; want %+v", out, back, err, r)
		}
	})
}

// FuzzPolygons traces arbitrary small masks: the exact polygons must fill
// back to the mask, and the contours' signed areas must add up to its area.
func FuzzPolygons(f *testing.F) {
	f.Add(uint8(3), []byte{0b10101101, 0b01})
	f.Add(uint8(8), []byte{0xff, 0x81, 0xbd, 0xa5, 0xa5, 0xbd, 0x81, 0xff})
	f.Add(uint8(5), []byte{0x55, 0xaa, 0x55, 0xaa})
	f.Add(uint8(1), []byte{0x6d})
	f.Fuzz(func(t *testing.T, width uint8, data []byte) {
		w := int(width%40) + 1
		if len(data) > 256 {
			data = data[:256]
		}
		h := len(data) * 8 / w
		m := mask.New(w, h)
		for i := range m.Pix {
			m.Pix[i] = data[i/8] >> (i % 8) & 1
		}
		requireEqual(t, mask.Rasterize(mask.Polygons(m, 0), w, h), m)
		total := 0.0
		for _, c := range mask.Contours(m) {
			total += shoelace(c.Points)
		}
		if int(total) != m.Area() {
			t.Fatalf("contour areas add up to %v, mask area %d\n%s", total, m.Area(), format(m))
		}
		for _, p := range mask.Polygons(m, 1.5) {
			if len(p) < 6 || len(p)%2 != 0 {
				t.Fatalf("simplified polygon with %d coordinates", len(p))
			}
		}
	})
}
