export * from './room';
export * from './room-profile';
export * from './skill-group';
export * from './provider';
export * from './calendar-link';
export * from './room-inventory';
export * from './drift-monitor';
export * from './template-limits';
// The inventory's format as jsii structs (the checked `Inventory` the library reads internally is not part of the API).
export * from './inventory/document';
export * from './resource-types';
export * from './handler-options';
