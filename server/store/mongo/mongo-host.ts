import type { GuestInfo, HostPhotoQuery, HostSettings, JobKind, JobQueueStats, JobRecord, PhotoCounts, PhotoRecord, SettingsPatch } from '../types';
import { guestsOf } from './guest-docs';
import { listForHost, photoCounts } from './host-queries';
import * as jobs from './job-docs';
import * as meta from './meta-docs';
import { MongoUploads } from './mongo-uploads';
import * as owners from './owner-docs';

/**
 * The MongoDB store's documents that need no GridFS file: photo counts and the console's list,
 * guests (blocking and recovery), durable jobs, settings and the admin's secrets. MongoStore adds
 * the photos and their files.
 */
export abstract class MongoHostDocs extends MongoUploads {
  async countVisible(): Promise<number> {
    return this.op('count the photos', () => this.c.photos.countDocuments({ state: 'visible' }));
  }

  async listForHost(query: HostPhotoQuery): Promise<readonly PhotoRecord[]> {
    return this.op('list the photos', () => listForHost(this.c, query));
  }

  async guestsOf(ownerIds: readonly string[]): Promise<ReadonlyMap<string, GuestInfo>> {
    return this.op('read the guests', () => guestsOf(this.c, ownerIds));
  }

  async photoCounts(): Promise<PhotoCounts> {
    return this.op('count the photos', () => photoCounts(this.c));
  }

  async blockOwnerOf(photoId: string): Promise<{ ownerId: string } | null> {
    return this.op('block the guest', () => owners.blockOwnerOf(this.c, photoId, Date.now()));
  }

  async unblockOwnerOf(photoId: string): Promise<boolean> {
    return this.op('unblock the guest', () => owners.unblockOwnerOf(this.c, photoId));
  }

  async isBlocked(ownerId: string): Promise<boolean> {
    return this.op('read the guest', () => owners.isBlocked(this.c, ownerId));
  }

  async resolveOwner(ownerId: string): Promise<string> {
    return this.op('read the guest', () => owners.resolveOwner(this.c, ownerId));
  }

  async setRecoveryCode(ownerId: string, codeHash: string, at: number): Promise<void> {
    await this.op('save the recovery code', () => owners.setRecoveryCode(this.c, ownerId, codeHash, at));
  }

  async recoverOwner(browserKey: string, codeHash: string): Promise<string | null> {
    return this.op('link the browser', () => owners.recoverOwner(this.c, browserKey, codeHash, Date.now()));
  }

  async claimJob(kind: JobKind, worker: string, now: number, leaseMs: number): Promise<JobRecord | null> {
    return this.op('claim a job', () => jobs.claimJob(this.c, kind, worker, now, leaseMs));
  }

  async completeJob(id: string, worker: string): Promise<void> {
    await this.op('finish a job', () => jobs.completeJob(this.c, id, worker));
  }

  async failJob(id: string, worker: string, error: string, retryAt: number): Promise<void> {
    await this.op('reschedule a job', () => jobs.failJob(this.c, id, worker, error, retryAt));
  }

  async jobQueue(): Promise<JobQueueStats> {
    return this.op('count the jobs', () => jobs.jobQueue(this.c));
  }

  async readSettings(): Promise<HostSettings> {
    return this.op('read the settings', () => meta.readSettings(this.c));
  }

  async updateSettings(patch: SettingsPatch): Promise<HostSettings> {
    return this.op('save the settings', () => meta.updateSettings(this.c, patch));
  }

  async sharedSecret(name: 'cookie', create: () => string): Promise<string> {
    return this.op('read the shared secret', () => meta.sharedSecret(this.c, name, create));
  }

  async readAdminSecret(): Promise<string | null> {
    return this.op('read the admin password', () => meta.readAdminSecret(this.c));
  }

  async writeAdminSecret(hash: string): Promise<void> {
    await this.op('save the admin password', () => meta.writeAdminSecret(this.c, hash));
  }

  async createAdminSession(id: string, expiresAt: number, now: number): Promise<void> {
    await this.op('save the admin session', () => meta.createAdminSession(this.c, id, expiresAt, now));
  }

  async adminSessionExpiry(id: string, now: number): Promise<number | null> {
    return this.op('read the admin session', () => meta.adminSessionExpiry(this.c, id, now));
  }

  async deleteAdminSession(id: string): Promise<boolean> {
    return this.op('end the admin session', () => meta.deleteAdminSession(this.c, id));
  }
}
