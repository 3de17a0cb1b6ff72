/**
 * Waits, a macrotask at a time, until `condition` holds: for work paced by real timers or real I/O,
 * whose speed depends on the machine (a loaded CI runner can stall the page for tens of ms), where a
 * fixed sleep or a fixed number of rounds would be a guess. Fails, naming `what`, after `timeoutMs`.
 */
export async function until(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
