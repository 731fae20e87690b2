// Where AI masks come from: the image model (POST /v1/pvs/image) for
// images, a tracking session for video frames (src/video). Prompts that
// start from an existing mask send it along: the engine makes it the
// starting prompt and the clicks refine it.
import type { RLE } from "../api/types.gen";
import type { Engine } from "../api/engine";
import type { Prompts } from "../editor/annotations";

export interface SegmentRequest {
  objectId: number;
  frame: number;
  prompts: Prompts;
}

export interface Segmenter {
  /** The object's mask on the frame for these prompts (null: empty). */
  segment(req: SegmentRequest): Promise<RLE | null>;
}

export class ImageSegmenter implements Segmenter {
  /** Timing of the last answer, for the model badge. */
  lastTiming: { encode_ms: number; decode_ms: number; cached: boolean } | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly mediaId: string,
  ) {}

  async segment(req: SegmentRequest): Promise<RLE | null> {
    const { points, labels, box, mask } = req.prompts;
    const res = await this.engine.segment({
      media_id: this.mediaId,
      objects: [{ object_id: req.objectId, points: points.length ? points : undefined, labels: points.length ? labels : undefined, box, mask }],
    });
    this.lastTiming = res.timing;
    return res.objects[0]?.mask ?? null;
  }
}
