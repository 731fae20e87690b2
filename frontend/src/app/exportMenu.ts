// Export downloads: each format from GET /v1/projects/{id}/export.
import { el } from "../view/dom";

export const exportChoices: { format: string; label: string }[] = [
  { format: "coco", label: "COCO (RLE masks, exact)" },
  { format: "coco-polygons", label: "COCO (polygons)" },
  { format: "yolo", label: "YOLO segmentation (zip)" },
  { format: "labelme", label: "LabelMe JSON (zip)" },
  { format: "png", label: "Mask PNGs (zip)" },
  { format: "mots", label: "MOTS, videos (zip)" },
];

export function exportMenu(run: (format: string) => void): HTMLElement {
  const menu = el("details", { class: "menu export-menu" }, el("summary", {}, "Export"));
  const list = el("div", { class: "menu-items" });
  for (const c of exportChoices) {
    list.append(el("button", { "data-format": c.format, onclick: () => ((menu as HTMLDetailsElement).open = false, run(c.format)) }, c.label));
  }
  menu.append(list);
  return menu;
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
