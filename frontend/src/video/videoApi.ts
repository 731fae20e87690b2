// The video routes (engine/api/video.go, pcs.go): tracking sessions and
// their prompts, concept sessions, propagation and concept runs (jobs: see
// src/jobs), stored results, frame images.
import type { Engine } from "../api/engine";
import type {
  FrameResult,
  JobAccepted,
  PCSRunRequest,
  PCSVideoPrompt,
  PCSVideoSession,
  PropagateRequest,
  SessionResults,
  VideoAnnotationRequest,
  VideoSession,
  VideoSessionList,
} from "../api/types.gen";

const enc = encodeURIComponent;

export class VideoApi {
  constructor(readonly engine: Engine) {}

  private get client() {
    return this.engine.client;
  }

  /** Every session on a video (points and concept), newest first. */
  sessions(mediaId: string): Promise<VideoSessionList> {
    return this.client.json("GET", `/v1/pvs/video/sessions?media_id=${enc(mediaId)}`);
  }

  openSession(mediaId: string): Promise<VideoSession> {
    return this.client.json("POST", "/v1/pvs/video/sessions", { media_id: mediaId });
  }

  annotate(id: string, req: VideoAnnotationRequest): Promise<FrameResult> {
    return this.client.json("POST", `/v1/pvs/video/${enc(id)}/annotations`, req);
  }

  propagate(id: string, req: PropagateRequest): Promise<JobAccepted> {
    return this.client.json("POST", `/v1/pvs/video/${enc(id)}/propagate`, req);
  }

  /** Stored results of any session, a page after frame `after` (-1: from
   * the start). */
  results(id: string, after: number): Promise<SessionResults> {
    return this.client.json("GET", `/v1/pvs/video/${enc(id)}/results?after=${after}`);
  }

  openConcept(mediaId: string): Promise<PCSVideoSession> {
    return this.client.json("POST", "/v1/pcs/video/sessions", { media_id: mediaId });
  }

  concept(id: string): Promise<PCSVideoSession> {
    return this.client.json("GET", `/v1/pcs/video/${enc(id)}`);
  }

  /** Sets the concept on a frame; answers that frame's detections. */
  conceptPrompt(id: string, req: PCSVideoPrompt): Promise<FrameResult> {
    return this.client.json("POST", `/v1/pcs/video/${enc(id)}/prompts`, req);
  }

  conceptRun(id: string, req: PCSRunRequest): Promise<JobAccepted> {
    return this.client.json("POST", `/v1/pcs/video/${enc(id)}/run`, req);
  }

  frame(mediaId: string, n: number): Promise<Blob> {
    return this.client.blob(`/v1/media/${enc(mediaId)}/frames/${n}`);
  }
}
