// What concept results do to the annotations: instances found on an image
// become new objects (existing ones are never touched); a concept tracked
// through a video maps each track to one object, new tracks (instances
// entering mid-video) becoming new objects; a session's stored results can
// restore a document that lost them. All pure: the caller decides whether
// the outcome is a new undo step.
import type { FrameResult, ObjectResult, RLE } from "../api/types.gen";
import * as A from "./annotations";

/** How new objects look: their label, and a colour for an id. */
export interface NewObjectStyle {
  label: string;
  color: (id: number) => string;
}

function maskOf(r: ObjectResult): RLE | null {
  return r.mask && r.area > 0 ? r.mask : null;
}

/** Adds every found instance that has a mask as a new object on frame.
 * Nothing is selected afterwards, so the next click starts a new object
 * rather than changing an instance. */
export function addInstances(state: A.AnnotationState, frame: number, found: ObjectResult[], style: NewObjectStyle): { state: A.AnnotationState; ids: number[] } {
  let s = state;
  const ids: number[] = [];
  for (const r of found) {
    const mask = maskOf(r);
    if (!mask) continue;
    const id = A.nextId(s);
    s = A.setMask(A.addObject(s, style.label, style.color(id)), id, frame, mask);
    ids.push(id);
  }
  return { state: ids.length ? A.select(s, null) : state, ids };
}

/** Concept track id → editor object id, for one concept session. */
export type TrackMap = Map<number, number>;

/** Applies frames of a concept run. A track seen before updates its
 * object on that frame (an empty result removes the object's mask there);
 * a new track with a mask becomes a new object and enters the map; a track
 * whose object was deleted stays deleted. */
export function mergeTracks(state: A.AnnotationState, frames: FrameResult[], map: TrackMap, style: NewObjectStyle): A.AnnotationState {
  let s = state;
  for (const fr of frames) {
    for (const r of fr.objects) {
      const mask = maskOf(r);
      let id = map.get(r.object_id);
      if (id === undefined) {
        if (!mask) continue;
        id = A.nextId(s);
        map.set(r.object_id, id);
        s = A.ensureObject(s, id, style.label, style.color(id));
      }
      if (A.find(s, id)) s = A.setMask(s, id, fr.frame, mask);
    }
  }
  return s;
}

/** Restores a points session's stored results (its object ids are the
 * editor's): missing objects are added, and only masks the document lacks
 * are filled; a mask in the document is never replaced. */
export function restoreResults(state: A.AnnotationState, frames: FrameResult[], style: NewObjectStyle): A.AnnotationState {
  let s = state;
  for (const fr of frames) {
    for (const r of fr.objects) {
      const mask = maskOf(r);
      if (!mask) continue;
      s = A.ensureObject(s, r.object_id, style.label, style.color(r.object_id));
      if (!A.find(s, r.object_id)!.masks[String(fr.frame)]) s = A.setMask(s, r.object_id, fr.frame, mask);
    }
  }
  return s;
}

/** True when no object has a mask on any frame. */
export function hasNoMasks(state: A.AnnotationState): boolean {
  return state.objects.every((o) => Object.keys(o.masks).length === 0);
}
