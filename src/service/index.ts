export * from './options';
export * from './private-link-ecs-service';
