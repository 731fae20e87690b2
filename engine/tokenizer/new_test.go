package tokenizer_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/tokenizer"
)

func TestNew(t *testing.T) {
	vocab := map[string]int{"r": 0, "e": 1, "d</w>": 2, "re": 3, "red</w>": 4}
	merges := [][2]string{{"r", "e"}, {"re", "d</w>"}}
	tok, err := tokenizer.New(vocab, merges)
	if err != nil {
		t.Fatal(err)
	}
	if tok.StartID() != 5 || tok.EndID() != 6 || tok.PadID() != 6 || tok.VocabSize() != 7 {
		t.Errorf("StartID %d, EndID %d, PadID %d, VocabSize %d; want 5, 6, 6, 7", tok.StartID(), tok.EndID(), tok.PadID(), tok.VocabSize())
	}
	for _, c := range []struct {
		text string
		want []int
	}{
		{"red", []int{4}},
		{"RED red", []int{4, 4}},
		{"rer", []int{3, 6}}, // "r</w>" is not in the vocabulary: unknown
		{"bee", []int{6, 1, 6}},
	} {
		if got := tok.Encode(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Encode(%q) = %v; want %v", c.text, got, c.want)
		}
	}

	custom, err := tokenizer.New(map[string]int{"a</w>": 0, "[s]": 1}, nil, "[s]", "[e]", "[x]")
	if err != nil {
		t.Fatal(err)
	}
	if custom.StartID() != 1 || custom.EndID() != 2 || custom.VocabSize() != 4 {
		t.Errorf("StartID %d, EndID %d, VocabSize %d; want 1, 2, 4", custom.StartID(), custom.EndID(), custom.VocabSize())
	}
	if got := custom.Encode("a[x]a"); !slices.Equal(got, []int{0, 3, 0}) {
		t.Errorf("Encode with an extra special = %v; want [0 3 0]", got)
	}
}

func TestNewErrors(t *testing.T) {
	for _, c := range []struct {
		name     string
		vocab    map[string]int
		merges   [][2]string
		specials []string
		want     string
	}{
		{"merge result missing", map[string]int{"a": 0, "b": 1}, [][2]string{{"a", "b"}}, nil, `"ab" is not in the vocabulary`},
		{"merge part missing", map[string]int{"a": 0, "ab": 1}, [][2]string{{"a", "b"}}, nil, `"b" is not in the vocabulary`},
		{"duplicate ids", map[string]int{"a": 0, "b": 0}, nil, nil, "both have id 0"},
		{"negative id", map[string]int{"a": -1}, nil, nil, "negative id"},
		{"one special", map[string]int{"a": 0}, nil, []string{"<s>"}, "give the start and the end token"},
		{"empty special", map[string]int{"a": 0}, nil, []string{"<s>", ""}, "empty special token"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := tokenizer.New(c.vocab, c.merges, c.specials...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("New error = %v; want one containing %q", err, c.want)
			}
		})
	}
}

func TestFromWords(t *testing.T) {
	words := []string{"red", "green", "blue", "yellow", "circle", "square", "triangle", "star", "Yellow School Bus", "re", "d"}
	tok, err := tokenizer.FromWords(words...)
	if err != nil {
		t.Fatal(err)
	}
	if tok.VocabSize() > 100 {
		t.Errorf("VocabSize() = %d; want a small vocabulary", tok.VocabSize())
	}
	seen := map[int]string{}
	for _, w := range append(words, "school", "bus") {
		for _, f := range strings.Fields(w) {
			ids := tok.Encode(f)
			if len(ids) != 1 {
				t.Errorf("Encode(%q) = %v; want one token", f, ids)
				continue
			}
			if prev, ok := seen[ids[0]]; ok && !strings.EqualFold(prev, f) {
				t.Errorf("%q and %q share id %d", prev, f, ids[0])
			}
			seen[ids[0]] = f
			if got := tok.Decode(ids); got != strings.ToLower(f) {
				t.Errorf("Decode(Encode(%q)) = %q", f, got)
			}
		}
	}
	for _, text := range []string{"purple hexagon", "😀", "red circle and blue star"} {
		checkEncoding(t, tok, tok.EncodePadded(text, 32), 32)
	}
	data, err := tok.JSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := tokenizer.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"red circle", "yellow school bus", "purple hexagon"} {
		if got, want := back.Encode(text), tok.Encode(text); !slices.Equal(got, want) {
			t.Errorf("after JSON round trip Encode(%q) = %v; want %v", text, got, want)
		}
	}
	if _, err := tokenizer.FromWords(" ", ""); err == nil {
		t.Error("FromWords without words succeeded")
	}
}
