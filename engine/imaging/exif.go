package imaging

import "encoding/binary"

// exifOrientationTag is the TIFF tag that holds the EXIF orientation.
const exifOrientationTag = 0x0112

// Orientation returns the EXIF orientation (1–8) of an encoded image, read
// from a JPEG's APP1 "Exif" segment or from a WebP's "EXIF" chunk. It returns
// 1 (upright, nothing to do) when the data is another format, has no EXIF,
// has no orientation tag in IFD0, or holds a value outside 1–8.
//
// The parser is deliberately small and strict: it reads only IFD0, never
// follows the next-IFD link (so malformed offsets cannot make it loop), checks
// every offset against the data it has, and never panics on any input.
//
// The values mean, as in the EXIF specification, how the stored pixels must be
// transformed to appear upright: 1 as stored, 2 mirrored left-right, 3 rotated
// 180°, 4 mirrored top-bottom, 5 transposed (mirrored along the main
// diagonal), 6 rotated 90° clockwise, 7 transversed (mirrored along the
// anti-diagonal), 8 rotated 90° counter-clockwise. [Orient] applies them.
func Orientation(data []byte) int {
	switch {
	case isJPEG(data):
		return jpegOrientation(data)
	case isWebP(data):
		return webpOrientation(data)
	}
	return 1
}

// isJPEG reports whether data starts with a JPEG SOI marker.
func isJPEG(data []byte) bool {
	return len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF
}

// isWebP reports whether data starts with a RIFF/WEBP header.
func isWebP(data []byte) bool {
	return len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP"
}

// jpegOrientation walks the JPEG marker segments up to the start of scan and
// reads the orientation from the first APP1 segment that carries Exif data.
func jpegOrientation(data []byte) int {
	pos := 2 // after SOI
	for pos+4 <= len(data) {
		if data[pos] != 0xFF {
			return 1 // not at a marker: corrupt or unusual layout
		}
		m := data[pos+1]
		if m == 0xFF { // fill byte before a marker
			pos++
			continue
		}
		pos += 2
		switch {
		case m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7):
			continue // markers without a length field
		case m == 0xD9 || m == 0xDA:
			return 1 // end of image or start of scan: no Exif before the pixels
		}
		n := int(data[pos])<<8 | int(data[pos+1]) // includes the two length bytes
		if n < 2 || n > len(data)-pos {
			return 1
		}
		seg := data[pos+2 : pos+n]
		if m == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		pos += n
	}
	return 1
}

// webpOrientation scans the RIFF chunks of a WebP file for an "EXIF" chunk.
func webpOrientation(data []byte) int {
	end := len(data)
	if riff := int64(binary.LittleEndian.Uint32(data[4:8])) + 8; riff < int64(end) {
		end = int(riff)
	}
	pos := 12
	for pos+8 <= end {
		fourcc := string(data[pos : pos+4])
		n := int64(binary.LittleEndian.Uint32(data[pos+4 : pos+8]))
		pos += 8
		if n > int64(end-pos) {
			return 1
		}
		if fourcc == "EXIF" {
			payload := data[pos : pos+int(n)]
			// Some writers keep the JPEG-style prefix; the spec says the
			// chunk starts directly with the TIFF header.
			if len(payload) >= 6 && string(payload[:6]) == "Exif\x00\x00" {
				payload = payload[6:]
			}
			return tiffOrientation(payload)
		}
		pos += int(n) + int(n&1) // chunks are padded to even sizes
	}
	return 1
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF structure (the body of
// an Exif segment). Any inconsistency yields 1.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1
	}
	size := uint64(len(t))
	off := uint64(bo.Uint32(t[4:8]))
	if off < 8 || off+2 > size {
		return 1
	}
	count := uint64(bo.Uint16(t[off:]))
	p := off + 2
	for i := uint64(0); i < count; i++ {
		if p+12 > size {
			return 1
		}
		e := t[p : p+12]
		p += 12
		if bo.Uint16(e[0:2]) != exifOrientationTag {
			continue
		}
		var v uint32
		switch typ, n := bo.Uint16(e[2:4]), bo.Uint32(e[4:8]); {
		case typ == 3 && n >= 1 && n <= 2: // SHORT, stored inline
			v = uint32(bo.Uint16(e[8:10]))
		case typ == 4 && n == 1: // LONG, written by a few encoders
			v = bo.Uint32(e[8:12])
		default:
			return 1
		}
		if v < 1 || v > 8 {
			return 1
		}
		return int(v)
	}
	return 1
}
