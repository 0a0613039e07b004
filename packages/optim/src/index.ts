/**
 * `@memograd/optim`: optimizers (SGD, Adam, AdamW, RMSprop, ...), learning-rate schedulers, gradient
 * clipping, and a Keras-style `fit()` training loop with callbacks, with PyTorch's names and semantics.
 *
 * @module \@memograd/optim
 */
export type { FloatArray, ParamLike } from './param.ts';
export { zerosLike } from './param.ts';
export { Optimizer, OptionChecker } from './optimizer.ts';
export type {
  BaseOptions,
  OptimizerStateDict,
  OptionValue,
  ParamGroup,
  Params,
  ParamState,
  ResolvedParamGroup,
  StateSpec,
} from './optimizer.ts';
export { SGD } from './sgd.ts';
export type { SGDOptions, SGDState } from './sgd.ts';
export { Adagrad } from './adagrad.ts';
export type { AdagradOptions, AdagradState } from './adagrad.ts';
export { RMSprop } from './rmsprop.ts';
export type { RMSpropOptions, RMSpropState } from './rmsprop.ts';
export { Adam, AdamW } from './adam.ts';
export type { AdamOptions, AdamState } from './adam.ts';
export { Adadelta } from './adadelta.ts';
export type { AdadeltaOptions, AdadeltaState } from './adadelta.ts';
export { NAdam } from './nadam.ts';
export type { NAdamOptions, NAdamState } from './nadam.ts';
export { Adamax } from './adamax.ts';
export type { AdamaxOptions, AdamaxState } from './adamax.ts';
export {
  LRScheduler,
  LambdaLR,
  StepLR,
  MultiStepLR,
  ExponentialLR,
  CosineAnnealingLR,
  LinearLR,
  ReduceLROnPlateau,
  stepSchedule,
  multiStepSchedule,
  exponentialSchedule,
  cosineLr,
  cosineSchedule,
  warmupCosineSchedule,
} from './scheduler.ts';
export type { SchedulableOptimizer, SchedulerStateDict, ReduceLROnPlateauOptions } from './scheduler.ts';
export { clipGradNorm, clipGradValue } from './clip.ts';
export type { ClipGradNormOptions } from './clip.ts';
export * from './fit.ts'; export * from './callbacks.ts';
export * from './names.ts';
export * from './tuner/index.ts';
export { historySpec, type BestEpoch, type HistoryInput, type HistoryLike, type HistorySpec, type HistorySpecOptions } from './plot.ts';
