// Models: what is installed (GET /v1/models), what can be downloaded (the
// catalog, each with its precisions), and the download itself
// (POST /v1/models/pull, a job counting bytes: MB/s and ETA, cancel, and
// Resume after a failure or a cancel). Models that are not downloads (SAM 3
// concept and video exports) are added from a folder: in the desktop app
// through a folder dialog (POST /v1/models/import, a job counting bytes),
// elsewhere with `engine models import`. A new model waits for an engine
// restart, which the desktop app does and a browser cannot.
import type { Engine } from "../api/engine";
import type { CatalogModel, ModelList, ModelStatus } from "../api/types.gen";
import { JobBar } from "../jobs/jobBar";
import { el, replace } from "../view/dom";
import { desktop } from "./desktop";
import { showDialog } from "./dialogs";

export const pullCommand = "engine models pull sam3-tracker";
export const importCommand = "engine models import DIR";

export class ModelPanel {
  /** Where the download shows while the panel is closed (the banner). */
  readonly dock = el("div", { class: "model-dock" });
  private readonly bar: JobBar;
  private readonly restart = el("div", { class: "restart-note", hidden: true });
  private readonly body = el("div", { class: "model-panel" });
  private readonly installed = el("ul", { class: "installed-models" });

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
    this.show(list);
    replace(
      this.body,
      el("h3", {}, "Installed"),
      this.installed,
      el("h3", {}, "Download"),
      el("ul", { class: "catalog" }, ...list.catalog.map((m) => this.catalogRow(m))),
      el("p", { class: "muted" }, "Downloads are checksummed and resume where they stopped. From a terminal: ", el("code", {}, pullCommand), "."),
      el("h3", {}, "From a folder"),
      this.folderRow(),
      this.bar.root,
      this.restart,
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

  /** SAM 3 text prompts and video tracking come as exports to unpack:
   * the desktop app adds such a folder, a browser says how to. */
  private folderRow(): HTMLElement {
    const what = "SAM 3 text prompts (sam3-concept: vision-encoder.onnx, text-encoder.onnx, decoder.onnx, tokenizer.json) and video tracking (sam3-video, with its manifest.json) are not downloads: unpack the export to a folder";
    const choose = desktop()?.chooseFolder;
    if (!choose) return el("p", { class: "muted" }, `${what}, then on the engine's machine run `, el("code", {}, importCommand), " (docs/models.md).");
    return el(
      "div",
      { class: "model-folder" },
      el("p", { class: "muted" }, `${what} and add it here; the files are copied and checksummed.`),
      el("button", { class: "small import-model", onclick: () => void this.importFolder(choose) }, "Add a model folder…"),
    );
  }

  private async importFolder(choose: (title: string) => Promise<string>): Promise<void> {
    if (this.bar.running) return;
    try {
      const path = await choose("Choose the folder of a SAM 3 model");
      if (!path) return;
      const acc = await this.engine.importModel({ path });
      this.follow(acc.job_id, `Add ${path.split(/[\\/]/).pop() || path}`);
    } catch (e) {
      this.onError((e as Error).message);
    }
  }

  private async pull(name: string, precision: string): Promise<void> {
    if (this.bar.running) return;
    try {
      const acc = await this.engine.pull({ name, precision });
      this.follow(acc.job_id, `Download ${name} (${precision})`);
    } catch (e) {
      this.onError((e as Error).message);
    }
  }

  /** Follows a download or a folder import; a new model refreshes the list. */
  private follow(jobId: string, label: string): void {
    this.bar.follow(jobId, {
      label,
      unit: "bytes",
      ended: (j) => {
        if (j.state === "succeeded") void this.refresh();
      },
    });
  }

  private async refresh(): Promise<void> {
    try {
      this.show(await this.engine.models());
    } catch (e) {
      this.onError((e as Error).message);
    }
  }

  private show(list: ModelList): void {
    replace(this.installed, ...list.installed.map((m) => installedRow({ ...m, ...this.live().find((r) => r.name === m.name) })));
    this.showRestart(list.restart_needed);
  }

  private showRestart(needed: boolean): void {
    this.restart.hidden = !needed;
    if (!needed) return;
    const restart = desktop()?.restartEngine;
    replace(
      this.restart,
      el("strong", {}, "Installed. "),
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
