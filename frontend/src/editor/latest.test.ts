import { describe, expect, it } from "vitest";
import { LatestOnly } from "./latest";

describe("LatestOnly", () => {
  it("runs one at a time and only the newest waiting request", async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const releases: (() => void)[] = [];
    let idle = 0;
    const q = new LatestOnly<number, number>(
      (n) => (started.push(n), new Promise((r) => releases.push(() => r(n * 10)))),
      (_, res) => finished.push(res),
      () => {},
      () => idle++,
    );
    q.submit(1);
    q.submit(2);
    q.submit(3);
    expect(started).toEqual([1]);
    expect(q.inFlight).toBe(true);
    releases[0]();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([1, 3]);
    releases[1]();
    await new Promise((r) => setTimeout(r, 0));
    expect(finished).toEqual([10, 30]);
    expect(q.inFlight).toBe(false);
    expect(idle).toBe(1);
  });

  it("reports failures and keeps going", async () => {
    const errors: unknown[] = [];
    const q = new LatestOnly<number, number>(
      async (n) => {
        if (n === 1) throw new Error("boom");
        return n;
      },
      () => {},
      (_, e) => errors.push(e),
    );
    q.submit(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toHaveLength(1);
    expect(q.inFlight).toBe(false);
  });
});
