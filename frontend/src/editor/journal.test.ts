import { describe, expect, it } from "vitest";
import { Journal } from "./journal";

function memory() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

describe("Journal", () => {
  const doc = { version: 3, objects: [{ object_id: 1, label: "a", color: "", visible: true, masks: {} }] };

  it("gives back a document edited from the current version", () => {
    const s = memory();
    new Journal(s, "k").write(doc);
    expect(new Journal(s, "k").recover({ version: 3, objects: [] })).toEqual(doc);
  });

  it("drops a document edited from an older version", () => {
    const s = memory();
    const j = new Journal(s, "k");
    j.write(doc);
    expect(j.recover({ version: 4, objects: [] })).toBeNull();
    expect(s.m.size).toBe(0);
  });

  it("reports a document that does not fit", () => {
    const full = { getItem: () => null, setItem: () => { throw new Error("quota"); }, removeItem: () => {} };
    expect(new Journal(full, "k").write(doc)).toBe(false);
  });
});
