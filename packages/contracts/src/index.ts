export * from './errors.js';
export * from './roles.js';
export * from './schemas.js';
