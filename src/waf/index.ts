export * from './managed-rule-group';
export * from './geo-web-acl';
