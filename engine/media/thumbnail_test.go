package media_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/media"
	"github.com/samwise-app/samwise/engine/store"
)

func picture(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	return img
}

// Thumbnails keep the aspect (portrait too), never enlarge a small picture,
// and the second call reads the cache instead of loading the picture.
func TestThumbnail(t *testing.T) {
	lib := media.New(t.TempDir(), nil)
	for i, c := range []struct {
		w, h, size, tw, th int
	}{{400, 300, 128, 128, 96}, {300, 400, 128, 96, 128}, {40, 30, 128, 40, 30}, {1000, 1, 64, 64, 1}} {
		m := &store.Media{Media: api.Media{SHA256: fmt.Sprint("picture", i), Width: c.w, Height: c.h}}
		loads := 0
		load := func() (image.Image, error) { loads++; return picture(c.w, c.h), nil }
		first, err := lib.Thumbnail(m, c.size, load)
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(first))
		if err != nil || img.Bounds().Dx() != c.tw || img.Bounds().Dy() != c.th {
			t.Fatalf("%d×%d at %d: %v %v, want %d×%d", c.w, c.h, c.size, img.Bounds(), err, c.tw, c.th)
		}
		again, err := lib.Thumbnail(m, c.size, load)
		if err != nil || !bytes.Equal(again, first) || loads != 1 {
			t.Errorf("%d×%d: second call %v, loads %d; want the cached bytes and one load", c.w, c.h, err, loads)
		}
	}
}

func TestThumbSize(t *testing.T) {
	for n, want := range map[int]int{16: 64, 64: 64, 65: 128, 128: 128, 500: 512, 512: 512} {
		if got, err := media.ThumbSize(n); err != nil || got != want {
			t.Errorf("ThumbSize(%d) = %d, %v; want %d", n, got, err, want)
		}
	}
	for _, n := range []int{0, 15, 513, -1} {
		if _, err := media.ThumbSize(n); err == nil {
			t.Errorf("ThumbSize(%d) accepted", n)
		}
	}
}

// BenchmarkThumbnail compares making a 128 px thumbnail of a 12-megapixel
// picture (already decoded) with reading it back from the cache.
func BenchmarkThumbnail(b *testing.B) {
	pic := picture(4000, 3000)
	load := func() (image.Image, error) { return pic, nil }
	b.Run("made", func(b *testing.B) {
		lib := media.New(b.TempDir(), nil)
		for i := 0; b.Loop(); i++ {
			m := &store.Media{Media: api.Media{SHA256: fmt.Sprint("picture", i)}}
			if _, err := lib.Thumbnail(m, 128, load); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		lib := media.New(b.TempDir(), nil)
		m := &store.Media{Media: api.Media{SHA256: "cached"}}
		lib.Thumbnail(m, 128, load)
		for b.Loop() {
			if _, err := lib.Thumbnail(m, 128, load); err != nil {
				b.Fatal(err)
			}
		}
	})
}
