package mask_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/samwise-app/samwise/engine/mask"
)

func TestMarshalJSON(t *testing.T) {
	tests := []struct {
		rle  mask.RLE
		want string
	}{
		{mask.RLE{Size: [2]int{3, 4}, Counts: "254L"}, `{"size":[3,4],"counts":"254L"}`},
		// '\' must be escaped; encoding/json also escapes '<' and '>'.
		{mask.RLE{Size: [2]int{1, 1200}, Counts: `\R1b1b1`}, `{"size":[1,1200],"counts":"\\R1b1b1"}`},
		{mask.RLE{Size: [2]int{1, 1}, Counts: "<>"}, `{"size":[1,1],"counts":"\u003c\u003e"}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.rle)
		if err != nil || string(got) != tt.want {
			t.Errorf("Marshal(%+v) = %s, %v; want %s", tt.rle, got, err, tt.want)
		}
		// Through a pointer too.
		got, err = json.Marshal(&tt.rle)
		if err != nil || string(got) != tt.want {
			t.Errorf("Marshal(&%+v) = %s, %v; want %s", tt.rle, got, err, tt.want)
		}
	}
}

func TestUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want mask.RLE
	}{
		{"string", `{"size":[3,4],"counts":"254L"}`, mask.RLE{Size: [2]int{3, 4}, Counts: "254L"}},
		{"escaped string", `{"counts":"\\R1b1b1","size":[1,1200]}`, mask.RLE{Size: [2]int{1, 1200}, Counts: `\R1b1b1`}},
		{"list", `{"size":[3,4],"counts":[2,5,4,1]}`, mask.RLE{Size: [2]int{3, 4}, Counts: "254L"}},
		{"list with spaces", "{ \"size\" : [ 1 , 1011 ] ,\n \"counts\" : [0, 1000, 10, 1] }", mask.RLE{Size: [2]int{1, 1011}, Counts: "0Xo0:iPO"}},
		{"empty list, no pixels", `{"size":[0,0],"counts":[]}`, mask.RLE{Size: [2]int{0, 0}, Counts: ""}},
		{"extra keys", `{"size":[1,1],"counts":"01","iscrowd":1}`, mask.RLE{Size: [2]int{1, 1}, Counts: "01"}},
	}
	for _, tt := range tests {
		var got mask.RLE
		if err := json.Unmarshal([]byte(tt.in), &got); err != nil || got != tt.want {
			t.Errorf("%s: Unmarshal = %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
}

func TestUnmarshalJSONNull(t *testing.T) {
	r := mask.RLE{Size: [2]int{1, 1}, Counts: "01"}
	if err := json.Unmarshal([]byte("null"), &r); err != nil || r.Counts != "01" {
		t.Errorf("Unmarshal(null) = %+v, %v; want unchanged", r, err)
	}
	var p *mask.RLE
	if err := json.Unmarshal([]byte("null"), &p); err != nil || p != nil {
		t.Errorf("Unmarshal(null) into pointer = %v, %v", p, err)
	}
}

func TestUnmarshalJSONErrors(t *testing.T) {
	tests := []struct{ name, in string }{
		{"not an object", `[1,2]`},
		{"broken JSON", `{"size":[1,1],"counts":"01"`},
		{"missing size", `{"counts":"01"}`},
		{"short size", `{"size":[1],"counts":"01"}`},
		{"long size", `{"size":[1,1,1],"counts":"01"}`},
		{"fractional size", `{"size":[1.5,1],"counts":"01"}`},
		{"negative size", `{"size":[-1,1],"counts":"01"}`},
		{"huge size", `{"size":[100000,100000],"counts":"0"}`},
		{"missing counts", `{"size":[1,1]}`},
		{"null counts", `{"size":[1,1],"counts":null}`},
		{"number counts", `{"size":[1,1],"counts":1}`},
		{"object counts", `{"size":[1,1],"counts":{}}`},
		{"bad string", `{"size":[1,2],"counts":"0!"}`},
		{"string sum", `{"size":[2,2],"counts":"3"}`},
		{"list negative", `{"size":[1,2],"counts":[3,-1]}`},
		{"list sum", `{"size":[2,2],"counts":[1,2]}`},
		{"list of strings", `{"size":[1,1],"counts":["0","1"]}`},
		{"list of floats", `{"size":[1,1],"counts":[0.5,0.5]}`},
	}
	for _, tt := range tests {
		var r mask.RLE
		err := json.Unmarshal([]byte(tt.in), &r)
		if err == nil {
			t.Errorf("%s: Unmarshal succeeded with %+v", tt.name, r)
			continue
		}
		var syntax *json.SyntaxError
		if !errors.Is(err, mask.ErrInvalidRLE) && !errors.As(err, &syntax) {
			t.Errorf("%s: error %v is neither ErrInvalidRLE nor a syntax error", tt.name, err)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	type annotation struct {
		ID           int        `json:"id"`
		Segmentation mask.RLE   `json:"segmentation"`
		Extra        []mask.RLE `json:"extra"`
	}
	for _, s := range samples(2) {
		in := annotation{ID: 7, Segmentation: mask.Encode(s.m), Extra: []mask.RLE{mask.Encode(s.m)}}
		data, err := json.Marshal(in)
		if err != nil {
			t.Fatalf("%s: Marshal: %v", s.name, err)
		}
		var out annotation
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("%s: Unmarshal: %v", s.name, err)
		}
		if out.ID != in.ID || out.Segmentation != in.Segmentation || len(out.Extra) != 1 || out.Extra[0] != in.Extra[0] {
			t.Fatalf("%s: round trip gave %+v, want %+v", s.name, out, in)
		}
		// The list form reads back to the same RLE.
		list, err := json.Marshal(map[string]any{"size": [2]int{s.m.H, s.m.W}, "counts": mask.EncodeCounts(s.m)})
		if err != nil {
			t.Fatal(err)
		}
		var fromList mask.RLE
		if err := json.Unmarshal(list, &fromList); err != nil || fromList != in.Segmentation {
			t.Fatalf("%s: list form gave %+v, %v; want %+v", s.name, fromList, err, in.Segmentation)
		}
	}
}
