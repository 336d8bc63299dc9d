export * from './network';
export * from './waf';
export * from './service';
export * from './monitoring';
export * from './validation';
export * from './database';
