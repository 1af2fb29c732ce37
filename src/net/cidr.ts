/**
 * IPv4 / IPv6 addresses and CIDRs at the boundary: strict parsing with `ip-address`, then plain numbers.
 *
 * Inside a run an IPv4 address is a uint32 (a JS number 0..2^32-1) and a pool address is an offset from a
 * CIDR's base; an IPv6 CIDR keeps its base as one bigint, used only when reading a scenario or writing a report.
 * Costs: parsing and formatting allocate (strings, ip-address objects): boundary only. contains / overlaps /
 * containsIp4 / blockCount are O(1) and allocation-free for IPv4.
 */
import { Address4, Address6 } from 'ip-address';
import { inputError } from '../errors.js';

export interface Cidr4 {
  readonly family: 4;
  /** Canonical text, e.g. `10.240.0.0/16`. */
  readonly text: string;
  /** Network address as a uint32. */
  readonly base: number;
  readonly prefix: number;
  /** Addresses in the range: 2^(32 - prefix). */
  readonly size: number;
}

export interface Cidr6 {
  readonly family: 6;
  /** Canonical text (RFC 5952 compressed), e.g. `fd12:3456:789a::/64`. */
  readonly text: string;
  readonly base: bigint;
  readonly prefix: number;
}

export type Cidr = Cidr4 | Cidr6;

/** [overlay-doc] Azure reserves the first four addresses and the last one of every VNet subnet. */
export const AZURE_RESERVED_HEAD = 4;
/** [overlay-doc] see AZURE_RESERVED_HEAD. */
export const AZURE_RESERVED_TAIL = 1;

const EXAMPLE4 = '10.240.0.0/16';
const EXAMPLE6 = 'fd12:3456:789a::/64';
const PREFIX_RE = /^(0|[1-9][0-9]{0,2})$/;
const MASK128 = (1n << 128n) - 1n;

function q(text: string): string {
  return JSON.stringify(text);
}

/** Splits `addr/prefix`; throws unless there is exactly one slash and a plain decimal prefix. */
function splitCidr(text: string, expected: string, what: string): { addr: string; prefix: number } {
  if (typeof text !== 'string') throw inputError(`${String(text)} is not a${what[0] === 'I' ? 'n' : ''} ${what}: expected an address/prefix like ${expected}`);
  const slash = text.indexOf('/');
  if (slash < 0 || text.indexOf('/', slash + 1) >= 0 || /\s/.test(text)) {
    throw inputError(`${q(text)} is not a${what[0] === 'I' ? 'n' : ''} ${what}: expected an address/prefix like ${expected}`);
  }
  const p = text.slice(slash + 1);
  if (!PREFIX_RE.test(p)) throw inputError(`${q(text)} has a bad prefix ${q(p)}: expected a decimal number without leading zeros after the slash, like ${expected}`);
  return { addr: text.slice(0, slash), prefix: Number(p) };
}

function familyOf(addr: string): 4 | 6 | 0 {
  if (addr.includes(':')) return 6;
  if (/^[0-9.]+$/.test(addr) && addr.includes('.')) return 4;
  return 0;
}

function ip4FromAddr(addr: string, text: string, what: string): number {
  let a: Address4;
  try {
    a = new Address4(addr);
  } catch (err) {
    throw inputError(`${q(text)} is not a valid ${what}: expected four decimal numbers 0–255 without leading zeros, like ${what === 'IPv4 address' ? '10.240.0.1' : EXAMPLE4}`, { cause: err });
  }
  if (a.subnetMask !== 32) throw inputError(`${q(text)} is not a valid ${what}: expected four decimal numbers 0–255`);
  return Number(a.bigInt());
}

function ip6FromAddr(addr: string, text: string, what: string): bigint {
  if (addr.includes('%')) throw inputError(`${q(text)} is not a valid ${what}: zone indexes (%…) are not accepted`);
  let a: Address6;
  try {
    a = new Address6(addr);
  } catch (err) {
    throw inputError(`${q(text)} is not a valid ${what}: expected eight hex groups separated by colons (:: abbreviates zeros), like ${what === 'IPv6 address' ? 'fd12:3456:789a::1' : EXAMPLE6}`, { cause: err });
  }
  if (a.subnetMask !== 128) throw inputError(`${q(text)} is not a valid ${what}`);
  return a.bigInt();
}

/** A uint32 as dotted quad. O(1), allocates the string. */
export function formatIp4(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** An IPv6 address (0..2^128-1) in RFC 5952 form. */
export function formatIp6(ip: bigint): string {
  return Address6.fromBigInt(ip & MASK128).correctForm();
}

/** Builds a Cidr4 from a base and prefix (base must have no host bits; checked). */
export function cidr4(base: number, prefix: number): Cidr4 {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw inputError(`IPv4 prefix ${prefix} is not valid: the prefix must be 0–32`);
  const size = 2 ** (32 - prefix);
  if (!Number.isInteger(base) || base < 0 || base > 0xffffffff || base % size !== 0) {
    throw inputError(`${formatIp4(base >>> 0)}/${prefix} has host bits set: did you mean ${formatIp4(base - (base % size))}/${prefix}?`);
  }
  return { family: 4, text: `${formatIp4(base)}/${prefix}`, base, prefix, size };
}

/** Builds a Cidr6 from a base and prefix (base must have no host bits; checked). */
export function cidr6(base: bigint, prefix: number): Cidr6 {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 128) throw inputError(`IPv6 prefix ${prefix} is not valid: the prefix must be 0–128`);
  const hostMask = (1n << BigInt(128 - prefix)) - 1n;
  if (base < 0n || base > MASK128 || (base & hostMask) !== 0n) {
    throw inputError(`${formatIp6(base)}/${prefix} has host bits set: did you mean ${formatIp6(base & ~hostMask)}/${prefix}?`);
  }
  return { family: 6, text: `${formatIp6(base)}/${prefix}`, base, prefix };
}

/** Parses an IPv4 address (no prefix) to a uint32. Strict: no leading zeros, no spaces. */
export function parseIp4(text: string): number {
  if (typeof text !== 'string' || familyOf(text) !== 4) {
    if (typeof text === 'string' && familyOf(text) === 6) throw inputError(`${q(text)} is an IPv6 address: expected an IPv4 address like 10.240.0.1`);
    throw inputError(`${q(String(text))} is not an IPv4 address: expected four decimal numbers like 10.240.0.1`);
  }
  return ip4FromAddr(text, text, 'IPv4 address');
}

/** Parses an IPv6 address (no prefix, no zone). */
export function parseIp6(text: string): bigint {
  if (typeof text !== 'string' || familyOf(text) !== 6 || text.includes('/') || /\s/.test(text)) {
    if (typeof text === 'string' && familyOf(text) === 4) throw inputError(`${q(text)} is an IPv4 address: expected an IPv6 address like fd12:3456:789a::1`);
    throw inputError(`${q(String(text))} is not an IPv6 address: expected hex groups separated by colons like fd12:3456:789a::1`);
  }
  return ip6FromAddr(text, text, 'IPv6 address');
}

function parse4(text: string, addr: string, prefix: number): Cidr4 {
  if (prefix > 32) throw inputError(`${q(text)} is not a valid IPv4 CIDR: the prefix must be 0–32`);
  const ip = ip4FromAddr(addr, text, 'IPv4 CIDR');
  const size = 2 ** (32 - prefix);
  const base = ip - (ip % size);
  if (base !== ip) throw inputError(`${q(text)} has host bits set: did you mean ${formatIp4(base)}/${prefix}?`);
  return { family: 4, text: `${formatIp4(base)}/${prefix}`, base, prefix, size };
}

function parse6(text: string, addr: string, prefix: number): Cidr6 {
  if (prefix > 128) throw inputError(`${q(text)} is not a valid IPv6 CIDR: the prefix must be 0–128`);
  const ip = ip6FromAddr(addr, text, 'IPv6 CIDR');
  const hostMask = (1n << BigInt(128 - prefix)) - 1n;
  const base = ip & ~hostMask & MASK128;
  if (base !== ip) throw inputError(`${q(text)} has host bits set: did you mean ${formatIp6(base)}/${prefix}?`);
  return { family: 6, text: `${formatIp6(base)}/${prefix}`, base, prefix };
}

/** Parses an IPv4 or IPv6 CIDR. Strict: an explicit prefix, no host bits, no spaces, no zone. */
export function parseCidr(text: string): Cidr {
  const { addr, prefix } = splitCidr(text, EXAMPLE4, 'CIDR');
  const fam = familyOf(addr);
  if (fam === 4) return parse4(text, addr, prefix);
  if (fam === 6) return parse6(text, addr, prefix);
  throw inputError(`${q(text)} is not a CIDR: expected an address/prefix like ${EXAMPLE4} or ${EXAMPLE6}`);
}

/** Parses an IPv4 CIDR; an IPv6 one is refused with a message saying an IPv4 CIDR is expected. */
export function parseCidr4(text: string): Cidr4 {
  const { addr, prefix } = splitCidr(text, EXAMPLE4, 'IPv4 CIDR');
  const fam = familyOf(addr);
  if (fam === 6) throw inputError(`${q(text)} is an IPv6 CIDR: expected an IPv4 CIDR like ${EXAMPLE4}`);
  if (fam === 0) throw inputError(`${q(text)} is not an IPv4 CIDR: expected an address/prefix like ${EXAMPLE4}`);
  return parse4(text, addr, prefix);
}

/** Parses an IPv6 CIDR; an IPv4 one is refused with a message saying an IPv6 CIDR is expected. */
export function parseCidr6(text: string): Cidr6 {
  const { addr, prefix } = splitCidr(text, EXAMPLE6, 'IPv6 CIDR');
  const fam = familyOf(addr);
  if (fam === 4) throw inputError(`${q(text)} is an IPv4 CIDR: expected an IPv6 CIDR like ${EXAMPLE6}`);
  if (fam === 0) throw inputError(`${q(text)} is not an IPv6 CIDR: expected an address/prefix like ${EXAMPLE6}`);
  return parse6(text, addr, prefix);
}

/** True when `inner` lies wholly inside `outer` (equal counts). False across families. O(1). */
export function contains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family === 4) {
    if (inner.family !== 4 || inner.prefix < outer.prefix) return false;
    return inner.base - (inner.base % outer.size) === outer.base;
  }
  if (inner.family !== 6 || inner.prefix < outer.prefix) return false;
  return inner.base >> BigInt(128 - outer.prefix) === outer.base >> BigInt(128 - outer.prefix);
}

/** True when the two ranges share an address. False across families. O(1). */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.prefix <= b.prefix ? contains(a, b) : contains(b, a);
}

/** True when the uint32 `ip` lies in `c`. O(1). */
export function containsIp4(c: Cidr4, ip: number): boolean {
  return ip >= c.base && ip - c.base < c.size;
}

/**
 * How many /blockPrefix blocks `c` splits into: 2^(blockPrefix − prefix), a float when ≥ 2^53 (IPv6);
 * 0 when the block is larger than the range. Throws on a prefix outside the family's range.
 */
export function blockCount(c: Cidr, blockPrefix: number): number {
  const bits = c.family === 4 ? 32 : 128;
  if (!Number.isInteger(blockPrefix) || blockPrefix < 0 || blockPrefix > bits) {
    throw inputError(`/${blockPrefix} is not a valid IPv${c.family} block size: the prefix must be 0–${bits}`);
  }
  return blockPrefix < c.prefix ? 0 : 2 ** (blockPrefix - c.prefix);
}

/** The `index`-th /blockPrefix block of `c` as a Cidr4 (boundary use: reports). */
export function blockCidr4(c: Cidr4, blockPrefix: number, index: number): Cidr4 {
  const n = blockCount(c, blockPrefix);
  if (!Number.isInteger(index) || index < 0 || index >= n) throw inputError(`block ${index} is outside ${c.text}, which holds ${n} /${blockPrefix} blocks`);
  return cidr4(c.base + index * 2 ** (32 - blockPrefix), blockPrefix);
}

/** The `index`-th /blockPrefix block of `c` as a Cidr6 (boundary use: reports). */
export function blockCidr6(c: Cidr6, blockPrefix: number, index: number): Cidr6 {
  const n = blockCount(c, blockPrefix);
  if (!Number.isInteger(index) || index < 0 || index >= n) throw inputError(`block ${index} is outside ${c.text}, which holds ${n} /${blockPrefix} blocks`);
  return cidr6(c.base + (BigInt(index) << BigInt(128 - blockPrefix)), blockPrefix);
}
