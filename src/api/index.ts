export * from './options';
export * from './vpc-link';
export * from './integration-target';
export * from './private-rest-api';
