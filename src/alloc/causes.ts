/**
 * Refusal causes, an open vocabulary: the core causes below, plus those a mode declares in its info
 * (`ModeInfo.causes`), registered when the mode's module loads. A cause has a kind — an address space ran out,
 * a limit was reached, or a pod did not fit a node's max-pods (scheduling, not exhaustion) — and a report colour.
 * Allocators return integer codes (1-based, in registration order); only names reach the outputs, so codes never
 * need to be stable across versions. Lookups are O(1) by code, O(causes) by name (at set-up only).
 */
import { internalError } from '../errors.js';

export type CauseKind = 'space' | 'limit' | 'scheduling';

export interface CauseDef {
  /** kebab-case, as written to events.csv. */
  readonly name: string;
  readonly kind: CauseKind;
  /** CSS colour of the cause in report.html. */
  readonly color: string;
  /** One line for the docs and `cnisim modes`. */
  readonly meaning: string;
}

const TABLE: CauseDef[] = [];

/** Registers a cause (idempotent by name: a second definition must be identical) and returns its code ≥ 1. */
export function defineCause(def: CauseDef): number {
  const i = TABLE.findIndex((c) => c.name === def.name);
  if (i >= 0) {
    const had = TABLE[i]!;
    if (had.kind !== def.kind || had.color !== def.color) throw internalError(`cause ${def.name} is defined twice, differently`);
    return i + 1;
  }
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(def.name)) throw internalError(`cause name ${JSON.stringify(def.name)} is not kebab-case`);
  TABLE.push(def);
  return TABLE.length;
}

export const OK = 0;
export const NODE_SUBNET_FULL = defineCause({ name: 'node-subnet-full', kind: 'space', color: '#d62728', meaning: 'the node subnet has no address for a node (or its reservations)' });
export const POD_SUBNET_FULL = defineCause({ name: 'pod-subnet-full', kind: 'space', color: '#ff7f0e', meaning: 'the pod subnet cannot serve a request' });
export const POD_CIDR_FULL = defineCause({ name: 'pod-cidr-full', kind: 'space', color: '#9467bd', meaning: 'the pod CIDR has no free range for a node' });
export const NODE_LIMIT = defineCause({ name: 'node-limit', kind: 'limit', color: '#8c564b', meaning: "the mode's nodes-per-cluster limit is reached" });
export const MAX_PODS = defineCause({ name: 'max-pods', kind: 'scheduling', color: '#7f7f7f', meaning: "a node is at its max-pods" });
export const CLUSTER_POD_LIMIT = defineCause({ name: 'cluster-pod-limit', kind: 'limit', color: '#e377c2', meaning: "the mode's pods-per-cluster limit is reached" });

/** The causes every mode may raise without declaring them (the ones above). */
export const CORE_CAUSES: readonly number[] = [NODE_SUBNET_FULL, POD_SUBNET_FULL, POD_CIDR_FULL, NODE_LIMIT, MAX_PODS, CLUSTER_POD_LIMIT];

/** The cause with `code`; throws for an unknown code (a bug). O(1). */
export function causeDef(code: number): CauseDef {
  const c = TABLE[code - 1];
  if (c === undefined) throw new RangeError(`no cause with code ${code}`);
  return c;
}

export function causeName(code: number): string {
  return causeDef(code).name;
}

/** The code of a registered cause name, or 0. */
export function causeCode(name: string): number {
  return TABLE.findIndex((c) => c.name === name) + 1;
}

/** Every registered cause, in code order. */
export function allCauses(): readonly CauseDef[] {
  return TABLE;
}
