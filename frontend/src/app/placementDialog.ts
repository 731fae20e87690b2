// The question the engine asks under `burst: ask` before a long job: run
// it here or send it to the GPU worker (src/jobs/placement.ts).
import type { PlacementEstimate } from "../api/types.gen";
import { describeEstimate, type Placement } from "../jobs/placement";
import { el } from "../view/dom";
import { showDialog } from "./dialogs";

export function choosePlacement(estimate: PlacementEstimate): Promise<Placement | null> {
  return new Promise((resolve) => {
    let choice: Placement | null = null;
    const d = describeEstimate(estimate);
    const buttons: { label: string; primary?: boolean; onclick?: () => void }[] = [
      { label: "Cancel" },
      // The default (Enter) costs nothing: the GPU needs a click.
      { label: "Run here", primary: true, onclick: () => (choice = "local") },
    ];
    if (estimate.remote_available) buttons.push({ label: "Send to GPU", onclick: () => (choice = "remote") });
    const dlg = showDialog(
      "Where should this run?",
      [el("p", { class: "estimate-work" }, d.work), el("p", { class: "estimate-local" }, d.local), el("p", { class: "estimate-remote" }, d.remote)],
      buttons,
      // showDialog closes before it runs the button's onclick: read the
      // choice after that.
      () => queueMicrotask(() => resolve(choice)),
    );
    dlg.querySelector(".dialog")?.classList.add("placement-dialog");
  });
}
