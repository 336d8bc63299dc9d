export * from './private-link-ecs-service';
