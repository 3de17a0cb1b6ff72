/**
 * Runs two variants side by side, alternating A and B (the order flips every round so neither
 * always runs on a machine warmed by the other), after one unrecorded warm-up of each. Returns
 * every recorded sample, to be compared by their medians.
 */
export async function alternate(
  rounds: number,
  a: () => Promise<number>,
  b: () => Promise<number>,
): Promise<{ a: number[]; b: number[] }> {
  await a();
  await b();
  const samples = { a: [] as number[], b: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      samples.a.push(await a());
      samples.b.push(await b());
    } else {
      samples.b.push(await b());
      samples.a.push(await a());
    }
  }
  return samples;
}
