package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/store"
	"github.com/samwise-app/samwise/internal/atomicfile"
)

// Thumbnail sizes: the longer side, in pixels, rounded up to a multiple of
// ThumbStep so that a few files serve every request.
const (
	MinThumb  = 16
	MaxThumb  = 512
	ThumbStep = 64
)

// ThumbSize returns the size a thumbnail of n pixels is made at, or an error
// saying what sizes there are.
func ThumbSize(n int) (int, error) {
	if n < MinThumb || n > MaxThumb {
		return 0, fmt.Errorf("size %d: a thumbnail is %d to %d pixels on its longer side", n, MinThumb, MaxThumb)
	}
	return (n + ThumbStep - 1) / ThumbStep * ThumbStep, nil
}

// Thumbnail returns a JPEG of the media's picture (load gives it: the image,
// or a video's first frame) whose longer side is size pixels, or the
// picture's own size when that is smaller. It is made once and kept in the
// library's thumbs folder under the media's content hash, so later calls read
// a small file; a thumbnail being written is never seen half done.
func (l *Library) Thumbnail(m *store.Media, size int, load func() (image.Image, error)) ([]byte, error) {
	path := filepath.Join(l.dir, "thumbs", fmt.Sprintf("%s-%d.jpg", m.SHA256, size))
	if data, err := os.ReadFile(path); err == nil {
		return data, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	img, err := load()
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w >= h && w > size {
		w, h = size, max(1, (h*size+w/2)/w)
	} else if h > w && h > size {
		w, h = max(1, (w*size+h/2)/h), size
	}
	var buf bytes.Buffer
	if err := imaging.EncodeJPEG(&buf, imaging.Resize(img, w, h), 82); err != nil {
		return nil, err
	}
	if err := atomicfile.Write(path, buf.Bytes()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
