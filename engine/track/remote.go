package track

import (
	"context"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/model"
)

// runRemote runs a job placed on the GPU worker (the job is built by remote). Frames the
// worker produced stay committed; when it fails (or the job resumes after an
// interruption) the rest runs here, continuing after run.Resume. It returns an error
// only when the job must stop (cancelled).
func (s *Service) runRemote(ctx context.Context, run *jobs.Run, placement string, est *api.PlacementEstimate, remote func() (RemoteJob, error)) error {
	if est != nil {
		run.SetEstimate(est)
	}
	if placement != api.PlacementRemote || s.Placement == nil {
		return nil
	}
	if run.Resume > 0 {
		run.SetPlacement(api.PlacementLocal, &api.RemoteStatus{Stage: api.StageFellBack, Fallback: "a resumed job continues on this machine"})
		return nil
	}
	job, err := remote()
	if err != nil {
		return err
	}
	n, err := s.Placement.RunRemote(ctx, run, job)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		s.log.Warn("the remote run stopped; continuing on this machine", "job", run.ID(), "frames_from_worker", n, "err", err)
	}
	run.Resume = n
	return run.Flush() // the local run reads what the worker produced from the store
}

// remoteJob prepares a remote propagation of the session ss.
func (s *Service) remoteJob(ss *Session, run *jobs.Run, spans []span, total int) (RemoteJob, error) {
	m, err := s.media.Get(ss.rec.MediaID)
	if err != nil {
		return RemoteJob{}, err
	}
	req := *run.Request()
	req.Placement = api.PlacementLocal
	job := RemoteJob{SessionID: ss.rec.SessionID, Media: m, Request: req, Total: total, Objects: len(ss.rec.Prompts),
		Models: map[string]string{model.TaskPVSVideo: s.manifest.Name}}
	for _, obj := range sortedKeys(ss.rec.Prompts) {
		for _, f := range ss.rec.promptedFrames(obj) {
			p := ss.rec.Prompts[obj][f]
			job.Annotations = append(job.Annotations, api.VideoAnnotationRequest{Frame: f, ObjectID: obj, Points: p.Points, Labels: p.Labels, Box: p.Box})
		}
	}
	sort.SliceStable(job.Annotations, func(i, j int) bool { return job.Annotations[i].Frame < job.Annotations[j].Frame })
	job.Commit = func(seq int, fr api.FrameResult) error {
		want, ok := frameOf(spans, seq)
		return s.commitRemote(run, ss, seq, want, ok, fr, func(id int) (int, bool) {
			_, known := ss.rec.Prompts[id]
			return id, known
		})
	}
	return job, nil
}

// conceptRemoteJob prepares a remote concept run of the session ss. The worker numbers
// the instances it finds from 1; here they continue after the session's largest id.
func (s *Service) conceptRemoteJob(ss *Session, run *jobs.Run, req api.PCSRunRequest, total int) (RemoteJob, error) {
	m, err := s.media.Get(ss.rec.MediaID)
	if err != nil {
		return RemoteJob{}, err
	}
	req.Placement, req.ResultsUpload = api.PlacementLocal, nil
	prompt := *ss.rec.Concept
	job := RemoteJob{SessionID: ss.rec.SessionID, Media: m, Concept: &prompt, Run: &req, Total: total, Objects: 1,
		Models: map[string]string{model.TaskPVSVideo: s.manifest.Name, model.TaskPCS: s.concepts.Manifest().Name}}
	base := s.maxObjectID(ss.rec.SessionID)
	job.Commit = func(seq int, fr api.FrameResult) error {
		return s.commitRemote(run, ss, seq, req.StartFrame+seq, seq < total, fr, func(id int) (int, bool) { return base + id, id > 0 })
	}
	return job, nil
}

func sortedKeys(m map[int]map[int]Prompt) []int {
	ids := make([]int, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	return ids
}

// commitRemote checks result seq from the worker — frame want (ok: the plan has one),
// objects known (id maps the worker's object ids to the session's), masks of the video's
// size — and stores it like a frame tracked here.
func (s *Service) commitRemote(run *jobs.Run, ss *Session, seq, want int, ok bool, fr api.FrameResult, id func(int) (int, bool)) error {
	if !ok || fr.Frame != want {
		return fmt.Errorf("the worker sent frame %d as result %d; the plan has frame %d there", fr.Frame, seq, want)
	}
	rec := ss.rec
	objs := map[int]StoredObject{}
	for _, o := range fr.Objects {
		local, known := id(o.ObjectID)
		if !known {
			return fmt.Errorf("the worker sent object %d on frame %d, which the session does not have", o.ObjectID, fr.Frame)
		}
		if o.Mask == nil || o.Mask.Size[0] != rec.Height || o.Mask.Size[1] != rec.Width {
			return fmt.Errorf("the worker sent a mask of the wrong size for object %d on frame %d", o.ObjectID, fr.Frame)
		}
		objs[local] = StoredObject{Mask: *o.Mask, Score: o.Score, ObjectScore: o.ObjectScore, Area: o.Area, Box: o.Box}
	}
	local := (&StoredFrame{Objects: objs}).toAPI(fr.Frame)
	return run.Commit(seq, local, func(tx *bolt.Tx) error { return mergeFrame(tx, rec.SessionID, fr.Frame, objs) })
}

// frameOf returns the frame produced as result seq.
func frameOf(spans []span, seq int) (int, bool) {
	base := 0
	for _, sp := range spans {
		if seq < base+sp.len() {
			return sp.frame(seq - base), seq >= base
		}
		base += sp.len()
	}
	return 0, false
}
