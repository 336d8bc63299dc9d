export * from './database-application-user';
