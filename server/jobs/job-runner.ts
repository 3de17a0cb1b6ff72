import { describeError, type Logger } from '../errors';

/**
 * Runs durable jobs in the background: `step` claims and does one job, answering whether it found
 * one. Polls (another replica or a restart may have left work), and can be kicked when new work
 * arrives. One pass at a time; stop() waits for the job in hand.
 */
export class JobRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly name: string,
    private readonly step: () => Promise<boolean>,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Runs until no job is due; a kick during a pass makes it look once more. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again && this.timer) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves once no pass is running: for specs and for a clean shutdown. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
  }

  private async pass(): Promise<void> {
    try {
      while (this.timer !== null && (await this.step())) {
        // next job
      }
    } catch (e) {
      this.logger.error(`${this.name} jobs failed`, { error: describeError(e) });
    }
  }
}
