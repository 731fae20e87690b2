package tokenizer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// hfFile is the part of a Hugging Face tokenizer.json this package reads.
type hfFile struct {
	Truncation *struct {
		MaxLength int    `json:"max_length"`
		Direction string `json:"direction"`
	} `json:"truncation"`
	Padding *struct {
		Strategy  json.RawMessage `json:"strategy"`
		Direction string          `json:"direction"`
		PadID     *int            `json:"pad_id"`
		PadToken  *string         `json:"pad_token"`
	} `json:"padding"`
	AddedTokens   []addedToken    `json:"added_tokens"`
	PreTokenizer  json.RawMessage `json:"pre_tokenizer"`
	PostProcessor json.RawMessage `json:"post_processor"`
	Model         struct {
		Type                    string          `json:"type"`
		Vocab                   map[string]int  `json:"vocab"`
		Merges                  json.RawMessage `json:"merges"`
		UnkToken                *string         `json:"unk_token"`
		ContinuingSubwordPrefix *string         `json:"continuing_subword_prefix"`
		EndOfWordSuffix         *string         `json:"end_of_word_suffix"`
		ByteFallback            bool            `json:"byte_fallback"`
		Dropout                 *float64        `json:"dropout"`
	} `json:"model"`
}

// hfComponent is a normalizer, pre-tokenizer or post-processor of a
// tokenizer.json; Sequence components nest.
type hfComponent struct {
	Type          string          `json:"type"`
	PreTokenizers []hfComponent   `json:"pretokenizers"`
	Processors    []hfComponent   `json:"processors"`
	Pattern       json.RawMessage `json:"pattern"`
	UseRegex      *bool           `json:"use_regex"`
	// RobertaProcessing and BertProcessing.
	CLS []json.RawMessage `json:"cls"`
	SEP []json.RawMessage `json:"sep"`
	// TemplateProcessing.
	Single []struct {
		SpecialToken *struct {
			ID string `json:"id"`
		} `json:"SpecialToken"`
		Sequence json.RawMessage `json:"Sequence"`
	} `json:"single"`
	SpecialTokens map[string]struct {
		IDs []int `json:"ids"`
	} `json:"special_tokens"`
}

// Load reads a Hugging Face tokenizer.json.
func Load(path string) (*Tokenizer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parse(data, path)
}

// Parse reads the contents of a Hugging Face tokenizer.json with a BPE model,
// such as CLIP's or SAM 3's: the vocabulary, the merges (as "a b" strings or
// ["a", "b"] pairs), the added tokens, the start and end tokens of the post
// processor (else <|startoftext|> and <|endoftext|>), and the padding and
// truncation settings (else pad with the end token to 32).
func Parse(data []byte) (*Tokenizer, error) {
	return parse(data, "tokenizer.json")
}

// parse is Parse, naming the file name in errors.
func parse(data []byte, name string) (*Tokenizer, error) {
	var f hfFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: not a tokenizer.json: %w", name, err)
	}
	m := &f.Model
	switch {
	case m.Type != "" && m.Type != "BPE":
		return nil, fmt.Errorf("%s: model.type is %s; only BPE is supported", name, m.Type)
	case len(m.Vocab) == 0:
		return nil, fmt.Errorf("%s: model.vocab is missing or empty; give a BPE model's vocabulary", name)
	case m.ContinuingSubwordPrefix != nil && *m.ContinuingSubwordPrefix != "":
		return nil, fmt.Errorf("%s: model.continuing_subword_prefix is %q; only an empty prefix is supported", name, *m.ContinuingSubwordPrefix)
	case m.ByteFallback:
		return nil, fmt.Errorf("%s: model.byte_fallback is true; only byte-level BPE without byte fallback is supported", name)
	case m.Dropout != nil && *m.Dropout != 0:
		return nil, fmt.Errorf("%s: model.dropout is %v; set it to null for inference", name, *m.Dropout)
	}
	if err := checkPreTokenizer(f.PreTokenizer); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	merges, err := parseMerges(m.Merges)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c := config{vocab: m.Vocab, merges: merges, added: f.AddedTokens, unkID: -1}
	if m.EndOfWordSuffix != nil {
		c.suffix = *m.EndOfWordSuffix
	}
	find := func(tok string) (int, bool) {
		for _, a := range f.AddedTokens {
			if a.Content == tok {
				return a.ID, true
			}
		}
		id, ok := m.Vocab[tok]
		return id, ok
	}
	start, end, err := postProcessorIDs(f.PostProcessor)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var ok bool
	if c.startID = start; start < 0 {
		if c.startID, ok = find(StartToken); !ok {
			return nil, fmt.Errorf("%s: no start token: the post_processor names none and %s is not in added_tokens or the vocabulary; add it", name, StartToken)
		}
	}
	if c.endID = end; end < 0 {
		if c.endID, ok = find(EndToken); !ok {
			return nil, fmt.Errorf("%s: no end token: the post_processor names none and %s is not in added_tokens or the vocabulary; add it", name, EndToken)
		}
	}
	if m.UnkToken != nil {
		if c.unkID, ok = find(*m.UnkToken); !ok {
			return nil, fmt.Errorf("%s: model.unk_token %q is not in the vocabulary; add it or set unk_token to null", name, *m.UnkToken)
		}
	}
	c.padID = c.endID
	if p := f.Padding; p != nil {
		if p.Direction != "" && p.Direction != "Right" {
			return nil, fmt.Errorf("%s: padding.direction is %s; only Right is supported", name, p.Direction)
		}
		switch {
		case p.PadID != nil:
			c.padID = *p.PadID
		case p.PadToken != nil:
			if c.padID, ok = find(*p.PadToken); !ok {
				return nil, fmt.Errorf("%s: padding.pad_token %q is not in the vocabulary; add it or give padding.pad_id", name, *p.PadToken)
			}
		}
		var fixed struct {
			Fixed int `json:"Fixed"`
		}
		if json.Unmarshal(p.Strategy, &fixed) == nil && fixed.Fixed > 0 {
			c.maxLength = fixed.Fixed
		}
	}
	if tr := f.Truncation; tr != nil {
		if tr.Direction != "" && tr.Direction != "Right" {
			return nil, fmt.Errorf("%s: truncation.direction is %s; only Right is supported", name, tr.Direction)
		}
		if tr.MaxLength > 0 {
			c.maxLength = tr.MaxLength
		}
	}
	t, err := build(c)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// parseMerges reads model.merges in either of its encodings: "a b" strings
// (tokenizers before 0.20) or ["a", "b"] pairs.
func parseMerges(raw json.RawMessage) ([][2]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("model.merges is not a list: %w", err)
	}
	merges := make([][2]string, len(items))
	for i, item := range items {
		var s string
		if json.Unmarshal(item, &s) == nil {
			parts := strings.Split(s, " ")
			if len(parts) != 2 {
				return nil, fmt.Errorf("model.merges[%d] is %q; write each merge as two tokens separated by one space, or as a pair [\"a\", \"b\"]", i, s)
			}
			merges[i] = [2]string{parts[0], parts[1]}
			continue
		}
		var pair []string
		if err := json.Unmarshal(item, &pair); err != nil || len(pair) != 2 {
			return nil, fmt.Errorf("model.merges[%d] is %s; write each merge as \"a b\" or as a pair [\"a\", \"b\"]", i, item)
		}
		merges[i] = [2]string{pair[0], pair[1]}
	}
	return merges, nil
}

// checkPreTokenizer rejects pre-tokenizers that would split text differently
// from CLIP's regular expression, which is the one this package implements.
func checkPreTokenizer(raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var c hfComponent
	if err := json.Unmarshal(raw, &c); err != nil {
		return fmt.Errorf("pre_tokenizer: %w", err)
	}
	var check func(c hfComponent) error
	check = func(c hfComponent) error {
		switch c.Type {
		case "Sequence":
			for _, p := range c.PreTokenizers {
				if err := check(p); err != nil {
					return err
				}
			}
		case "Split":
			var p struct{ Regex, String *string }
			_ = json.Unmarshal(c.Pattern, &p)
			if p.Regex == nil || *p.Regex != clipPattern {
				return fmt.Errorf("pre_tokenizer: Split pattern is %s, not CLIP's; only CLIP's pre-tokenizer (%s) is supported", c.Pattern, clipPattern)
			}
		case "ByteLevel":
			if c.UseRegex == nil || *c.UseRegex {
				return fmt.Errorf("pre_tokenizer: ByteLevel with use_regex splits text the GPT-2 way; only CLIP's pre-tokenizer (a Split with CLIP's pattern, then ByteLevel with use_regex false) is supported")
			}
		case "Whitespace", "WhitespaceSplit", "Punctuation", "Digits":
			// CLIP's pattern already separates these.
		default:
			return fmt.Errorf("pre_tokenizer: type %s is not supported; only CLIP's pre-tokenizer is", c.Type)
		}
		return nil
	}
	return check(c)
}

// postProcessorIDs returns the start and end token ids a post-processor adds
// around a single sequence, -1 where it names none.
func postProcessorIDs(raw json.RawMessage) (start, end int, err error) {
	start, end = -1, -1
	if len(raw) == 0 || string(raw) == "null" {
		return start, end, nil
	}
	var c hfComponent
	if err := json.Unmarshal(raw, &c); err != nil {
		return start, end, fmt.Errorf("post_processor: %w", err)
	}
	var visit func(c hfComponent) error
	visit = func(c hfComponent) error {
		switch c.Type {
		case "Sequence":
			for _, p := range c.Processors {
				if err := visit(p); err != nil {
					return err
				}
			}
		case "RobertaProcessing", "BertProcessing":
			var err error
			if start, err = pairID(c.CLS); err != nil {
				return fmt.Errorf("post_processor: cls: %w", err)
			}
			if end, err = pairID(c.SEP); err != nil {
				return fmt.Errorf("post_processor: sep: %w", err)
			}
		case "TemplateProcessing":
			seenSequence := false
			for _, piece := range c.Single {
				if piece.Sequence != nil {
					seenSequence = true
					continue
				}
				if piece.SpecialToken == nil {
					continue
				}
				st, ok := c.SpecialTokens[piece.SpecialToken.ID]
				if !ok || len(st.IDs) != 1 {
					return fmt.Errorf("post_processor: special token %q of the template needs exactly one id in special_tokens", piece.SpecialToken.ID)
				}
				if seenSequence {
					end = st.IDs[0]
				} else {
					start = st.IDs[0]
				}
			}
		}
		return nil
	}
	return start, end, visit(c)
}

// pairID reads the id of a ["token", id] pair.
func pairID(pair []json.RawMessage) (int, error) {
	if len(pair) != 2 {
		return 0, fmt.Errorf("want a [\"token\", id] pair")
	}
	var id int
	if err := json.Unmarshal(pair[1], &id); err != nil {
		return 0, fmt.Errorf("want a [\"token\", id] pair: %w", err)
	}
	return id, nil
}

// JSON writes the tokenizer as a tokenizer.json in the layout of Hugging
// Face's CLIP ones, which Parse reads back to the same ids: CLIP's normalizer,
// pre-tokenizer, post-processor and decoder, right padding and truncation to
// the context length, the added tokens, and the BPE model with its vocabulary
// in id order and its merges in rank order ("a b" strings, or pairs when a
// token holds a space).
func (t *Tokenizer) JSON() ([]byte, error) {
	tok := func(id int) json.RawMessage { return jsonString(t.tokens[id]) }
	pair := func(id int) json.RawMessage {
		return json.RawMessage("[" + string(tok(id)) + "," + strconv.Itoa(id) + "]")
	}
	var unk any
	if t.unkID >= 0 {
		unk = tok(t.unkID)
	}
	added := t.added
	if added == nil {
		added = []addedToken{}
	}
	type model struct {
		Type                    string          `json:"type"`
		Dropout                 any             `json:"dropout"`
		UnkToken                any             `json:"unk_token"`
		ContinuingSubwordPrefix string          `json:"continuing_subword_prefix"`
		EndOfWordSuffix         string          `json:"end_of_word_suffix"`
		FuseUnk                 bool            `json:"fuse_unk"`
		ByteFallback            bool            `json:"byte_fallback"`
		Vocab                   json.RawMessage `json:"vocab"`
		Merges                  json.RawMessage `json:"merges"`
	}
	file := struct {
		Version       string          `json:"version"`
		Truncation    any             `json:"truncation"`
		Padding       any             `json:"padding"`
		AddedTokens   []addedToken    `json:"added_tokens"`
		Normalizer    json.RawMessage `json:"normalizer"`
		PreTokenizer  any             `json:"pre_tokenizer"`
		PostProcessor any             `json:"post_processor"`
		Decoder       json.RawMessage `json:"decoder"`
		Model         model           `json:"model"`
	}{
		Version: "1.0",
		Truncation: map[string]any{
			"direction": "Right", "max_length": t.maxLength, "strategy": "LongestFirst", "stride": 0,
		},
		Padding: map[string]any{
			"strategy": map[string]int{"Fixed": t.maxLength}, "direction": "Right",
			"pad_to_multiple_of": nil, "pad_id": t.padID, "pad_type_id": 0, "pad_token": tok(t.padID),
		},
		AddedTokens: added,
		Normalizer:  json.RawMessage(`{"type":"Sequence","normalizers":[{"type":"NFC"},{"type":"Replace","pattern":{"Regex":"\\s+"},"content":" "},{"type":"Lowercase"}]}`),
		PreTokenizer: map[string]any{"type": "Sequence", "pretokenizers": []any{
			map[string]any{"type": "Split", "pattern": map[string]string{"Regex": clipPattern}, "behavior": "Removed", "invert": true},
			map[string]any{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false},
		}},
		PostProcessor: map[string]any{
			"type": "RobertaProcessing", "sep": pair(t.endID), "cls": pair(t.startID),
			"trim_offsets": false, "add_prefix_space": false,
		},
		Decoder: json.RawMessage(`{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true,"use_regex":true}`),
		Model: model{
			Type:            "BPE",
			UnkToken:        unk,
			EndOfWordSuffix: t.suffix,
			Vocab:           t.vocabJSON(),
			Merges:          t.mergesJSON(),
		},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(file); err != nil {
		return nil, fmt.Errorf("tokenizer: write tokenizer.json: %w", err)
	}
	return buf.Bytes(), nil
}

// vocabJSON writes every token, added tokens included, as a JSON object in
// id order.
func (t *Tokenizer) vocabJSON() json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for id, tok := range t.tokens {
		if tok == "" {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.Write(jsonString(tok))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(id))
	}
	b.WriteByte('}')
	return b.Bytes()
}

// mergesJSON writes the merges as "a b" strings, or as pairs when a token
// contains a space and the string form would be ambiguous.
func (t *Tokenizer) mergesJSON() json.RawMessage {
	pairs := false
	for _, m := range t.mergeList {
		if strings.Contains(m[0], " ") || strings.Contains(m[1], " ") {
			pairs = true
			break
		}
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for i, m := range t.mergeList {
		if i > 0 {
			b.WriteByte(',')
		}
		if pairs {
			b.WriteByte('[')
			b.Write(jsonString(m[0]))
			b.WriteByte(',')
			b.Write(jsonString(m[1]))
			b.WriteByte(']')
		} else {
			b.Write(jsonString(m[0] + " " + m[1]))
		}
	}
	b.WriteByte(']')
	return b.Bytes()
}

// jsonString writes s as a JSON string without HTML escaping.
func jsonString(s string) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // strings always encode
	return bytes.TrimRight(b.Bytes(), "\n")
}
