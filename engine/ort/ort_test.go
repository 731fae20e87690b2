//go:build cgo

package ort_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/samwise-app/samwise/engine/onnxgraph"
	"github.com/samwise-app/samwise/engine/ort"
)

// addGraph writes a graph computing y = x + b where b has a zero-length
// axis allowed (shape [?, 4]), and c = sum over rows.
func addGraph(t *testing.T) string {
	t.Helper()
	g := onnxgraph.New("add")
	x := g.Input("x", onnxgraph.Float, onnxgraph.Sym("n"), onnxgraph.D(4))
	b := g.Input("b", onnxgraph.Float, onnxgraph.Sym("n"), onnxgraph.D(4))
	g.Output(g.Add(x, b), "y", onnxgraph.Float, onnxgraph.Sym("n"), onnxgraph.D(4))
	g.Output(g.ReduceSum(x, false, 0), "s", onnxgraph.Float, onnxgraph.D(4))
	data, err := g.Model("test")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "add.onnx")
	os.WriteFile(path, data, 0o644)
	return path
}

func TestOpenLoadRun(t *testing.T) {
	rt, err := ort.Open(ort.Options{Provider: ort.CPU})
	if err != nil {
		t.Fatal(err)
	}
	info := rt.Info()
	if info.Version < "1.24" || info.Library == "" || info.LibrarySource == "" {
		t.Fatalf("runtime info %+v", info)
	}
	s, err := rt.Load(addGraph(t), ort.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Provider() != ort.CPU || len(s.Inputs()) != 2 || s.Inputs()[0].Shape[0] != -1 || s.Inputs()[0].Type != ort.Float32 {
		t.Fatalf("session %v %v %v", s.Provider(), s.Inputs(), s.Outputs())
	}
	out, err := s.Run(context.Background(), map[string]*ort.Tensor{
		"x": ort.NewF32([]float32{1, 2, 3, 4, 5, 6, 7, 8}, 2, 4),
		"b": ort.NewF32([]float32{1, 1, 1, 1, 2, 2, 2, 2}, 2, 4),
	})
	if err != nil {
		t.Fatal(err)
	}
	if y := out["y"].F32; len(y) != 8 || y[0] != 2 || y[7] != 10 || out["s"].F32[3] != 12 {
		t.Fatalf("outputs %v %v", out["y"], out["s"])
	}
	// Zero-length axes are how "no points" and "no boxes" are passed.
	out, err = s.Run(context.Background(), map[string]*ort.Tensor{
		"x": ort.NewF32([]float32{}, 0, 4), "b": ort.NewF32([]float32{}, 0, 4),
	})
	if err != nil || len(out["y"].F32) != 0 || out["y"].Shape[0] != 0 {
		t.Fatalf("zero-length run: %v %v", out, err)
	}
	// Mistakes are errors, not crashes.
	if _, err := s.Run(context.Background(), map[string]*ort.Tensor{"x": ort.NewF32([]float32{1}, 1, 4)}); err == nil {
		t.Error("a missing input was accepted")
	}
	if _, err := s.Run(context.Background(), map[string]*ort.Tensor{"x": ort.NewI64([]int64{1, 2, 3, 4}, 1, 4), "b": ort.NewF32(make([]float32, 4), 1, 4)}); err == nil {
		t.Error("a wrong element type was accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Run(ctx, map[string]*ort.Tensor{"x": ort.NewF32(make([]float32, 4), 1, 4), "b": ort.NewF32(make([]float32, 4), 1, 4)}); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled run returned %v", err)
	}
	if _, err := rt.Load(filepath.Join(t.TempDir(), "missing.onnx"), ort.SessionOptions{}); err == nil {
		t.Error("loading a missing graph succeeded")
	}
	if _, err := rt.Load(addGraph(t), ort.SessionOptions{Outputs: []string{"nope"}}); err == nil {
		t.Error("an unknown output name was accepted")
	}
}

// TestAutoFallsBackAndCUDAFailsLoudly: with the npm build (no CUDA
// provider) an explicit cuda request fails and auto falls back to CPU with a
// note; with a CUDA build, auto picks CUDA.
func TestAutoFallsBackAndCUDAFailsLoudly(t *testing.T) {
	rt, err := ort.Open(ort.Options{Provider: ort.CPU})
	if err != nil {
		t.Fatal(err)
	}
	_, cudaErr := rt.Load(addGraph(t), ort.SessionOptions{Provider: ort.CUDA})
	s, err := rt.Load(addGraph(t), ort.SessionOptions{Provider: ort.Auto})
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case cudaErr == nil && s.Provider() != ort.CUDA:
		t.Errorf("CUDA works but auto chose %s", s.Provider())
	case cudaErr != nil && (s.Provider() != ort.CPU || s.ProviderNote() == ""):
		t.Errorf("without CUDA, auto chose %s with note %q", s.Provider(), s.ProviderNote())
	}
}
