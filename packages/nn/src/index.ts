/**
 * `@memograd/nn`: modules, layers, initializers, losses, regularizers, summary and weights I/O on
 * top of @memograd/autograd, with PyTorch's names and semantics (and Keras aliases).
 *
 * @module \@memograd/nn
 */
export { Module, Parameter, StateDictError } from './module.ts';
export type { LoadStateDictOptions, LoadStateDictResult, TensorRecord } from './module.ts';
export {
  Linear, Dense, ReLU, LeakyReLU, ELU, GELU, SiLU, Sigmoid, Tanh, Softplus, Softmax, LogSoftmax, Identity,
  Dropout, dropout, linear, LayerNorm, Flatten, Sequential, ModuleList, ModuleDict, getActivation,
} from './layers.ts';
export type { ActivationName, LinearOptions, DropoutOptions, BatchNormOptions, LayerNormOptions } from './layers.ts';
export * as init from './init.ts';
export {
  calculateGain, computeFans, zeros_, ones_, constant_, uniform_, normal_, xavierUniform_, xavierNormal_,
  kaimingUniform_, kaimingNormal_, glorotUniform_, glorotNormal_, heUniform_, heNormal_, initialize_,
} from './init.ts';
export type { InitOptions, KaimingOptions, Nonlinearity, FanMode, Initializer, InitializerName } from './init.ts';
export {
  mseLoss, l1Loss, maeLoss, huberLoss, smoothL1Loss, binaryCrossEntropy, binaryCrossEntropyWithLogits,
  crossEntropy, nllLoss, categoricalCrossEntropy, sparseCategoricalCrossEntropy,
  Loss, MSELoss, L1Loss, HuberLoss, SmoothL1Loss, BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss,
  CategoricalCrossEntropy, SparseCategoricalCrossEntropy,
} from './losses.ts';
export type {
  Reduction, ReductionOptions, ReductionLike, Target, ClassIndices, HuberOptions, SmoothL1Options, BCEOptions, BCEWithLogitsOptions,
  NLLOptions, CrossEntropyOptions, CategoricalOptions, SparseCategoricalOptions,
} from './losses.ts';
export {
  klDiv, cosineEmbeddingLoss, marginRankingLoss, hingeEmbeddingLoss, multiMarginLoss, tripletMarginLoss, softMarginLoss,
  multilabelSoftMarginLoss, poissonNllLoss, gaussianNllLoss, ctcLoss,
  TripleInputLoss, KLDivLoss, CosineEmbeddingLoss, MarginRankingLoss, HingeEmbeddingLoss, MultiMarginLoss, TripletMarginLoss,
  SoftMarginLoss, MultiLabelSoftMarginLoss, PoissonNLLLoss, GaussianNLLLoss, CTCLoss,
} from './losses-more.ts';
export type {
  KLDivReduction, KLDivOptions, MarginOptions, MultiMarginOptions, TripletMarginOptions, MultilabelSoftMarginOptions,
  PoissonNLLOptions, GaussianNLLOptions, CTCOptions, Lengths,
} from './losses-more.ts';
export { RecurrentBase, RNN, LSTM, GRU } from './recurrent.ts';
export type { RecurrentOptions, RNNOptions, RecurrentResult, RecurrentState, RecurrentStates } from './recurrent.ts';
export { MultiheadAttention, TransformerEncoderLayer } from './attention.ts';
export type {
  AttentionMask, MultiheadAttentionOptions, AttentionCallOptions, AttentionResult, TransformerEncoderLayerOptions, EncoderCallOptions,
} from './attention.ts';
export { l1Penalty, l2Penalty, regularizers } from './regularizers.ts';
export type { Regularizer, ParamSource } from './regularizers.ts';
export { summary, formatCount } from './summary.ts';
export type { SummaryOptions } from './summary.ts';
export { saveWeights, loadWeights } from './weights.ts';
export { modelToJSON, modelFromJSON, ModelFormatError, SERIALIZABLE_LAYERS } from './model.ts';
export type { ModelJSON, LayerJSON, JSONValue } from './model.ts';
// saveModel / loadModel (Node only, a directory with model.json and model.safetensors): '@memograd/nn/node'.
// saveWeightsFile / loadWeightsFile (Node only): import them from '@memograd/nn/node'.
export * from './safetensors.ts';
export { gradientReport } from './gradient-report.ts';
export type { GradientReport, GradientReportOptions, LayerGradient, LayerGradientStatus } from './gradient-report.ts';
// ---- conv-layers ----
export { ConvNd, Conv1d, Conv2d, ConvTranspose2d } from './conv-layers.ts';
export type { ConvLayerOptions, ConvTransposeLayerOptions, ConvPadding, PaddingMode } from './conv-layers.ts';
export { MaxPoolNd, MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Upsample, PixelShuffle, PixelUnshuffle } from './pool-layers.ts';
export type { MaxPoolLayerOptions, AvgPoolLayerOptions, AdaptiveSize, UpsampleOptions } from './pool-layers.ts';

// ---- norm-layers ----
export { NormBase, BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, GroupNorm, Embedding } from './norm-layers.ts';
export type { InstanceNormLayerOptions, GroupNormLayerOptions, EmbeddingLayerOptions, EmbeddingPretrainedOptions } from './norm-layers.ts';
