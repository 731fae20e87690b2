package imaging

import "image"

// orientBlock is the number of source rows transposed together for the
// orientations that turn rows into columns, so that each destination write
// covers a whole cache line instead of one pixel.
const orientBlock = 16

// Orient returns img transformed for EXIF orientation o (see [Orientation])
// so that it appears upright, the way image viewers show it. For o = 1 or a
// value outside 1–8 it returns img itself. Otherwise it returns a new
// *image.NRGBA whose bounds start at (0, 0); for o = 5–8 its width and height
// are the source's height and width.
func Orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	src := imageSource(img)
	w, h := src.w, src.h
	if o >= 5 {
		dst := image.NewNRGBA(image.Rect(0, 0, h, w))
		transposeRows(dst, src, o)
		return dst
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	parallelFor(h, 64, func() func(lo, hi int) {
		scratch := make([]byte, 4*w)
		return func(lo, hi int) {
			for y := lo; y < hi; y++ {
				row := src.row(y, scratch)
				dy := y
				if o != 2 { // 3 and 4 flip vertically
					dy = h - 1 - y
				}
				out := dst.Pix[dy*dst.Stride : dy*dst.Stride+4*w]
				if o == 4 {
					copy(out, row)
					continue
				}
				for x := 0; x < w; x++ { // 2 and 3 mirror horizontally
					*(*[4]byte)(out[4*(w-1-x):]) = [4]byte(row[4*x:])
				}
			}
		}
	})
	return dst
}

// transposeRows handles orientations 5–8, where source row sy becomes a
// destination column. For source pixel (sx, sy) of a w×h image:
//
//	5: (sy, sx)          6: (h-1-sy, sx)
//	7: (h-1-sy, w-1-sx)  8: (sy, w-1-sx)
func transposeRows(dst *image.NRGBA, src rowSource, o int) {
	w, h := src.w, src.h
	flipX := o == 6 || o == 7 // destination x runs from right to left
	flipY := o == 7 || o == 8 // destination y runs from bottom to top
	blocks := (h + orientBlock - 1) / orientBlock
	parallelFor(blocks, 4, func() func(lo, hi int) {
		scratch := make([]byte, orientBlock*4*w)
		rows := make([][]byte, orientBlock)
		return func(lo, hi int) {
			for blk := lo; blk < hi; blk++ {
				sy0 := blk * orientBlock
				n := min(orientBlock, h-sy0)
				for k := 0; k < n; k++ {
					rows[k] = src.row(sy0+k, scratch[k*4*w:(k+1)*4*w])
				}
				// Destination columns covered by this block, left to right.
				dx0 := sy0
				if flipX {
					dx0 = h - sy0 - n
				}
				for sx := 0; sx < w; sx++ {
					dy := sx
					if flipY {
						dy = w - 1 - sx
					}
					out := dst.Pix[dy*dst.Stride+4*dx0 : dy*dst.Stride+4*(dx0+n)]
					for k := 0; k < n; k++ {
						j := k
						if flipX {
							j = n - 1 - k
						}
						*(*[4]byte)(out[4*j:]) = [4]byte(rows[k][4*sx:])
					}
				}
			}
		}
	})
}
