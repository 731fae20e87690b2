package resultchunk

import (
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
)

func results(from, n int) []api.FrameResult {
	out := make([]api.FrameResult, n)
	for i := range out {
		m, err := mask.DecodeCounts(4, 6, []int{5 + i%3, 4, 15 - i%3})
		if err != nil {
			panic(err)
		}
		rle := mask.Encode(m)
		out[i] = api.FrameResult{Frame: from + i, Objects: []api.ObjectResult{{ObjectID: 1 + i%2, Score: 0.5, Mask: &rle}}}
	}
	return out
}

func TestCountAndSpan(t *testing.T) {
	for _, c := range []struct{ total, size, count, lastFirst, lastN int }{
		{240, 32, 8, 224, 16}, {64, 32, 2, 32, 32}, {1, 32, 1, 0, 1}, {33, 1, 33, 32, 1},
	} {
		if n := Count(c.total, c.size); n != c.count {
			t.Errorf("Count(%d, %d) = %d, want %d", c.total, c.size, n, c.count)
		}
		if f, n := Span(c.count-1, c.total, c.size); f != c.lastFirst || n != c.lastN {
			t.Errorf("Span(last of %d/%d) = %d+%d, want %d+%d", c.total, c.size, f, n, c.lastFirst, c.lastN)
		}
	}
	if Count(0, 32) != 0 || Count(10, 0) != 0 {
		t.Error("an empty job or a zero chunk size has chunks")
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	in := results(100, 5)
	data, err := Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(data), "\n"); got != 5 {
		t.Fatalf("%d lines, want 5", got)
	}
	out, err := Decode(data, 5)
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if out[i].Frame != in[i].Frame || out[i].Objects[0].Mask.Counts != in[i].Objects[0].Mask.Counts || out[i].Objects[0].ObjectID != in[i].Objects[0].ObjectID {
			t.Fatalf("result %d: %+v, want %+v", i, out[i], in[i])
		}
	}
}

func TestDecodeRefusesWrongChunks(t *testing.T) {
	data, _ := Encode(results(0, 3))
	for name, c := range map[string]struct {
		data string
		n    int
		want string
	}{
		"short":     {string(data), 4, "holds 3 results, want 4"},
		"long":      {string(data), 2, "more than the 2"},
		"not json":  {"{\"frame\": 1}\nnot json\n", 2, "result 2 of the chunk"},
		"empty":     {"", 1, "holds 0 results"},
		"truncated": {string(data[:len(data)-10]), 3, "result 3 of the chunk"},
	} {
		if _, err := Decode([]byte(c.data), c.n); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	urls := func(n int, u string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = u
		}
		return out
	}
	ok := api.ResultsUpload{ChunkFrames: 32, URLs: urls(8, "https://bucket.r2.example/results/0?X-Amz-Signature=x")}
	if err := Validate(&ok, 240); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		up   api.ResultsUpload
		want string
	}{
		"zero size":  {api.ResultsUpload{ChunkFrames: 0, URLs: urls(8, "https://x/")}, "chunk_frames 0"},
		"too few":    {api.ResultsUpload{ChunkFrames: 32, URLs: urls(7, "https://x/")}, "7 urls"},
		"not a url":  {api.ResultsUpload{ChunkFrames: 32, URLs: urls(8, "ftp://x/")}, "urls[0]"},
		"no host":    {api.ResultsUpload{ChunkFrames: 32, URLs: urls(8, "https:///a")}, "urls[0]"},
		"huge chunk": {api.ResultsUpload{ChunkFrames: 1 << 20, URLs: urls(1, "https://x/")}, "between 1 and 10000"},
	} {
		if err := Validate(&c.up, 240); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, c.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	data, _ := Encode(results(0, 3))
	f.Add(data, 3)
	f.Add([]byte("{\"frame\":1,\"objects\":[{\"object_id\":1,\"mask\":{\"size\":[2,2],\"counts\":\"04\"}}]}\n"), 1)
	f.Add([]byte("\n\n{}"), 1)
	f.Fuzz(func(t *testing.T, data []byte, n int) {
		n = n % 100
		out, err := Decode(data, n)
		if err == nil && len(out) != n {
			t.Fatalf("Decode returned %d results for n=%d without an error", len(out), n)
		}
	})
}
