import type { UploadSettings } from '@photobook/shared';
import type { Notifier } from '../notifier';
import { toMyPhotoDto, toPhotoDto, toRemovedDto } from '../photos/dto';
import type { PhotoRecord } from '../store/types';
import { WALL_ROOM, ownerRoom } from './rooms';
import type { PhotobookServer } from './socket-server';

/**
 * Maps each fact to its audiences: walls see what is on the wall (a photo that leaves it, by removal
 * or by the host, is photo:removed to them); the owner's own tabs see their photos in every state.
 */
export function socketNotifier(io: () => PhotobookServer): Notifier {
  const toOwner = (photo: PhotoRecord) => io().to(ownerRoom(photo.ownerId));
  return {
    photoAdded(photo) {
      if (photo.state === 'visible') io().to(WALL_ROOM).emit('photo:added', toPhotoDto(photo));
      toOwner(photo).emit('mine:updated', toMyPhotoDto(photo));
    },
    photoChanged(photo) {
      if (photo.state === 'visible') io().to(WALL_ROOM).emit('photo:updated', toPhotoDto(photo));
      else io().to(WALL_ROOM).emit('photo:removed', toRemovedDto(photo));
      if (photo.state === 'removed') toOwner(photo).emit('mine:removed', toRemovedDto(photo));
      else toOwner(photo).emit('mine:updated', toMyPhotoDto(photo));
    },
    settingsChanged(settings: UploadSettings) {
      io().emit('settings:changed', settings);
    },
  };
}
