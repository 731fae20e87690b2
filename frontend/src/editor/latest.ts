// LatestOnly runs one request at a time; requests submitted while one is in
// flight replace each other, and only the newest runs next. Clicks made
// while the model answers are thus coalesced into one request.

export class LatestOnly<Req, Res> {
  private busy = false;
  private next: Req | null = null;

  constructor(
    private readonly run: (req: Req) => Promise<Res>,
    private readonly done: (req: Req, res: Res) => void,
    private readonly failed: (req: Req, err: unknown) => void,
    private readonly idle: () => void = () => {},
  ) {}

  get inFlight(): boolean {
    return this.busy;
  }

  submit(req: Req): void {
    if (this.busy) {
      this.next = req;
      return;
    }
    this.busy = true;
    void this.loop(req);
  }

  private async loop(req: Req): Promise<void> {
    let cur: Req | null = req;
    while (cur !== null) {
      try {
        this.done(cur, await this.run(cur));
      } catch (e) {
        this.failed(cur, e);
      }
      cur = this.next;
      this.next = null;
    }
    this.busy = false;
    this.idle();
  }
}
