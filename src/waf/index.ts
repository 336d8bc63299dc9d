export * from './managed-rule-group';
export * from './rule-action';
export * from './statement';
export * from './geo-web-acl';
