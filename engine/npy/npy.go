// Package npy reads and writes NumPy .npy arrays and .npz archives (zips of
// .npy files) — the format of the sam3-video bundle's constants file. Only
// little-endian float32, float64, int32, int64 and bool arrays in C order
// are supported.
package npy

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Array is a decoded array. Data holds float64 values of every supported
// dtype (exact for float32, int32, bool and int64 up to 2^53).
type Array struct {
	DType string // "<f4", "<f8", "<i4", "<i8", "|b1"
	Shape []int
	Data  []float64
}

// Float32 returns the data as float32.
func (a *Array) Float32() []float32 {
	out := make([]float32, len(a.Data))
	for i, v := range a.Data {
		out[i] = float32(v)
	}
	return out
}

// Scalar returns the single value of a 0-d or 1-element array.
func (a *Array) Scalar() (float64, error) {
	if len(a.Data) != 1 {
		return 0, fmt.Errorf("array of shape %v is not a scalar", a.Shape)
	}
	return a.Data[0], nil
}

var (
	magic    = []byte("\x93NUMPY")
	descrRE  = regexp.MustCompile(`'descr':\s*'([<>|=][a-z][0-9]+)'`)
	fortRE   = regexp.MustCompile(`'fortran_order':\s*(True|False)`)
	shapeRE  = regexp.MustCompile(`'shape':\s*\(([^)]*)\)`)
	errShort = errors.New("npy: truncated or malformed array")
)

const maxElements = 1 << 28

// Read decodes one .npy array.
func Read(r io.Reader) (*Array, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil || !bytes.Equal(pre[:6], magic) {
		return nil, errors.New("npy: not a .npy array")
	}
	var hlen int
	switch pre[6] {
	case 1:
		var n uint16
		if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
			return nil, errShort
		}
		hlen = int(n)
	case 2, 3:
		var n uint32
		if err := binary.Read(r, binary.LittleEndian, &n); err != nil || n > 1<<20 {
			return nil, errShort
		}
		hlen = int(n)
	default:
		return nil, fmt.Errorf("npy: version %d is not supported", pre[6])
	}
	header := make([]byte, hlen)
	if _, err := io.ReadFull(r, header); err != nil {
		return nil, errShort
	}
	h := string(header)
	d, f, sh := descrRE.FindStringSubmatch(h), fortRE.FindStringSubmatch(h), shapeRE.FindStringSubmatch(h)
	if d == nil || f == nil || sh == nil {
		return nil, fmt.Errorf("npy: unreadable header %q", h)
	}
	if f[1] == "True" {
		return nil, errors.New("npy: Fortran-order arrays are not supported")
	}
	a := &Array{DType: d[1]}
	n := 1
	for _, part := range strings.Split(sh[1], ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		v, err := strconv.Atoi(part)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("npy: bad shape %q", sh[1])
		}
		a.Shape = append(a.Shape, v)
		n *= v
		if n > maxElements {
			return nil, errors.New("npy: array too large")
		}
	}
	size := map[string]int{"<f4": 4, "<f8": 8, "<i4": 4, "<i8": 8, "|b1": 1}[a.DType]
	if size == 0 {
		return nil, fmt.Errorf("npy: dtype %s is not supported (use little-endian float32/64, int32/64 or bool)", a.DType)
	}
	raw := make([]byte, n*size)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, errShort
	}
	a.Data = make([]float64, n)
	for i := range a.Data {
		b := raw[i*size:]
		switch a.DType {
		case "<f4":
			a.Data[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))
		case "<f8":
			a.Data[i] = math.Float64frombits(binary.LittleEndian.Uint64(b))
		case "<i4":
			a.Data[i] = float64(int32(binary.LittleEndian.Uint32(b)))
		case "<i8":
			a.Data[i] = float64(int64(binary.LittleEndian.Uint64(b)))
		case "|b1":
			a.Data[i] = float64(b[0])
		}
	}
	return a, nil
}

// Write encodes a as a version 1 .npy array.
func Write(w io.Writer, a *Array) error {
	shape := make([]string, len(a.Shape))
	for i, v := range a.Shape {
		shape[i] = strconv.Itoa(v)
	}
	sh := strings.Join(shape, ", ")
	if len(shape) == 1 {
		sh += ","
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", a.DType, sh)
	pad := 64 - (10+len(header)+1)%64
	header += strings.Repeat(" ", pad%64) + "\n"
	var buf bytes.Buffer
	buf.Write(magic)
	buf.Write([]byte{1, 0})
	binary.Write(&buf, binary.LittleEndian, uint16(len(header)))
	buf.WriteString(header)
	for _, v := range a.Data {
		switch a.DType {
		case "<f4":
			binary.Write(&buf, binary.LittleEndian, float32(v))
		case "<f8":
			binary.Write(&buf, binary.LittleEndian, v)
		case "<i4":
			binary.Write(&buf, binary.LittleEndian, int32(v))
		case "<i8":
			binary.Write(&buf, binary.LittleEndian, int64(v))
		case "|b1":
			buf.WriteByte(byte(v))
		default:
			return fmt.Errorf("npy: dtype %s is not supported", a.DType)
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// ReadNPZ decodes every array of an .npz archive, by name without ".npy".
func ReadNPZ(data []byte) (map[string]*Array, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("npz: %w", err)
	}
	out := map[string]*Array{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("npz %s: %w", f.Name, err)
		}
		a, err := Read(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("npz %s: %w", f.Name, err)
		}
		out[strings.TrimSuffix(f.Name, ".npy")] = a
	}
	return out, nil
}

// WriteNPZ writes arrays as an .npz archive with deterministic bytes (names
// sorted, fixed timestamps).
func WriteNPZ(w io.Writer, arrays map[string]*Array) error {
	zw := zip.NewWriter(w)
	names := make([]string, 0, len(arrays))
	for n := range arrays {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: n + ".npy", Method: zip.Store})
		if err != nil {
			return err
		}
		if err := Write(fw, arrays[n]); err != nil {
			return err
		}
	}
	return zw.Close()
}
