export * from './errors.js';
export * from './roles.js';
export * from './schemas.js';
export * from './enterprises.js';
export * from './credit-code.js';
export * from './notifications.js';
export * from './calendar.js';
