/** Bitset pools, the hot core: see each file's header for costs. */
export { Bitset, MAX_BITS, popcount } from './bitset.js';
export { AddressPool } from './address-pool.js';
export { NO_RESERVE, usableAddresses, usableBlocks, reserveProblem, type ReservePolicy } from './reserve.js';
export { BlockPool } from './block-pool.js';
export { BlockPool6 } from './block-pool6.js';
