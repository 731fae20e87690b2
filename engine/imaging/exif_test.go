package imaging_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"testing"

	"github.com/samwise-app/samwise/engine/imaging"
)

// storedCoord is the EXIF definition of the orientations: the stored pixel
// (of a sw×sh stored image) shown at upright position (x, y).
func storedCoord(o, x, y, sw, sh int) (int, int) {
	switch o {
	case 2: // mirrored left-right
		return sw - 1 - x, y
	case 3: // rotated 180°
		return sw - 1 - x, sh - 1 - y
	case 4: // mirrored top-bottom
		return x, sh - 1 - y
	case 5: // transposed
		return y, x
	case 6: // stored rotated 90° counter-clockwise; shown rotated clockwise
		return y, sh - 1 - x
	case 7: // transversed
		return sw - 1 - y, sh - 1 - x
	case 8: // stored rotated 90° clockwise; shown rotated counter-clockwise
		return sw - 1 - y, x
	}
	return x, y
}

// tiffBody builds the TIFF structure of an Exif block: header, then IFD0
// with an ImageWidth entry and the given orientation entry, then a zero
// next-IFD offset.
func tiffBody(bo binary.AppendByteOrder, typ uint16, count uint32, value uint32) []byte {
	var b []byte
	if bo == binary.LittleEndian {
		b = append(b, 'I', 'I', 42, 0)
	} else {
		b = append(b, 'M', 'M', 0, 42)
	}
	b = bo.AppendUint32(b, 8) // IFD0 right after the header
	b = bo.AppendUint16(b, 2) // two entries
	// 0x0100 ImageWidth, LONG, 1, 48
	b = bo.AppendUint16(b, 0x0100)
	b = bo.AppendUint16(b, 4)
	b = bo.AppendUint32(b, 1)
	b = bo.AppendUint32(b, 48)
	// 0x0112 Orientation
	b = bo.AppendUint16(b, 0x0112)
	b = bo.AppendUint16(b, typ)
	b = bo.AppendUint32(b, count)
	if typ == 3 {
		b = bo.AppendUint16(b, uint16(value))
		b = append(b, 0, 0)
	} else {
		b = bo.AppendUint32(b, value)
	}
	return bo.AppendUint32(b, 0) // no next IFD
}

// app1 wraps a payload as a JPEG APP1 segment.
func app1(payload []byte) []byte {
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

func exifAPP1(bo binary.AppendByteOrder, o int) []byte {
	return app1(append([]byte("Exif\x00\x00"), tiffBody(bo, 3, 1, uint32(o))...))
}

// withSegments inserts segments right after a JPEG's SOI marker.
func withSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// cellColours are the six cells of the 3×2 upright test pattern.
var cellColours = [2][3]color.NRGBA{
	{{230, 20, 20, 255}, {20, 230, 20, 255}, {20, 20, 230, 255}},
	{{230, 230, 20, 255}, {20, 230, 230, 255}, {230, 20, 230, 255}},
}

const cell = 16 // cells are whole JPEG MCUs, so colours survive compression

// storedPattern returns the image a camera would store so that showing it
// with orientation o gives the upright 3×2-cell pattern.
func storedPattern(o int) *image.NRGBA {
	uw, uh := 3*cell, 2*cell
	sw, sh := uw, uh
	if o >= 5 {
		sw, sh = uh, uw
	}
	m := image.NewNRGBA(image.Rect(0, 0, sw, sh))
	for y := 0; y < uh; y++ {
		for x := 0; x < uw; x++ {
			sx, sy := storedCoord(o, x, y, sw, sh)
			m.SetNRGBA(sx, sy, cellColours[y/cell][x/cell])
		}
	}
	return m
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

// checkUpright verifies that img shows the upright 3×2-cell pattern.
func checkUpright(t *testing.T, img image.Image, tol int) {
	t.Helper()
	if got, want := img.Bounds().Size(), image.Pt(3*cell, 2*cell); got != want {
		t.Fatalf("decoded size %v, want %v", got, want)
	}
	for cy := 0; cy < 2; cy++ {
		for cx := 0; cx < 3; cx++ {
			for _, p := range []image.Point{{cx*cell + cell/2, cy*cell + cell/2}, {cx*cell + 1, cy*cell + 1}} {
				if got, want := nrgbaAt(img, p.X, p.Y), cellColours[cy][cx]; !near(got, want, tol) {
					t.Fatalf("pixel %v = %v, want %v (cell %d,%d)", p, got, want, cx, cy)
				}
			}
		}
	}
}

func TestDecodeAppliesJPEGOrientation(t *testing.T) {
	for _, order := range []struct {
		name string
		bo   binary.AppendByteOrder
	}{{"II", binary.LittleEndian}, {"MM", binary.BigEndian}} {
		for o := 1; o <= 8; o++ {
			t.Run(fmt.Sprintf("%s orientation %d", order.name, o), func(t *testing.T) {
				stored := storedPattern(o)
				data := withSegments(encodeJPEG(t, stored), exifAPP1(order.bo, o))
				if got := imaging.Orientation(data); got != o {
					t.Fatalf("Orientation = %d, want %d", got, o)
				}
				img, format, err := imaging.Decode(data)
				if err != nil {
					t.Fatal(err)
				}
				if format != "jpeg" {
					t.Fatalf("format %q, want jpeg", format)
				}
				checkUpright(t, img, 12)
				w, h, format, err := imaging.DecodeConfig(data)
				if err != nil || format != "jpeg" {
					t.Fatalf("DecodeConfig: %v, %q", err, format)
				}
				if w != 3*cell || h != 2*cell {
					t.Fatalf("DecodeConfig = %d×%d, want the upright %d×%d (stored %v)", w, h, 3*cell, 2*cell, stored.Bounds().Size())
				}
			})
		}
	}
}

// Where the stored top-left corner ends up, from the orientations' names.
func TestOrientationCorners(t *testing.T) {
	want := map[int]string{1: "TL", 2: "TR", 3: "BR", 4: "BL", 5: "TL", 6: "TR", 7: "BR", 8: "BL"}
	for o := 1; o <= 8; o++ {
		m := image.NewGray(image.Rect(0, 0, 3, 2))
		m.Pix[0] = 255 // stored top-left
		out := imaging.Orient(m, o)
		b := out.Bounds()
		corners := map[string]image.Point{"TL": {0, 0}, "TR": {b.Dx() - 1, 0}, "BL": {0, b.Dy() - 1}, "BR": {b.Dx() - 1, b.Dy() - 1}}
		if p := corners[want[o]]; nrgbaAt(out, p.X, p.Y).R != 255 {
			t.Errorf("orientation %d: stored top-left is not at %s of the %v result", o, want[o], b.Size())
		}
		if wantW := map[bool]int{true: 2, false: 3}[o >= 5]; b.Dx() != wantW {
			t.Errorf("orientation %d: width %d, want %d", o, b.Dx(), wantW)
		}
	}
}

func TestOrientAllImageTypes(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	imgs := []image.Image{
		randNRGBA(rng, 37, 21),
		randOpaqueRGBA(rng, 37, 21),
		randTranslucentRGBA(rng, 37, 21),
		randYCbCr(rng, image.Rect(0, 0, 37, 21), image.YCbCrSubsampleRatio420),
		randYCbCr(rng, image.Rect(0, 0, 80, 60), image.YCbCrSubsampleRatio422).SubImage(image.Rect(5, 7, 42, 28)),
		randGray(rng, 37, 21),
		randPaletted(rng, 37, 21),
		randRGBA64(rng, 37, 21),
		randYCbCr(rng, image.Rect(0, 0, 301, 517), image.YCbCrSubsampleRatio420), // several goroutines
	}
	for _, img := range imgs {
		for o := 1; o <= 8; o++ {
			t.Run(fmt.Sprintf("%T %v %d", img, img.Bounds().Size(), o), func(t *testing.T) {
				out := imaging.Orient(img, o)
				sw, sh := img.Bounds().Dx(), img.Bounds().Dy()
				w, h := sw, sh
				if o >= 5 {
					w, h = sh, sw
				}
				if got := out.Bounds().Size(); got != image.Pt(w, h) {
					t.Fatalf("size %v, want %dx%d", got, w, h)
				}
				for y := 0; y < h; y++ {
					for x := 0; x < w; x++ {
						sx, sy := storedCoord(o, x, y, sw, sh)
						if got, want := nrgbaAt(out, x, y), nrgbaAt(img, sx, sy); got != want {
							t.Fatalf("(%d,%d) = %v, want stored (%d,%d) = %v", x, y, got, sx, sy, want)
						}
					}
				}
			})
		}
	}
}

func TestOrientationMalformed(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	jpg := encodeJPEG(t, storedPattern(1))
	exif := func(tiff []byte) []byte { return app1(append([]byte("Exif\x00\x00"), tiff...)) }
	good := tiffBody(le, 3, 1, 6)
	patch := func(b []byte, at int, v ...byte) []byte {
		c := append([]byte{}, b...)
		copy(c[at:], v)
		return c
	}
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"nil", nil, 1},
		{"SOI only", []byte{0xFF, 0xD8}, 1},
		{"SOI and marker start", []byte{0xFF, 0xD8, 0xFF}, 1},
		{"no exif", jpg, 1},
		{"good II", withSegments(jpg, exif(good)), 6},
		{"good MM", withSegments(jpg, exif(tiffBody(be, 3, 1, 8))), 8},
		{"LONG type", withSegments(jpg, exif(tiffBody(le, 4, 1, 3))), 3},
		{"SHORT count 2", withSegments(jpg, exif(tiffBody(be, 3, 2, 5))), 5},
		{"ASCII type", withSegments(jpg, exif(tiffBody(le, 2, 1, 6))), 1},
		{"count 0", withSegments(jpg, exif(tiffBody(le, 3, 0, 6))), 1},
		{"value 0", withSegments(jpg, exif(tiffBody(le, 3, 1, 0))), 1},
		{"value 9", withSegments(jpg, exif(tiffBody(le, 3, 1, 9))), 1},
		{"value 65535", withSegments(jpg, exif(tiffBody(le, 3, 1, 0xFFFF))), 1},
		{"bad byte order", withSegments(jpg, exif(patch(good, 0, 'X', 'X'))), 1},
		{"bad magic", withSegments(jpg, exif(patch(good, 2, 43))), 1},
		{"IFD offset past end", withSegments(jpg, exif(patch(good, 4, 0xFF, 0xFF, 0xFF, 0xFF))), 1},
		{"IFD offset into header", withSegments(jpg, exif(patch(good, 4, 2, 0, 0, 0))), 1},
		{"IFD offset at last byte", withSegments(jpg, exif(patch(good, 4, byte(len(good)-1)))), 1},
		{"entry count too big", withSegments(jpg, exif(patch(good[:22], 8, 0xFF, 0xFF))), 1},
		{"entry count too big but tag present", withSegments(jpg, exif(patch(good, 8, 0xFF, 0xFF))), 6},
		{"next IFD loops to IFD0", withSegments(jpg, exif(patch(good, len(good)-4, 8))), 6},
		{"tiff truncated in entry", withSegments(jpg, exif(good[:30])), 1},
		{"tiff truncated in header", withSegments(jpg, exif(good[:5])), 1},
		{"exif header only", withSegments(jpg, app1([]byte("Exif\x00\x00"))), 1},
		{"APP1 not exif", withSegments(jpg, app1([]byte("http://ns.adobe.com/xap/1.0/\x00<x/>"))), 1},
		{"XMP then exif", withSegments(jpg, app1([]byte("http://ns.adobe.com/xap/1.0/\x00<x/>")), exif(good)), 6},
		{"fill bytes before marker", withSegments(jpg, []byte{0xFF, 0xFF, 0xFF}, exif(good)[1:]), 6},
		{"segment length 0", withSegments(jpg, []byte{0xFF, 0xE1, 0, 0}, exif(good)), 1},
		{"segment length 1", withSegments(jpg, []byte{0xFF, 0xE1, 0, 1}, exif(good)), 1},
		{"segment longer than file", append([]byte{0xFF, 0xD8}, patch(exif(good), 2, 0xFF, 0xFF)...), 1},
		{"exif after start of scan", append(append([]byte{0xFF, 0xD8, 0xFF, 0xDA, 0, 2}, exif(good)...), 0xFF, 0xD9), 1},
		{"garbage between segments", withSegments(jpg, []byte{0x00, 0x11}, exif(good)), 1},
		{"truncated JPEG ending in exif", append([]byte{0xFF, 0xD8}, exif(good)[:20]...), 1},
		{"webp", webpFile(vp8lChunk(3, 2, nil), webpExif(good)), 6},
		{"webp with Exif prefix", webpFile(vp8lChunk(3, 2, nil), webpExif(append([]byte("Exif\x00\x00"), good...))), 6},
		{"webp odd chunk before", webpFile([]byte("ABCD\x03\x00\x00\x00xyz\x00"), webpExif(good)), 6},
		{"webp chunk longer than file", webpFile([]byte("ABCD\xFF\xFF\xFF\x7F"), webpExif(good)), 1},
		{"webp without exif", webpFile(vp8lChunk(3, 2, nil)), 1},
		{"png", []byte("\x89PNG\r\n\x1a\n"), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := imaging.Orientation(tc.data); got != tc.want {
				t.Fatalf("Orientation = %d, want %d", got, tc.want)
			}
			// Every prefix must be handled without panicking, too.
			for n := range tc.data {
				if o := imaging.Orientation(tc.data[:n]); o < 1 || o > 8 {
					t.Fatalf("Orientation of a %d-byte prefix = %d", n, o)
				}
			}
		})
	}
}

// A JPEG with broken EXIF still decodes, upright as stored.
func TestDecodeWithMalformedExif(t *testing.T) {
	jpg := encodeJPEG(t, storedPattern(1))
	bad := tiffBody(binary.LittleEndian, 3, 1, 6)
	bad[4] = 0xF0 // IFD offset out of range
	img, _, err := imaging.Decode(withSegments(jpg, app1(append([]byte("Exif\x00\x00"), bad...))))
	if err != nil {
		t.Fatal(err)
	}
	checkUpright(t, img, 12)
}

// bitWriter writes the least-significant-bit-first bit stream of VP8L.
type bitWriter struct {
	buf  []byte
	nbit uint
}

func (w *bitWriter) write(v uint32, n uint) {
	for i := uint(0); i < n; i++ {
		if w.nbit%8 == 0 {
			w.buf = append(w.buf, 0)
		}
		w.buf[len(w.buf)-1] |= byte(v>>i&1) << (w.nbit % 8)
		w.nbit++
	}
}

// vp8lChunk encodes a w×h lossless WebP image whose pixels are colour
// (200, 240, 50) where set[i] is true and (200, 10, 50) elsewhere: no
// transforms, no colour cache, one group of "simple" prefix codes, the green
// code having the two symbols 10 (bit 0) and 240 (bit 1).
func vp8lChunk(w, h int, set []bool) []byte {
	var bw bitWriter
	bw.write(0x2f, 8)
	bw.write(uint32(w-1), 14)
	bw.write(uint32(h-1), 14)
	bw.write(0, 1)                // alpha not used
	bw.write(0, 3)                // version
	bw.write(0, 1)                // no transform
	bw.write(0, 1)                // no colour cache
	bw.write(0, 1)                // no meta prefix codes
	simple1 := func(sym uint32) { // one 8-bit symbol, zero bits per use
		bw.write(1, 1)
		bw.write(0, 1)
		bw.write(1, 1)
		bw.write(sym, 8)
	}
	bw.write(1, 1) // green: simple, two symbols, first one 8 bits wide
	bw.write(1, 1)
	bw.write(1, 1)
	bw.write(10, 8)
	bw.write(240, 8)
	simple1(200)   // red
	simple1(50)    // blue
	simple1(255)   // alpha
	bw.write(1, 1) // distance: simple, one 1-bit symbol 0
	bw.write(0, 1)
	bw.write(0, 1)
	bw.write(0, 1)
	for i := 0; i < w*h; i++ {
		bit := uint32(0)
		if i < len(set) && set[i] {
			bit = 1
		}
		bw.write(bit, 1)
	}
	return riffChunk("VP8L", bw.buf)
}

func riffChunk(fourcc string, payload []byte) []byte {
	c := append([]byte(fourcc), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(c[4:], uint32(len(payload)))
	c = append(c, payload...)
	if len(payload)%2 == 1 {
		c = append(c, 0)
	}
	return c
}

func webpExif(tiff []byte) []byte { return riffChunk("EXIF", tiff) }

// vp8xChunk declares a w×h canvas with EXIF metadata.
func vp8xChunk(w, h int) []byte {
	p := []byte{0x08, 0, 0, 0, byte(w - 1), byte((w - 1) >> 8), byte((w - 1) >> 16), byte(h - 1), byte((h - 1) >> 8), byte((h - 1) >> 16)}
	return riffChunk("VP8X", p)
}

func webpFile(chunks ...[]byte) []byte {
	body := []byte("WEBP")
	for _, c := range chunks {
		body = append(body, c...)
	}
	out := append([]byte("RIFF"), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(body)))
	return append(out, body...)
}

func TestDecodeAppliesWebPOrientation(t *testing.T) {
	const sw, sh = 5, 3
	set := make([]bool, sw*sh)
	for _, i := range []int{0, 1, 7, 14} { // an asymmetric pattern
		set[i] = true
	}
	plain := webpFile(vp8lChunk(sw, sh, set))
	stored, format, err := imaging.Decode(plain)
	if err != nil || format != "webp" {
		t.Fatalf("Decode of the hand-made WebP: %v, %q", err, format)
	}
	for i, s := range set {
		if g := nrgbaAt(stored, i%sw, i/sw).G; (g == 240) != s || (g != 240 && g != 10) {
			t.Fatalf("hand-made WebP pixel %d has green %d", i, g)
		}
	}
	for o := 1; o <= 8; o++ {
		t.Run(fmt.Sprint(o), func(t *testing.T) {
			data := webpFile(vp8xChunk(sw, sh), vp8lChunk(sw, sh, set), webpExif(tiffBody(binary.BigEndian, 3, 1, uint32(o))))
			img, _, err := imaging.Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			w, h := sw, sh
			if o >= 5 {
				w, h = sh, sw
			}
			if got := img.Bounds().Size(); got != image.Pt(w, h) {
				t.Fatalf("size %v, want %dx%d", got, w, h)
			}
			if cw, ch, _, err := imaging.DecodeConfig(data); err != nil || cw != w || ch != h {
				t.Fatalf("DecodeConfig = %d×%d, %v; want %d×%d", cw, ch, err, w, h)
			}
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					sx, sy := storedCoord(o, x, y, sw, sh)
					if got, want := nrgbaAt(img, x, y), nrgbaAt(stored, sx, sy); got != want {
						t.Fatalf("(%d,%d) = %v, want %v", x, y, got, want)
					}
				}
			}
		})
	}
}

func FuzzOrientation(f *testing.F) {
	jpg := encodeJPEG(f, image.NewGray(image.Rect(0, 0, 8, 8)))
	for o := 1; o <= 8; o++ {
		f.Add(withSegments(jpg, exifAPP1(binary.LittleEndian, o)))
		f.Add(withSegments(jpg, exifAPP1(binary.BigEndian, o))[:40])
	}
	f.Add(webpFile(vp8xChunk(3, 2), vp8lChunk(3, 2, nil), webpExif(tiffBody(binary.LittleEndian, 3, 1, 7))))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := imaging.Orientation(data); o < 1 || o > 8 {
			t.Fatalf("Orientation = %d", o)
		}
	})
}
