// Decoded video frames: fetched as JPEGs, decoded once, kept in a small LRU
// and prefetched ahead of the playhead.

export class FrameCache {
  private readonly frames = new Map<number, Promise<ImageBitmap>>();

  constructor(
    private readonly fetchFrame: (n: number) => Promise<Blob>,
    private readonly capacity = 48,
  ) {}

  get(n: number): Promise<ImageBitmap> {
    let f = this.frames.get(n);
    if (f) {
      this.frames.delete(n); // refresh its place in the LRU order
    } else {
      f = this.fetchFrame(n).then((b) => createImageBitmap(b));
      f.catch(() => this.frames.delete(n));
    }
    this.frames.set(n, f);
    while (this.frames.size > this.capacity) {
      const [oldest, p] = this.frames.entries().next().value as [number, Promise<ImageBitmap>];
      this.frames.delete(oldest);
      void p.then((b) => b.close(), () => {});
    }
    return f;
  }

  prefetch(from: number, count: number, last: number): void {
    for (let n = from; n <= Math.min(last, from + count - 1); n++) if (!this.frames.has(n)) void this.get(n).catch(() => {});
  }

  clear(): void {
    for (const p of this.frames.values()) void p.then((b) => b.close(), () => {});
    this.frames.clear();
  }
}
