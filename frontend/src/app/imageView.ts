// The image view: the picture decoded once (createImageBitmap) into the
// stage, annotations from the project, AI masks from POST /v1/pvs/image,
// concepts from POST /v1/pcs/image.
import type { AnnotationDoc, Media } from "../api/types.gen";
import { el } from "../view/dom";
import { Annotator } from "./annotator";
import { journalFor, saveError, type MediaView, type ViewContext } from "./mediaView";
import { ImageConcepts } from "./imageConcepts";
import { ImageSegmenter } from "./segmenter";

export async function openImage(ctx: ViewContext, media: Media, doc: AnnotationDoc): Promise<MediaView> {
  const blob = await ctx.engine.mediaFile(media.media_id);
  const bitmap = await createImageBitmap(blob);
  const seg = new ImageSegmenter(ctx.engine, media.media_id);
  const { journal, kept } = journalFor(ctx, media.media_id, doc);
  const annotator = new Annotator({
    width: media.width,
    height: media.height,
    doc,
    labels: ctx.labels,
    segmenter: {
      segment: async (req) => {
        const res = await seg.segment(req);
        ctx.onSegmented(seg.lastTiming);
        return res;
      },
    },
    outline: (mask, tolerance) => ctx.engine.outline(mask, tolerance),
    save: (d) => ctx.engine.saveAnnotations(ctx.projectId, media.media_id, d),
    toSaveError: saveError,
    onSaveStatus: ctx.onSaveStatus,
    onError: ctx.onError,
    journal,
  });
  const root = el("div", { class: "view image-view" }, annotator.stage.root);
  return {
    media,
    annotator,
    root,
    concepts: new ImageConcepts(ctx.engine, media.media_id, annotator, ctx.labels, (t) => ctx.onSegmented(t)),
    mounted: () => {
      annotator.stage.setPicture(bitmap, media.width, media.height);
      bitmap.close(); // drawn once; zoom and pan never redraw it
      annotator.render();
      if (kept) {
        annotator.restore(kept);
        ctx.onNote("Restored edits that were not saved in the last session.");
      }
    },
    action: () => false,
    destroy: () => annotator.destroy(),
  };
}
