export * from './network';
export * from './waf';
export * from './api';
export * from './service';
export * from './monitoring';
export * from './validation';
