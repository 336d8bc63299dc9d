export * from './network';
export * from './waf';
export * from './service';
export * from './load-balancer';
export * from './api';
export * from './patterns';
export * from './monitoring';
export * from './validation';
