export * from './options';
export * from './vpc-link';
export * from './integration-target';
export * from './private-rest-api';
export * from './cors';
export * from './gateway-responses';
export * from './tls-policy';
export * from './custom-domain';
