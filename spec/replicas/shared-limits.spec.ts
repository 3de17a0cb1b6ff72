// Acceptance of the replicas issue: the per-guest open-upload limit holds across replicas, and so does
// a sign-in lockout. In each case neither replica alone sees enough to refuse: only what they share
// through Redis (the leased turns, the counters) makes the limit hold.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ADMIN_SESSION_PATH,
  ErrorCode,
  RECOVERY_ALPHABET,
  RECOVERY_CODE_LENGTH,
  formatRecoveryCode,
  type Result,
  type UploadBeginReply,
} from '@photobook/shared';
import { useCluster } from '../fixtures/cluster';
import type { Replica } from '../fixtures/replica';
import { request, type TestSocket } from '../fixtures/replica-guests';

const MAX_UPLOADS_PER_GUEST = 2;
const BEGINS_PER_REPLICA = 4;
/**
 * How much later B's begins start than A's, one round each. At once, both replicas' first begins
 * often see 0 open and their second ones 2, so the count alone would hold; a lag of about one begin
 * makes B count between A's first and second, which only the shared turn keeps in order.
 */
const B_LAGS_MS = [0, 5, 10, 20, 30, 45, 60, 90, 0, 5, 10, 20, 30, 45, 60, 90];
/** SIGN_IN_LIMITS.perIp.failures: the 10th wrong password from one address locks it out. */
const SIGN_IN_FAILURES = 10;
/** The recovery limit per browser (app.ts: 5 wrong codes in 15 minutes). */
const RECOVERY_FAILURES = 5;

function begin(socket: TestSocket, clientUploadId: string): Promise<Result<UploadBeginReply>> {
  return request<UploadBeginReply>(socket, 'upload:begin', { clientUploadId, name: 'a.png', size: 4_000, type: 'image/png', caption: '', author: '' });
}

const outcome = (r: Result<UploadBeginReply>) => (r.ok ? r.value.state : r.error.code);

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

async function signIn(replica: Replica, password: string): Promise<{ status: number; code: string | null; retryAfter: string | null }> {
  const res = await fetch(replica.url + ADMIN_SESSION_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: replica.url },
    body: JSON.stringify({ password }),
  });
  const body = (await res.json()) as { code?: string };
  return { status: res.status, code: body.code ?? null, retryAfter: res.headers.get('retry-after') };
}

/** A well-formed recovery code that matches nobody (64 random bits: no chance it is real). */
function wrongCode(): string {
  let symbols = '';
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) symbols += RECOVERY_ALPHABET[Math.floor(Math.random() * RECOVERY_ALPHABET.length)];
  return formatRecoveryCode(symbols);
}

describe('limits shared by two replicas through Redis', () => {
  const env = useCluster({ replicas: 2, env: { MAX_UPLOADS_PER_GUEST: String(MAX_UPLOADS_PER_GUEST) } });

  it('UP15 across replicas: of one guest’s 8 simultaneous begins, 4 on A and 4 on B, exactly 2 open and 6 answer TOO_MANY_UPLOADS, in each of 16 rounds', async () => {
    const { cluster } = env;
    const [a, b] = cluster.replicas as [Replica, Replica];
    for (const [round, lag] of B_LAGS_MS.entries()) {
      // A fresh guest each round, with one socket per replica (two tabs, or the balancer's choice).
      const { cookie } = cluster.newGuest();
      const [onA, onB] = await Promise.all([cluster.connectGuest(a, cookie), cluster.connectGuest(b, cookie)]);
      const ids = (side: string) => Array.from({ length: BEGINS_PER_REPLICA }, (_, i) => `round${round}-${side}${i}-${Date.now()}`);
      const fromA = ids('a').map((id) => begin(onA, id));
      const fromB = sleep(lag).then(() => Promise.all(ids('b').map((id) => begin(onB, id))));
      const replies = [...(await Promise.all(fromA)), ...(await fromB)];
      const opened = new Set(replies.flatMap((r) => (r.ok && r.value.state === 'open' ? [r.value.uploadId] : [])));
      expect(countBy(replies.map(outcome)))
        .withContext(`round ${round}, B ${lag} ms behind A: ${JSON.stringify(replies.map(outcome))}`)
        .toEqual({ open: MAX_UPLOADS_PER_GUEST, [ErrorCode.TooManyUploads]: 2 * BEGINS_PER_REPLICA - MAX_UPLOADS_PER_GUEST });
      expect(opened.size).withContext(`round ${round}: distinct uploads opened`).toBe(MAX_UPLOADS_PER_GUEST);
      // And the store agrees: one more begin, on either replica, still finds the guest at the limit.
      expect(outcome(await begin(onB, `round${round}-extra-${Date.now()}`))).withContext(`round ${round}: a later begin`).toBe(ErrorCode.TooManyUploads);
      onA.disconnect();
      onB.disconnect();
    }
  }, 60_000);

  it('lock an address out after 10 wrong passwords, of 20 sent at once alternately to A and B, and then refuse even the right one on both with SIGN_IN_LOCKED', async () => {
    const { cluster } = env;
    const [a, b] = cluster.replicas as [Replica, Replica];
    // At once: each wrong answer is held back (up to 8 s), so one at a time would take about 48 s.
    // Exactly 10 are checked, whichever replica got them: each alone sees 10 of the 20 and, counting
    // alone, would check all 20; and checks that all start before any counts would check all 20 too.
    const targets = Array.from({ length: 2 * SIGN_IN_FAILURES }, (_, i) => (i % 2 === 0 ? a : b));
    const answers = await Promise.all(targets.map((replica) => signIn(replica, 'not-the-password-at-all')));
    const log = answers.map((answer, i) => `${targets[i]!.name}: ${answer.status}`).join(', ');
    expect(countBy(answers.map((answer) => `${answer.status} ${answer.code}`)))
      .withContext(`20 wrong passwords at once (${log})`)
      .toEqual({ [`401 ${ErrorCode.WrongPassword}`]: SIGN_IN_FAILURES, [`429 ${ErrorCode.SignInLocked}`]: SIGN_IN_FAILURES });
    for (const replica of [a, b]) {
      const right = await signIn(replica, cluster.adminPassword);
      expect([right.status, right.code]).withContext(`the right password on ${replica.name}`).toEqual([429, ErrorCode.SignInLocked]);
      expect(Number(right.retryAfter)).withContext(`Retry-After on ${replica.name}`).toBeGreaterThan(60);
    }
  }, 60_000);

  it('refuse a browser’s right recovery code on B after 5 wrong ones sent alternately to A and B', async () => {
    const { cluster } = env;
    const [a, b] = cluster.replicas as [Replica, Replica];
    const owner = await cluster.connectGuest(a);
    const issued = await request<{ code: string }>(owner, 'owner:code', {});
    if (!issued.ok) return fail(issued.error.message);
    // Another browser (its own cookie) with a tab on each replica; A sees 3 failures, B only 2.
    const { cookie } = cluster.newGuest();
    const tabs: readonly [TestSocket, TestSocket] = [await cluster.connectGuest(a, cookie), await cluster.connectGuest(b, cookie)];
    const wrong: string[] = [];
    for (let i = 0; i < RECOVERY_FAILURES; i++) {
      const r = await request(tabs[i % 2 === 0 ? 0 : 1], 'owner:recover', { code: wrongCode() });
      wrong.push(r.ok ? 'ok' : r.error.code);
    }
    expect(wrong).toEqual(Array.from({ length: RECOVERY_FAILURES }, () => ErrorCode.RecoveryCodeInvalid));
    for (const [side, tab] of [['B', tabs[1]], ['A', tabs[0]]] as const) {
      const right = await request(tab, 'owner:recover', { code: issued.value.code });
      expect(right.ok ? 'ok' : right.error.code).withContext(`the right code on ${side}`).toBe(ErrorCode.RateLimited);
    }
  }, 20_000);
});
