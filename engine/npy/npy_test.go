package npy_test

import (
	"bytes"
	"testing"

	"github.com/samwise-app/samwise/engine/npy"
)

func TestRoundTrip(t *testing.T) {
	arrays := map[string]*npy.Array{
		"f4":     {DType: "<f4", Shape: []int{2, 3}, Data: []float64{1, -2.5, 3, 0, 1e-3, 7}},
		"i8":     {DType: "<i8", Shape: []int{}, Data: []float64{7}},
		"i4":     {DType: "<i4", Shape: []int{3}, Data: []float64{-1, 0, 5}},
		"flag":   {DType: "|b1", Shape: []int{2}, Data: []float64{1, 0}},
		"double": {DType: "<f8", Shape: []int{1, 1}, Data: []float64{3.25}},
	}
	var buf bytes.Buffer
	if err := npy.WriteNPZ(&buf, arrays); err != nil {
		t.Fatal(err)
	}
	got, err := npy.ReadNPZ(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range arrays {
		g := got[name]
		if g == nil || g.DType != want.DType || len(g.Shape) != len(want.Shape) || len(g.Data) != len(want.Data) {
			t.Fatalf("%s: got %+v, want %+v", name, g, want)
		}
		for i := range want.Data {
			if float32(g.Data[i]) != float32(want.Data[i]) {
				t.Errorf("%s[%d] = %v, want %v", name, i, g.Data[i], want.Data[i])
			}
		}
	}
	if v, err := got["i8"].Scalar(); err != nil || v != 7 {
		t.Errorf("scalar: %v %v", v, err)
	}
}

// TestNumPyHeader checks a header written by NumPy itself (np.save of
// np.arange(3, dtype='<i8')), byte for byte.
func TestNumPyHeader(t *testing.T) {
	numpy := append([]byte("\x93NUMPY\x01\x00v\x00{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }"+
		"                                                            \n"),
		0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0)
	a, err := npy.Read(bytes.NewReader(numpy))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Data) != 3 || a.Data[2] != 2 || a.Shape[0] != 3 {
		t.Fatalf("got %+v", a)
	}
	var buf bytes.Buffer
	npy.Write(&buf, a)
	if !bytes.Equal(buf.Bytes(), numpy) {
		t.Errorf("written header differs from NumPy's:\n%q\n%q", buf.Bytes()[:128], numpy[:128])
	}
}

func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	npy.Write(&buf, &npy.Array{DType: "<f4", Shape: []int{2}, Data: []float64{1, 2}})
	f.Add(buf.Bytes())
	f.Add([]byte("\x93NUMPY\x01\x00\x10\x00{'descr': '<f4'}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		npy.Read(bytes.NewReader(data))
		npy.ReadNPZ(data)
	})
}
