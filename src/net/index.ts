/** Addresses and CIDRs: parsing at the boundary, uint32 arithmetic inside (see cidr.ts for costs). */
export * from './cidr.js';
