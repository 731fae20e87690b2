// Package media keeps the images and videos the engine works on: uploads are
// stored content-addressed in the data directory, local files (desktop) are
// registered by path, and both get a record in the store.
package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/store"
)

// IDLength is the number of hex characters of a media id.
const IDLength = 24

var idRE = regexp.MustCompile(`^[0-9a-f]{24}$`)

// Errors callers map to HTTP statuses.
var (
	ErrBadID       = errors.New("media_id must be the 24 hex characters returned by POST /v1/media")
	ErrNotFound    = errors.New("no media with this id: upload it with POST /v1/media first")
	ErrEmpty       = errors.New("the file is empty (0 bytes)")
	ErrUnsupported = errors.New("unsupported media")
	ErrChanged     = errors.New("the file changed on disk since it was opened: open it again")
	// ErrBadPath is a local path that cannot be registered (relative, a
	// folder, unreadable).
	ErrBadPath = errors.New("cannot open this path")
	// ErrNoFile is a local path that does not exist.
	ErrNoFile = errors.New("no such file")
)

// Library stores media files and records.
type Library struct {
	dir string
	db  *store.DB
	// ProbeVideo inspects a file that is not an image (set by the video
	// package; nil means videos are not accepted).
	ProbeVideo func(ctx context.Context, path string) (Info, error)
}

// Info is what probing a file finds.
type Info struct {
	Kind          string
	Format        string
	Width, Height int
	Frames        int
	FPS           float64
}

// New makes a library storing uploads under dir.
func New(dir string, db *store.DB) *Library { return &Library{dir: dir, db: db} }

// ValidID reports whether id looks like a media id.
func ValidID(id string) bool { return idRE.MatchString(id) }

// Get returns a media record.
func (l *Library) Get(id string) (*store.Media, error) {
	if !ValidID(id) {
		return nil, ErrBadID
	}
	m, err := l.db.GetMedia(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	return m, err
}

// Upload stores the bytes of r (at most limit bytes) and records them. The
// same content uploaded twice gets the same id.
func (l *Library) Upload(ctx context.Context, name string, r io.Reader, limit int64) (*store.Media, error) {
	if err := os.MkdirAll(l.dir, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(l.dir, ".upload-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, limit+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("reading upload: %w", err)
	}
	if n > limit {
		return nil, &TooLargeError{Limit: limit}
	}
	if n == 0 {
		return nil, ErrEmpty
	}
	sum := hex.EncodeToString(h.Sum(nil))
	id := sum[:IDLength]
	if m, err := l.db.GetMedia(id); err == nil && !m.Local {
		if _, err := os.Stat(m.Path); err == nil {
			return m, nil
		}
	}
	info, err := l.probe(ctx, tmp.Name())
	if err != nil {
		return nil, err
	}
	final := filepath.Join(l.dir, sum+"."+info.Format)
	if err := os.Rename(tmp.Name(), final); err != nil {
		return nil, err
	}
	m := &store.Media{Media: record(id, sum, cleanName(name), n, info), Path: final}
	return m, l.db.PutMedia(m)
}

// Register records a local file — or a folder of JPEG/PNG frames, which is
// a video — by path, without copying it (desktop app).
func (l *Library) Register(ctx context.Context, path string) (*store.Media, error) {
	if !filepath.IsAbs(path) {
		return nil, fmt.Errorf("%w: %q must be an absolute path", ErrBadPath, path)
	}
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNoFile, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadPath, err)
	}
	var sum string
	var size int64
	if st.IsDir() {
		sum, size, err = hashFolder(path)
	} else {
		sum, size, err = hashFile(path)
	}
	if err != nil {
		return nil, err
	}
	info, err := l.probe(ctx, path)
	if err != nil {
		return nil, err
	}
	m := &store.Media{Media: record(sum[:IDLength], sum, filepath.Base(path), size, info), Path: path, Local: true, ModTime: st.ModTime().UnixNano()}
	return m, l.db.PutMedia(m)
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("%w: %v", ErrBadPath, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("%w: reading %s: %v", ErrBadPath, path, err)
	}
	if n == 0 {
		return "", 0, ErrEmpty
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// hashFolder hashes a frames folder: every file's name and content, in
// name order.
func hashFolder(dir string) (string, int64, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", 0, fmt.Errorf("%w: %v", ErrBadPath, err)
	}
	h := sha256.New()
	var total int64
	for _, e := range ents {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		sum, n, err := hashFile(filepath.Join(dir, e.Name()))
		if err != nil && !errors.Is(err, ErrEmpty) {
			return "", 0, err
		}
		fmt.Fprintf(h, "%s\x00%s\n", e.Name(), sum)
		total += n
	}
	if total == 0 {
		return "", 0, fmt.Errorf("%w: the folder %s holds no files", ErrEmpty, dir)
	}
	return hex.EncodeToString(h.Sum(nil)), total, nil
}

// ReadAll returns the bytes of a media file, checking that a registered
// local file has not changed.
func (l *Library) ReadAll(m *store.Media) ([]byte, error) {
	if m.Local && m.Kind == api.KindImage {
		if err := l.Check(m); err != nil {
			return nil, err
		}
	}
	return os.ReadFile(m.Path)
}

// Check says why a media file cannot be read as it was recorded: gone
// (ErrNoFile), or a registered local file (an image or a video file; a
// folder of frames is not compared) changed since (ErrChanged).
func (l *Library) Check(m *store.Media) error {
	st, err := os.Stat(m.Path)
	if err != nil {
		return fmt.Errorf("%w: %s (%s) is no longer readable: %v", ErrNoFile, m.Name, m.Path, err)
	}
	if m.Local && !st.IsDir() && (st.ModTime().UnixNano() != m.ModTime || st.Size() != m.Size) {
		return fmt.Errorf("%s: %w", m.Path, ErrChanged)
	}
	return nil
}

// Image decodes an image record (EXIF orientation applied).
func (l *Library) Image(m *store.Media) (image.Image, error) {
	if m.Kind != api.KindImage {
		return nil, fmt.Errorf("media %s is a %s, not an image", m.MediaID, m.Kind)
	}
	data, err := l.ReadAll(m)
	if err != nil {
		return nil, err
	}
	img, _, err := imaging.Decode(data)
	return img, err
}

func (l *Library) probe(ctx context.Context, path string) (Info, error) {
	var head []byte
	if f, err := os.Open(path); err == nil {
		head = make([]byte, 64<<10)
		n, _ := io.ReadFull(f, head)
		head = head[:n]
		f.Close()
	}
	if isImage(head) {
		data, err := os.ReadFile(path)
		if err != nil {
			return Info{}, err
		}
		w, h, format, err := imaging.DecodeConfig(data)
		if err != nil {
			return Info{}, fmt.Errorf("%w: the image cannot be decoded (%v)", ErrUnsupported, err)
		}
		if _, _, err := imaging.Decode(data); err != nil {
			return Info{}, fmt.Errorf("%w: the image is corrupt (%v)", ErrUnsupported, err)
		}
		return Info{Kind: api.KindImage, Format: format, Width: w, Height: h, Frames: 1}, nil
	}
	if l.ProbeVideo == nil {
		return Info{}, fmt.Errorf("%w: not a JPEG, PNG, WebP, GIF or BMP image", ErrUnsupported)
	}
	info, err := l.ProbeVideo(ctx, path)
	if err != nil {
		return Info{}, fmt.Errorf("%w: neither an image (JPEG, PNG, WebP, GIF, BMP) nor a readable video (%v)", ErrUnsupported, err)
	}
	return info, nil
}

// isImage sniffs the magic numbers of the image formats the engine decodes.
func isImage(b []byte) bool {
	s := string(b)
	return strings.HasPrefix(s, "\xff\xd8\xff") || strings.HasPrefix(s, "\x89PNG\r\n\x1a\n") ||
		(len(s) >= 12 && s[:4] == "RIFF" && s[8:12] == "WEBP") ||
		strings.HasPrefix(s, "GIF87a") || strings.HasPrefix(s, "GIF89a") || strings.HasPrefix(s, "BM")
}

func record(id, sum, name string, size int64, info Info) api.Media {
	return api.Media{MediaID: id, Kind: info.Kind, Name: name, Format: info.Format, Width: info.Width, Height: info.Height,
		Frames: info.Frames, FPS: info.FPS, Size: size, SHA256: sum, CreatedAt: time.Now().UTC()}
}

func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" {
		return ""
	}
	if len(name) > 255 {
		name = name[:255]
	}
	return name
}

// TooLargeError reports an upload over the size limit.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the upload is larger than the limit of %d MiB (setting max_body_mb)", e.Limit>>20)
}
