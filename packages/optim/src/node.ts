/**
 * `@memograd/optim/node`: the Node-only part of `@memograd/optim`, everything that writes files:
 * TensorBoard event files (`SummaryWriter` and the `TensorBoard` callback), training plots, checkpoint
 * and CSV callbacks, and tuner project directories. The main entry (`@memograd/optim`) imports nothing
 * from `node:` and runs in browsers and workers.
 *
 * @module \@memograd/optim/node
 */
export * from './node/tensorboard.ts';
export * from './node/plot.ts';
export * from './node/files.ts';
export * from './node/tuner.ts';
