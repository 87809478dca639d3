export * from './room';
export * from './room-profile';
export * from './skill-group';
export * from './provider';
export * from './calendar-link';
export * from './room-inventory';
export * from './drift-monitor';
export * from './template-limits';
export { ResourceTypes, DRIFT_METRIC_NAMESPACE } from './contract';
