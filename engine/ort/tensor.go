// Package ort is the engine's only door to native code: it loads the ONNX
// Runtime shared library at run time (github.com/yalue/onnxruntime_go), opens
// graphs and runs them on Go-owned tensors. Everything else in the engine sees
// the plain types of this package. Built without cgo, every entry point
// returns ErrNoCgo.
package ort

import (
	"fmt"
	"strings"
)

// DType is a tensor element type.
type DType int

// Element types the engine exchanges with graphs.
const (
	Unknown DType = iota
	Float32
	Int64
	Int32
	Bool
	Float16
)

func (d DType) String() string {
	switch d {
	case Float32:
		return "float32"
	case Int64:
		return "int64"
	case Int32:
		return "int32"
	case Bool:
		return "bool"
	case Float16:
		return "float16"
	}
	return "unknown"
}

// Tensor is a host-memory tensor. Exactly one data slice, matching Type, is set.
type Tensor struct {
	Type  DType
	Shape []int64
	F32   []float32
	I64   []int64
	I32   []int32
	B     []bool
}

// NewF32 wraps float32 data (not copied).
func NewF32(data []float32, shape ...int64) *Tensor {
	return &Tensor{Type: Float32, Shape: shape, F32: data}
}

// NewI64 wraps int64 data (not copied).
func NewI64(data []int64, shape ...int64) *Tensor {
	return &Tensor{Type: Int64, Shape: shape, I64: data}
}

// NewI32 wraps int32 data (not copied).
func NewI32(data []int32, shape ...int64) *Tensor {
	return &Tensor{Type: Int32, Shape: shape, I32: data}
}

// NewBool wraps bool data (not copied).
func NewBool(data []bool, shape ...int64) *Tensor {
	return &Tensor{Type: Bool, Shape: shape, B: data}
}

// Elements is the product of the shape.
func (t *Tensor) Elements() int64 { return Elements(t.Shape) }

// Bytes is the size of the data in bytes.
func (t *Tensor) Bytes() int64 {
	switch t.Type {
	case Float32, Int32:
		return 4 * t.Elements()
	case Int64:
		return 8 * t.Elements()
	case Bool:
		return t.Elements()
	}
	return 0
}

// Validate checks that the data length matches the shape.
func (t *Tensor) Validate() error {
	n := t.Elements()
	var got int
	switch t.Type {
	case Float32:
		got = len(t.F32)
	case Int64:
		got = len(t.I64)
	case Int32:
		got = len(t.I32)
	case Bool:
		got = len(t.B)
	default:
		return fmt.Errorf("tensor type %s is not supported for input", t.Type)
	}
	if int64(got) != n {
		return fmt.Errorf("tensor of shape %v needs %d elements, has %d", t.Shape, n, got)
	}
	return nil
}

// Elements is the product of a shape's dimensions.
func Elements(shape []int64) int64 {
	n := int64(1)
	for _, d := range shape {
		n *= d
	}
	return n
}

// IO describes one graph input or output. Dynamic dimensions are -1.
type IO struct {
	Name  string  `json:"name"`
	Type  DType   `json:"-"`
	Shape []int64 `json:"shape"`
}

// TypeName is the element type's name, for JSON and messages.
func (io IO) TypeName() string { return io.Type.String() }

func (io IO) String() string {
	dims := make([]string, len(io.Shape))
	for i, d := range io.Shape {
		if d < 0 {
			dims[i] = "?"
		} else {
			dims[i] = fmt.Sprint(d)
		}
	}
	return fmt.Sprintf("%s %s[%s]", io.Name, io.Type, strings.Join(dims, ","))
}
