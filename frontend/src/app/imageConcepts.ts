// Concepts on an image: POST /v1/pcs/image with the text, exemplar boxes
// and threshold; every instance found becomes a new object (one undo step,
// existing objects untouched), labelled with the text when the project has
// a label of that name. A find made right after the last one (nothing
// edited since) replaces that one's result instead of adding to it. With
// "One mask" the model's semantic segmentation becomes one object instead
// (when the model has none, the instances are added as usual).
import type { Engine } from "../api/engine";
import type { Label, ObjectResult, PCSImageResponse, Timing } from "../api/types.gen";
import * as A from "../editor/annotations";
import { addInstances } from "../editor/concepts";
import type { Annotator } from "./annotator";
import { labelNamed, type ConceptPrompt, type ConceptResult, type ConceptTarget } from "./conceptPanel";

export class ImageConcepts implements ConceptTarget {
  private last: { before: A.AnnotationState; after: A.AnnotationState; ids: number[] } | null = null;
  readonly semantic = true;

  constructor(
    private readonly engine: Engine,
    private readonly mediaId: string,
    private readonly annotator: Annotator,
    private readonly labels: () => Label[],
    private readonly onTiming: (t: Timing) => void,
  ) {}

  async find(p: ConceptPrompt): Promise<ConceptResult> {
    const res = await this.engine.findConcept({
      media_id: this.mediaId,
      text: p.text || undefined,
      exemplars: p.exemplars.length ? p.exemplars : undefined,
      threshold: p.threshold,
    });
    this.onTiming(res.timing);
    const a = this.annotator;
    // Replace the last result only when it made an undo step of its own.
    const replacing = this.refinable() && this.last!.ids.length > 0;
    const base = replacing ? this.last!.before : a.state;
    const label = labelNamed(this.labels(), p.text) ?? "";
    const found = p.semantic && res.semantic_seg ? semanticObjects(res) : res.objects;
    const { state, ids } = addInstances(base, 0, found, { label, color: (id) => a.colorFor(label, id) });
    if (replacing && !ids.length) a.undo(); // nothing found now: the last result goes
    else a.apply(state, !replacing);
    this.last = { before: base, after: a.state, ids };
    return { found: ids.length, presence: res.presence, frame: 0, noSemantic: p.semantic && !res.semantic_seg };
  }

  refinable(): boolean {
    return this.last !== null && this.annotator.state === this.last.after;
  }

  conceptObjects(): number[] {
    const s = this.annotator.state;
    return (this.last?.ids ?? []).filter((id) => A.find(s, id));
  }
}

/** The semantic segmentation as one object (none when it is empty). */
function semanticObjects(res: PCSImageResponse): ObjectResult[] {
  const sem = res.semantic_seg;
  if (!sem?.mask || sem.area === 0) return [];
  const best = Math.max(0, ...res.objects.map((o) => o.score));
  return [{ object_id: 1, score: best, iou: best, object_score: best, box: [0, 0, 0, 0], area: sem.area, mask: sem.mask }];
}
