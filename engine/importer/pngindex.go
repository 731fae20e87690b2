package importer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	"image/png"
	"maps"
	"slices"

	"github.com/samwise-app/samwise/engine/mask"
)

// indexImage is a picture of indices, one byte per pixel, row by row.
type indexImage struct {
	w, h int
	pix  []byte
}

// indexPNG decodes a PNG of indices (palette or grey).
func indexPNG(zf *zip.File) (*indexImage, error) {
	b, err := readEntry(zf)
	if err != nil {
		return nil, err
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("not a PNG: %v", err)
	}
	if why := checkSize(cfg.Width, cfg.Height); why != "" {
		return nil, fmt.Errorf("%s", why)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("not a PNG: %v", err)
	}
	var pix []byte
	var stride int
	switch m := img.(type) {
	case *image.Paletted:
		pix, stride = m.Pix, m.Stride
	case *image.Gray:
		pix, stride = m.Pix, m.Stride
	default:
		return nil, fmt.Errorf("a colour PNG: class and object PNGs hold indices (a palette or grey levels)")
	}
	out := &indexImage{w: cfg.Width, h: cfg.Height, pix: make([]byte, cfg.Width*cfg.Height)}
	for y := range out.h {
		copy(out.pix[y*out.w:(y+1)*out.w], pix[y*stride:])
	}
	return out, nil
}

// className is the class most of a mask's pixels have in a class PNG
// (VOC's SegmentationClass, the labels/ of Samwise's mask export): "" when
// it is the background, VOC's border (255) or an index classes lacks.
func className(class *indexImage, m *mask.Mask, classes []string) string {
	var votes [256]int
	for i, v := range m.Pix {
		if v != 0 {
			votes[class.pix[i]]++
		}
	}
	best := 0
	for c := range votes {
		if votes[c] > votes[best] {
			best = c
		}
	}
	if best == 0 || best == vocVoid || best >= len(classes) {
		return ""
	}
	return classes[best]
}

// masksByIndex splits an index picture into a mask per index that keep
// accepts, and returns them with their indices in increasing order.
func masksByIndex(img *indexImage, keep func(v uint8) bool) (map[uint8]*mask.Mask, []uint8) {
	masks := map[uint8]*mask.Mask{}
	for i, v := range img.pix {
		if !keep(v) {
			continue
		}
		m := masks[v]
		if m == nil {
			m = mask.New(img.w, img.h)
			masks[v] = m
		}
		m.Pix[i] = 1
	}
	return masks, slices.Sorted(maps.Keys(masks))
}
