// NDJSON (one JSON value per line), read incrementally: the engine streams
// job results this way (GET /v1/jobs/{id}/results with
// Accept: application/x-ndjson) and sends empty lines as keep-alives.

/** Splits text that arrives in arbitrary pieces into parsed lines. */
export class NdjsonDecoder<T> {
  private partial = "";

  /** Adds a piece of text; returns the values of the lines it completed. */
  push(text: string): T[] {
    const lines = (this.partial + text).split("\n");
    this.partial = lines.pop() ?? "";
    return parseLines<T>(lines);
  }

  /** The value of a last line that had no newline, if any. */
  end(): T[] {
    const rest = this.partial;
    this.partial = "";
    return parseLines<T>([rest]);
  }
}

function parseLines<T>(lines: string[]): T[] {
  const out: T[] = [];
  for (const line of lines) {
    const t = line.trim();
    if (!t) continue; // keep-alive
    try {
      out.push(JSON.parse(t) as T);
    } catch {
      throw new Error(`the engine sent a result line that is not JSON: ${t.slice(0, 80)}`);
    }
  }
  return out;
}

/** Reads a byte stream of NDJSON, yielding the values of each piece that
 * completed at least one line (so callers can apply them in batches). */
export async function* readNdjson<T>(body: ReadableStream<Uint8Array>): AsyncGenerator<T[]> {
  const reader = body.getReader();
  const text = new TextDecoder();
  const lines = new NdjsonDecoder<T>();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const batch = lines.push(text.decode(value, { stream: true }));
      if (batch.length) yield batch;
    }
    const last = lines.push(text.decode()).concat(lines.end());
    if (last.length) yield last;
  } finally {
    // Stopped early (the consumer left): close the connection.
    void reader.cancel().catch(() => {});
  }
}
