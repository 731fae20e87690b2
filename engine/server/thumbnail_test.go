package server_test

import (
	"bytes"
	"image/jpeg"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/synth"
)

// A thumbnail keeps the picture's aspect at the asked size (rounded up to a
// step), is made once (a file in the cache), and bad sizes are refused.
func TestMediaThumbnail(t *testing.T) {
	dir := t.TempDir()
	e := enginetest.Start(t, enginetest.WithDataDir(dir))
	m := e.Upload(t, synth.StandardScene(640, 480, 3).PNG())
	for _, c := range []struct {
		query string
		w, h  int
	}{{"", 128, 96}, {"?size=100", 128, 96}, {"?size=192", 192, 144}, {"?size=512", 512, 384}} {
		body := must(t, e, 200, "GET", "/v1/media/"+m.MediaID+"/thumbnail"+c.query, nil, nil)
		img, err := jpeg.Decode(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: not a JPEG: %v", c.query, err)
		}
		if b := img.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
			t.Errorf("%s: %v, want %d×%d", c.query, b, c.w, c.h)
		}
	}
	cached, _ := filepath.Glob(filepath.Join(dir, "*", "thumbs", "*.jpg"))
	if len(cached) != 3 {
		t.Errorf("cached thumbnails %v; want one per size (128, 192, 512)", cached)
	}
	again := must(t, e, 200, "GET", "/v1/media/"+m.MediaID+"/thumbnail?size=128", nil, nil)
	first := must(t, e, 200, "GET", "/v1/media/"+m.MediaID+"/thumbnail", nil, nil)
	if !bytes.Equal(again, first) {
		t.Error("the cached thumbnail differs from the first one")
	}
	for q, want := range map[string]string{"?size=big": "not an integer", "?size=8": "16 to 512", "?size=4096": "16 to 512"} {
		if status, body := call(t, e, "GET", "/v1/media/"+m.MediaID+"/thumbnail"+q, nil, nil); status != 400 || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d %s", q, status, body)
		}
	}
	if status, _ := call(t, e, "GET", "/v1/media/aaaaaaaaaaaaaaaaaaaaaaaa/thumbnail", nil, nil); status != 404 {
		t.Errorf("unknown media: %d, want 404", status)
	}
}
