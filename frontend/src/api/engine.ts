// Typed calls of the engine routes the annotator uses (shapes from the
// generated types only); the video session routes are in src/video/videoApi.ts.
import type { Client } from "./client";
import { readNdjson } from "./ndjson";
import type {
  AnnotationDoc,
  FrameResult,
  ImportResult,
  Job,
  JobAccepted,
  JobList,
  JobResults,
  Label,
  Media,
  ModelImportRequest,
  ModelList,
  OutlineRequest,
  OutlineResponse,
  PrefetchRequest,
  PrefetchResponse,
  PCSImageRequest,
  PCSImageResponse,
  PullRequest,
  PVSImageRequest,
  PVSImageResponse,
  Project,
  ProjectConceptRequest,
  ProjectList,
  ProjectMediaList,
  ProjectStats,
  Ready,
  RLE,
} from "./types.gen";

const enc = encodeURIComponent;

export class Engine {
  constructor(readonly client: Client) {}

  /** GET /ready answers 503 until a model is loaded: read its body anyway. */
  async ready(): Promise<Ready> {
    const resp = await fetch("/ready");
    return (await resp.json()) as Ready;
  }

  upload(file: Blob, name: string): Promise<Media> {
    const form = new FormData();
    form.append("file", file, name);
    return this.client.fetch("POST", "/v1/media", form).then((r) => r.json() as Promise<Media>);
  }

  registerPath(path: string): Promise<Media> {
    return this.client.json("POST", "/v1/media", { path });
  }

  mediaFile(id: string): Promise<Blob> {
    return this.client.blob(`/v1/media/${enc(id)}/file`);
  }

  /** A small JPEG of an image or of a video's first frame (size: its longer side). */
  thumbnail(id: string, size: number): Promise<Blob> {
    return this.client.blob(`/v1/media/${enc(id)}/thumbnail?size=${size}`);
  }

  projects(): Promise<ProjectList> {
    return this.client.json("GET", "/v1/projects");
  }

  createProject(name: string, labels: Label[]): Promise<Project> {
    return this.client.json("POST", "/v1/projects", { name, labels });
  }

  updateProject(id: string, update: { name?: string; labels?: Label[]; renames?: Record<string, string> }): Promise<Project> {
    return this.client.json("PUT", `/v1/projects/${enc(id)}`, update);
  }

  addMedia(id: string, mediaIds: string[]): Promise<Project> {
    return this.client.json("POST", `/v1/projects/${enc(id)}/media`, { media_ids: mediaIds });
  }

  removeMedia(id: string, mediaId: string): Promise<Project> {
    return this.client.json("DELETE", `/v1/projects/${enc(id)}/media/${enc(mediaId)}`);
  }

  projectMedia(id: string): Promise<ProjectMediaList> {
    return this.client.json("GET", `/v1/projects/${enc(id)}/media`);
  }

  stats(id: string): Promise<ProjectStats> {
    return this.client.json("GET", `/v1/projects/${enc(id)}/stats`);
  }

  annotations(id: string, mediaId: string): Promise<AnnotationDoc> {
    return this.client.json("GET", `/v1/projects/${enc(id)}/annotations/${enc(mediaId)}`);
  }

  saveAnnotations(id: string, mediaId: string, doc: AnnotationDoc): Promise<AnnotationDoc> {
    return this.client.json("PUT", `/v1/projects/${enc(id)}/annotations/${enc(mediaId)}`, doc);
  }

  segment(req: PVSImageRequest): Promise<PVSImageResponse> {
    return this.client.json("POST", "/v1/pvs/image", req);
  }

  /** A mask's boundaries with the handles to edit them by. */
  outline(mask: RLE, tolerance: number): Promise<OutlineResponse> {
    return this.client.json("POST", "/v1/masks/outline", { mask, tolerance } satisfies OutlineRequest);
  }

  /** Downloads an export (doneOnly: the media marked done; pictures: a dataset zip with them;
   * val: with pictures, the share of media held out for validation). */
  export(id: string, format: string, opts: { doneOnly?: boolean; pictures?: boolean; val?: number; tolerance?: number } = {}): Promise<{ blob: Blob; filename: string }> {
    let q = `format=${enc(format)}${opts.doneOnly ? "&done_only=true" : ""}${opts.pictures ? "&pictures=true" : ""}${opts.val ? `&val=${opts.val}` : ""}`;
    if (opts.tolerance !== undefined) q += `&tolerance=${opts.tolerance}`;
    return this.client.download(`/v1/projects/${enc(id)}/export?${q}`);
  }

  /** Imports a COCO, YouTube-VIS, LabelMe or YOLO file into a project (dryRun: only says
   * what it would add; segmentBoxes: a job makes masks of its boxes). */
  importAnnotations(id: string, file: Blob, opts: { dryRun: boolean; segmentBoxes: boolean }): Promise<ImportResult> {
    const q = `dry_run=${opts.dryRun}&segment_boxes=${opts.segmentBoxes}`;
    return this.client
      .fetch("POST", `/v1/projects/${enc(id)}/import?${q}`, file, { "Content-Type": "application/octet-stream", Accept: "application/json" })
      .then((r) => r.json() as Promise<ImportResult>);
  }

  findConcept(req: PCSImageRequest): Promise<PCSImageResponse> {
    return this.client.json("POST", "/v1/pcs/image", req);
  }

  /** Looks for a concept on every image of a project, in a job. */
  findConceptInProject(id: string, req: ProjectConceptRequest): Promise<JobAccepted> {
    return this.client.json("POST", `/v1/projects/${enc(id)}/concept`, req);
  }

  models(): Promise<ModelList> {
    return this.client.json("GET", "/v1/models");
  }

  pull(req: PullRequest): Promise<JobAccepted> {
    return this.client.json("POST", "/v1/models/pull", req);
  }

  importModel(req: ModelImportRequest): Promise<JobAccepted> {
    return this.client.json("POST", "/v1/models/import", req);
  }

  /** Asks the engine to encode the open image now and the next ones in
   * the background, with the concept model too when concepts (replacing
   * the last request; nothing open: stops). */
  prefetch(open: string | undefined, next: string[], concepts = false): Promise<PrefetchResponse> {
    return this.client.json("POST", "/v1/pvs/prefetch", { open, media_ids: next, concepts: concepts || undefined } satisfies PrefetchRequest);
  }

  precompute(mediaIds: string[]): Promise<JobAccepted> {
    return this.client.json("POST", "/v1/precompute", { media_ids: mediaIds });
  }

  job(id: string): Promise<Job> {
    return this.client.json("GET", `/v1/jobs/${enc(id)}`);
  }

  jobs(): Promise<JobList> {
    return this.client.json("GET", "/v1/jobs");
  }

  cancelJob(id: string): Promise<Job> {
    return this.client.json("DELETE", `/v1/jobs/${enc(id)}`);
  }

  resumeJob(id: string): Promise<JobAccepted> {
    return this.client.json("POST", `/v1/jobs/${enc(id)}/resume`);
  }

  jobResults(id: string, after: number): Promise<JobResults> {
    return this.client.json("GET", `/v1/jobs/${enc(id)}/results?after=${after}`);
  }

  /** The job's frames after the cursor as they are written (NDJSON), in
   * batches as they arrive; the stream ends when the job has ended. */
  async *jobStream(id: string, after: number, signal?: AbortSignal): AsyncGenerator<FrameResult[]> {
    const resp = await this.client.fetch("GET", `/v1/jobs/${enc(id)}/results?after=${after}`, undefined, { Accept: "application/x-ndjson" }, signal);
    if (!resp.body) throw new Error("the engine sent no result stream");
    yield* readNdjson<FrameResult>(resp.body);
  }
}
