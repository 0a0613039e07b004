// The functional API of every op family, re-exported in one place.
export * from './elementwise.ts';
export * from './activation.ts';
export * from './reduce.ts';
export * from './shape-ops.ts';
export * from './linalg.ts';
export * from './creation.ts';
