package tokenizer_test

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/tokenizer"
)

// hfCLIPLayout is a tokenizer.json laid out like Hugging Face's CLIP ones,
// with a tiny vocabulary.
const hfCLIPLayout = `{
  "version": "1.0",
  "truncation": null,
  "padding": null,
  "added_tokens": [
    {"id": 6, "content": "<|startoftext|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true},
    {"id": 7, "content": "<|endoftext|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true}
  ],
  "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}, {"type": "Lowercase"}]},
  "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
    {"type": "Split", "pattern": {"Regex": "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"}, "behavior": "Removed", "invert": true},
    {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}
  ]},
  "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", 7], "cls": ["<|startoftext|>", 6], "trim_offsets": false, "add_prefix_space": false},
  "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
  "model": {
    "type": "BPE", "dropout": null, "unk_token": "<|endoftext|>", "continuing_subword_prefix": "",
    "end_of_word_suffix": "</w>", "fuse_unk": false, "byte_fallback": false,
    "vocab": {"c": 0, "a": 1, "t": 2, "t</w>": 3, "ca": 4, "cat</w>": 5, "<|startoftext|>": 6, "<|endoftext|>": 7},
    "merges": ["c a", "ca t</w>"]
  }
}`

func TestParseHFLayout(t *testing.T) {
	tok, err := tokenizer.Parse([]byte(hfCLIPLayout))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text string
		want []int
	}{
		{"cat", []int{5}},
		{"CAT cat", []int{5, 5}},
		{"act", []int{1, 0, 3}},
		{"dog", []int{7, 7, 7}}, // each unknown symbol is the unknown token
		{"cat<|endoftext|>", []int{5, 7}},
	} {
		if got := tok.Encode(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Encode(%q) = %v; want %v", c.text, got, c.want)
		}
	}
	if tok.VocabSize() != 8 || tok.StartID() != 6 || tok.EndID() != 7 || tok.PadID() != 7 || tok.ContextLength() != 32 {
		t.Errorf("VocabSize %d, StartID %d, EndID %d, PadID %d, ContextLength %d; want 8, 6, 7, 7, 32",
			tok.VocabSize(), tok.StartID(), tok.EndID(), tok.PadID(), tok.ContextLength())
	}
	e := tok.EncodePadded("cat", 5)
	if !slices.Equal(e.IDs, []int64{6, 5, 7, 7, 7}) || !slices.Equal(e.AttentionMask, []int64{1, 1, 1, 0, 0}) {
		t.Errorf("EncodePadded = %+v", e)
	}
}

// edit parses a tokenizer.json, lets change modify it, and writes it back.
func edit(t *testing.T, data []byte, change func(f map[string]any)) []byte {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	change(f)
	out, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParseSettings(t *testing.T) {
	base := []byte(hfCLIPLayout)
	for _, c := range []struct {
		name          string
		change        func(f map[string]any)
		start, end    int
		pad, length   int
		contentLength int
	}{
		{"defaults", func(map[string]any) {}, 6, 7, 7, 32, 0},
		{"truncation and padding", func(f map[string]any) {
			f["truncation"] = map[string]any{"direction": "Right", "max_length": 77, "strategy": "LongestFirst", "stride": 0}
			f["padding"] = map[string]any{"strategy": map[string]any{"Fixed": 77}, "direction": "Right", "pad_id": 4, "pad_type_id": 0, "pad_token": "ca"}
		}, 6, 7, 4, 77, 0},
		{"fixed padding only", func(f map[string]any) {
			f["padding"] = map[string]any{"strategy": map[string]any{"Fixed": 16}, "direction": "Right", "pad_token": "a"}
		}, 6, 7, 1, 16, 0},
		{"template processing", func(f map[string]any) {
			f["post_processor"] = map[string]any{
				"type": "TemplateProcessing",
				"single": []any{
					map[string]any{"SpecialToken": map[string]any{"id": "<s>", "type_id": 0}},
					map[string]any{"Sequence": map[string]any{"id": "A", "type_id": 0}},
					map[string]any{"SpecialToken": map[string]any{"id": "</s>", "type_id": 0}},
				},
				"special_tokens": map[string]any{
					"<s>":  map[string]any{"id": "<s>", "ids": []int{0}, "tokens": []string{"c"}},
					"</s>": map[string]any{"id": "</s>", "ids": []int{1}, "tokens": []string{"a"}},
				},
			}
		}, 0, 1, 1, 32, 0},
		{"no post-processor", func(f map[string]any) { f["post_processor"] = nil }, 6, 7, 7, 32, 0},
		{"no pre-tokenizer", func(f map[string]any) { delete(f, "pre_tokenizer") }, 6, 7, 7, 32, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			tok, err := tokenizer.Parse(edit(t, base, c.change))
			if err != nil {
				t.Fatal(err)
			}
			if tok.StartID() != c.start || tok.EndID() != c.end || tok.PadID() != c.pad || tok.ContextLength() != c.length {
				t.Errorf("StartID %d, EndID %d, PadID %d, ContextLength %d; want %d, %d, %d, %d",
					tok.StartID(), tok.EndID(), tok.PadID(), tok.ContextLength(), c.start, c.end, c.pad, c.length)
			}
			e := tok.EncodePadded("cat", 0)
			checkEncoding(t, tok, e, c.length)
		})
	}
}

func TestParseErrors(t *testing.T) {
	base := []byte(hfCLIPLayout)
	model := func(f map[string]any) map[string]any { return f["model"].(map[string]any) }
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"not JSON", []byte("{"), "not a tokenizer.json"},
		{"WordPiece", edit(t, base, func(f map[string]any) { model(f)["type"] = "WordPiece" }),
			"tokenizer.json: model.type is WordPiece; only BPE is supported"},
		{"no vocab", edit(t, base, func(f map[string]any) { delete(model(f), "vocab") }), "model.vocab is missing"},
		{"merge of unknown token", edit(t, base, func(f map[string]any) { model(f)["merges"] = []any{"c x"} }),
			`"x" is not in the vocabulary`},
		{"merge with three parts", edit(t, base, func(f map[string]any) { model(f)["merges"] = []any{"c a t"} }),
			"model.merges[0]"},
		{"merge pair of three", edit(t, base, func(f map[string]any) { model(f)["merges"] = []any{[]any{"c", "a", "t"}} }),
			"model.merges[0]"},
		{"GPT-2 pre-tokenizer", edit(t, base, func(f map[string]any) {
			f["pre_tokenizer"] = map[string]any{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}
		}), "GPT-2"},
		{"other split", edit(t, base, func(f map[string]any) {
			f["pre_tokenizer"] = map[string]any{"type": "Split", "pattern": map[string]any{"Regex": `\w+`}}
		}), "not CLIP's"},
		{"left truncation", edit(t, base, func(f map[string]any) {
			f["truncation"] = map[string]any{"direction": "Left", "max_length": 32}
		}), "truncation.direction is Left"},
		{"no start token", edit(t, base, func(f map[string]any) {
			f["post_processor"] = nil
			f["added_tokens"] = []any{}
			delete(model(f)["vocab"].(map[string]any), "<|startoftext|>")
		}), "no start token"},
		{"unknown unk", edit(t, base, func(f map[string]any) { model(f)["unk_token"] = "<unk>" }), "model.unk_token"},
		{"prefix", edit(t, base, func(f map[string]any) { model(f)["continuing_subword_prefix"] = "##" }),
			"continuing_subword_prefix"},
		{"duplicate ids", edit(t, base, func(f map[string]any) { model(f)["vocab"].(map[string]any)["x"] = 0 }),
			"both have id 0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := tokenizer.Parse(c.data)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Parse error = %v; want one containing %q", err, c.want)
			}
		})
	}
}

// randomPhrases returns n phrases mixing reference prompts, their words and
// random runes, the same for every run.
func randomPhrases(t *testing.T, n int) []string {
	var words []string
	for _, r := range references(t) {
		words = append(words, strings.Fields(r.Text)...)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	phrases := make([]string, n)
	for i := range phrases {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			if rng.IntN(5) == 0 {
				for range 1 + rng.IntN(4) {
					b.WriteRune(rune(rng.IntN(0x20000)))
				}
			} else {
				b.WriteString(words[rng.IntN(len(words))])
			}
			b.WriteString([]string{" ", " ", "", "\t", ", "}[rng.IntN(5)])
		}
		phrases[i] = b.String()
	}
	return phrases
}

func TestJSONRoundTrip(t *testing.T) {
	tok := clip(t)
	data, err := tok.JSON()
	if err != nil {
		t.Fatal(err)
	}
	strings2 := edit(t, data, func(f map[string]any) {})
	pairs := edit(t, data, func(f map[string]any) {
		m := f["model"].(map[string]any)
		merges := m["merges"].([]any)
		for i, s := range merges {
			a, b, _ := strings.Cut(s.(string), " ")
			merges[i] = []any{a, b}
		}
	})
	phrases := randomPhrases(t, 300)
	for name, data := range map[string][]byte{"JSON()": data, "strings": strings2, "pairs": pairs} {
		t.Run(name, func(t *testing.T) {
			back, err := tokenizer.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if back.VocabSize() != 49408 || back.StartID() != clipStart || back.EndID() != clipEnd ||
				back.PadID() != clipEnd || back.ContextLength() != 32 {
				t.Errorf("VocabSize %d, StartID %d, EndID %d, PadID %d, ContextLength %d after Parse",
					back.VocabSize(), back.StartID(), back.EndID(), back.PadID(), back.ContextLength())
			}
			for _, p := range phrases {
				want, got := tok.EncodePadded(p, 32), back.EncodePadded(p, 32)
				if !slices.Equal(got.IDs, want.IDs) || !slices.Equal(got.AttentionMask, want.AttentionMask) || got.Truncated != want.Truncated {
					t.Fatalf("EncodePadded(%q) after round trip = %+v; want %+v", p, got, want)
				}
			}
		})
	}
	if !strings.Contains(string(data), `"merges": [`) || !strings.Contains(string(data), `"i n"`) {
		t.Errorf("JSON() does not write merges as \"a b\" strings")
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokenizer.json")
	if err := os.WriteFile(path, []byte(hfCLIPLayout), 0o644); err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Encode("cat"); !slices.Equal(got, []int{5}) {
		t.Errorf("Encode(cat) = %v; want [5]", got)
	}
	if _, err := tokenizer.Load(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("Load of a missing file succeeded")
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"model": {"type": "Unigram"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := tokenizer.Load(bad); err == nil || !strings.Contains(err.Error(), bad+": model.type is Unigram") {
		t.Errorf("Load error = %v; want it to name the file and the model type", err)
	}
}
