/**
 * `@memograd/autograd`: reverse-mode automatic differentiation for TypeScript.
 * The public surface, in one reviewable file.
 *
 * @module \@memograd/autograd
 */
export { Tensor, tensor, scalar, publicToTensor as toTensor } from './tensor.ts';
export type { TensorLike, NestedArray, TensorOptions } from './tensor.ts';
export type { DType, FloatArray } from './dtype.ts';
export { Generator, manualSeed, defaultGenerator } from './random.ts';
export {
  MemogradError, ShapeError, DTypeError, ArgumentError, GraphError, AnomalyError, GradcheckError, renameError, renameErrors,
} from './errors.ts';
export { noGrad, enableGrad, isGradEnabled, detectAnomaly, setDetectAnomaly, Node } from './engine.ts';
export type { BackwardOptions } from './engine.ts';
export { grad, valueAndGrad, vjp, hessian, customFunction } from './autodiff.ts';
export type { GradOptions, CustomFunctionSpec } from './autodiff.ts';
export { jacobian, jacfwd, jvp, hvp, vhp } from './transforms.ts';
export { stepTable } from './teach/step-table.ts';
export type { StepTable, StepTableOptions, StepTableNode, StepTableDelta, StepTableParam } from './teach/step-table.ts';
export { gradcheck, assertGradcheck, gradgradcheck, assertGradgradcheck } from './gradcheck.ts';
export type { GradcheckOptions, GradcheckReport, GradcheckEntry, GradgradcheckOptions } from './gradcheck.ts';
export { publicBroadcastShapes as broadcastShapes, formatShape, MAX_ELEMENTS, MAX_RANK, describe as describeValue } from './shape.ts';
export { explain, toDot } from './explain.ts';
export type { ExplainRow, ExplainTerm, ExplainResult, ToDotOptions } from './explain.ts';
export { chainPaths } from './teach/chain-paths.ts';
export type { ChainPathsOptions, ChainPathsReport, ChainPath, ChainEdge } from './teach/chain-paths.ts';

// the functional API: every op as a free function
export {
  add, sub, mul, div, pow, maximum, minimum, atan2, neg, exp, log, log1p, expm1, sqrt, abs, square, reciprocal,
  sin, cos, clamp, where, eq, ne, lt, le, gt, ge, sign, cast, clone,
  sigmoid, tanh, relu, leakyRelu, elu, gelu, silu, softplus, softmax, logSoftmax,
  sum, mean, max, min, prod, variance, std, logSumExp, norm, argmax, argmin, sumTo,
  matmul, outer, linear,
  reshape, flatten, permute, transpose, expand, squeeze, unsqueeze, slice, cat, stack, gather, indexSelect,
  zeros, ones, full, zerosLike, onesLike, fullLike, arange, linspace, eye, rand, randn, randint,
} from './ops/index.ts';
export type { ReduceOptions, VarOptions, NormOptions, SoftplusOptions, IndexLike, CreationOptions, RandomOptions } from './ops/index.ts';
export { publicStableSigmoid as stableSigmoid } from './ops/activation.ts';

// the op families (one block each)
export {
  tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, erf, erfc, erfinv, lgamma, digamma, sinc, rsqrt, log2, log10, exp2,
  floor, ceil, round, trunc, frac, fmod, remainder, hypot, xlogy, logAddExp, nanToNum, lerp, addcmul,
} from './ops/math.ts';
export type { AddcmulOptions, NanToNumOptions } from './ops/math.ts';
// ----
export {
  cosineSimilarity, pairwiseDistance, cdist, normalize,
  type CosineSimilarityOptions, type PairwiseDistanceOptions, type CdistOptions, type NormalizeOptions,
} from './ops/distance.ts';
// ----
export { index, indexPut, maskedFill, scatter, scatterAdd, indexAdd } from './ops/indexing.ts';
export type { IndexPutOptions, ScatterOptions, IndexAddOptions } from './ops/indexing.ts';
export { s, mask, IndexMask } from './ops/indexing-spec.ts';
export type { IndexSpec, Slice, SliceString, NestedBool } from './ops/indexing-spec.ts';
// ----
export {
  argsort, cumprod, cumsum, flip, kthValue, logCumSumExp, roll, sort, topk,
  type KthValueOptions, type SortOptions, type SortResult, type TopkOptions,
} from './ops/scan.ts';
// ----
export { repeat, tile, repeatInterleave, split, chunk, unbind, tril, triu, diag, diagonal, trace, pad, type PadMode } from './ops/layout.ts';
export { einsum } from './ops/einsum.ts';
// ----
export { det, slogdet, inv, solve, cholesky, qr, eigh, svd, svdvals, matrixNorm, matrixPower, pinv, kron, cross } from './ops/decomp.ts';
export type { SlogdetResult, QRResult, EighResult, SVDResult, MatrixNormOptions, PinvOptions } from './ops/decomp.ts';
// ----
export { conv1d, conv2d, convTranspose2d, unfold, fold, maxPool1d, maxPool2d, avgPool2d, adaptiveAvgPool2d } from './ops/conv.ts';
export type { ConvOptions, ConvTranspose2dOptions, UnfoldOptions, SizeArg, MaxPoolOptions, AvgPool2dOptions, PoolWithIndices } from './ops/conv.ts';
// ----
export { interpolate, pixelShuffle, pixelUnshuffle, embedding, scaledDotProductAttention, groupNorm, instanceNorm, batchNorm } from './ops/nn-ops.ts';
export type {
  InterpolateOptions, InterpolateMode, EmbeddingOptions, EmbeddingIndex, AttentionOptions, GroupNormOptions, InstanceNormOptions, BatchNormOptions,
} from './ops/nn-ops.ts';
// ----
export {
  logSigmoid, hardtanh, hardsigmoid, hardswish, mish, selu, celu, softsign, logit, softmin, glu,
  type HardtanhOptions, type CeluOptions, type LogitOptions, type ClampBound,
} from './ops/activation.ts';
// ---- end of the op families

export { ALL_OPS, PRIMITIVES, COMPOSITES } from './ops/registry.ts';
export { defineOp } from './ops/define.ts';
export type { OpDef, OpTest, OracleInput, OracleOutput, BackwardArgs, RegistryEntry, Pick, ScalarFrame, ScalarRule } from './ops/define.ts';
export type { Arith, Derivative, DerivativeFrame, Value } from './ops/derivative.ts';
export { checkDerivation } from './teach/check-derivation.ts';
export type { DerivationReport, CheckDerivationOptions, DerivationCheck, DerivationDiagnosis, DerivationParams, HandFormula, HandParams } from './teach/check-derivation.ts';
