export * from './spoke-options';
export * from './hub-spoke-network';
export * from './spoke-vpc';
export * from './placement';
