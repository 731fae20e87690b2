import { describe, expect, it } from "vitest";
import { actionFor, bindings, keyName, keymap, keysOf, loadKeyOverrides, rebind, saveKeyOverrides } from "./shortcuts";

type Mods = Partial<{ ctrlKey: boolean; shiftKey: boolean; metaKey: boolean; altKey: boolean }>;
const press = (k: string, mods: Mods = {}) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
const key = (k: string, mods: Mods = {}, map = keymap({})) => actionFor(press(k, mods), map);

describe("shortcuts", () => {
  it("maps the documented keys", () => {
    expect(key("n")).toBe("new-object");
    expect(key("N")).toBe("new-object"); // caps lock
    expect(key("3")).toBe("label-2");
    expect(key("z")).toBe("undo");
    expect(key("z", { ctrlKey: true })).toBe("undo");
    expect(key("Z", { shiftKey: true })).toBe("redo");
    expect(key("Z", { ctrlKey: true, shiftKey: true })).toBe("redo");
    expect(key("y", { metaKey: true })).toBe("redo");
    expect(key("b")).toBe("brush");
    expect(key("e")).toBe("eraser");
    expect(key("p")).toBe("polygon");
    expect(key("Enter")).toBe("finish-polygon");
    expect(key("[")).toBe("smaller");
    expect(key("]")).toBe("larger");
    expect(key("f")).toBe("fit");
    expect(key("?", { shiftKey: true })).toBe("help");
    expect(key("Tab")).toBe("next-object");
    expect(key("Tab", { shiftKey: true })).toBe("prev-object");
    expect(key("ArrowRight")).toBe("next-frame");
    expect(key("t")).toBe("concept");
    expect(key("X")).toBe("exemplar");
    expect(key("d")).toBe("toggle-done");
    expect(key("c")).toBe("copy-previous");
    expect(key("Enter", { ctrlKey: true })).toBe("done-next");
    expect(key("Enter", { metaKey: true })).toBe("done-next");
  });

  it("ignores other modified keys and modifiers alone", () => {
    expect(key("n", { ctrlKey: true })).toBeNull();
    expect(key("b", { altKey: true })).toBeNull();
    expect(key("q")).toBeNull();
    expect(key("Enter", { altKey: true })).toBeNull();
    expect(keyName(press("Shift", { shiftKey: true }))).toBeNull();
    expect(keyName(press("Control", { ctrlKey: true }))).toBeNull();
  });

  it("gives every action at least one key and no key two actions", () => {
    const seen = new Map<string, string>();
    for (const b of bindings) {
      expect(b.keys.length, b.action).toBeGreaterThan(0);
      for (const k of b.keys) {
        expect(seen.get(k), `${k} for ${b.action}`).toBeUndefined();
        seen.set(k, b.action);
      }
    }
  });

  it("rebinds a key: the action gets it alone, the one that had it loses it", () => {
    const { overrides, from } = rebind({}, "brush", "e");
    expect(from).toBe("eraser");
    expect(keysOf("brush", overrides)).toEqual(["e"]);
    expect(keysOf("eraser", overrides)).toEqual([]);
    const map = keymap(overrides);
    expect(key("e", {}, map)).toBe("brush");
    expect(key("b", {}, map)).toBeNull();
    expect(key("z", {}, map)).toBe("undo"); // the rest as before
    const again = rebind(overrides, "eraser", "Shift+e");
    expect(again.from).toBeNull();
    expect(key("E", { shiftKey: true }, keymap(again.overrides))).toBe("eraser");
  });
});

describe("stored key overrides", () => {
  const memory = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
  };

  it("round-trip, and reset clears them", () => {
    const store = memory();
    const { overrides } = rebind({}, "fit", "g");
    saveKeyOverrides(overrides, store);
    expect(loadKeyOverrides(store)).toEqual(overrides);
    saveKeyOverrides({}, store);
    expect(store.getItem("samwise.keys")).toBeNull();
    expect(loadKeyOverrides(store)).toEqual({});
  });

  it("drop damaged or unknown entries", () => {
    const store = memory();
    store.setItem("samwise.keys", JSON.stringify({ fit: ["g"], undo: 5, "no-such-action": ["q"], redo: ["y", 3] }));
    expect(loadKeyOverrides(store)).toEqual({ fit: ["g"] });
    store.setItem("samwise.keys", "{not json");
    expect(loadKeyOverrides(store)).toEqual({});
  });
});
