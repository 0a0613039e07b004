/**
 * The hyper-parameter search (Keras Tuner's API, memograd's spelling): `HyperParameters`, the
 * oracles, the tuners and the in-memory trial store. Project directories are in `@memograd/optim/node`.
 */
export { HyperParameters, probToValue, valueToProb, gridValues } from './hyperparameters.ts';
export type {
  HPValue, HPValues, Sampling, Condition, IntOptions, FloatOptions, ChoiceOptions, BooleanOptions, HyperParameterConfig,
  HPConfigBase, NumericHPConfig, ChoiceHPConfig, BooleanHPConfig, FixedHPConfig, HyperParametersConfig,
} from './hyperparameters.ts';
export { Oracle, RandomSearchOracle, resolveObjective } from './oracle.ts';
export type { Direction, ObjectiveSpec, ObjectiveObject, PopulatedRunning, PopulatedStopped, Objective, TrialStatus, TrialRecord, OracleOptions, Populated } from './oracle.ts';
export { GridSearchOracle, HyperbandOracle, BayesianOptimizationOracle } from './oracles.ts';
export type { HyperbandOracleOptions, BayesianOracleOptions, HyperbandBracket, HyperbandRound } from './oracles.ts';
export { GaussianProcess, expectedImprovement } from './gp.ts';
export type { GPKernel, GPParams, GaussianProcessOptions, GPPrediction } from './gp.ts';
export { Tuner, RandomSearch, GridSearch, Hyperband, BayesianOptimization, MemoryTrialStore } from './tuner.ts';
export type {
  BuiltModel, BuildModel, StoredSearch, TrialStore, TunerOptions, SearchOptions, HyperbandOptions, BayesianOptimizationOptions,
} from './tuner.ts';
