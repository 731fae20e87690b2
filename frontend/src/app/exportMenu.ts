// Export downloads: each format from GET /v1/projects/{id}/export, saved
// through a link in a browser and through the desktop shell's save dialog
// in the desktop app (a link download saves nothing in its webview).
import { polygonExportFormats, splitExportFormats } from "../api/types.gen";
import { el } from "../view/dom";
import type { DesktopBridge } from "./desktop";

export const exportChoices: { format: string; label: string }[] = [
  { format: "coco", label: "COCO (RLE masks, exact)" },
  { format: "coco-polygons", label: "COCO (polygons)" },
  { format: "yolo", label: "YOLO segmentation (zip)" },
  { format: "labelme", label: "LabelMe JSON (zip)" },
  { format: "png", label: "Mask PNGs (zip)" },
  { format: "voc", label: "Pascal VOC segmentation (zip)" },
  { format: "mots", label: "MOTS, videos (zip)" },
  { format: "ytvis", label: "YouTube-VIS, videos" },
];

/** What an export holds besides the annotations of every media. */
export interface ExportOptions {
  /** Leave out the media not marked done. */
  doneOnly: boolean;
  /** A dataset zip: the annotations with the pictures they name. */
  pictures: boolean;
  /** With pictures, COCO, YOLO and VOC: the share of media held out for validation (0: no split). */
  val: number;
  /** Polygon formats: how far polygons may stray from the masks, in pixels (0: exact); left out for the others. */
  tolerance?: number;
}

/** The polygon details the menu offers (tolerance in pixels). */
const details: [number, string][] = [
  [1, "Polygons: fine (1 px)"],
  [0, "Polygons: exact outline"],
  [2, "Polygons: coarse (2 px)"],
  [4, "Polygons: rough (4 px)"],
];

/** The train/val splits the menu offers (share held out for validation). */
const splits: [number, string][] = [
  [0, "No validation split"],
  [0.1, "Train 90% / val 10%"],
  [0.2, "Train 80% / val 20%"],
  [0.3, "Train 70% / val 30%"],
];

export function exportMenu(run: (format: string, opts: ExportOptions) => void): HTMLElement {
  const menu = el("details", { class: "menu export-menu" }, el("summary", {}, "Export"));
  const doneOnly = el("input", { type: "checkbox", class: "export-done-only" });
  const val = el(
    "select",
    { class: "export-val", disabled: "", title: "COCO, YOLO and VOC datasets: media held out for validation, whole videos at a time, the same ones every export" },
    ...splits.map(([v, text]) => el("option", { value: String(v) }, text)),
  );
  const pictures = el("input", { type: "checkbox", class: "export-pictures", onchange: () => (val.disabled = !pictures.checked) });
  const detail = el("select", { class: "export-detail" }, ...details.map(([v, text]) => el("option", { value: String(v) }, text)));
  const list = el(
    "div",
    { class: "menu-items" },
    el("label", { class: "menu-option", title: "Leave out the media not marked done (D)" }, doneOnly, " Only media marked done"),
    el("label", { class: "menu-option", title: "A zip ready to train on: the annotations and the pictures they name (video frames as JPEGs)" }, pictures, " With the pictures (dataset zip)"),
    el("label", { class: "menu-option" }, val),
    el("label", { class: "menu-option", title: "COCO polygons, YOLO and LabelMe: how closely polygons follow the masks; exact keeps every pixel corner" }, detail),
  );
  const options = (): ExportOptions => ({
    doneOnly: doneOnly.checked,
    pictures: pictures.checked,
    val: pictures.checked ? Number(val.value) : 0,
    tolerance: Number(detail.value),
  });
  for (const c of exportChoices) {
    list.append(el("button", { "data-format": c.format, onclick: () => ((menu as HTMLDetailsElement).open = false, run(c.format, options())) }, c.label));
  }
  menu.append(list);
  return menu;
}

/** Exports the project in a format; answers what to tell the user, or
 * null when the save dialog was cancelled. */
export async function exportProject(
  format: string,
  projectId: string,
  opts: ExportOptions,
  how: {
    bridge: DesktopBridge | null;
    download: (projectId: string, format: string, opts: ExportOptions) => Promise<{ blob: Blob; filename: string }>;
    save: (blob: Blob, filename: string) => void;
  },
): Promise<string | null> {
  // The options a format has no use for are left out.
  const o: ExportOptions = {
    ...opts,
    val: splitExportFormats.includes(format) ? opts.val : 0,
    tolerance: polygonExportFormats.includes(format) ? opts.tolerance : undefined,
  };
  if (how.bridge?.saveExport) {
    const path = await how.bridge.saveExport(format, projectId, { done_only: o.doneOnly, pictures: o.pictures, val: o.val, tolerance: o.tolerance });
    return path ? `Exported to ${path}` : null;
  }
  const { blob, filename } = await how.download(projectId, format, o);
  how.save(blob, filename);
  return `Exported ${filename}`;
}

/** Opens the menu (the desktop's File > Export…). */
export function openExportMenu(menu: HTMLElement): void {
  (menu as HTMLDetailsElement).open = true;
  menu.querySelector<HTMLElement>(".menu-items button")?.focus();
}

/** Saves a blob as a file through a temporary link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: filename, style: "display:none" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
