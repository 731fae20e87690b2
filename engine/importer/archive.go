package importer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
)

// Limits on a zip of annotation files, against zip bombs.
const (
	maxZipEntries = 200000
	maxEntryBytes = 256 << 20
)

// zipMagic starts every zip file.
var zipMagic = []byte("PK\x03\x04")

// ParseReader reads an import file of size bytes from r, like Parse; a zip
// is read entry by entry, so the pictures of a dataset zip are never in
// memory, only its annotation files.
func ParseReader(r io.ReaderAt, size int64, format string) (*File, error) {
	head := make([]byte, len(zipMagic))
	n, _ := r.ReadAt(head, 0)
	if !bytes.Equal(head[:n], zipMagic) {
		data := make([]byte, size)
		if _, err := r.ReadAt(data, 0); err != nil && err != io.EOF {
			return nil, err
		}
		return Parse(data, format)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, formatErrorf("the zip cannot be read: %v", err)
	}
	if len(zr.File) > maxZipEntries {
		return nil, formatErrorf("the zip has %d entries; at most %d can be imported at once", len(zr.File), maxZipEntries)
	}
	var sniffed readEntries
	if format == "" {
		format = sniffZip(zr, &sniffed)
	}
	switch format {
	case api.ImportCOCO:
		return parseJSONInZip(zr, format, parseCOCO, &sniffed)
	case api.ImportYTVIS:
		return parseJSONInZip(zr, format, parseYTVIS, &sniffed)
	case api.ImportLabelMe:
		return parseLabelMeZip(zr)
	case api.ImportYOLO:
		return parseYOLO(zr)
	case api.ImportVOC:
		return parseVOC(zr)
	case api.ImportMasks:
		return parseMasks(zr)
	}
	return nil, unknownFormat(format)
}

// sniffZip tells a Pascal VOC zip (Annotations/, Segmentation*/), a zip of
// mask PNGs (label_map.json, objects/) and a
// dataset zip with a COCO or YouTube-VIS file (its first .json says) from a
// zip of LabelMe files (.json) and of YOLO labels (.txt). The .json it
// reads stays in read.
func sniffZip(zr *zip.Reader, read *readEntries) string {
	if isVOC(zr) {
		return api.ImportVOC
	}
	if isMaskZip(zr) {
		return api.ImportMasks
	}
	yolo := false
	for _, zf := range zr.File {
		if skippedEntry(zf) {
			continue
		}
		switch strings.ToLower(path.Ext(zf.Name)) {
		case ".json":
			if b, err := read.read(zf); err == nil {
				if f := sniff(b); f == api.ImportCOCO || f == api.ImportYTVIS {
					return f
				}
			}
			return api.ImportLabelMe
		case ".txt":
			yolo = true
		}
	}
	if yolo {
		return api.ImportYOLO
	}
	return api.ImportLabelMe
}

// skippedEntry is a zip entry no importer reads: a folder, macOS's
// metadata, a hidden file.
func skippedEntry(zf *zip.File) bool {
	return zf.FileInfo().IsDir() || strings.HasPrefix(zf.Name, "__MACOSX/") || strings.HasPrefix(path.Base(zf.Name), ".")
}

// readEntry reads one annotation file of a zip.
func readEntry(zf *zip.File) ([]byte, error) {
	if zf.UncompressedSize64 > maxEntryBytes {
		return nil, fmt.Errorf("%d bytes is more than an annotation file in a zip can be (%d)", zf.UncompressedSize64, maxEntryBytes)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("cannot be read from the zip: %v", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxEntryBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot be read from the zip: %v", err)
	}
	if len(b) > maxEntryBytes {
		return nil, fmt.Errorf("more than %d bytes is more than an annotation file in a zip can be", maxEntryBytes)
	}
	return b, nil
}

// readEntries reads zip entries and remembers the last one, so the file
// read to sniff a zip is not read (and decompressed) again to parse it.
type readEntries struct {
	zf *zip.File
	b  []byte
}

func (r *readEntries) read(zf *zip.File) ([]byte, error) {
	if zf == r.zf {
		return r.b, nil
	}
	b, err := readEntry(zf)
	if err == nil {
		r.zf, r.b = zf, b
	}
	return b, err
}

// parseJSONInZip reads the COCO or YouTube-VIS files of a dataset zip
// (Samwise's export with pictures, CVAT's annotations/instances_default.json,
// Roboflow's one file per split), each parsed on its own; the pictures
// beside them are not read.
func parseJSONInZip(zr *zip.Reader, format string, parse func([]byte) (*File, error), read *readEntries) (*File, error) {
	out := &File{Format: format}
	found := false
	for _, zf := range zr.File {
		if skippedEntry(zf) || !strings.EqualFold(path.Ext(zf.Name), ".json") {
			continue
		}
		b, err := read.read(zf)
		if err != nil {
			out.skip(zf.Name, "", "%v", err)
			continue
		}
		if sniff(b) != format {
			continue // a label map, a README, another split's other format
		}
		one, err := parse(b)
		if err != nil {
			out.skip(zf.Name, "", "%v", err)
			continue
		}
		found = true
		out.Pictures = append(out.Pictures, one.Pictures...)
		for _, s := range one.Skipped {
			if s.File == "" {
				s.File = zf.Name
			}
			out.Skipped = append(out.Skipped, s)
		}
	}
	if !found {
		return nil, formatErrorf("the zip has no %s file (a .json with its images or videos, annotations and categories)", format)
	}
	return out, nil
}
