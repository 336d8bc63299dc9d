export * from './network';
export * from './waf';
export * from './service';
