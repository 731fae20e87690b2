package importer

import (
	"fmt"
	"maps"
	"slices"
)

// placement is where a picture of the file goes: a target and a frame of
// it (ti < 0 when no media matches), or why it cannot be placed.
type placement struct {
	ti, frame int
	why       string
	// named: found by its file name (not by Samwise's media_id, nor by a
	// video's list of frames).
	named bool
}

// place finds where every picture of f goes, once.
func place(f *File, match *matcher) []placement {
	out := make([]placement, len(f.Pictures))
	for i := range f.Pictures {
		p := &f.Pictures[i]
		ti, frame, why := match.find(p)
		out[i] = placement{ti: ti, frame: frame, why: why, named: match.named(p)}
	}
	return out
}

// fromOne takes one from the named frames of the videos that the file
// numbers from 1, and returns a note for each. A file that names frames by
// number may count from 1, as ffmpeg's image2 muxer does ("%06d.jpg" starts
// at 000001.jpg). When the named frames of a video start at 1 or later and
// reach exactly one past its last frame, they can only count from 1; other
// files are taken to count from 0, as Samwise's and CVAT's exports do.
func fromOne(places []placement, targets []Target) []string {
	type span struct{ lo, hi int }
	spans := map[int]*span{}
	for _, pl := range places {
		if pl.ti < 0 || pl.why != "" || !pl.named || targets[pl.ti].Media.Frames <= 1 {
			continue
		}
		if s := spans[pl.ti]; s == nil {
			spans[pl.ti] = &span{pl.frame, pl.frame}
		} else {
			s.lo, s.hi = min(s.lo, pl.frame), max(s.hi, pl.frame)
		}
	}
	var notes []string
	for _, ti := range slices.Sorted(maps.Keys(spans)) {
		s, n := spans[ti], targets[ti].Media.Frames
		if s.lo < 1 || s.hi != n {
			continue
		}
		for i := range places {
			if places[i].ti == ti && places[i].named && places[i].why == "" {
				places[i].frame--
			}
		}
		notes = append(notes, fmt.Sprintf("%s: the file numbers its frames from 1 (they run %d to %d and the video's are 0 to %d), so each was taken one lower",
			nameOf(targets[ti].Media), s.lo, s.hi, n-1))
	}
	return notes
}
