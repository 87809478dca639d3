export * from './room';
export * from './room-profile';
export * from './skill-group';
export * from './provider';
export * from './calendar-link';
export * from './room-inventory';
export { ResourceTypes } from './contract';
