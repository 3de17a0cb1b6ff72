import { ADMIN_NAMESPACE } from '@photobook/shared';
import type { BookFact, Notifier, SettingsFact } from '../notifier';
import { toBookStatus } from '../books/book-dto';
import { toMyPhotoDto, toPhotoDto, toRemovedDto } from '../photos/dto';
import type { PhotoRecord } from '../store/types';
import { staleKeys } from '../photos/media-cache';
import type { AdminNamespace } from './admin-namespace';
import { WALL_ROOM, ownerRoom } from './rooms';
import type { Logger } from '../errors';
import type { RedisLink } from './redis-link';
import type { PhotobookServer } from './socket-server';

/**
 * Maps each fact to its audiences: walls see what is on the wall (a photo that leaves it, by removal
 * or by the host, is photo:removed to them); the owner's own tabs see their photos in every state;
 * consoles hear that something changed and catch up from the store (admin:changes), so a missed
 * hint costs nothing but a delay.
 */
export function socketNotifier(io: () => PhotobookServer, link: RedisLink | null, logger: Logger): Notifier {
  const toOwner = (photo: PhotoRecord) => io().to(ownerRoom(photo.ownerId));
  const consoles = () => io().of(ADMIN_NAMESPACE) as unknown as AdminNamespace;
  const toConsoles = (photo: PhotoRecord) => consoles().emit('photos:changed', { seq: photo.seq });
  /** To the other replicas only, while the link is up (a lost message costs the media cache's TTL). */
  const toReplicas = (send: () => void, what: string) => {
    if (!link || link.state !== 'up') return;
    try {
      send();
    } catch (e) {
      logger.warn(`could not tell other replicas about ${what}`, { error: String(e) });
    }
  };
  return {
    photoAdded(photo) {
      if (photo.state === 'visible') io().to(WALL_ROOM).emit('photo:added', toPhotoDto(photo));
      toOwner(photo).emit('mine:updated', toMyPhotoDto(photo));
      toConsoles(photo);
    },
    photoChanged(photo) {
      if (photo.state === 'visible') io().to(WALL_ROOM).emit('photo:updated', toPhotoDto(photo));
      else io().to(WALL_ROOM).emit('photo:removed', toRemovedDto(photo));
      if (photo.state === 'removed') toOwner(photo).emit('mine:removed', toRemovedDto(photo));
      else toOwner(photo).emit('mine:updated', toMyPhotoDto(photo));
      toConsoles(photo);
      // Their media caches drop the photo's images (this replica's own is told by app.ts).
      toReplicas(() => io().serverSideEmit('media:stale', mutable(staleKeys(photo))), 'a changed photo');
    },
    bookChanged(books: BookFact) {
      // Every console on every replica (the Redis adapter carries it): the job may run on any of them.
      consoles().emit('book:changed', toBookStatus(books));
    },
    settingsChanged(fact: SettingsFact) {
      io().emit('settings:changed', fact.page);
      consoles().emit('state:changed', fact.admin);
    },
    jobsQueued() {
      // To the other replicas only (listenToReplicas hears it there); this one's runner is kicked by app.ts.
      toReplicas(() => io().serverSideEmit('jobs:queued'), 'new jobs');
    },
  };
}

const mutable = (keys: readonly string[] | null): string[] | null => (keys === null ? null : [...keys]);
