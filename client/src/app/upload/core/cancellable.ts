/** Resolves instead of an awaited promise once the guest cancels. */
export const CANCELLED = Symbol('cancelled');
export type Cancelled = typeof CANCELLED;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets a cancel take effect at once instead of after the pending ack. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | Cancelled> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve(CANCELLED);
  return new Promise<T | Cancelled>((resolve, reject) => {
    const onAbort = () => resolve(CANCELLED);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
