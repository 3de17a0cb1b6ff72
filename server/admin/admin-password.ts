import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { AdminStore } from '../store/types';

/** No 0/o, 1/l/i: the host reads the password off a terminal and types it on a phone. */
const ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
const GROUPS = 4;
const GROUP_LENGTH = 4;

/** scrypt cost: about 50 ms and 32 MiB per check, which is what makes a stolen hash slow to guess. */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Bound for parameters read back from the store: a tampered row must not make a check take 1 GiB. */
const MAX_N_TIMES_R = 2 ** 21;

/** A readable random password, e.g. "k7mq-3xwh-p9ta-ce4r" (about 79 bits). */
export function generateAdminPassword(): string {
  const group = () => Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return Array.from({ length: GROUPS }, group).join('-');
}

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

/** "scrypt$N$r$p$salt$key" (base64url): the parameters travel with the hash, so they can grow later. */
export async function hashAdminPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(stored: string): { cost: { N: number; r: number; p: number }; salt: Buffer; key: Buffer } | null {
  const [scheme, n, r, p, salt, key, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length > 0 || !salt || !key) return null;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const powerOfTwo = Number.isSafeInteger(cost.N) && cost.N >= 2 && (cost.N & (cost.N - 1)) === 0;
  const bounded = Number.isSafeInteger(cost.r) && cost.r >= 1 && cost.N * cost.r <= MAX_N_TIMES_R;
  if (!powerOfTwo || !bounded || !(Number.isSafeInteger(cost.p) && cost.p >= 1 && cost.p <= 4)) return null;
  return { cost, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}

/** A dummy to hash against when nothing is stored, so "no password yet" takes as long as "wrong". */
const NO_HASH = { cost: COST, salt: Buffer.alloc(SALT_BYTES), key: Buffer.alloc(KEY_BYTES) };

/** Constant time in the password: always a full scrypt, then timingSafeEqual. */
export async function verifyAdminPassword(password: string, stored: string | null): Promise<boolean> {
  const parsed = (stored !== null && parse(stored)) || null;
  const target = parsed ?? NO_HASH;
  const key = await derive(password, target.salt, target.cost);
  return parsed !== null && key.length === target.key.length && timingSafeEqual(key, target.key);
}

/**
 * At start: ADMIN_PASSWORD, when set, replaces the stored hash; otherwise a stored one stays, and
 * with none a password is generated. Returns the generated password (to print once), else null.
 */
export async function prepareAdminPassword(store: Pick<AdminStore, 'readAdminSecret' | 'writeAdminSecret'>, configured: string | null): Promise<string | null> {
  if (configured !== null) {
    await store.writeAdminSecret(await hashAdminPassword(configured));
    return null;
  }
  if ((await store.readAdminSecret()) !== null) return null;
  return resetAdminPassword(store);
}

/** A new random password, stored as a hash only; the caller shows it once. */
export async function resetAdminPassword(store: Pick<AdminStore, 'writeAdminSecret'>): Promise<string> {
  const password = generateAdminPassword();
  await store.writeAdminSecret(await hashAdminPassword(password));
  return password;
}
