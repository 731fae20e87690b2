package track

import (
	"encoding/binary"
	"encoding/json"
	"sort"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/store"
)

func readFrame(tx *bolt.Tx, session string, frame int) (*StoredFrame, error) {
	sf := &StoredFrame{Objects: map[int]StoredObject{}}
	b := tx.Bucket(bucketFrames).Bucket([]byte(session))
	if b == nil {
		return sf, nil
	}
	raw := b.Get(frameKey(frame))
	if raw == nil {
		return sf, nil
	}
	return sf, json.Unmarshal(raw, sf)
}

func putRecordTx(tx *bolt.Tx, rec *Record) error {
	return store.PutJSON(tx, bucketSessions, rec.SessionID, rec)
}

// Frame returns the stored masks of one frame.
func (s *Service) Frame(id string, frame int) (*api.FrameResult, error) {
	rec, err := s.record(id)
	if err != nil {
		return nil, err
	}
	if frame < 0 || frame >= rec.Frames {
		return nil, &InputError{Field: "frame", Msg: "frame is out of range: the video has frames 0 to " + itoa(rec.Frames-1)}
	}
	var fr api.FrameResult
	err = s.db.Bolt().View(func(tx *bolt.Tx) error {
		sf, err := readFrame(tx, id, frame)
		fr = sf.toAPI(frame)
		return err
	})
	return &fr, err
}

// Results returns stored frames after frame "after" (-1: from the start),
// at most limit, and the next cursor (nil at the end).
func (s *Service) Results(id string, after, limit int) (*api.SessionResults, error) {
	if _, err := s.record(id); err != nil {
		return nil, err
	}
	out := &api.SessionResults{Frames: []api.FrameResult{}}
	err := s.db.Bolt().View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFrames).Bucket([]byte(id))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		k, v := c.Seek(frameKey(after + 1))
		for ; k != nil && len(out.Frames) < limit; k, v = c.Next() {
			var sf StoredFrame
			if err := json.Unmarshal(v, &sf); err != nil {
				return err
			}
			if len(sf.Objects) > 0 {
				out.Frames = append(out.Frames, sf.toAPI(int(binary.BigEndian.Uint32(k))))
			}
		}
		if k != nil && len(out.Frames) > 0 {
			next := out.Frames[len(out.Frames)-1].Frame
			out.Next = &next
		}
		return nil
	})
	return out, err
}

// AllFrames calls fn for every stored frame of a session in order.
func (s *Service) AllFrames(id string, fn func(api.FrameResult) error) error {
	return s.db.Bolt().View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFrames).Bucket([]byte(id))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var sf StoredFrame
			if err := json.Unmarshal(v, &sf); err != nil {
				return err
			}
			if len(sf.Objects) == 0 {
				return nil
			}
			return fn(sf.toAPI(int(binary.BigEndian.Uint32(k))))
		})
	})
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// Doc returns the session's results as an annotation document (one object
// per tracked object, masks per frame), the shape the export package reads.
func (s *Service) Doc(id string) (*api.AnnotationDoc, error) {
	rec, err := s.record(id)
	if err != nil {
		return nil, err
	}
	objs := map[int]*api.AnnotatedObject{}
	err = s.AllFrames(id, func(fr api.FrameResult) error {
		for _, o := range fr.Objects {
			if o.Area == 0 || o.Mask == nil {
				continue
			}
			ao := objs[o.ObjectID]
			if ao == nil {
				ao = &api.AnnotatedObject{ObjectID: o.ObjectID, Label: "object", Visible: true, Masks: map[string]api.RLE{}}
				objs[o.ObjectID] = ao
			}
			ao.Masks[strconv.Itoa(fr.Frame)] = *o.Mask
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	doc := &api.AnnotationDoc{MediaID: rec.MediaID, Objects: []api.AnnotatedObject{}}
	ids := make([]int, 0, len(objs))
	for id := range objs {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		doc.Objects = append(doc.Objects, *objs[id])
	}
	return doc, nil
}
