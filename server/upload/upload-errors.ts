/** The upload protocol's refusals, and how a failure becomes a reply (UploadService and ChunkIntake). */
import { ErrorCode, type Result } from '@photobook/shared';
import { AppError, describeError, type Logger } from '../errors';

/** Peer mistakes go back as their code; the server's own failures are logged with their cause. */
export const fail = <T>(e: unknown, logger: Logger): Result<T> => {
  if (e instanceof AppError) {
    if (e.code === ErrorCode.Internal) logger.error('upload failed', { error: describeError(e) });
    return e.toResult();
  }
  logger.error('upload failed', { error: describeError(e) });
  return new AppError(ErrorCode.Internal, 'Something went wrong on the server.').toResult();
};

export const noPhotoFor = () =>
  new AppError(ErrorCode.OriginalMismatch, 'There is no photo for this original (it was removed, or its preview never arrived).');
export const notFound = () => new AppError(ErrorCode.UploadNotFound, 'This upload does not exist (any more).');
export const committed = () => new AppError(ErrorCode.UploadCommitted, 'This photo is already uploaded.');
export const expired = () => new AppError(ErrorCode.UploadExpired, 'This upload took too long and was cancelled; please send it again.');
/** Draining: nothing new starts here (only what was in hand at the signal finishes); the phone goes on elsewhere. */
export const restarting = <T>(): Result<T> => new AppError(ErrorCode.ServerBusy, 'This server is restarting; your photo goes out in a moment.').toResult();
