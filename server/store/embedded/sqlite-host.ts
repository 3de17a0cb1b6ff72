import type { GuestInfo, HostPhotoQuery, HostSettings, JobKind, JobQueueStats, JobRecord, PhotoCounts, PhotoRecord, SettingsPatch } from '../types';
import * as admin from './admin-rows';
import { guestsOf } from './guest-rows';
import { listForHost, photoCounts } from './host-rows';
import * as jobs from './job-rows';
import * as owners from './owner-rows';
import { readSettingsRow, updateSettingsRow } from './settings-rows';
import { SqliteUploads } from './sqlite-uploads';

/**
 * The embedded store's rows that need no image file: photo counts and the console's list, guests
 * (blocking and recovery), durable jobs, settings and the admin's secrets. SqliteStore adds the
 * photos and their files.
 */
export abstract class SqliteHostRows extends SqliteUploads {
  async countVisible(): Promise<number> {
    return this.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM photos WHERE state = 'visible'`).get()?.n ?? 0;
  }

  async listForHost(query: HostPhotoQuery): Promise<readonly PhotoRecord[]> {
    return listForHost(this.db, query);
  }

  async guestsOf(ownerIds: readonly string[]): Promise<ReadonlyMap<string, GuestInfo>> {
    return guestsOf(this.db, ownerIds);
  }

  async photoCounts(): Promise<PhotoCounts> {
    return photoCounts(this.db);
  }

  /** Databases from before owner keys hold cookie ids: rewritten to keys once (see owner-rows). */
  rekeyLegacyOwners(keyOf: (uid: string) => string): number {
    return this.write('upgrade owner ids', () => owners.rekeyLegacyOwners(this.db, keyOf));
  }

  async blockOwnerOf(photoId: string): Promise<{ ownerId: string } | null> {
    return this.write('block the guest', () => owners.blockOwnerOf(this.db, photoId, Date.now()));
  }

  async unblockOwnerOf(photoId: string): Promise<boolean> {
    return this.write('unblock the guest', () => owners.unblockOwnerOf(this.db, photoId));
  }

  async isBlocked(ownerId: string): Promise<boolean> {
    return owners.isBlocked(this.db, ownerId);
  }

  async resolveOwner(ownerId: string): Promise<string> {
    return owners.resolveOwner(this.db, ownerId);
  }

  async setRecoveryCode(ownerId: string, codeHash: string, at: number): Promise<void> {
    this.write('save the recovery code', () => owners.setRecoveryCode(this.db, ownerId, codeHash, at));
  }

  async recoverOwner(browserKey: string, codeHash: string): Promise<string | null> {
    return this.write('link the browser', () => owners.recoverOwner(this.db, browserKey, codeHash));
  }

  async claimJob(kind: JobKind, worker: string, now: number, leaseMs: number): Promise<JobRecord | null> {
    return this.write('claim a job', () => jobs.claimJob(this.db, kind, worker, now, leaseMs));
  }

  async completeJob(id: string, worker: string): Promise<void> {
    this.write('finish a job', () => jobs.completeJob(this.db, id, worker));
  }

  async failJob(id: string, worker: string, error: string, retryAt: number): Promise<void> {
    this.write('reschedule a job', () => jobs.failJob(this.db, id, worker, error, retryAt));
  }

  async jobQueue(): Promise<JobQueueStats> {
    return jobs.jobQueue(this.db);
  }

  async readSettings(): Promise<HostSettings> {
    return readSettingsRow(this.db);
  }

  async updateSettings(patch: SettingsPatch): Promise<HostSettings> {
    return this.write('save the settings', () => updateSettingsRow(this.db, patch));
  }

  async sharedSecret(name: 'cookie', create: () => string): Promise<string> {
    return admin.sharedSecret(this.dataDir, name, create);
  }

  async readAdminSecret(): Promise<string | null> {
    return admin.readAdminRow(this.db);
  }

  async writeAdminSecret(hash: string): Promise<void> {
    this.write('save the admin password', () => admin.writeAdminRow(this.db, hash));
  }

  async createAdminSession(id: string, expiresAt: number, now: number): Promise<void> {
    this.write('save the admin session', () => admin.createAdminSession(this.db, id, expiresAt, now));
  }

  async adminSessionExpiry(id: string, now: number): Promise<number | null> {
    return admin.adminSessionExpiry(this.db, id, now);
  }

  async deleteAdminSession(id: string): Promise<boolean> {
    return this.write('end the admin session', () => admin.deleteAdminSession(this.db, id));
  }
}
