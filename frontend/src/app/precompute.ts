// "Precompute embeddings": the project's images are encoded ahead of
// clicking (POST /v1/precompute, a job counting images, with progress and
// cancel), so the first click on each is as quick as the second.
import type { Engine } from "../api/engine";
import { JobBar } from "../jobs/jobBar";
import { el, replace } from "../view/dom";

export class Precompute {
  readonly root = el("div", { class: "precompute" });
  private readonly bar: JobBar;

  constructor(
    private readonly engine: Engine,
    /** The image media of the current project (videos are encoded as they
     * are tracked). */
    private readonly images: () => string[],
    private readonly messages: { error(m: string): void; info(m: string): void },
  ) {
    this.bar = new JobBar(engine, (m) => messages.error(m), () => this.render());
    this.render();
  }

  async start(): Promise<void> {
    const ids = this.images();
    if (!ids.length || this.bar.running) return;
    try {
      const acc = await this.engine.precompute(ids);
      const n = `${ids.length} image${ids.length === 1 ? "" : "s"}`;
      this.bar.follow(acc.job_id, {
        label: `Precompute ${n}`,
        unit: "images",
        ended: (j) => j.state === "succeeded" && this.messages.info(`Embeddings ready for ${n}: clicks on them skip the encoder.`),
      });
    } catch (e) {
      this.messages.error((e as Error).message);
    }
  }

  /** Called when the project's media change. */
  render(): void {
    const n = this.images().length;
    replace(
      this.root,
      el(
        "button",
        { class: "small precompute-start", title: "Encode every image of the project now, so clicks are instant", disabled: !n || this.bar.running, onclick: () => void this.start() },
        `Precompute embeddings${n ? ` (${n})` : ""}`,
      ),
      this.bar.root,
    );
  }
}
