/**
 * Upload requests being served. A draining replica takes no new request (the upload service answers
 * SERVER_BUSY) and waits for those in hand (a commit above all: its answer is the guest's "it's on
 * the wall") before its connections close.
 */
export class InFlight {
  private readonly requests = new Set<Promise<unknown>>();
  private stopping = false;

  get draining(): boolean {
    return this.stopping;
  }

  track<T>(request: Promise<T>): Promise<T> {
    this.requests.add(request);
    const done = () => this.requests.delete(request);
    request.then(done, done);
    return request;
  }

  /** Resolves true once every request in hand has answered, false if `deadlineMs` passed first. */
  async drain(deadlineMs: number): Promise<boolean> {
    this.stopping = true;
    const deadline = Date.now() + deadlineMs;
    while (this.requests.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
      await Promise.race([Promise.allSettled([...this.requests]), late]);
      clearTimeout(timer);
    }
    return this.requests.size === 0;
  }
}
