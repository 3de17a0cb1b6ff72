/**
 * Figure 3: our critical path (server/media/pipeline processImage) against a bare sharp script
 * making the same display and thumb variants from the same 12 MP file, alternating, in a child
 * process of their own (bench/processing-child.ts; no server: both are libvips on its thread pool,
 * the same for both).
 */
import type { Figure } from '../lib/figure';
import { measureInChild, type Message } from '../lib/processes';
import { atMost, versus } from '../lib/rows';

interface Timings extends Message {
  readonly made: string;
  readonly ours: number[];
  readonly bare: number[];
}

export const processingFigure: Figure = {
  name: 'processing',
  storeless: true,
  async run({ quick, log }) {
    const timings = await measureInChild<Timings>('processing-child.ts', [String(quick ? 10 : 20)], 'processing', 300_000, log);
    log(`processImage makes: ${timings.made}`);
    return versus(
      { name: 'processing: processImage median', samples: timings.ours },
      { name: 'processing: bare sharp median', samples: timings.bare },
      'ms',
      (ratio) => atMost('processing: ours / bare sharp', ratio, 'x', 1.2),
    );
  },
};
