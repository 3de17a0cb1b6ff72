import type { Row } from './rows';

export interface BenchContext {
  /** Fewer repeats and smaller crowds: the whole run stays under 3 minutes. */
  readonly quick: boolean;
  /** Extra arguments for a figure (e.g. --old for heavy-images). */
  readonly args: readonly string[];
  log(message: string): void;
}

export interface Figure {
  /** Used by --only=<name>, and as the prefix of its rows. */
  readonly name: string;
  /** Not run unless asked for by --only or its own flag. */
  readonly optIn?: string;
  run(ctx: BenchContext): Promise<Row[]>;
}
