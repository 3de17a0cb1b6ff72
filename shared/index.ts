export * from './errors';
export * from './events';
export * from './photo';
export * from './result';
export * from './text';
export * from './upload';
export * from './validate';
export * from './join';
