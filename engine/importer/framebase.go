package importer

import (
	"fmt"
	"maps"
	"slices"
)

// oneBased returns the videos (target indexes) whose frames the file
// numbers from 1, with a note for each. A file that names frames by number
// (not by Samwise's media_id, nor by YouTube-VIS's list) may count from 1,
// as ffmpeg's image2 muxer does ("%06d.jpg" starts at 000001.jpg). When the
// named frames of a video start at 1 or later and reach exactly one past its
// last frame, they can only count from 1, and each is taken one lower; other
// files are taken to count from 0, as Samwise's and CVAT's exports do.
func oneBased(f *File, match *matcher) (map[int]bool, []string) {
	type span struct{ lo, hi int }
	spans := map[int]*span{}
	for i := range f.Pictures {
		p := &f.Pictures[i]
		ti, frame, why := match.find(p)
		if ti < 0 || why != "" || !match.named(p) || match.targets[ti].Media.Frames <= 1 {
			continue
		}
		if s := spans[ti]; s == nil {
			spans[ti] = &span{frame, frame}
		} else {
			s.lo, s.hi = min(s.lo, frame), max(s.hi, frame)
		}
	}
	shift := map[int]bool{}
	var notes []string
	for _, ti := range slices.Sorted(maps.Keys(spans)) {
		s, n := spans[ti], match.targets[ti].Media.Frames
		if s.lo >= 1 && s.hi == n {
			shift[ti] = true
			notes = append(notes, fmt.Sprintf("%s: the file numbers its frames from 1 (they run %d to %d and the video's are 0 to %d), so each was taken one lower",
				nameOf(match.targets[ti].Media), s.lo, s.hi, n-1))
		}
	}
	return shift, notes
}
