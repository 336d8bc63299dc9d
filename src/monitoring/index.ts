export * from './service-monitoring';
export * from './request-rate-scaling';
