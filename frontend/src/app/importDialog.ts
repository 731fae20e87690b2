// Importing annotations made elsewhere (COCO, YouTube-VIS, LabelMe JSON, a zip of
// LabelMe files, of YOLO segmentation labels, Pascal VOC or mask PNGs, or a dataset
// zip with the pictures): the engine's dry run says
// what the file would add, the user confirms, and only then is anything
// saved.
import type { ImportResult } from "../api/types.gen";
import { el } from "../view/dom";
import { showDialog } from "./dialogs";

/** The header's Import button with its hidden file input. */
export function importButton(choose: (file: File) => void): HTMLElement {
  const input = el("input", { type: "file", accept: ".json,.zip,application/json,application/zip", class: "import-file", hidden: true });
  input.addEventListener("change", () => {
    const f = input.files?.[0];
    input.value = "";
    if (f) choose(f);
  });
  const button = el("button", { class: "small import-button", title: "Import annotations (COCO, YouTube-VIS, LabelMe, YOLO, Pascal VOC or mask PNGs; a dataset zip too) as new objects", onclick: () => input.click() }, "Import");
  return el("span", { class: "import" }, button, input);
}

/** Whether a dropped file is an annotation file to import (not media). */
export function isAnnotationFile(name: string): boolean {
  return /\.(json|zip)$/i.test(name);
}

const plural = (n: number, one: string, many = one + "s") => `${n} ${n === 1 ? one : many}`;

/** The lines that describe an import (or what a dry run would import). */
export function importSummary(r: ImportResult): string[] {
  const lines = [
    `${plural(r.objects, "new object")} (${plural(r.masks, "mask")}) on ${plural(r.media_ids.length, "media", "media")}, from ${plural(r.matched, "picture")} of ${r.pictures} in the file.`,
  ];
  if (r.boxes) lines.push(`${plural(r.boxes, "box", "boxes")} without a mask, for the model to segment.`);
  if (r.duplicates) lines.push(`${plural(r.duplicates, "mask")} already in the project, not added again.`);
  if (r.labels_added.length) lines.push(`New labels: ${r.labels_added.join(", ")}.`);
  for (const n of r.notes ?? []) lines.push(`Note: ${n}.`);
  if (r.unmatched_count) {
    lines.push(`${plural(r.unmatched_count, "picture")} not in this project (add the media first): ${r.unmatched.slice(0, 5).join(", ")}${r.unmatched_count > 5 ? ", …" : ""}`);
  }
  if (r.skipped_count) {
    lines.push(`${r.skipped_count} not imported:`);
    for (const s of r.skipped.slice(0, 8)) lines.push(`• ${[s.file, s.what].filter(Boolean).join(" — ")}: ${s.reason}`);
    if (r.skipped_count > 8) lines.push(`• and ${r.skipped_count - 8} more`);
  }
  return lines;
}

/** Shows a dry run's summary (run with segment_boxes); null when the
 * user declines, else whether to segment the boxes. */
export function confirmImport(fileName: string, dry: ImportResult): Promise<{ segmentBoxes: boolean } | null> {
  return new Promise((resolve) => {
    const body: Node[] = importSummary(dry).map((l) => el("p", { class: "import-line" }, l));
    const segment = el("input", { type: "checkbox", class: "import-segment-boxes", checked: true });
    if (dry.boxes) body.push(el("label", { class: "import-line" }, segment, ` Make masks of the ${plural(dry.boxes, "box", "boxes")} with the model (a job: an image's objects appear as it is done, a video's when all its frames are)`));
    const any = dry.masks + dry.boxes > 0;
    const buttons = any
      ? [{ label: "Cancel", onclick: () => resolve(null) }, { label: "Import", primary: true, onclick: () => resolve({ segmentBoxes: dry.boxes > 0 && segment.checked }) }]
      : [{ label: "Close", primary: true, onclick: () => resolve(null) }];
    // Closing (Escape, the backdrop) declines; a button's choice comes first.
    showDialog(`Import ${fileName}`, any ? body : [el("p", {}, "Nothing to add."), ...body], buttons, () => setTimeout(() => resolve(null)));
  });
}
