export * from './options';
export * from './private-network-load-balancer';
