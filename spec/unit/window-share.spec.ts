import { MIN_CHUNKS_AHEAD, UPLOAD_WINDOW } from '@photobook/shared';
import { IN_FLIGHT_CHUNK_BUDGET, WindowShare } from '../../server/upload/window-share';

describe('the window each begin answers (UP3: a share of what one replica holds in flight)', () => {
  let now = 0;
  const share = () => new WindowShare(() => now);

  beforeEach(() => (now = 1_000_000));

  it('gives a lone upload the whole window', () => {
    expect(share().windowFor('a')).toBe(UPLOAD_WINDOW);
  });

  it('splits the budget between the uploads sending at once, never below the minimum', () => {
    const windows = share();
    const answers = Array.from({ length: 50 }, (_, i) => windows.windowFor(`u${i}`));
    expect(answers[0]).toBe(UPLOAD_WINDOW);
    expect(answers[7]).toBe(IN_FLIGHT_CHUNK_BUDGET / 8);
    expect(answers[49]).toBe(MIN_CHUNKS_AHEAD);
    expect(Math.max(...answers.slice(4))).toBeLessThanOrEqual(IN_FLIGHT_CHUNK_BUDGET / 5);
  });

  it('counts an upload while it sends chunks, and frees its share when it is done or goes quiet for 2 s', () => {
    const windows = share();
    for (let i = 0; i < 7; i++) windows.windowFor(`u${i}`);
    expect(windows.windowFor('late')).toBe(IN_FLIGHT_CHUNK_BUDGET / 8);
    now += 1500;
    windows.sending('u0');
    windows.done('u1');
    now += 1000; // u2..u6 and 'late' sent nothing for 2.5 s: only u0 still sends
    expect(windows.windowFor('next')).toBe(Math.min(UPLOAD_WINDOW, IN_FLIGHT_CHUNK_BUDGET / 2));
  });
});
