// Models: what is installed (GET /v1/models), what can be downloaded (the
// catalog, each with its precisions), and the download itself
// (POST /v1/models/pull, a job counting bytes: MB/s and ETA, cancel, and
// Resume after a failure or a cancel). A finished download waits for an
// engine restart, which the desktop app does and a browser cannot.
import type { Engine } from "../api/engine";
import type { CatalogModel, ModelList, ModelStatus } from "../api/types.gen";
import { JobBar } from "../jobs/jobBar";
import { el, replace } from "../view/dom";
import { desktop } from "./desktop";
import { showDialog } from "./dialogs";

export const pullCommand = "engine models pull sam3-tracker";

export class ModelPanel {
  /** Where the download shows while the panel is closed (the banner). */
  readonly dock = el("div", { class: "model-dock" });
  private readonly bar: JobBar;
  private readonly restart = el("div", { class: "restart-note", hidden: true });
  private readonly body = el("div", { class: "model-panel" });

  constructor(
    private readonly engine: Engine,
    private readonly onError: (message: string) => void,
    /** The models as GET /ready reports them (which are loaded, active). */
    private readonly live: () => ModelStatus[],
  ) {
    this.bar = new JobBar(engine, onError);
  }

  async open(): Promise<void> {
    let list: ModelList;
    try {
      list = await this.engine.models();
    } catch (e) {
      this.onError((e as Error).message);
      return;
    }
    this.showRestart(list.restart_needed);
    replace(
      this.body,
      el("h3", {}, "Installed"),
      el("ul", { class: "installed-models" }, ...list.installed.map((m) => installedRow({ ...m, ...this.live().find((r) => r.name === m.name) }))),
      el("h3", {}, "Download"),
      el("ul", { class: "catalog" }, ...list.catalog.map((m) => this.catalogRow(m))),
      this.bar.root,
      this.restart,
      el("p", { class: "muted" }, "Downloads are checksummed and resume where they stopped. From a terminal: ", el("code", {}, pullCommand), "."),
    );
    showDialog("Models", [this.body], [{ label: "Close", primary: true }], () => this.dock.append(this.bar.root, this.restart));
  }

  private catalogRow(m: CatalogModel): HTMLElement {
    const precision = el(
      "select",
      { class: "precision", "aria-label": `Precision of ${m.name}` },
      ...m.precisions.map((p) => el("option", { value: p, selected: p === m.default_precision }, p)),
    );
    return el(
      "li",
      { class: "catalog-model", "data-model": m.name },
      el("div", {}, el("strong", {}, m.name), " ", el("span", { class: "muted" }, m.description)),
      el("div", { class: "catalog-actions" }, precision, el("button", { class: "small primary pull", onclick: () => void this.pull(m.name, precision.value) }, "Download")),
    );
  }

  private async pull(name: string, precision: string): Promise<void> {
    if (this.bar.running) return;
    try {
      const acc = await this.engine.pull({ name, precision });
      this.bar.follow(acc.job_id, {
        label: `Download ${name} (${precision})`,
        unit: "bytes",
        ended: (j) => {
          if (j.state === "succeeded") void this.afterPull();
        },
      });
    } catch (e) {
      this.onError((e as Error).message);
    }
  }

  private async afterPull(): Promise<void> {
    try {
      this.showRestart((await this.engine.models()).restart_needed);
    } catch (e) {
      this.onError((e as Error).message);
    }
  }

  private showRestart(needed: boolean): void {
    this.restart.hidden = !needed;
    if (!needed) return;
    const restart = desktop()?.restartEngine;
    replace(
      this.restart,
      el("strong", {}, "Downloaded. "),
      restart
        ? el("span", {}, "Restart the engine to use it: ", el("button", { class: "small primary", onclick: () => void restart().catch((e: Error) => this.onError(e.message)) }, "Restart engine"))
        : desktop()?.desktop
          ? "Quit and reopen Samwise to use it (the app restarts its engine)."
          : "Restart the engine to use it: stop `engine serve` and start it again, then reload this page.",
    );
  }
}

function installedRow(m: ModelStatus): HTMLElement {
  const state = m.active ? "active" : m.loaded ? "loaded" : "installed";
  return el(
    "li",
    { class: "installed-model", "data-model": m.name },
    el("strong", {}, m.name),
    ` ${m.task}`,
    el("span", { class: `model-state ${state}` }, state),
    m.demo ? el("span", { class: "muted" }, " demo — not SAM 3") : null,
  );
}
