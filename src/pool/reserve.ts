/**
 * What a range keeps back from allocation: `head` addresses at its start, `tail` at its end, and the smallest
 * range (longest prefix) the provider accepts. Each platform's policy lives with its modes
 * (src/alloc/platform/); pools only apply the numbers. A policy is a plain immutable record: O(1) to read.
 */
export interface ReservePolicy {
  /** Names the policy in messages and space keys, e.g. "Azure subnet". */
  readonly name: string;
  /** Addresses reserved at the start of the range (network address, gateway, …). */
  readonly head: number;
  /** Addresses reserved at the end (broadcast, …). */
  readonly tail: number;
  /** Longest prefix allowed for such a range (29 for an Azure subnet, 28 for AWS, 32 where nothing is reserved). */
  readonly smallestPrefix: number;
}

/** Nothing reserved: a private pod CIDR carved into blocks, Calico blocks, Kubernetes' cidrset. */
export const NO_RESERVE: ReservePolicy = { name: 'plain range', head: 0, tail: 0, smallestPrefix: 32 };

/** Addresses a /prefix range with `r` offers: its size less the reserved ones (0 when they do not fit). O(1). */
export function usableAddresses(prefix: number, r: ReservePolicy): number {
  return Math.max(0, 2 ** (32 - prefix) - r.head - r.tail);
}

/** Blocks of /blockPrefix in a /prefix range that hold no reserved address. O(1). */
export function usableBlocks(prefix: number, blockPrefix: number, r: ReservePolicy): number {
  const blocks = 2 ** (blockPrefix - prefix);
  const size = 2 ** (32 - blockPrefix);
  const head = Math.ceil(r.head / size);
  const tail = Math.min(Math.ceil(r.tail / size), blocks - head);
  return Math.max(0, blocks - head - tail);
}

/** null when `prefix` is allowed under `r`, else the message. */
export function reserveProblem(text: string, prefix: number, r: ReservePolicy): string | null {
  if (prefix <= r.smallestPrefix) return null;
  return `${text} is too small for an ${r.name}: ${r.head + r.tail > 0 ? `${r.head + r.tail} addresses are reserved in every subnet and ` : ''}the smallest allowed is a /${r.smallestPrefix}`;
}
