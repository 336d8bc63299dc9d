export * from './options';
export * from './private-network-load-balancer';
export * from './private-application-load-balancer';
