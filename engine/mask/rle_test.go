package mask_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/samwise-app/samwise/engine/mask"
)

// Golden encodings, worked out by hand from pycocotools' maskApi.c.
//
// rleEncode reads the mask column by column (Fortran order) and emits run
// lengths, the first being the run of zeros (0 when the first pixel is set).
// rleToString then writes each run x, replacing it by x - cnts[i-2] when
// i > 2, as 5-bit groups from the least significant: c = x & 0x1f; x >>= 5
// (arithmetic); more = c&0x10 ? x != -1 : x != 0; if more, c |= 0x20; emit
// byte c+48. So 0..15 take one byte ('0'..'?'), -16..-1 one byte
// ('@'..'O'), and 16..31 already take two, because bit 0x10 of a last group
// is the sign.
var goldens = []struct {
	name   string
	m      *mask.Mask
	counts []int
	str    string
}{
	// Known pycocotools output: one set pixel gives runs [0 1] -> "01".
	{"1x1 set", parse("#"), []int{0, 1}, "01"},
	// Known pycocotools output: 2x2 zeros give runs [4] -> "4".
	{"2x2 zero", parse("..", ".."), []int{4}, "4"},
	// w=4, h=3. Columns top to bottom: 001 111 100 001, so the sequence is
	// 0,0,1,1,1,1,1,0,0,0,0,1 and the runs are [2 5 4 1]. Runs 0..2 are
	// written as they are: '2' '5' '4'. Run 3 becomes 1-5 = -4:
	// -4&0x1f = 28 (0x1c, sign bit 0x10 set), -4>>5 = -1, so no more:
	// 28+48 = 76 = 'L'.
	{"4x3", parse(
		".##.",
		".#..",
		"##.#",
	), []int{2, 5, 4, 1}, "254L"},
	// w=2, h=3, first pixel set. Columns 101 110: sequence 1,0,1,1,1,0 and
	// runs [0 1 1 3 1]. '0' '1' '1', then 3-1 = 2 -> '2', 1-1 = 0 -> '0'.
	{"first pixel set", parse(
		"##",
		".#",
		"#.",
	), []int{0, 1, 1, 3, 1}, "01120"},
	// All six pixels set: runs [0 6] -> "06".
	{"all one", parse("###", "###"), []int{0, 6}, "06"},
	// All six unset: runs [6] -> "6".
	{"all zero", parse("...", "..."), []int{6}, "6"},
	// Only the last pixel (x=2, y=1, column-major index 5) set: [5 1].
	{"last pixel", parse("...", "..#"), []int{5, 1}, "51"},
	// w=1, h=20: 16 zeros then 4 ones. 16&0x1f = 16 has the sign bit and
	// 16>>5 = 0 != -1, so another group follows: 16|0x20 = 48 -> '`', then
	// 0 -> '0'. The run of 4 is '4'.
	{"run of 16", parse(
		".", ".", ".", ".", ".", ".", ".", ".", ".", ".",
		".", ".", ".", ".", ".", ".", "#", "#", "#", "#",
	), []int{16, 4}, "`04"},
	// h=1, w=40: 33 zeros, 7 ones. 33: c = 1, x = 1 -> more: 1|0x20 = 33
	// -> 'Q'; then c = 1, x = 0 -> '1'. 7 -> '7'.
	{"run over 32", rect(40, 1, 33, 0, 40, 1), []int{33, 7}, "Q17"},
	// h=1, w=1200: 1100 zeros, 50 ones, 50 zeros.
	// 1100: c = 1100&31 = 12, x = 34 -> 12|0x20 = 44 -> '\';
	//       c = 34&31 = 2, x = 1 -> 2|0x20 = 34 -> 'R'; c = 1, x = 0 -> '1'.
	// 50: c = 18 (sign bit), x = 1 != -1 -> 18|0x20 = 50 -> 'b'; then '1'.
	// The third run (index 2) is not delta-coded: 50 -> "b1" again.
	{"run over 1024", rect(1200, 1, 1100, 0, 1150, 1), []int{1100, 50, 50}, `\R1b1b1`},
	// h=1, w=1011: 1000 ones, 10 zeros, 1 one; runs [0 1000 10 1].
	// 0 -> '0'. 1000: c = 8, x = 31 -> 8|0x20 = 40 -> 'X'; c = 31 (sign
	// bit), x = 0 != -1 -> 31|0x20 = 63 -> 'o'; c = 0, x = 0 -> '0'.
	// 10 -> ':'. Run 3 becomes 1-1000 = -999: c = -999&31 = 25, x = -32
	// -> 25|0x20 = 57 -> 'i'; c = 0, x = -1, no sign bit so more ->
	// 0|0x20 = 32 -> 'P'; c = 31, x = -1 and sign bit -> done: 31 -> 'O'.
	{"negative multi-byte delta", func() *mask.Mask {
		m := rect(1011, 1, 0, 0, 1000, 1)
		m.Set(1010, 0, true)
		return m
	}(), []int{0, 1000, 10, 1}, "0Xo0:iPO"},
}

func TestEncodeGolden(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.name, func(t *testing.T) {
			want := mask.RLE{Size: [2]int{g.m.H, g.m.W}, Counts: g.str}
			if got := mask.Encode(g.m); got != want {
				t.Errorf("Encode = %+v, want %+v", got, want)
			}
			if got := mask.EncodeCounts(g.m); !slices.Equal(got, g.counts) {
				t.Errorf("EncodeCounts = %v, want %v", got, g.counts)
			}
			// The test's own port of pycocotools must agree with the hand
			// computation too.
			if got := refString(g.counts); got != g.str {
				t.Errorf("reference rleToString = %q, want %q", got, g.str)
			}
			got, err := mask.Decode(want)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			requireEqual(t, got, g.m)
			area, err := want.Area()
			if err != nil || area != g.m.Area() {
				t.Errorf("Area() = %d, %v; want %d", area, err, g.m.Area())
			}
		})
	}
}

func TestDecodeUnusualButValid(t *testing.T) {
	tests := []struct {
		name string
		rle  mask.RLE
		want *mask.Mask
	}{
		// Runs [0 0 0 4]: the fourth is stored as 4 - 0.
		{"empty runs before the set run", mask.RLE{Size: [2]int{2, 2}, Counts: "0004"}, parse("##", "##")},
		{"empty set run", mask.RLE{Size: [2]int{2, 2}, Counts: "202"}, parse("..", "..")},
		{"no pixels", mask.RLE{Size: [2]int{0, 0}, Counts: "0"}, mask.New(0, 0)},
		{"no pixels, no runs", mask.RLE{Size: [2]int{0, 3}, Counts: ""}, mask.New(3, 0)},
		// A redundant continuation group: 'P' (0 with more) then '2'
		// means 0 + 2<<5 = 64.
		{"non-canonical value", mask.RLE{Size: [2]int{1, 64}, Counts: "P2"}, mask.New(64, 1)},
	}
	for _, tt := range tests {
		got, err := mask.Decode(tt.rle)
		if err != nil {
			t.Errorf("%s: Decode: %v", tt.name, err)
			continue
		}
		requireEqual(t, got, tt.want)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		rle  mask.RLE
	}{
		{"character below '0'", mask.RLE{Size: [2]int{1, 2}, Counts: "0!"}},
		{"character above 'o'", mask.RLE{Size: [2]int{1, 2}, Counts: "p"}},
		{"non-ASCII", mask.RLE{Size: [2]int{1, 2}, Counts: "0\xff"}},
		{"NUL", mask.RLE{Size: [2]int{1, 2}, Counts: "0\x002"}},
		{"truncated value", mask.RLE{Size: [2]int{1, 1}, Counts: "0P"}},
		{"value too long", mask.RLE{Size: [2]int{1, 1}, Counts: "PPPPPPP0"}},
		{"runs too short", mask.RLE{Size: [2]int{2, 2}, Counts: "3"}},
		{"runs too long", mask.RLE{Size: [2]int{2, 2}, Counts: "5"}},
		{"runs too long later", mask.RLE{Size: [2]int{2, 2}, Counts: "2111"}},
		{"no runs", mask.RLE{Size: [2]int{2, 2}, Counts: ""}},
		{"negative first run", mask.RLE{Size: [2]int{1, 1}, Counts: "O"}},
		// Runs 1, 1, 1, then 'D' = -12 plus the run two before (1) = -11.
		{"negative after delta", mask.RLE{Size: [2]int{1, 1000}, Counts: "111D"}},
		{"huge run", mask.RLE{Size: [2]int{1, 1}, Counts: "ooooo?"}},
		{"negative height", mask.RLE{Size: [2]int{-1, 2}, Counts: "0"}},
		{"negative width", mask.RLE{Size: [2]int{2, -1}, Counts: "0"}},
		{"too many pixels", mask.RLE{Size: [2]int{1 << 15, 1 << 14}, Counts: "0"}},
		{"overflowing size", mask.RLE{Size: [2]int{1 << 40, 1 << 40}, Counts: "0"}},
	}
	for _, tt := range tests {
		if m, err := mask.Decode(tt.rle); err == nil || !errors.Is(err, mask.ErrInvalidRLE) || m != nil {
			t.Errorf("%s: Decode = %v, %v; want nil and ErrInvalidRLE", tt.name, m, err)
		}
		if _, err := tt.rle.Area(); !errors.Is(err, mask.ErrInvalidRLE) {
			t.Errorf("%s: Area error = %v, want ErrInvalidRLE", tt.name, err)
		}
	}
}

func TestDecodeCountsErrors(t *testing.T) {
	tests := []struct {
		name   string
		h, w   int
		counts []int
	}{
		{"negative run", 1, 2, []int{3, -1}},
		{"short", 2, 2, []int{1, 2}},
		{"long", 2, 2, []int{1, 2, 3}},
		{"overflow", 2, 2, []int{1 << 62, 1 << 62, 4}},
		{"empty", 2, 2, nil},
		{"negative size", -2, 2, []int{0}},
		{"too many pixels", 1 << 20, 1 << 20, []int{1 << 40}},
	}
	for _, tt := range tests {
		if _, err := mask.DecodeCounts(tt.h, tt.w, tt.counts); !errors.Is(err, mask.ErrInvalidRLE) {
			t.Errorf("%s: error = %v, want ErrInvalidRLE", tt.name, err)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, s := range samples(1) {
		t.Run(s.name, func(t *testing.T) {
			counts := refCounts(s.m)
			r := mask.Encode(s.m)
			if r.Size != [2]int{s.m.H, s.m.W} {
				t.Fatalf("Size = %v", r.Size)
			}
			if want := refString(counts); r.Counts != want {
				t.Fatalf("Encode counts = %q, want %q", r.Counts, want)
			}
			if got := mask.EncodeCounts(s.m); !slices.Equal(got, counts) {
				t.Fatalf("EncodeCounts = %v, want %v", got, counts)
			}
			got, err := mask.Decode(r)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			requireEqual(t, got, s.m)
			got, err = mask.DecodeCounts(s.m.H, s.m.W, counts)
			if err != nil {
				t.Fatalf("DecodeCounts: %v", err)
			}
			requireEqual(t, got, s.m)
			if area, err := r.Area(); err != nil || area != s.m.Area() {
				t.Fatalf("RLE Area = %d, %v; want %d", area, err, s.m.Area())
			}
		})
	}
}

func TestEncodeReadsNonZeroAsSet(t *testing.T) {
	m := &mask.Mask{W: 11, H: 3, Pix: make([]byte, 33)}
	binary := mask.New(11, 3)
	for i, v := range []byte{255, 7, 1, 128, 2} {
		m.Pix[i*7] = v
		binary.Pix[i*7] = 1
	}
	if got, want := mask.Encode(m), mask.Encode(binary); got != want {
		t.Errorf("Encode = %+v, want %+v", got, want)
	}
}
