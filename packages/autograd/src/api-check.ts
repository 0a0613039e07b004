/**
 * Compile-time checks that the public API and the op registry agree (nothing here runs).
 *
 * ES named exports are static, so index.ts lists every export by hand and tensor.ts declares every
 * method by hand: the one reviewable public surface. What is derived from the registry
 * (ops/registry.ts, `OPS`) is the check that the hand-written lists are complete. Each check below
 * is a type that `tsc` (the `typecheck` script) rejects with a message naming the op:
 *
 * - an op in the registry without its functional export in index.ts,
 * - an op in the registry without its Tensor method,
 * - an op function exported from index.ts (from the op modules) that has no registry entry, so
 *   no rule, no property tests and no fuzzing: a public op without a rule is a compile error, as
 *   in jax-js (whose rules are a `Record<Primitive, Rule>`).
 *
 * For example, with `atan2` in the registry and no `atan2` method on Tensor, tsc prints:
 *   error TS2344: Type '"registry ops without a Tensor method: atan2"' does not satisfy the constraint '"ok"'.
 */
import type * as PublicApi from './index.ts';
import type * as OpModules from './ops/index.ts';
import type { OPS } from './ops/registry.ts';
import type { Tensor } from './tensor.ts';

type Ops = typeof OPS;
type Name = keyof Ops;
/** The functional export of an op: `api.fn`, else the op's name. */
type FnName<K extends Name> = Ops[K]['api'] extends { readonly fn: infer F } ? F : K;
/** The Tensor method of an op: `api.method`, else its function's name. */
type MethodName<K extends Name> = Ops[K]['api'] extends { readonly method: infer M } ? M : FnName<K>;

type Exported = keyof typeof PublicApi;
/** Exports of the op modules that are not ops: constructors of new tensors. */
type NotOps = 'zeros' | 'ones' | 'full' | 'zerosLike' | 'onesLike' | 'fullLike' | 'arange' | 'linspace' | 'eye' | 'rand' | 'randn' | 'randint';

type NoFunction = { [K in Name]: FnName<K> extends null ? never : FnName<K> extends Exported ? never : K }[Name];
type NoMethod = { [K in Name]: MethodName<K> extends null ? never : MethodName<K> extends keyof Tensor ? never : K }[Name];
type Unregistered = Exclude<Extract<Exported, keyof typeof OpModules>, { [K in Name]: FnName<K> }[Name] | NotOps>;

/** 'ok' when nothing is missing, else a message that names what is. */
type Report<Missing extends string, What extends string> = [Missing] extends [never] ? 'ok' : `${What}: ${Missing}`;
type Expect<T extends 'ok'> = T;

export type EveryOpHasAFunction = Expect<Report<NoFunction, 'registry ops without a functional export in index.ts'>>;
export type EveryOpHasAMethod = Expect<Report<NoMethod, 'registry ops without a Tensor method'>>;
export type EveryPublicOpIsRegistered = Expect<Report<Unregistered, 'ops exported from index.ts without a registry entry (ops/registry.ts)'>>;
