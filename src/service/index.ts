export * from './options';
export * from './capacity';
export * from './private-ecs-service';
export * from './capacity-options';
