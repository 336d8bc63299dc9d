export * from './cors';
export * from './gateway-responses';
export * from './tls-policy';
export * from './custom-domain';
