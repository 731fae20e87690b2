import { describe, expect, it } from "vitest";
import { NdjsonDecoder, readNdjson } from "./ndjson";

/** A byte stream that delivers the given pieces one by one. */
function streamOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i < pieces.length) c.enqueue(pieces[i++]);
      else c.close();
    },
  });
}

describe("NdjsonDecoder", () => {
  it("joins lines split across pieces and skips keep-alive lines", () => {
    const d = new NdjsonDecoder<{ frame: number }>();
    expect(d.push('{"frame":1}\n{"fr')).toEqual([{ frame: 1 }]);
    expect(d.push('ame":2}\n\n')).toEqual([{ frame: 2 }]);
    expect(d.push("\n")).toEqual([]);
    expect(d.push('{"frame":3}')).toEqual([]);
    expect(d.end()).toEqual([{ frame: 3 }]);
    expect(d.end()).toEqual([]);
  });

  it("says which line is not JSON", () => {
    const d = new NdjsonDecoder();
    expect(() => d.push("<html>oops</html>\n")).toThrow(/not JSON: <html>oops/);
  });
});

describe("readNdjson", () => {
  it("yields one batch per piece that completes lines, multi-byte characters split across pieces included", async () => {
    const bytes = new TextEncoder().encode('{"t":"é"}\n{"t":"b"}\n{"t":"c"}');
    const cut = bytes.indexOf(0xa9); // inside the two bytes of "é"
    const batches = [];
    for await (const b of readNdjson<{ t: string }>(streamOf([bytes.slice(0, cut), bytes.slice(cut, cut + 12), bytes.slice(cut + 12)]))) batches.push(b);
    // The last line has no newline: it comes when the stream ends.
    expect(batches).toEqual([[{ t: "é" }], [{ t: "b" }], [{ t: "c" }]]);
  });
});
