package embcache

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/samwise-app/samwise/engine/ort"
)

// The on-disk format: magic, tensor count, then per tensor: name length,
// name, element type, rank, dims, and little-endian data. A trailing magic
// marks a complete file.
var (
	magic    = [8]byte{'S', 'W', 'E', 'M', 'B', '0', '0', '1'}
	trailer  = [4]byte{'D', 'O', 'N', 'E'}
	errShort = errors.New("embedding file is truncated or corrupt")
)

const maxElements = 1 << 30

// Encode writes tensors (sorted by name) to w.
func Encode(w io.Writer, ts map[string]*ort.Tensor) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	names := make([]string, 0, len(ts))
	for n := range ts {
		names = append(names, n)
	}
	sort.Strings(names)
	bw.Write(magic[:])
	binary.Write(bw, binary.LittleEndian, uint32(len(names)))
	chunk := make([]byte, 64<<10)
	for _, n := range names {
		t := ts[n]
		if t.Type != ort.Float32 {
			return fmt.Errorf("embedding cache stores float32 tensors only; %s is %s", n, t.Type)
		}
		binary.Write(bw, binary.LittleEndian, uint16(len(n)))
		bw.WriteString(n)
		binary.Write(bw, binary.LittleEndian, uint8(t.Type))
		binary.Write(bw, binary.LittleEndian, uint8(len(t.Shape)))
		for _, d := range t.Shape {
			binary.Write(bw, binary.LittleEndian, d)
		}
		for i := 0; i < len(t.F32); i += len(chunk) / 4 {
			part := t.F32[i:min(len(t.F32), i+len(chunk)/4)]
			for j, v := range part {
				binary.LittleEndian.PutUint32(chunk[4*j:], math.Float32bits(v))
			}
			bw.Write(chunk[:4*len(part)])
		}
	}
	bw.Write(trailer[:])
	return bw.Flush()
}

// Decode reads tensors written by Encode.
func Decode(r io.Reader) (map[string]*ort.Tensor, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	var m [8]byte
	if _, err := io.ReadFull(br, m[:]); err != nil || m != magic {
		return nil, errShort
	}
	var count uint32
	if err := binary.Read(br, binary.LittleEndian, &count); err != nil || count > 64 {
		return nil, errShort
	}
	out := make(map[string]*ort.Tensor, count)
	for i := uint32(0); i < count; i++ {
		var nl uint16
		if err := binary.Read(br, binary.LittleEndian, &nl); err != nil {
			return nil, errShort
		}
		name := make([]byte, nl)
		if _, err := io.ReadFull(br, name); err != nil {
			return nil, errShort
		}
		var typ, rank uint8
		if binary.Read(br, binary.LittleEndian, &typ) != nil || binary.Read(br, binary.LittleEndian, &rank) != nil || ort.DType(typ) != ort.Float32 || rank > 8 {
			return nil, errShort
		}
		shape := make([]int64, rank)
		if err := binary.Read(br, binary.LittleEndian, shape); err != nil {
			return nil, errShort
		}
		n := int64(1)
		for _, d := range shape {
			if d < 0 || d > maxElements {
				return nil, errShort
			}
			n *= d
			if n > maxElements {
				return nil, errShort
			}
		}
		raw := make([]byte, 4*n)
		if _, err := io.ReadFull(br, raw); err != nil {
			return nil, errShort
		}
		data := make([]float32, n)
		for j := range data {
			data[j] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j:]))
		}
		out[string(name)] = ort.NewF32(data, shape...)
	}
	var tr [4]byte
	if _, err := io.ReadFull(br, tr[:]); err != nil || tr != trailer {
		return nil, errShort
	}
	return out, nil
}
