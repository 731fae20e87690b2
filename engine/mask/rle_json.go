package mask

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// rleJSON is RLE without its JSON methods.
type rleJSON struct {
	Size   [2]int `json:"size"`
	Counts string `json:"counts"`
}

// MarshalJSON writes r as {"size": [h, w], "counts": "..."}, always in the
// compressed string form.
func (r RLE) MarshalJSON() ([]byte, error) {
	return json.Marshal(rleJSON(r))
}

// UnmarshalJSON reads a COCO RLE object whose "counts" is either the
// compressed string or the uncompressed list of run lengths (which it
// compresses). It validates the size and the runs like Decode, so that a
// successfully read RLE always decodes. JSON null leaves r unchanged.
func (r *RLE) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	var raw struct {
		Size   []int           `json:"size"`
		Counts json.RawMessage `json:"counts"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidRLE, err)
	}
	if len(raw.Size) != 2 {
		return fmt.Errorf("%w: size must be [height, width]", ErrInvalidRLE)
	}
	h, w := raw.Size[0], raw.Size[1]
	if err := checkSize(w, h); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidRLE, err)
	}
	n := h * w
	var counts string
	switch c := bytes.TrimSpace(raw.Counts); {
	case len(c) > 0 && c[0] == '"':
		if err := json.Unmarshal(c, &counts); err != nil {
			return fmt.Errorf("%w: %v", ErrInvalidRLE, err)
		}
		if err := walkCounts(counts, n, func(int) {}); err != nil {
			return err
		}
	case len(c) > 0 && c[0] == '[':
		var list []int
		if err := json.Unmarshal(c, &list); err != nil {
			return fmt.Errorf("%w: %v", ErrInvalidRLE, err)
		}
		if err := checkCounts(list, n); err != nil {
			return err
		}
		counts = string(appendCounts(make([]byte, 0, 2*len(list)), list))
	default:
		return fmt.Errorf("%w: counts must be a string or a list of integers", ErrInvalidRLE)
	}
	*r = RLE{Size: [2]int{h, w}, Counts: counts}
	return nil
}
