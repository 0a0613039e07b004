// The functional API of every op family, re-exported in one place.
export * from './elementwise.ts';
export * from './activation.ts';
export * from './reduce.ts';
export * from './shape-ops.ts';
export * from './linalg.ts';
export * from './creation.ts';
export * from './math.ts';
export * from './distance.ts';
export * from './indexing.ts';
export * from './scan.ts';
export * from './layout.ts';
export * from './decomp.ts';
export * from './conv.ts';
export * from './nn-ops.ts';
