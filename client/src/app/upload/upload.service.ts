import { Injectable, InjectionToken, inject } from '@angular/core';
import { filter, firstValueFrom } from 'rxjs';
import { RealtimeService } from '../core/realtime.service';
import { UPLOAD_JITTER } from './backoff';
import { DEFAULT_UPLOAD_TUNING, type UploadJob, type UploadObserver, type UploadOutcome, type UploadTuning } from './core/upload-job';
import { UploadRunner } from './core/upload-runner';
import { OnlineStatus } from './online-status';

export { LEAVING, type UploadJob, type UploadObserver, type UploadOutcome, type UploadTuning } from './core/upload-job';

export const UPLOAD_TUNING = new InjectionToken<UploadTuning>('UPLOAD_TUNING', {
  providedIn: 'root',
  factory: () => DEFAULT_UPLOAD_TUNING,
});

/**
 * The phone's upload of one file: the protocol itself is UploadRunner (upload/core/, shared with
 * the browser extension); this service hands it the app's connection, network state and tuning.
 */
@Injectable({ providedIn: 'root' })
export class UploadService {
  private readonly realtime = inject(RealtimeService);
  private readonly runner = new UploadRunner({
    connection: {
      request: (event, payload, timeoutMs) => this.realtime.request(event, payload, timeoutMs),
      whenConnected: (timeoutMs) => this.realtime.whenConnected(timeoutMs),
      whenUploadsResume: () => firstValueFrom(this.realtime.settings$.pipe(filter((s) => !s.paused))),
    },
    network: inject(OnlineStatus),
    tuning: inject(UPLOAD_TUNING),
    jitter: inject(UPLOAD_JITTER),
  });

  upload(job: UploadJob, observer: UploadObserver = {}, signal?: AbortSignal): Promise<UploadOutcome> {
    return this.runner.upload(job, observer, signal);
  }
}
