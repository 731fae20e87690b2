// The project's statistics: media, objects and masks, and per label (class
// balance, and the labels with no example yet), before exporting to train.
import type { ProjectStats } from "../api/types.gen";
import { el } from "../view/dom";
import { showDialog } from "./dialogs";

const n = (v: number) => v.toLocaleString("en");

/** The summary line of the statistics. */
export function statsSummary(st: ProjectStats): string {
  return [
    `${n(st.media)} media (${n(st.images)} image${st.images === 1 ? "" : "s"}, ${n(st.videos)} video${st.videos === 1 ? "" : "s"})`,
    `${n(st.annotated)} annotated`,
    `${n(st.done)} done`,
    `${n(st.objects)} object${st.objects === 1 ? "" : "s"}`,
    `${n(st.masks)} mask${st.masks === 1 ? "" : "s"}`,
  ].join(" · ");
}

/** One row per label: name, objects, their share, masks, media. */
export function statsRows(st: ProjectStats): string[][] {
  return st.labels.map((l) => [
    l.name || "(no label)",
    n(l.objects),
    st.objects ? `${Math.round((100 * l.objects) / st.objects)}%` : "—",
    n(l.masks),
    n(l.media),
  ]);
}

export function showStats(st: ProjectStats): void {
  const head = el("tr", {}, ...["Label", "Objects", "Share", "Masks", "Media"].map((h) => el("th", {}, h)));
  const rows = statsRows(st).map((r, i) =>
    el("tr", { class: st.labels[i].objects ? "" : "stats-empty", title: st.labels[i].objects ? "" : "No object has this label yet" }, ...r.map((c) => el("td", {}, c))),
  );
  showDialog("Project statistics", [el("p", { class: "stats-summary" }, statsSummary(st)), el("table", { class: "stats-table" }, head, ...rows)]);
}
