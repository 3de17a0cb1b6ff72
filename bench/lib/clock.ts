/**
 * Milliseconds on one clock shared by every process on the machine (the system clock at high
 * resolution), so a time taken in the server process compares with one taken in a client process.
 */
export const wallClock = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Milliseconds `work` took. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
