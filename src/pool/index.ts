/** Bitset pools, the hot core: see each file's header for costs. */
export { Bitset, MAX_BITS, popcount } from './bitset.js';
export { AddressPool, AZURE_MIN_SUBNET_PREFIX } from './address-pool.js';
export { BlockPool } from './block-pool.js';
export { BlockPool6 } from './block-pool6.js';
