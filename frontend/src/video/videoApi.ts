// The video routes (engine/api/video.go, jobs.go): tracking sessions,
// per-frame prompts, propagation jobs and their results, frame images.
import type { Engine } from "../api/engine";
import type {
  FrameResult,
  Job,
  JobAccepted,
  JobResults,
  PropagateRequest,
  SessionResults,
  VideoAnnotationRequest,
  VideoSession,
} from "../api/types.gen";

const enc = encodeURIComponent;

export class VideoApi {
  constructor(private readonly engine: Engine) {}

  private get client() {
    return this.engine.client;
  }

  openSession(mediaId: string): Promise<VideoSession> {
    return this.client.json("POST", "/v1/pvs/video/sessions", { media_id: mediaId });
  }

  endSession(id: string): Promise<VideoSession> {
    return this.client.json("DELETE", `/v1/pvs/video/${enc(id)}`);
  }

  annotate(id: string, req: VideoAnnotationRequest): Promise<FrameResult> {
    return this.client.json("POST", `/v1/pvs/video/${enc(id)}/annotations`, req);
  }

  propagate(id: string, req: PropagateRequest): Promise<JobAccepted> {
    return this.client.json("POST", `/v1/pvs/video/${enc(id)}/propagate`, req);
  }

  results(id: string, after: number | null): Promise<SessionResults> {
    return this.client.json("GET", `/v1/pvs/video/${enc(id)}/results${after === null ? "" : `?after=${after}`}`);
  }

  job(jobId: string): Promise<Job> {
    return this.client.json("GET", `/v1/jobs/${enc(jobId)}`);
  }

  jobResults(jobId: string, after: number | null): Promise<JobResults> {
    return this.client.json("GET", `/v1/jobs/${enc(jobId)}/results${after === null ? "" : `?after=${after}`}`);
  }

  cancel(jobId: string): Promise<Job> {
    return this.client.json("DELETE", `/v1/jobs/${enc(jobId)}`);
  }

  frame(mediaId: string, n: number): Promise<Blob> {
    return this.client.blob(`/v1/media/${enc(mediaId)}/frames/${n}`);
  }
}
