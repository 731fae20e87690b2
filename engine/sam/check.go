// Package sam runs the SAM 3 graphs of a model bundle through ONNX Runtime:
// interface checks at load time, tensor packing, and the per-request loops.
// Sizes (model input, feature maps, masks) are read from the loaded graphs.
package sam

import (
	"fmt"
	"strings"

	"github.com/samwise-app/samwise/engine/ort"
)

// want is an expected graph input or output: name, type and rank, with -2 in
// dims meaning "any size" and other values fixed; nil dims accept any rank.
type want struct {
	name string
	typ  ort.DType
	dims []int64
}

// InterfaceError explains how a graph differs from the interface the engine
// implements (DESIGN §3).
type InterfaceError struct {
	Graph    string
	Problems []string
}

func (e *InterfaceError) Error() string {
	return fmt.Sprintf("graph %s does not have the expected interface:\n  %s", e.Graph, strings.Join(e.Problems, "\n  "))
}

const anyDim = -2

// checkIO compares a graph's inputs or outputs with the expected ones and
// returns one line per problem.
func checkIO(kind string, got []ort.IO, wants []want) []string {
	var problems []string
	for _, w := range wants {
		var g *ort.IO
		for i := range got {
			if got[i].Name == w.name {
				g = &got[i]
			}
		}
		if g == nil {
			names := make([]string, len(got))
			for i, io := range got {
				names[i] = io.Name
			}
			problems = append(problems, fmt.Sprintf("%s %q is missing (the graph has %s)", kind, w.name, strings.Join(names, ", ")))
			continue
		}
		if g.Type != w.typ {
			problems = append(problems, fmt.Sprintf("%s %q is %s, expected %s", kind, w.name, g.Type, w.typ))
		}
		if w.dims == nil { // any rank
			continue
		}
		if len(g.Shape) != len(w.dims) {
			problems = append(problems, fmt.Sprintf("%s %q has rank %d, expected %d", kind, w.name, len(g.Shape), len(w.dims)))
			continue
		}
		for i, d := range w.dims {
			if d != anyDim && g.Shape[i] >= 0 && g.Shape[i] != d {
				problems = append(problems, fmt.Sprintf("%s %q dimension %d is %d, expected %d", kind, w.name, i, g.Shape[i], d))
			}
		}
	}
	return problems
}
