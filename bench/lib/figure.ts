import type { ServerChildOptions, ServerProcess, StoreKind } from './processes';
import type { Row } from './rows';

export interface BenchContext {
  /** Fewer repeats and smaller crowds: the whole run stays under 3 minutes. */
  readonly quick: boolean;
  /** Extra arguments for a figure (e.g. --old for heavy-images). */
  readonly args: readonly string[];
  /** The store this pass runs the server on (--store=mongo runs each figure once per store). */
  readonly store: StoreKind;
  /** The server child on this pass's store: figures start servers only through this. */
  startServer(options?: ServerChildOptions): Promise<ServerProcess>;
  log(message: string): void;
  /** A line for the notes under the final table (e.g. that a pass ran fewer repeats). */
  note(line: string): void;
}

export interface Figure {
  /** Used by --only=<name>, and as the prefix of its rows. */
  readonly name: string;
  /** Not run unless asked for by --only or its own flag. */
  readonly optIn?: string;
  /** Starts no server (processing): the store cannot change it, so it runs once, on no store. */
  readonly storeless?: boolean;
  /** Runs on this store alone, whatever --store says (replica processes need a store they can share). */
  readonly onlyStore?: StoreKind;
  run(ctx: BenchContext): Promise<Row[]>;
}

/**
 * How many times to repeat: `embedded`, or the smaller `mongo` on the MongoDB pass, noted under the
 * table. FerretDB (the MongoDB-wire server here) is slow enough that the full count takes minutes.
 */
export function repeats(ctx: BenchContext, what: string, embedded: number, mongo: number): number {
  if (ctx.store !== 'mongo' || mongo >= embedded) return embedded;
  ctx.note(`${what}: ${mongo} on MongoDB, ${embedded} on embedded.`);
  return mongo;
}
