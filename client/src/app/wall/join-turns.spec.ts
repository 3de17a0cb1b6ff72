import { JOIN_TIMING, JoinTurns, joinTimingFrom, type JoinMoment } from './join-turns';

/** The join card's rules on their own, with a clock passed in. */
describe('JoinTurns', () => {
  const T0 = 1_000_000;
  const free: JoinMoment = { allowed: true, newWaiting: false, newOnStage: false, turnOver: true };
  const timing = { everyMs: 240_000, holdMs: 12_000, idleMs: 90_000 };

  /** The card's on/off at each second from `from` to `to` (inclusive), as one string of 0 and 1. */
  function trace(turns: JoinTurns, from: number, to: number, moment: (t: number) => JoinMoment = () => free): string {
    let out = '';
    for (let s = from; s <= to; s++) out += turns.update(T0 + s * 1000, moment(s)) ? '1' : '0';
    return out;
  }

  it('defaults to every 4 minutes for 12 s, and sooner (90 s) when nothing new comes', () => {
    expect(JOIN_TIMING).toEqual(timing);
  });

  it('comes every everyMs while new photos keep coming, for holdMs each time', () => {
    const turns = new JoinTurns(timing, T0);
    const busy = (s: number) => {
      if (s % 60 === 0) turns.newPhoto(T0 + s * 1000);
      return free;
    };
    const seen = trace(turns, 1, 600, busy);
    const starts = [...seen.matchAll(/01/g)].map((m) => m.index! + 2);
    expect(starts).toEqual([240, 492]);
    expect(seen.slice(239, 251)).toBe('1'.repeat(12));
    expect(seen[251]).toBe('0');
  });

  it('comes idleMs after the last new photo or card when nothing new comes', () => {
    const turns = new JoinTurns(timing, T0);
    turns.newPhoto(T0 + 30_000);
    const seen = trace(turns, 1, 250);
    expect(seen.indexOf('1') + 1).toBe(120);
    // After it: 90 s again from when it left.
    expect(seen.indexOf('1', 132) + 1).toBe(132 + 90);
  });

  it('waits for the turn to end and for a new photo’s moment to pass', () => {
    const turns = new JoinTurns(timing, T0);
    expect(turns.update(T0 + 100_000, { ...free, turnOver: false })).toBeFalse();
    expect(turns.update(T0 + 100_500, { ...free, newOnStage: true })).toBeFalse();
    expect(turns.update(T0 + 101_000, { ...free, newWaiting: true })).toBeFalse();
    expect(turns.update(T0 + 101_500, free)).toBeTrue();
  });

  it('gives way at once to a new photo, and comes back after it when cut short in its first half', () => {
    const turns = new JoinTurns(timing, T0);
    expect(turns.update(T0 + 90_000, free)).toBeTrue();
    expect(turns.update(T0 + 92_000, { ...free, newWaiting: true })).toBeFalse();
    expect(turns.update(T0 + 93_000, { ...free, newOnStage: true })).toBeFalse();
    expect(turns.update(T0 + 100_000, free)).withContext('still owed').toBeTrue();
    // Cut short in its second half: done, and due again only later.
    expect(turns.update(T0 + 107_000, { ...free, newWaiting: true })).toBeFalse();
    expect(turns.update(T0 + 108_000, free)).toBeFalse();
  });

  it('never shows while not allowed (paused, code hidden, no photos), and leaves at once when that happens', () => {
    const turns = new JoinTurns(timing, T0);
    expect(trace(turns, 1, 600, () => ({ ...free, allowed: false }))).not.toContain('1');
    expect(turns.update(T0 + 601_000, free)).withContext('owed since long: at the next turn').toBeTrue();
    expect(turns.update(T0 + 602_000, { ...free, allowed: false })).toBeFalse();
  });

  it('takes its timing from the address, in seconds; 0 turns it off', () => {
    expect(joinTimingFrom(null, null)).toEqual(JOIN_TIMING);
    expect(joinTimingFrom(20, 5)).toEqual({ everyMs: 20_000, holdMs: 5_000, idleMs: 20_000 });
    expect(joinTimingFrom(600, null)).toEqual({ everyMs: 600_000, holdMs: 12_000, idleMs: 90_000 });
    expect(joinTimingFrom(0, 5)).toBeNull();
  });
});
