// Package export writes a project's annotations in the formats other tools
// read: COCO (RLE or polygon segmentation), YOLO segmentation, LabelMe JSON,
// mask PNGs, MOTS and YouTube-VIS. The functions are pure: annotation documents and media
// records in, file bytes out.
package export

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
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
	base := fileBase(in.Project.Name)
	switch format {
	case api.ExportCOCO, api.ExportCOCOPolygons:
		data, err := COCO(in, format == api.ExportCOCOPolygons)
		return &File{Name: base + "-" + format + ".json", ContentType: "application/json", Data: data}, err
	case api.ExportYOLO:
		data, err := YOLO(in)
		return &File{Name: base + "-yolo.zip", ContentType: "application/zip", Data: data}, err
	case api.ExportLabelMe:
		data, err := LabelMe(in)
		return &File{Name: base + "-labelme.zip", ContentType: "application/zip", Data: data}, err
	case api.ExportPNG:
		data, err := PNG(in)
		return &File{Name: base + "-masks.zip", ContentType: "application/zip", Data: data}, err
	case api.ExportMOTS:
		data, err := MOTS(in)
		return &File{Name: base + "-mots.zip", ContentType: "application/zip", Data: data}, err
	case api.ExportYTVIS:
		data, err := YTVIS(in)
		return &File{Name: base + "-ytvis.json", ContentType: "application/json", Data: data}, err
	}
	return nil, fmt.Errorf("%w (got %q)", ErrUnknownFormat, format)
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

// archive builds a zip in memory, entries in the order they are added.
type archive struct {
	buf bytes.Buffer
	zw  *zip.Writer
	err error
}

func newArchive() *archive {
	a := &archive{}
	a.zw = zip.NewWriter(&a.buf)
	return a
}

func (a *archive) add(name string, data []byte) {
	if a.err != nil {
		return
	}
	w, err := a.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
	if err == nil {
		_, err = w.Write(data)
	}
	a.err = err
}

func (a *archive) bytes() ([]byte, error) {
	if a.err != nil {
		return nil, a.err
	}
	if err := a.zw.Close(); err != nil {
		return nil, err
	}
	return a.buf.Bytes(), nil
}
