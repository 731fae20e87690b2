// The editable annotations of one media: objects with labels, colours,
// visibility, per-frame masks (COCO RLE) and the prompts that made them.
// States are immutable; every function returns a new state, so the undo
// history can hold them cheaply (unchanged objects and masks are shared).
import type { AnnotatedObject, AnnotationDoc, RLE } from "../api/types.gen";
import { decode, encode } from "../mask/rle";

export type Point = [number, number];
export type Box = [number, number, number, number];

/** The prompts of one object on one frame. */
export interface Prompts {
  points: Point[];
  labels: number[]; // 1 positive, 0 negative
  box?: Box;
  /** The mask the object had when its first prompt on this frame was
   * given (from a concept, a propagation, the brush or an earlier
   * session): the engine starts from it, so clicks refine it. */
  mask?: RLE;
}

export interface EditorObject {
  id: number;
  label: string;
  color: string;
  visible: boolean;
  masks: Record<string, RLE>;
  prompts: Record<string, Prompts>;
  /** Yes/no attributes by name (those set): crowd, occluded, truncated, difficult, or a file's own. */
  flags?: Record<string, boolean>;
  /** Free text about the object. */
  note?: string;
}

/** The flags the object panel offers (the engine's KnownFlags). */
export const knownFlags = ["crowd", "occluded", "truncated", "difficult"];

export interface AnnotationState {
  objects: EditorObject[];
  /** The selected object, or null. */
  current: number | null;
  /** The annotator marked the media finished. */
  done: boolean;
}

export const emptyState: AnnotationState = { objects: [], current: null, done: false };

export const noPrompts: Prompts = { points: [], labels: [] };

export function fromDoc(doc: AnnotationDoc): AnnotationState {
  const objects = doc.objects.map(
    (o): EditorObject => ({ id: o.object_id, label: o.label, color: o.color, visible: o.visible, masks: { ...o.masks }, prompts: {}, flags: o.flags, note: o.note }),
  );
  return { objects, current: objects.length ? objects[objects.length - 1].id : null, done: doc.done ?? false };
}

export function toDoc(state: AnnotationState, version: number): AnnotationDoc {
  return {
    version,
    done: state.done || undefined,
    objects: state.objects.map(
      (o): AnnotatedObject => ({
        object_id: o.id,
        label: o.label,
        color: o.color,
        visible: o.visible,
        masks: o.masks,
        flags: o.flags && Object.keys(o.flags).length ? o.flags : undefined,
        note: o.note || undefined,
      }),
    ),
  };
}

export function find(state: AnnotationState, id: number | null): EditorObject | undefined {
  return state.objects.find((o) => o.id === id);
}

export function nextId(state: AnnotationState): number {
  return state.objects.reduce((m, o) => Math.max(m, o.id), 0) + 1;
}

/** Adds an empty object and selects it. */
export function addObject(state: AnnotationState, label: string, color: string): AnnotationState {
  const id = nextId(state);
  return { ...state, objects: [...state.objects, { id, label, color, visible: true, masks: {}, prompts: {} }], current: id };
}

/** Adds copies of objects (another media's, on frame 0) as new objects
 * with new ids, keeping their labels, colours, flags and notes; the last
 * one is selected. */
export function appendObjects(state: AnnotationState, objects: AnnotatedObject[]): AnnotationState {
  if (!objects.length) return state;
  let id = nextId(state);
  const added = objects.map((o): EditorObject => ({
    id: id++,
    label: o.label,
    color: o.color,
    visible: true,
    masks: o.masks["0"] ? { "0": o.masks["0"] } : {},
    prompts: {},
    flags: o.flags,
    note: o.note,
  }));
  return { ...state, objects: [...state.objects, ...added], current: added[added.length - 1].id };
}

/** Sets or clears a flag of object id. */
export function setFlag(state: AnnotationState, id: number, name: string, on: boolean): AnnotationState {
  return updateObject(state, id, (o) => {
    const flags = { ...o.flags };
    if (on) flags[name] = true;
    else delete flags[name];
    return { ...o, flags };
  });
}

export function setNote(state: AnnotationState, id: number, note: string): AnnotationState {
  return updateObject(state, id, (o) => ({ ...o, note }));
}

export function select(state: AnnotationState, id: number | null): AnnotationState {
  return { ...state, current: id };
}

/** Applies fn to object id (unchanged state when there is none). */
export function updateObject(state: AnnotationState, id: number, fn: (o: EditorObject) => EditorObject): AnnotationState {
  let changed = false;
  const objects = state.objects.map((o) => {
    if (o.id !== id) return o;
    changed = true;
    return fn(o);
  });
  return changed ? { ...state, objects } : state;
}

export function setMask(state: AnnotationState, id: number, frame: number, mask: RLE | null): AnnotationState {
  return updateObject(state, id, (o) => {
    const masks = { ...o.masks };
    if (mask) masks[String(frame)] = mask;
    else delete masks[String(frame)];
    return { ...o, masks };
  });
}

/** Removes object id's masks on frame `from` and every later frame (a
 * track's end: the object left the scene); the state itself when there
 * are none. */
export function clearMasksFrom(state: AnnotationState, id: number, from: number): AnnotationState {
  const keys = Object.keys(find(state, id)?.masks ?? {}).filter((k) => Number(k) >= from);
  if (!keys.length) return state;
  return updateObject(state, id, (o) => {
    const masks = { ...o.masks };
    for (const k of keys) delete masks[k];
    return { ...o, masks };
  });
}

export function setPrompts(state: AnnotationState, id: number, frame: number, p: Prompts): AnnotationState {
  return updateObject(state, id, (o) => ({ ...o, prompts: { ...o.prompts, [String(frame)]: p } }));
}

export function promptsOf(o: EditorObject | undefined, frame: number): Prompts {
  return o?.prompts[String(frame)] ?? noPrompts;
}

export function removeObject(state: AnnotationState, id: number): AnnotationState {
  const objects = state.objects.filter((o) => o.id !== id);
  const current = state.current === id ? (objects.at(-1)?.id ?? null) : state.current;
  return { ...state, objects, current };
}

/** Merges object from into object into: on every frame into's mask
 * becomes the union of both; from is removed and into selected. into's
 * prompts on the frames that changed are dropped, so the next click there
 * starts from the merged mask. */
export function mergeInto(state: AnnotationState, into: number, from: number): AnnotationState {
  const a = find(state, into);
  const b = find(state, from);
  if (!a || !b || a === b) return state;
  const masks = { ...a.masks };
  const prompts = { ...a.prompts };
  for (const [f, rle] of Object.entries(b.masks)) {
    const mine = masks[f];
    if (mine) {
      const u = decode(mine);
      const o = decode(rle);
      if (u.width !== o.width || u.height !== o.height) continue;
      for (let i = 0; i < u.data.length; i++) u.data[i] |= o.data[i];
      masks[f] = encode(u);
    } else {
      masks[f] = rle;
    }
    delete prompts[f];
  }
  const objects = state.objects.filter((o) => o.id !== from).map((o) => (o.id === into ? { ...o, masks, prompts } : o));
  return { ...state, objects, current: into };
}

/** Shows or hides every object with label (the same state when none
 * changes). */
export function setLabelVisible(state: AnnotationState, label: string, visible: boolean): AnnotationState {
  if (!state.objects.some((o) => o.label === label && o.visible !== visible)) return state;
  return { ...state, objects: state.objects.map((o) => (o.label === label && o.visible !== visible ? { ...o, visible } : o)) };
}

/** Marks the media finished, or not. */
export function setDone(state: AnnotationState, done: boolean): AnnotationState {
  return state.done === done ? state : { ...state, done };
}

/** Renames a label on every object that has it. */
export function renameLabel(state: AnnotationState, from: string, to: string): AnnotationState {
  if (!state.objects.some((o) => o.label === from)) return state;
  return { ...state, objects: state.objects.map((o) => (o.label === from ? { ...o, label: to } : o)) };
}

/** True when two prompt sets are the same (to match answers to requests). */
export function samePrompts(a: Prompts, b: Prompts): boolean {
  return a.mask === b.mask && JSON.stringify([a.points, a.labels, a.box]) === JSON.stringify([b.points, b.labels, b.box]);
}

/** The prompts after one more click: an object's first click on a frame
 * where it already has a mask starts from that mask. */
export function withClick(o: EditorObject | undefined, frame: number, p: Point, positive: boolean): Prompts {
  const key = String(frame);
  const prev = promptsOf(o, frame);
  const base = !o?.prompts[key] && o?.masks[key] ? { mask: o.masks[key] } : {};
  return { ...prev, ...base, points: [...prev.points, [p[0], p[1]]], labels: [...prev.labels, positive ? 1 : 0] };
}

/** Adds an empty object with a given id (results of a session that names
 * its objects), unless there is one. */
export function ensureObject(state: AnnotationState, id: number, label: string, color: string): AnnotationState {
  if (find(state, id)) return state;
  return { ...state, objects: [...state.objects, { id, label, color, visible: true, masks: {}, prompts: {} }] };
}

/** Gives objects a label (and its colour). */
export function labelObjects(state: AnnotationState, ids: number[], label: string, color: (id: number) => string): AnnotationState {
  let s = state;
  for (const id of ids) s = updateObject(s, id, (o) => ({ ...o, label, color: color(id) }));
  return s;
}
