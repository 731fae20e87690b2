//go:build cgo

package ort

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	onnx "github.com/yalue/onnxruntime_go"
)

// Runtime is the process-wide ONNX Runtime environment.
type Runtime struct {
	opts Options
	info Info
	log  *slog.Logger

	mu          sync.Mutex
	unavailable map[Provider]string // providers that failed once, and why
}

var (
	envMu   sync.Mutex
	envPath string // library the process environment was initialised with
)

// Open loads the shared library (see Candidates for the search order) and
// initialises the environment. The environment is process-wide: opening a
// second Runtime with the same library reuses it.
func Open(opts Options) (*Runtime, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Provider == "" {
		opts.Provider = Auto
	}
	if _, err := ParseProvider(string(opts.Provider)); err != nil {
		return nil, err
	}
	path, source, err := FindLibrary(opts.Library)
	if err != nil {
		return nil, err
	}
	envMu.Lock()
	defer envMu.Unlock()
	switch {
	case envPath == "":
		onnx.SetSharedLibraryPath(path)
		if err := onnx.InitializeEnvironment(onnx.WithLogLevelError()); err != nil {
			if source == "system" {
				return nil, fmt.Errorf("%w (%v)\n%s", ErrLibraryNotFound, err, NotFoundHint(opts.Library))
			}
			return nil, fmt.Errorf("loading ONNX Runtime from %s: %w (it must be version 1.24 or newer)", path, err)
		}
		envPath = path
	case envPath != path:
		return nil, fmt.Errorf("ONNX Runtime is already loaded from %s; cannot also load %s in one process", envPath, path)
	}
	r := &Runtime{opts: opts, log: opts.Logger.With("subsystem", "ort"), unavailable: map[Provider]string{}}
	r.info = Info{Library: path, LibrarySource: source, Version: onnx.GetVersion(), Provider: opts.Provider}
	r.log.Info("onnx runtime loaded", "library", path, "source", source, "version", r.info.Version, "provider", opts.Provider)
	return r, nil
}

// Info describes the runtime.
func (r *Runtime) Info() Info { return r.info }

// Load opens a graph from its file (external weights are resolved beside it)
// and reads its input and output descriptions.
func (r *Runtime) Load(path string, so SessionOptions) (*Session, error) {
	ins, outs, err := onnx.GetInputOutputInfo(path)
	if err != nil {
		return nil, fmt.Errorf("reading graph %s: %w", path, err)
	}
	s := &Session{path: path, inputs: convertIO(ins), outputs: convertIO(outs)}
	if len(so.Outputs) > 0 {
		var keep []IO
		for _, name := range so.Outputs {
			io, ok := find(s.outputs, name)
			if !ok {
				return nil, fmt.Errorf("graph %s has no output %q (it has %s)", path, name, strings.Join(names(s.outputs), ", "))
			}
			keep = append(keep, io)
		}
		s.outputs = keep
	}
	want := so.Provider
	if want == "" {
		want = r.opts.Provider
	}
	var order []Provider
	switch want {
	case Auto:
		order = autoOrder
	case CoreML: // CoreML falls back to CPU with a logged reason; CUDA and CPU do not
		order = []Provider{CoreML, CPU}
	default:
		order = []Provider{want}
	}
	var notes []string
	for i, p := range order {
		last := i == len(order)-1
		r.mu.Lock()
		why, known := r.unavailable[p]
		r.mu.Unlock()
		if known && !last {
			notes = append(notes, fmt.Sprintf("%s unavailable: %s", p, why))
			continue
		}
		impl, err := r.newSession(path, s, p, so)
		if err == nil {
			s.impl, s.provider = impl, p
			break
		}
		if last {
			return nil, fmt.Errorf("opening %s on %s: %w", path, p, err)
		}
		notes = append(notes, fmt.Sprintf("%s unavailable: %v", p, err))
		r.mu.Lock()
		r.unavailable[p] = err.Error()
		r.mu.Unlock()
		level := slog.LevelWarn // a provider the user asked for
		if want == Auto {
			level = slog.LevelInfo // auto tries what may not be there
		}
		r.log.Log(context.Background(), level, "execution provider unavailable, falling back (not tried again)", "graph", path, "provider", p, "err", err)
	}
	s.note = strings.Join(notes, "; ")
	return s, nil
}

func (r *Runtime) newSession(path string, s *Session, p Provider, so SessionOptions) (sessionImpl, error) {
	opts, err := onnx.NewSessionOptions()
	if err != nil {
		return sessionImpl{}, err
	}
	defer opts.Destroy()
	if r.opts.Threads > 0 {
		if err := opts.SetIntraOpNumThreads(r.opts.Threads); err != nil {
			return sessionImpl{}, err
		}
	}
	// Intra-op threads wait instead of spinning: the engine shares the CPU
	// with ffmpeg, frame preparation and the UI, and spinning threads steal
	// it (measured: 2-3× slower propagation on 2 cores).
	if err := opts.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"); err != nil {
		return sessionImpl{}, err
	}
	if so.DisableOptimization {
		if err := opts.SetGraphOptimizationLevel(onnx.GraphOptimizationLevelDisableAll); err != nil {
			return sessionImpl{}, err
		}
	}
	if err := appendProvider(opts, p, r.opts.CacheDir); err != nil {
		return sessionImpl{}, err
	}
	inNames, outNames := names(s.inputs), names(s.outputs)
	sess, err := onnx.NewDynamicAdvancedSession(path, inNames, outNames, opts)
	if err != nil {
		return sessionImpl{}, err
	}
	return sessionImpl{s: sess}, nil
}

func appendProvider(opts *onnx.SessionOptions, p Provider, cacheDir string) error {
	switch p {
	case CUDA:
		cuda, err := onnx.NewCUDAProviderOptions()
		if err != nil {
			return err
		}
		defer cuda.Destroy()
		if err := cuda.Update(map[string]string{"device_id": "0"}); err != nil {
			return err
		}
		return opts.AppendExecutionProviderCUDA(cuda)
	case CoreML:
		o := map[string]string{"ModelFormat": "MLProgram", "MLComputeUnits": "ALL", "RequireStaticInputShapes": "1"}
		if cacheDir != "" {
			o["ModelCacheDirectory"] = cacheDir
		}
		return opts.AppendExecutionProviderCoreMLV2(o)
	}
	return nil
}

type sessionImpl struct {
	s *onnx.DynamicAdvancedSession
}

// Run runs the graph. Every graph input must be given; all outputs are
// returned. A cancelled context terminates the run.
func (s *Session) Run(ctx context.Context, inputs map[string]*Tensor) (map[string]*Tensor, error) {
	if s.impl.s == nil {
		return nil, fmt.Errorf("session %s is closed", s.path)
	}
	ins := make([]onnx.Value, len(s.inputs))
	defer func() {
		for _, v := range ins {
			if v != nil {
				v.Destroy()
			}
		}
	}()
	for i, io := range s.inputs {
		t, ok := inputs[io.Name]
		if !ok {
			return nil, fmt.Errorf("graph %s: input %q not given", s.path, io.Name)
		}
		if t.Type != io.Type {
			return nil, fmt.Errorf("graph %s: input %q is %s, got %s", s.path, io.Name, io.Type, t.Type)
		}
		v, err := toValue(t)
		if err != nil {
			return nil, fmt.Errorf("graph %s: input %q: %w", s.path, io.Name, err)
		}
		ins[i] = v
	}
	outs := make([]onnx.Value, len(s.outputs))
	ro, err := onnx.NewRunOptions()
	if err != nil {
		return nil, err
	}
	defer ro.Destroy()
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			ro.Terminate()
		case <-done:
		}
	}()
	err = s.impl.s.RunWithOptions(ins, outs, ro)
	close(done)
	defer func() {
		for _, v := range outs {
			if v != nil {
				v.Destroy()
			}
		}
	}()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("running %s: %w", s.path, err)
	}
	res := make(map[string]*Tensor, len(outs))
	for i, v := range outs {
		t, err := fromValue(v)
		if err != nil {
			return nil, fmt.Errorf("graph %s: output %q: %w", s.path, s.outputs[i].Name, err)
		}
		res[s.outputs[i].Name] = t
	}
	return res, nil
}

// Close releases the session.
func (s *Session) Close() error {
	if s.impl.s == nil {
		return nil
	}
	err := s.impl.s.Destroy()
	s.impl.s = nil
	return err
}

func toValue(t *Tensor) (onnx.Value, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	shape := onnx.NewShape(t.Shape...)
	switch t.Type {
	case Float32:
		return onnx.NewTensor(shape, t.F32)
	case Int64:
		return onnx.NewTensor(shape, t.I64)
	case Int32:
		return onnx.NewTensor(shape, t.I32)
	case Bool:
		return onnx.NewTensor(shape, t.B)
	}
	return nil, fmt.Errorf("unsupported type %s", t.Type)
}

func fromValue(v onnx.Value) (*Tensor, error) {
	shape := append([]int64(nil), v.GetShape()...)
	switch x := v.(type) {
	// Outputs allocated by ONNX Runtime are already copied into Go memory
	// by onnxruntime_go; the slices outlive Destroy.
	case *onnx.Tensor[float32]:
		return &Tensor{Type: Float32, Shape: shape, F32: x.GetData()}, nil
	case *onnx.Tensor[int64]:
		return &Tensor{Type: Int64, Shape: shape, I64: x.GetData()}, nil
	case *onnx.Tensor[int32]:
		return &Tensor{Type: Int32, Shape: shape, I32: x.GetData()}, nil
	case *onnx.Tensor[bool]:
		return &Tensor{Type: Bool, Shape: shape, B: x.GetData()}, nil
	}
	return nil, fmt.Errorf("unsupported output value %T (graphs must have float32, int64, int32 or bool outputs)", v)
}

func convertIO(in []onnx.InputOutputInfo) []IO {
	out := make([]IO, len(in))
	for i, x := range in {
		out[i] = IO{Name: x.Name, Type: convertType(x.DataType), Shape: append([]int64(nil), x.Dimensions...)}
	}
	return out
}

func convertType(t onnx.TensorElementDataType) DType {
	switch t {
	case onnx.TensorElementDataTypeFloat:
		return Float32
	case onnx.TensorElementDataTypeInt64:
		return Int64
	case onnx.TensorElementDataTypeInt32:
		return Int32
	case onnx.TensorElementDataTypeBool:
		return Bool
	case onnx.TensorElementDataTypeFloat16:
		return Float16
	}
	return Unknown
}

func names(ios []IO) []string {
	out := make([]string, len(ios))
	for i, io := range ios {
		out[i] = io.Name
	}
	return out
}
