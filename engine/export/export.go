// Package export writes a project's annotations in the formats other tools
// read: COCO (RLE or polygon segmentation), YOLO segmentation, LabelMe JSON,
// mask PNGs, Pascal VOC, MOTS and YouTube-VIS. Export is pure: annotation
// documents and media records in, file bytes out. A Dataset adds the
// pictures (read through Pictures, which the caller provides) and can split
// the media into train and val.
package export

import (
	"archive/zip"
	"bytes"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/samwise-app/samwise/engine/api"
)

// Item is one media of a project with its annotation document.
type Item struct {
	Media api.Media
	Doc   *api.AnnotationDoc
}

// Input is what an export reads: the project (for its name and labels) and
// its media in project order.
type Input struct {
	Project api.Project
	Items   []Item
	// Tolerance is how far, in pixels, polygons may stray from the mask's
	// outline (Douglas-Peucker): 0 keeps every pixel corner, so the
	// polygons fill back to the exact mask; nil is PolygonTolerance.
	Tolerance *float64
}

// PolygonTolerance is the Douglas-Peucker tolerance of exported polygons, in
// pixels, unless the export says otherwise.
const PolygonTolerance = 1.0

// MaxTolerance is the largest polygon tolerance an export takes, in pixels.
const MaxTolerance = 20.0

// tolerance is the polygon tolerance of in.
func (in Input) tolerance() float64 {
	if in.Tolerance != nil {
		return *in.Tolerance
	}
	return PolygonTolerance
}

// Polygons reports whether format writes polygons (whose detail
// Input.Tolerance sets).
func Polygons(format string) bool { return specs[format].polygons }

// Formats lists the export formats for which keep is true (Polygons,
// Splits), in api.ExportFormats order.
func Formats(keep func(format string) bool) []string {
	var out []string
	for _, f := range api.ExportFormats {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// File is an export ready to download.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// ErrUnknownFormat is a format that is not one of api.ExportFormats.
var ErrUnknownFormat = errors.New("unknown export format: use " + strings.Join(api.ExportFormats, ", "))

// NothingError is an export that would be empty for a reason the user can
// fix (MOTS of a project without videos).
type NothingError struct{ Msg string }

func (e *NothingError) Error() string { return e.Msg }

// Export writes in in format (one of api.ExportFormats).
func Export(format string, in Input) (*File, error) {
	spec, err := specOf(format)
	if err != nil {
		return nil, err
	}
	a, err := spec.files(in)
	if err != nil {
		return nil, err
	}
	name := fileBase(in.Project.Name) + "-" + spec.suffix
	if spec.json {
		return &File{Name: name + ".json", ContentType: "application/json", Data: a.entries[0].data}, nil
	}
	data, err := a.zip()
	return &File{Name: name + ".zip", ContentType: "application/zip", Data: data}, err
}

var unsafeRE = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// fileBase turns a project name into a safe file name stem.
func fileBase(name string) string {
	s := strings.Trim(unsafeRE.ReplaceAllString(name, "-"), "-.")
	if s == "" {
		return "samwise"
	}
	return s
}

// zipTime is the modification time of every zip entry, so that the same
// annotations always give the same bytes.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// archive is the files of an export, in the order they are added.
type archive struct{ entries []entry }

type entry struct {
	name string
	data []byte
}

func newArchive() *archive { return &archive{} }

func (a *archive) add(name string, data []byte) {
	a.entries = append(a.entries, entry{name, data})
}

// zip returns the archive as a zip file.
func (a *archive) zip() ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if err := a.write(zw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// write adds the archive's files to zw, compressed.
func (a *archive) write(zw *zip.Writer) error {
	for _, e := range a.entries {
		if err := addZip(zw, e.name, e.data, zip.Deflate); err != nil {
			return err
		}
	}
	return nil
}

func addZip(zw *zip.Writer, name string, data []byte, method uint16) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: zipTime})
	if err == nil {
		_, err = w.Write(data)
	}
	return err
}

// zipped returns the archive as a zip file.
func zipped(a *archive, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	return a.zip()
}
