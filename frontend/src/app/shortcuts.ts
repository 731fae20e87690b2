// Keyboard shortcuts: one table, used by the key handler and the help
// overlay.

export type Action =
  | "new-object"
  | "undo"
  | "redo"
  | "brush"
  | "eraser"
  | "polygon"
  | "finish-polygon"
  | "prompt"
  | "smaller"
  | "larger"
  | "fit"
  | "zoom-in"
  | "zoom-out"
  | "help"
  | "toggle-visible"
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

export interface Shortcut {
  keys: string;
  action: Action;
  help: string;
}

export const shortcuts: Shortcut[] = [
  { keys: "Click / Right-click", action: "prompt", help: "positive / negative point on the current object" },
  { keys: "Drag", action: "prompt", help: "box around the object" },
  { keys: "N", action: "new-object", help: "new object" },
  { keys: "1 … 9", action: "label-0", help: "give the current object label 1 … 9" },
  { keys: "Z, Ctrl+Z", action: "undo", help: "undo" },
  { keys: "Ctrl+Shift+Z, Ctrl+Y, Shift+Z", action: "redo", help: "redo" },
  { keys: "V, Esc", action: "prompt", help: "prompt tool (Esc again clears the object's prompts)" },
  { keys: "T", action: "concept", help: "type a concept (text prompt): every instance becomes an object" },
  { keys: "X", action: "exemplar", help: "exemplar boxes for the concept: drag around an example, Shift-drag around a counter-example" },
  { keys: "B", action: "brush", help: "brush (right-drag erases)" },
  { keys: "E", action: "eraser", help: "eraser" },
  { keys: "P", action: "polygon", help: "polygon: click its corners; Enter, right-click or a click on the first corner fills it into the current object (Shift-click the first corner to cut it out instead); Backspace removes the last corner, Esc drops it" },
  { keys: "[ / ]", action: "smaller", help: "brush size down / up" },
  { keys: "F", action: "fit", help: "fit the image" },
  { keys: "+ / −, wheel", action: "zoom-in", help: "zoom (the wheel zooms at the cursor)" },
  { keys: "Space+drag, middle-drag", action: "prompt", help: "pan" },
  { keys: "H", action: "toggle-visible", help: "hide / show the current object" },
  { keys: "Delete", action: "delete-object", help: "delete the current object" },
  { keys: "Tab / Shift+Tab", action: "next-object", help: "next / previous object" },
  { keys: "PageDown / PageUp", action: "next-media", help: "next / previous image" },
  { keys: "D", action: "toggle-done", help: "mark the media done (or not)" },
  { keys: "Ctrl+Enter", action: "done-next", help: "mark the media done and open the next one to do" },
  { keys: "C", action: "copy-previous", help: "copy the objects of the previous image onto this one (same size), to refine" },
  { keys: "← / →", action: "next-frame", help: "video: previous / next frame" },
  { keys: "K", action: "play", help: "video: play / pause" },
  { keys: "?", action: "help", help: "this help" },
];

/** The action of a key press, or null. */
export function actionFor(e: { key: string; code?: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): Action | null {
  const mod = e.ctrlKey || e.metaKey;
  const k = e.key;
  if (mod) {
    if (k.toLowerCase() === "z") return e.shiftKey ? "redo" : "undo";
    if (k.toLowerCase() === "y") return "redo";
    if (k === "Enter") return "done-next";
    return null;
  }
  if (e.altKey) return null;
  if (/^[1-9]$/.test(k)) return `label-${Number(k) - 1}`;
  switch (k) {
    case "n":
    case "N":
      return "new-object";
    case "z":
      return "undo";
    case "Z":
      return "redo";
    case "b":
    case "B":
      return "brush";
    case "e":
    case "E":
      return "eraser";
    case "p":
    case "P":
      return "polygon";
    case "Enter":
      return "finish-polygon";
    case "v":
    case "V":
      return "prompt";
    case "Escape":
      return "clear-prompts";
    case "[":
      return "smaller";
    case "]":
      return "larger";
    case "f":
    case "F":
      return "fit";
    case "+":
    case "=":
      return "zoom-in";
    case "-":
      return "zoom-out";
    case "?":
      return "help";
    case "h":
    case "H":
      return "toggle-visible";
    case "Delete":
    case "Backspace":
      return "delete-object";
    case "Tab":
      return e.shiftKey ? "prev-object" : "next-object";
    case "PageDown":
      return "next-media";
    case "PageUp":
      return "prev-media";
    case "ArrowLeft":
      return "prev-frame";
    case "ArrowRight":
      return "next-frame";
    case "k":
    case "K":
      return "play";
    case "t":
    case "T":
      return "concept";
    case "x":
    case "X":
      return "exemplar";
    case "d":
    case "D":
      return "toggle-done";
    case "c":
    case "C":
      return "copy-previous";
  }
  return null;
}
