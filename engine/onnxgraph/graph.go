// Package onnxgraph builds small ONNX models in Go. It writes the demo model
// bundles (graphs with exactly the SAM 3 export interfaces and classical
// arithmetic) and test fixtures; the engine itself only loads ONNX files.
package onnxgraph

import (
	"fmt"
	"math"

	"github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"
)

// Element types, as numbered by onnx.TensorProto.DataType.
const (
	Float = int32(onnx.TensorProto_FLOAT)
	Int32 = int32(onnx.TensorProto_INT32)
	Int64 = int32(onnx.TensorProto_INT64)
	Bool  = int32(onnx.TensorProto_BOOL)
)

// Opset is the ONNX operator set the builder targets.
const Opset = 17

// Dim is one dimension of a graph input or output: a fixed size, or a
// symbolic name (for example "batch") when Size is negative.
type Dim struct {
	Size  int64
	Param string
}

// D returns a fixed dimension.
func D(n int64) Dim { return Dim{Size: n} }

// Sym returns a named dynamic dimension.
func Sym(name string) Dim { return Dim{Size: -1, Param: name} }

// Graph accumulates nodes, constants, inputs and outputs.
type Graph struct {
	name    string
	nodes   []*onnx.NodeProto
	inits   []*onnx.TensorProto
	inputs  []*onnx.ValueInfoProto
	outputs []*onnx.ValueInfoProto
	next    *int // shared with subgraphs, so every name is unique
}

// New starts an empty graph.
func New(name string) *Graph { return &Graph{name: name, next: new(int)} }

// Input declares a graph input and returns its name.
func (g *Graph) Input(name string, elem int32, dims ...Dim) string {
	g.inputs = append(g.inputs, valueInfo(name, elem, dims))
	return name
}

// Output declares value (produced by a node) as the graph output named name.
func (g *Graph) Output(value, name string, elem int32, dims ...Dim) {
	if value != name {
		g.nodes = append(g.nodes, &onnx.NodeProto{OpType: "Identity", Input: []string{value}, Output: []string{name}, Name: "out_" + name})
	}
	g.outputs = append(g.outputs, valueInfo(name, elem, dims))
}

func valueInfo(name string, elem int32, dims []Dim) *onnx.ValueInfoProto {
	shape := &onnx.TensorShapeProto{}
	for _, d := range dims {
		dim := &onnx.TensorShapeProto_Dimension{}
		if d.Size >= 0 {
			dim.Value = &onnx.TensorShapeProto_Dimension_DimValue{DimValue: d.Size}
		} else {
			dim.Value = &onnx.TensorShapeProto_Dimension_DimParam{DimParam: d.Param}
		}
		shape.Dim = append(shape.Dim, dim)
	}
	return &onnx.ValueInfoProto{Name: name, Type: &onnx.TypeProto{Value: &onnx.TypeProto_TensorType{
		TensorType: &onnx.TypeProto_Tensor{ElemType: elem, Shape: shape}}}}
}

func (g *Graph) fresh(op string) string {
	*g.next++
	return fmt.Sprintf("%s_%d", op, *g.next)
}

// If adds an If node: cond is a one-element bool tensor; each branch builds
// a subgraph (which may use the outer graph's values) and returns its
// outputs, of the element types given, in the same order.
func (g *Graph) If(cond string, types []int32, then, els func(sub *Graph) []string) []string {
	branch := func(name string, build func(*Graph) []string) *onnx.GraphProto {
		sub := &Graph{name: g.fresh(name), next: g.next}
		outs := build(sub)
		for i, o := range outs {
			id := sub.Op("Identity", []string{o})
			sub.outputs = append(sub.outputs, &onnx.ValueInfoProto{Name: id, Type: &onnx.TypeProto{Value: &onnx.TypeProto_TensorType{
				TensorType: &onnx.TypeProto_Tensor{ElemType: types[i]}}}})
		}
		return &onnx.GraphProto{Name: sub.name, Node: sub.nodes, Initializer: sub.inits, Output: sub.outputs}
	}
	name := g.fresh("If")
	outs := make([]string, len(types))
	for i := range outs {
		outs[i] = fmt.Sprintf("%s_o%d", name, i)
	}
	g.nodes = append(g.nodes, &onnx.NodeProto{OpType: "If", Name: name, Input: []string{cond}, Output: outs, Attribute: []*onnx.AttributeProto{
		{Name: "then_branch", Type: onnx.AttributeProto_GRAPH, G: branch("then", then)},
		{Name: "else_branch", Type: onnx.AttributeProto_GRAPH, G: branch("else", els)},
	}})
	return outs
}

// Attr is a node attribute.
type Attr struct {
	Name string
	v    any
}

// A makes an attribute. Values: int, int64, float32, float64, string, []int64,
// []float32.
func A(name string, v any) Attr { return Attr{Name: name, v: v} }

func (a Attr) proto() *onnx.AttributeProto {
	p := &onnx.AttributeProto{Name: a.Name}
	switch v := a.v.(type) {
	case int:
		p.Type, p.I = onnx.AttributeProto_INT, int64(v)
	case int64:
		p.Type, p.I = onnx.AttributeProto_INT, v
	case float32:
		p.Type, p.F = onnx.AttributeProto_FLOAT, v
	case float64:
		p.Type, p.F = onnx.AttributeProto_FLOAT, float32(v)
	case string:
		p.Type, p.S = onnx.AttributeProto_STRING, []byte(v)
	case []int64:
		p.Type, p.Ints = onnx.AttributeProto_INTS, v
	case []float32:
		p.Type, p.Floats = onnx.AttributeProto_FLOATS, v
	default:
		panic(fmt.Sprintf("onnxgraph: unsupported attribute type %T", v))
	}
	return p
}

// Op adds a node with one output and returns the output's name.
func (g *Graph) Op(op string, inputs []string, attrs ...Attr) string {
	return g.OpN(op, inputs, 1, attrs...)[0]
}

// OpN adds a node with n outputs.
func (g *Graph) OpN(op string, inputs []string, n int, attrs ...Attr) []string {
	name := g.fresh(op)
	outs := make([]string, n)
	for i := range outs {
		outs[i] = fmt.Sprintf("%s_o%d", name, i)
	}
	node := &onnx.NodeProto{OpType: op, Name: name, Input: inputs, Output: outs}
	for _, a := range attrs {
		node.Attribute = append(node.Attribute, a.proto())
	}
	g.nodes = append(g.nodes, node)
	return outs
}

// Floats adds a float32 constant with the given shape.
func (g *Graph) Floats(dims []int64, v ...float32) string {
	name := g.fresh("const_f")
	g.inits = append(g.inits, &onnx.TensorProto{Name: name, Dims: dims, DataType: Float, FloatData: v})
	return name
}

// Scalar adds a float32 scalar constant.
func (g *Graph) Scalar(v float32) string { return g.Floats(nil, v) }

// Ints adds an int64 1-D constant.
func (g *Graph) Ints(v ...int64) string {
	name := g.fresh("const_i")
	g.inits = append(g.inits, &onnx.TensorProto{Name: name, Dims: []int64{int64(len(v))}, DataType: Int64, Int64Data: v})
	return name
}

// Int adds an int64 scalar constant.
func (g *Graph) Int(v int64) string {
	name := g.fresh("const_i")
	g.inits = append(g.inits, &onnx.TensorProto{Name: name, DataType: Int64, Int64Data: []int64{v}})
	return name
}

// Model serialises the graph as a model with deterministic bytes.
func (g *Graph) Model(doc string) ([]byte, error) {
	m := &onnx.ModelProto{
		IrVersion:    8,
		ProducerName: "samwise-onnxgraph",
		DocString:    doc,
		OpsetImport:  []*onnx.OperatorSetIdProto{{Domain: "", Version: Opset}},
		Graph: &onnx.GraphProto{
			Name: g.name, Node: g.nodes, Initializer: g.inits, Input: g.inputs, Output: g.outputs,
		},
	}
	return proto.MarshalOptions{Deterministic: true}.Marshal(m)
}

// Convenience wrappers for the operators the demo graphs use.

func (g *Graph) Add(a, b string) string { return g.Op("Add", []string{a, b}) }
func (g *Graph) Sub(a, b string) string { return g.Op("Sub", []string{a, b}) }
func (g *Graph) Mul(a, b string) string { return g.Op("Mul", []string{a, b}) }
func (g *Graph) Div(a, b string) string { return g.Op("Div", []string{a, b}) }
func (g *Graph) Min(a ...string) string { return g.Op("Min", a) }
func (g *Graph) Max(a ...string) string { return g.Op("Max", a) }
func (g *Graph) Exp(a string) string    { return g.Op("Exp", []string{a}) }
func (g *Graph) Neg(a string) string    { return g.Op("Neg", []string{a}) }
func (g *Graph) Sqrt(a string) string   { return g.Op("Sqrt", []string{a}) }
func (g *Graph) Abs(a string) string    { return g.Op("Abs", []string{a}) }

// MatMul multiplies (batched) matrices.
func (g *Graph) MatMul(a, b string) string { return g.Op("MatMul", []string{a, b}) }

// Where selects a where cond is true, else b.
func (g *Graph) Where(cond, a, b string) string { return g.Op("Where", []string{cond, a, b}) }

// Compare ops return bool tensors.
func (g *Graph) Greater(a, b string) string { return g.Op("Greater", []string{a, b}) }
func (g *Graph) Less(a, b string) string    { return g.Op("Less", []string{a, b}) }
func (g *Graph) Equal(a, b string) string   { return g.Op("Equal", []string{a, b}) }
func (g *Graph) And(a, b string) string     { return g.Op("And", []string{a, b}) }
func (g *Graph) Not(a string) string        { return g.Op("Not", []string{a}) }
func (g *Graph) Or(a, b string) string      { return g.Op("Or", []string{a, b}) }

// Cast converts to element type to.
func (g *Graph) Cast(a string, to int32) string { return g.Op("Cast", []string{a}, A("to", int64(to))) }

// Reshape to a constant shape (0 keeps, -1 infers).
func (g *Graph) Reshape(a string, shape ...int64) string {
	return g.Op("Reshape", []string{a, g.Ints(shape...)})
}

// ReshapeTo reshapes to a shape tensor computed in the graph.
func (g *Graph) ReshapeTo(a, shape string) string { return g.Op("Reshape", []string{a, shape}) }

// Transpose permutes axes.
func (g *Graph) Transpose(a string, perm ...int64) string {
	return g.Op("Transpose", []string{a}, A("perm", perm))
}

// Unsqueeze inserts axes.
func (g *Graph) Unsqueeze(a string, axes ...int64) string {
	return g.Op("Unsqueeze", []string{a, g.Ints(axes...)})
}

// Squeeze removes axes.
func (g *Graph) Squeeze(a string, axes ...int64) string {
	return g.Op("Squeeze", []string{a, g.Ints(axes...)})
}

// Concat joins along axis.
func (g *Graph) Concat(axis int64, a ...string) string { return g.Op("Concat", a, A("axis", axis)) }

// Slice takes [start, end) along axis (end may be math.MaxInt64).
func (g *Graph) Slice(a string, axis, start, end int64) string {
	return g.Op("Slice", []string{a, g.Ints(start), g.Ints(end), g.Ints(axis)})
}

// SliceTail takes [start, ∞) along axis.
func (g *Graph) SliceTail(a string, axis, start int64) string {
	return g.Slice(a, axis, start, math.MaxInt64)
}

// ReduceSum sums over axes (opset 13+: axes as an input).
func (g *Graph) ReduceSum(a string, keep bool, axes ...int64) string {
	return g.Op("ReduceSum", []string{a, g.Ints(axes...)}, A("keepdims", b2i(keep)))
}

// ReduceMax takes the maximum over axes (opset < 18: axes as an attribute).
func (g *Graph) ReduceMax(a string, keep bool, axes ...int64) string {
	return g.Op("ReduceMax", []string{a}, A("axes", axes), A("keepdims", b2i(keep)))
}

// ReduceMean averages over axes (opset < 18: axes as an attribute).
func (g *Graph) ReduceMean(a string, keep bool, axes ...int64) string {
	return g.Op("ReduceMean", []string{a}, A("axes", axes), A("keepdims", b2i(keep)))
}

// AvgPool is a 2-D average pool with square kernel and stride.
func (g *Graph) AvgPool(a string, kernel, stride, pad int64) string {
	return g.Op("AveragePool", []string{a},
		A("kernel_shape", []int64{kernel, kernel}), A("strides", []int64{stride, stride}),
		A("pads", []int64{pad, pad, pad, pad}), A("count_include_pad", int64(0)))
}

// MaxPool is a 2-D max pool with square kernel and stride 1, same size.
func (g *Graph) MaxPool(a string, kernel int64) string {
	p := kernel / 2
	return g.Op("MaxPool", []string{a},
		A("kernel_shape", []int64{kernel, kernel}), A("pads", []int64{p, p, p, p}))
}

// Resize resizes the last two axes to an exact size with bilinear
// interpolation (half-pixel centres, as PyTorch's align_corners=False).
func (g *Graph) Resize(a string, sizes string) string {
	return g.Op("Resize", []string{a, "", "", sizes},
		A("mode", "linear"), A("coordinate_transformation_mode", "half_pixel"))
}

// Shape returns the shape of a as an int64 tensor.
func (g *Graph) Shape(a string) string { return g.Op("Shape", []string{a}) }

// ShapeDim returns dimension i of a as a 1-element int64 tensor.
func (g *Graph) ShapeDim(a string, i int64) string {
	return g.Op("Shape", []string{a}, A("start", i), A("end", i+1))
}

// Sigmoid is the logistic function.
func (g *Graph) Sigmoid(a string) string { return g.Op("Sigmoid", []string{a}) }

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
