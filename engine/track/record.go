package track

import (
	"encoding/binary"
	"encoding/json"
	"sort"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/store"
)

var (
	bucketSessions = store.RegisterBucket("video_sessions")
	bucketFrames   = store.RegisterBucket("video_frames")
)

// Prompt is one object's prompt on one frame, as given (original pixels).
type Prompt struct {
	Points [][2]float64 `json:"points,omitempty"`
	Labels []int        `json:"labels,omitempty"`
	Box    *[4]float64  `json:"box,omitempty"`
}

// Session kinds.
const (
	kindPoints  = ""        // points, boxes and masks per object (PVS)
	kindConcept = "concept" // a concept detected and tracked (PCS)
)

// Record is a stored session: the API view plus what rebuilding it needs.
type Record struct {
	api.VideoSession
	Kind     string              `json:"kind,omitempty"`
	Concept  *api.PCSVideoPrompt `json:"concept,omitempty"`
	MediaSHA string              `json:"media_sha256"`
	// Prompts maps object id → frame → prompt.
	Prompts map[int]map[int]Prompt `json:"prompts"`
}

// view fills the derived fields of the API view.
func (r *Record) view() api.VideoSession {
	v := r.VideoSession
	v.Kind = "points"
	if r.Kind == kindConcept {
		v.Kind = "concept"
	}
	v.Objects = []int{}
	v.Prompted = map[string][]int{}
	for id, frames := range r.Prompts {
		v.Objects = append(v.Objects, id)
		var fs []int
		for f := range frames {
			fs = append(fs, f)
		}
		sort.Ints(fs)
		v.Prompted[strconv.Itoa(id)] = fs
	}
	sort.Ints(v.Objects)
	return v
}

// promptedFrames returns every prompted frame of an object, sorted.
func (r *Record) promptedFrames(obj int) []int {
	var fs []int
	for f := range r.Prompts[obj] {
		fs = append(fs, f)
	}
	sort.Ints(fs)
	return fs
}

// StoredObject is one object's result on one frame.
type StoredObject struct {
	Mask        mask.RLE   `json:"mask"`
	Score       float64    `json:"score"`
	ObjectScore float64    `json:"object_score"`
	Area        int        `json:"area"`
	Box         [4]float64 `json:"box"`
}

// StoredFrame is every object's latest result on one frame.
type StoredFrame struct {
	Objects map[int]StoredObject `json:"objects"`
}

// toAPI converts to the API shape, objects in id order.
func (f *StoredFrame) toAPI(frame int) api.FrameResult {
	fr := api.FrameResult{Frame: frame, Objects: []api.ObjectResult{}}
	ids := make([]int, 0, len(f.Objects))
	for id := range f.Objects {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		o := f.Objects[id]
		rle := o.Mask
		fr.Objects = append(fr.Objects, api.ObjectResult{ObjectID: id, Score: o.Score, IoU: o.Score, ObjectScore: o.ObjectScore, Box: o.Box, Area: o.Area, Mask: &rle})
	}
	return fr
}

func frameKey(f int) []byte {
	k := make([]byte, 4)
	binary.BigEndian.PutUint32(k, uint32(f))
	return k
}

// mergeFrame stores objs as the latest results of their objects on frame,
// keeping other objects' results, inside tx.
func mergeFrame(tx *bolt.Tx, session string, frame int, objs map[int]StoredObject) error {
	b, err := tx.Bucket(bucketFrames).CreateBucketIfNotExists([]byte(session))
	if err != nil {
		return err
	}
	var sf StoredFrame
	if raw := b.Get(frameKey(frame)); raw != nil {
		if err := json.Unmarshal(raw, &sf); err != nil {
			return err
		}
	}
	if sf.Objects == nil {
		sf.Objects = map[int]StoredObject{}
	}
	for id, o := range objs {
		sf.Objects[id] = o
	}
	raw, err := json.Marshal(sf)
	if err != nil {
		return err
	}
	return b.Put(frameKey(frame), raw)
}

// removeObject deletes an object's results from every frame of a session.
func removeObject(tx *bolt.Tx, session string, obj int) error {
	b := tx.Bucket(bucketFrames).Bucket([]byte(session))
	if b == nil {
		return nil
	}
	type kv struct{ k, v []byte }
	var updates []kv
	err := b.ForEach(func(k, v []byte) error {
		var sf StoredFrame
		if err := json.Unmarshal(v, &sf); err != nil {
			return err
		}
		if _, ok := sf.Objects[obj]; !ok {
			return nil
		}
		delete(sf.Objects, obj)
		raw, err := json.Marshal(sf)
		updates = append(updates, kv{append([]byte(nil), k...), raw})
		return err
	})
	if err != nil {
		return err
	}
	for _, u := range updates {
		if err := b.Put(u.k, u.v); err != nil {
			return err
		}
	}
	return nil
}
