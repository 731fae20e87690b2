// How the picture and the masks are shown: the masks' opacity and the
// picture's brightness and contrast (CSS on the two layers, so changing
// them redraws nothing), kept in this browser's storage. Hiding the masks
// (M) is not kept: a reload shows them.

export interface Display {
  /** Opacity of the mask layer, 0–1. */
  masks: number;
  /** Brightness and contrast of the picture, 1 as it is. */
  brightness: number;
  contrast: number;
}

export const defaultDisplay: Readonly<Display> = { masks: 1, brightness: 1, contrast: 1 };

/** The range of each setting. */
export const displayRange: Record<keyof Display, [number, number]> = { masks: [0, 1], brightness: [0.2, 3], contrast: [0.2, 3] };

const storageKey = "samwise.display";

type DisplayStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** The kept settings; a damaged or missing one is the default. */
export function loadDisplay(store: DisplayStore = localStorage): Display {
  const out = { ...defaultDisplay };
  try {
    const v: unknown = JSON.parse(store.getItem(storageKey) ?? "{}");
    if (!v || typeof v !== "object") return out;
    for (const k of Object.keys(displayRange) as (keyof Display)[]) {
      const x = (v as Record<string, unknown>)[k];
      const [lo, hi] = displayRange[k];
      if (typeof x === "number" && x >= lo && x <= hi) out[k] = x;
    }
  } catch {
    // damaged: the defaults
  }
  return out;
}

export function saveDisplay(d: Display, store: DisplayStore = localStorage): void {
  const same = (Object.keys(defaultDisplay) as (keyof Display)[]).every((k) => d[k] === defaultDisplay[k]);
  if (same) store.removeItem(storageKey);
  else store.setItem(storageKey, JSON.stringify(d));
}

/** The CSS filter of the picture ("" when as it is). */
export function pictureFilter(d: Display): string {
  return d.brightness === 1 && d.contrast === 1 ? "" : `brightness(${d.brightness}) contrast(${d.contrast})`;
}
