/** Small named documents: the host's settings, the admin password hash, shared secrets; and admin sessions. */
import { DEFAULT_HOST_SETTINGS, SETTINGS_PATH, type HostSettings, type SettingsPatch } from '../types';
import type { Collections } from './collections';
import { isDuplicateKey, upsert } from './mongo-errors';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sets `value` at a path of one or two names inside `event` (a group that is not an object becomes one). */
function setPath(event: Record<string, unknown>, path: string, value: unknown): void {
  const [group, field] = path.split('.') as [string, string | undefined];
  if (field === undefined) event[group] = value;
  else event[group] = { ...(isRecord(event[group]) ? event[group] : {}), [field]: value };
}

/**
 * Settings are one document per field (settings.ts' SettingDoc), so two patches of different fields
 * never overwrite each other, even on a server that applies updates as read-modify-write. Group
 * documents (event.wall) sort before their fields (event.wall.captions), which apply on top.
 */
export async function readSettings(c: Collections): Promise<HostSettings> {
  const docs = await c.settings.find({}).toArray();
  const value = (id: string) => docs.find((d) => d._id === id)?.value;
  const event: Record<string, unknown> = {};
  for (const doc of docs.filter((d) => d._id.startsWith('event.')).sort((a, b) => (a._id < b._id ? -1 : 1))) {
    setPath(event, doc._id.slice('event.'.length), doc.value);
  }
  const pauseMessage = value('pauseMessage');
  return {
    uploadsPaused: value('uploadsPaused') === true,
    pauseMessage: typeof pauseMessage === 'string' ? pauseMessage : DEFAULT_HOST_SETTINGS.pauseMessage,
    approvalRequired: value('approvalRequired') === true,
    event,
  };
}

/**
 * Each named field is its own upsert. A group given whole (an object at a one-name path) replaces
 * the group: its field documents go first, so they cannot shadow the new value.
 */
export async function updateSettings(c: Collections, patch: SettingsPatch): Promise<HostSettings> {
  const fields: [string, unknown][] = [];
  if (patch.uploadsPaused !== undefined) fields.push(['uploadsPaused', patch.uploadsPaused]);
  if (patch.pauseMessage !== undefined) fields.push(['pauseMessage', patch.pauseMessage]);
  if (patch.approvalRequired !== undefined) fields.push(['approvalRequired', patch.approvalRequired]);
  for (const [path, value] of Object.entries(patch.event ?? {})) {
    // The path becomes a document id: only plain names, checked before anything is written.
    if (!SETTINGS_PATH.test(path)) throw new Error(`not a settings path: ${path.slice(0, 40)}`);
    fields.push([`event.${path}`, value]);
  }
  for (const [id, value] of fields) {
    if (!id.slice('event.'.length).includes('.') && id.startsWith('event.')) {
      await c.settings.deleteMany({ _id: { $regex: `^${id.replace(/\./g, '\\.')}\\.` } });
    }
    await upsert(() => c.settings.updateOne({ _id: id }, { $set: { value } }, { upsert: true }));
  }
  return readSettings(c);
}

export async function readAdminSecret(c: Collections): Promise<string | null> {
  const doc = await c.meta.findOne({ _id: 'admin' });
  return typeof doc?.['hash'] === 'string' ? doc['hash'] : null;
}

export async function writeAdminSecret(c: Collections, hash: string): Promise<void> {
  await upsert(() => c.meta.updateOne({ _id: 'admin' }, { $set: { hash } }, { upsert: true }));
}

/** Insert-if-absent, then read: replicas starting together agree on the first one stored. */
export async function sharedSecret(c: Collections, name: string, create: () => string): Promise<string> {
  const _id = `secret:${name}`;
  await c.meta.insertOne({ _id, value: create() }).catch((e: unknown) => {
    if (!isDuplicateKey(e)) throw e;
  });
  const doc = await c.meta.findOne({ _id });
  if (typeof doc?.['value'] !== 'string') throw new Error(`the ${name} secret is missing`);
  return doc['value'];
}

export async function createAdminSession(c: Collections, id: string, expiresAt: number, now: number): Promise<void> {
  await c.sessions.deleteMany({ expiresAt: { $lte: now } });
  await upsert(() => c.sessions.updateOne({ _id: id }, { $set: { expiresAt } }, { upsert: true }));
}

export async function adminSessionExpiry(c: Collections, id: string, now: number): Promise<number | null> {
  const doc = await c.sessions.findOne({ _id: id });
  return doc && doc.expiresAt > now ? doc.expiresAt : null;
}

export async function deleteAdminSession(c: Collections, id: string): Promise<boolean> {
  return (await c.sessions.deleteOne({ _id: id })).deletedCount > 0;
}
