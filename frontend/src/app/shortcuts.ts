// Keyboard shortcuts: one table of actions with their default keys, which
// the user can change (kept in this browser's storage), used by the key
// handler and the help overlay that also rebinds them.

export type Action =
  | "new-object"
  | "undo"
  | "redo"
  | "brush"
  | "eraser"
  | "polygon"
  | "finish-polygon"
  | "outline"
  | "grow-mask"
  | "shrink-mask"
  | "prompt"
  | "smaller"
  | "larger"
  | "fit"
  | "fit-object"
  | "zoom-in"
  | "zoom-out"
  | "help"
  | "toggle-visible"
  | "toggle-masks"
  | "solo"
  | "delete-object"
  | "next-object"
  | "prev-object"
  | "next-media"
  | "prev-media"
  | "prev-frame"
  | "next-frame"
  | "play"
  | "clear-prompts"
  | "exemplar"
  | "concept"
  | "toggle-done"
  | "done-next"
  | "copy-previous"
  | `label-${number}`;

/** Mouse gestures, shown in the help (they cannot be rebound). */
export const gestures: { keys: string; help: string }[] = [
  { keys: "Click / Right-click", help: "positive / negative point on the current object" },
  { keys: "Drag", help: "box around the object" },
  { keys: "Ctrl+click", help: "select the object there (with the outline tool: a click)" },
  { keys: "Space+drag, middle-drag", help: "pan" },
  { keys: "Wheel", help: "zoom at the cursor" },
];

/** Every action a key can have, its help and its default keys (names as
 * keyName makes them). */
export const bindings: { action: Action; help: string; keys: string[] }[] = [
  { action: "new-object", help: "new object", keys: ["n"] },
  ...Array.from({ length: 9 }, (_, i) => ({ action: `label-${i}` as Action, help: `give the current object label ${i + 1}`, keys: [String(i + 1)] })),
  { action: "undo", help: "undo", keys: ["z", "Ctrl+z"] },
  { action: "redo", help: "redo", keys: ["Shift+z", "Ctrl+Shift+z", "Ctrl+y"] },
  { action: "prompt", help: "prompt tool", keys: ["v"] },
  { action: "clear-prompts", help: "back to the prompt tool; again: clear the object's prompts (drops a polygon being drawn)", keys: ["Escape"] },
  { action: "concept", help: "type a concept (text prompt): every instance becomes an object", keys: ["t"] },
  { action: "exemplar", help: "exemplar boxes for the concept: drag around an example, Shift-drag around a counter-example", keys: ["x"] },
  { action: "brush", help: "brush (right-drag erases)", keys: ["b"] },
  { action: "eraser", help: "eraser", keys: ["e"] },
  { action: "polygon", help: "polygon: click its corners (or drag along the outline, a lasso closed on release); a right-click or a click on the first corner closes it (Shift-click the first corner to cut instead)", keys: ["p"] },
  { action: "finish-polygon", help: "close the polygon being drawn", keys: ["Enter"] },
  { action: "outline", help: "edit the current object's outline: drag a corner, drag from an edge to add one, right-click (or Alt-click) a corner to remove it", keys: ["o"] },
  { action: "grow-mask", help: "grow the current object's mask by a pixel", keys: [">"] },
  { action: "shrink-mask", help: "shrink the current object's mask by a pixel", keys: ["<"] },
  { action: "smaller", help: "brush size down", keys: ["["] },
  { action: "larger", help: "brush size up", keys: ["]"] },
  { action: "fit", help: "fit the image", keys: ["f"] },
  { action: "fit-object", help: "zoom to the current object (or double-click its row)", keys: ["Shift+f"] },
  { action: "zoom-in", help: "zoom in", keys: ["+", "="] },
  { action: "zoom-out", help: "zoom out", keys: ["-"] },
  { action: "toggle-visible", help: "hide / show the current object", keys: ["h"] },
  { action: "solo", help: "show only the current object's masks (again: all)", keys: ["s"] },
  { action: "toggle-masks", help: "hide / show all masks (to see the picture under them)", keys: ["m"] },
  { action: "delete-object", help: "delete the current object (while drawing a polygon: its last corner; with the outline tool over a corner: that corner)", keys: ["Delete", "Backspace"] },
  { action: "next-object", help: "next object", keys: ["Tab"] },
  { action: "prev-object", help: "previous object", keys: ["Shift+Tab"] },
  { action: "next-media", help: "next image", keys: ["PageDown"] },
  { action: "prev-media", help: "previous image", keys: ["PageUp"] },
  { action: "toggle-done", help: "mark the media done (or not)", keys: ["d"] },
  { action: "done-next", help: "mark the media done and open the next one to do", keys: ["Ctrl+Enter"] },
  { action: "copy-previous", help: "copy the objects of the previous image onto this one (same size), to refine", keys: ["c"] },
  { action: "prev-frame", help: "video: previous frame", keys: ["ArrowLeft"] },
  { action: "next-frame", help: "video: next frame", keys: ["ArrowRight"] },
  { action: "play", help: "video: play / pause", keys: ["k"] },
  { action: "help", help: "these shortcuts", keys: ["?"] },
];

/** Keys the user changed: the keys of each action they rebound. */
export type KeyOverrides = Partial<Record<Action, string[]>>;

/** A key press as a name: "Ctrl+", "Alt+" and "Shift+" before the key, a
 * letter in lower case; Shift is part of the name only for letters and
 * named keys ("Shift+Tab"), as symbols carry it ("?"). null for a press of
 * a modifier alone. */
export function keyName(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): string | null {
  const k = e.key;
  if (k === "Control" || k === "Shift" || k === "Alt" || k === "Meta" || k === "Dead" || k === "Unidentified") return null;
  const letter = /^[a-z]$/i.test(k);
  const named = k.length > 1;
  let name = letter ? k.toLowerCase() : k;
  if (e.shiftKey && (letter || named)) name = `Shift+${name}`;
  if (e.altKey) name = `Alt+${name}`;
  if (e.ctrlKey || e.metaKey) name = `Ctrl+${name}`;
  return name;
}

/** The keys of an action: the user's when they rebound it, else the default. */
export function keysOf(action: Action, overrides: KeyOverrides): string[] {
  return overrides[action] ?? bindings.find((b) => b.action === action)?.keys ?? [];
}

/** Key name → action, for the defaults with the user's changes. */
export function keymap(overrides: KeyOverrides): Map<string, Action> {
  const map = new Map<string, Action>();
  for (const b of bindings) for (const k of keysOf(b.action, overrides)) map.set(k, b.action);
  return map;
}

/** Gives action the one key key; an action that had key loses it. Returns
 * the new overrides and the action that lost the key, if any. */
export function rebind(overrides: KeyOverrides, action: Action, key: string): { overrides: KeyOverrides; from: Action | null } {
  const next: KeyOverrides = { ...overrides, [action]: [key] };
  let from: Action | null = null;
  for (const b of bindings) {
    if (b.action === action) continue;
    const keys = keysOf(b.action, next);
    if (keys.includes(key)) {
      next[b.action] = keys.filter((k) => k !== key);
      from = b.action;
    }
  }
  return { overrides: next, from };
}

/** The action of a key press, or null. */
export function actionFor(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }, map = keymap({})): Action | null {
  const name = keyName(e);
  return name === null ? null : (map.get(name) ?? null);
}

const storageKey = "samwise.keys";

type KeyStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** The user's rebound keys, from this browser's storage. */
export function loadKeyOverrides(store: KeyStore = localStorage): KeyOverrides {
  try {
    const v: unknown = JSON.parse(store.getItem(storageKey) ?? "{}");
    const out: KeyOverrides = {};
    if (!v || typeof v !== "object" || Array.isArray(v)) return out;
    for (const [action, keys] of Object.entries(v)) {
      // Only actions that exist, with lists of names: a damaged entry is dropped.
      if (bindings.some((b) => b.action === action) && Array.isArray(keys) && keys.every((k) => typeof k === "string")) out[action as Action] = keys;
    }
    return out;
  } catch {
    return {};
  }
}

export function saveKeyOverrides(o: KeyOverrides, store: KeyStore = localStorage): void {
  if (Object.keys(o).length) store.setItem(storageKey, JSON.stringify(o));
  else store.removeItem(storageKey);
}
