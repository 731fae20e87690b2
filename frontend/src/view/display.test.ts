import { describe, expect, it } from "vitest";
import { defaultDisplay, loadDisplay, pictureFilter, saveDisplay } from "./display";

function memoryStore(init: Record<string, string> = {}) {
  const m = new Map(Object.entries(init));
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

describe("display settings", () => {
  it("are kept and read back; the defaults leave nothing stored", () => {
    const s = memoryStore();
    saveDisplay({ masks: 0.4, brightness: 1.5, contrast: 0.8 }, s);
    expect(loadDisplay(s)).toEqual({ masks: 0.4, brightness: 1.5, contrast: 0.8 });
    saveDisplay({ ...defaultDisplay }, s);
    expect(s.m.size).toBe(0);
    expect(loadDisplay(s)).toEqual(defaultDisplay);
  });

  it("drop damaged and out-of-range values", () => {
    expect(loadDisplay(memoryStore({ "samwise.display": "{not json" }))).toEqual(defaultDisplay);
    expect(loadDisplay(memoryStore({ "samwise.display": "[1, 2]" }))).toEqual(defaultDisplay);
    expect(loadDisplay(memoryStore({ "samwise.display": JSON.stringify({ masks: 7, brightness: "2", contrast: 2 }) }))).toEqual({ masks: 1, brightness: 1, contrast: 2 });
  });

  it("make the picture's CSS filter", () => {
    expect(pictureFilter(defaultDisplay)).toBe("");
    expect(pictureFilter({ masks: 1, brightness: 1.5, contrast: 0.5 })).toBe("brightness(1.5) contrast(0.5)");
  });
});
