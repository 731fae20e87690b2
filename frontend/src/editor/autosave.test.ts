import { describe, expect, it } from "vitest";
import type { AnnotationDoc } from "../api/types.gen";
import { Autosaver, type SaveStatus, type Timers } from "./autosave";

// Manual timers: tick() fires the pending timer.
function manualTimers() {
  let pending: (() => void) | null = null;
  const timers: Timers = {
    set: (fn) => ((pending = fn), 1),
    clear: () => (pending = null),
  };
  return { timers, tick: () => { const f = pending; pending = null; f?.(); }, get armed() { return pending !== null; } };
}

function setup(save: (doc: AnnotationDoc) => Promise<AnnotationDoc>) {
  const t = manualTimers();
  const statuses: SaveStatus[] = [];
  let edits = 0;
  const s = new Autosaver({
    version: 0,
    delayMs: 300,
    snapshot: (version) => ({ version, objects: [{ object_id: edits, label: "", color: "", visible: true, masks: {} }] }),
    save,
    onStatus: (st) => statuses.push(st),
    toError: (e) => (e as { conflict?: AnnotationDoc; message: string }),
    timers: t.timers,
  });
  return { s, t, statuses, edit: () => { edits++; s.changed(); } };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("Autosaver", () => {
  it("debounces a burst of edits into one save with the version", async () => {
    const sent: AnnotationDoc[] = [];
    const { t, statuses, edit } = setup(async (doc) => (sent.push(doc), { ...doc, version: doc.version + 1 }));
    edit();
    edit();
    edit();
    expect(sent).toHaveLength(0);
    expect(statuses.at(-1)?.state).toBe("pending");
    t.tick();
    await tick();
    expect(sent).toHaveLength(1);
    expect(sent[0].version).toBe(0);
    expect(sent[0].objects[0].object_id).toBe(3);
    expect(statuses.at(-1)).toEqual({ state: "saved", version: 1 });
    edit();
    t.tick();
    await tick();
    expect(sent[1].version).toBe(1);
  });

  it("saves edits made during a save right after it", async () => {
    let release: (d: AnnotationDoc) => void = () => {};
    const sent: AnnotationDoc[] = [];
    const { t, statuses, edit } = setup((doc) => (sent.push(doc), new Promise((r) => (release = r))));
    edit();
    t.tick();
    expect(statuses.at(-1)?.state).toBe("saving");
    edit(); // during the save
    t.tick(); // the timer fires while the first save is in flight: no second request
    expect(sent).toHaveLength(1);
    release({ ...sent[0], version: 1 });
    await tick();
    expect(t.armed).toBe(true);
    t.tick();
    expect(sent).toHaveLength(2);
    expect(sent[1].version).toBe(1);
    release({ ...sent[1], version: 2 });
    await tick();
    expect(statuses.at(-1)).toEqual({ state: "saved", version: 2 });
  });

  it("flush saves at once and waits", async () => {
    const sent: AnnotationDoc[] = [];
    const { s, t, edit } = setup(async (doc) => (sent.push(doc), { ...doc, version: doc.version + 1 }));
    edit();
    await s.flush();
    expect(sent).toHaveLength(1);
    expect(t.armed).toBe(false);
    expect(s.state.state).toBe("saved");
  });

  it("reports a conflict and keeps mine on request", async () => {
    const theirs: AnnotationDoc = { version: 5, objects: [] };
    const sent: AnnotationDoc[] = [];
    let fail = true;
    const { s, t, statuses, edit } = setup(async (doc) => {
      sent.push(doc);
      if (fail) throw { message: "changed elsewhere", conflict: theirs };
      return { ...doc, version: doc.version + 1 };
    });
    edit();
    t.tick();
    await tick();
    expect(statuses.at(-1)?.state).toBe("conflict");
    expect(statuses.at(-1)?.theirs).toBe(theirs);
    edit(); // edits after a conflict wait for the user's choice
    expect(t.armed).toBe(false);
    fail = false;
    await s.keepMine();
    expect(sent.at(-1)?.version).toBe(5);
    expect(s.state).toEqual({ state: "saved", version: 6 });
  });

  it("reports errors and retries", async () => {
    let fail = true;
    const { s, t, statuses, edit } = setup(async (doc) => {
      if (fail) throw { message: "engine unreachable" };
      return { ...doc, version: doc.version + 1 };
    });
    edit();
    t.tick();
    await tick();
    expect(statuses.at(-1)).toEqual({ state: "error", version: 0, message: "engine unreachable" });
    fail = false;
    await s.retry();
    expect(s.state).toEqual({ state: "saved", version: 1 });
  });
});
