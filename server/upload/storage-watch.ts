import { ErrorCode, type Result } from '@photobook/shared';
import type { Logger } from '../errors';
import type { StorageStatus, StorageUpkeep } from '../store/types';

const MB = 1024 * 1024;

/**
 * Storage full is a state, not an error per request: the host's log says once when uploads start
 * waiting for space and once when they flow again (and the admin console reads `full`).
 */
export class StorageWatch {
  private fullNow = false;

  constructor(
    private readonly store: StorageUpkeep,
    private readonly logger: Logger,
  ) {}

  get full(): boolean {
    return this.fullNow;
  }

  /** Looks at a reply on its way out: STORAGE_FULL enters the state. */
  note<T>(result: Result<T>): Result<T> {
    if (!result.ok && result.error.code === ErrorCode.StorageFull && !this.fullNow) {
      this.fullNow = true;
      void this.store.storage().then(
        (status) => this.logger.warn('storage full: uploads wait on the guests’ phones until space is freed', describe(status)),
        () => this.logger.warn('storage full: uploads wait on the guests’ phones until space is freed'),
      );
    }
    return result;
  }

  /** Bytes were stored: if the state was full, it is over. */
  stored(): void {
    if (this.fullNow) void this.check();
  }

  /** Asks the store; leaves the full state (and says so) once there is room above the reserve. */
  async check(): Promise<StorageStatus> {
    const status = await this.store.storage();
    if (this.fullNow && !status.full) {
      this.fullNow = false;
      this.logger.info('storage has room again: uploads continue', describe(status));
    } else if (!this.fullNow && status.full) {
      this.fullNow = true;
      this.logger.warn('storage full: uploads wait on the guests’ phones until space is freed', describe(status));
    }
    return status;
  }
}

function describe(status: StorageStatus): Record<string, unknown> {
  return {
    freeMb: status.freeBytes === null ? null : Math.floor(status.freeBytes / MB),
    reserveMb: Math.floor(status.reserveBytes / MB),
  };
}
