import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CnisimError } from '../../src/errors.js';
import {
  blockCidr4,
  blockCidr6,
  blockCount,
  contains,
  containsIp4,
  formatIp4,
  formatIp6,
  overlaps,
  parseCidr,
  parseCidr4,
  parseCidr6,
  parseIp4,
  parseIp6,
  type Cidr,
} from '../../src/net/index.js';

/** [input, canonical text, base (uint32 or bigint as string), prefix] */
const VALID4: [string, string, number, number][] = [
  ['10.240.0.0/16', '10.240.0.0/16', 0x0af00000, 16],
  ['10.244.0.0/16', '10.244.0.0/16', 0x0af40000, 16],
  ['0.0.0.0/0', '0.0.0.0/0', 0, 0],
  ['255.255.255.255/32', '255.255.255.255/32', 0xffffffff, 32],
  ['192.168.1.128/25', '192.168.1.128/25', 0xc0a80180, 25],
  ['10.0.0.0/8', '10.0.0.0/8', 0x0a000000, 8],
  ['172.16.0.0/12', '172.16.0.0/12', 0xac100000, 12],
  ['10.1.2.16/28', '10.1.2.16/28', 0x0a010210, 28],
  ['128.0.0.0/1', '128.0.0.0/1', 0x80000000, 1],
];

const VALID6: [string, string, bigint, number][] = [
  ['fd12:3456:789a::/64', 'fd12:3456:789a::/64', 0xfd123456789a0000n << 64n, 64],
  ['fd12:3456:789a:1::/108', 'fd12:3456:789a:1::/108', (0xfd123456789a0001n << 64n), 108],
  ['::/0', '::/0', 0n, 0],
  ['2001:db8::/32', '2001:db8::/32', 0x20010db8n << 96n, 32],
  ['2001:DB8:0:0::/48', '2001:db8::/48', 0x20010db8n << 96n, 48],
  ['::1/128', '::1/128', 1n, 128],
  ['2001:0db8:0000:0000:0000:0000:0000:0000/64', '2001:db8::/64', 0x20010db8n << 96n, 64],
];

/** [input, a fragment the message must contain] */
const INVALID: [string, string][] = [
  ['10.0.0.1/24', 'did you mean 10.0.0.0/24?'],
  ['10.240.0.0/8', 'did you mean 10.0.0.0/8?'],
  ['10.0.0.0/33', 'the prefix must be 0–32'],
  ['10.0.0.0/-1', 'bad prefix'],
  ['10.0.0.0/', 'bad prefix'],
  ['10.0.0.0/08', 'bad prefix'],
  ['10.0.0.0/1a', 'bad prefix'],
  ['10.0.0.0', 'is not a CIDR'],
  ['10.0.0.0/8/8', 'is not a CIDR'],
  ['banana', 'is not a CIDR: expected an address/prefix like 10.240.0.0/16'],
  ['', 'is not a CIDR'],
  ['banana/8', 'is not a CIDR'],
  [' 10.0.0.0/8', 'is not a CIDR'],
  ['10.0.0.0/8 ', 'is not a CIDR'],
  ['256.0.0.0/8', 'is not a valid IPv4 CIDR'],
  ['010.0.0.0/8', 'is not a valid IPv4 CIDR'],
  ['10.0.0/8', 'is not a valid IPv4 CIDR'],
  ['10.0.0.0.0/8', 'is not a valid IPv4 CIDR'],
  ['10..0.0/8', 'is not a valid IPv4 CIDR'],
  ['fd12::1/64', 'did you mean fd12::/64?'],
  ['fd12:3456:789a::/129', 'the prefix must be 0–128'],
  ['gg::/64', 'is not a valid IPv6 CIDR'],
  ['1:2:3:4:5:6:7:8:9/64', 'is not a valid IPv6 CIDR'],
  ['fe80::%eth0/64', 'zone'],
  ['fd12:::1/64', 'is not a valid IPv6 CIDR'],
];

function errorOf(f: () => unknown): CnisimError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(CnisimError);
    return err as CnisimError;
  }
  throw new Error('expected an error');
}

describe('parseCidr', () => {
  it.each(VALID4)('accepts %s', (text, canon, base, prefix) => {
    for (const c of [parseCidr(text), parseCidr4(text)]) {
      expect(c).toEqual({ family: 4, text: canon, base, prefix, size: 2 ** (32 - prefix) });
    }
  });
  it.each(VALID6)('accepts %s', (text, canon, base, prefix) => {
    for (const c of [parseCidr(text), parseCidr6(text)]) {
      expect(c).toEqual({ family: 6, text: canon, base, prefix });
    }
  });
  it.each(INVALID)('refuses %j', (text, fragment) => {
    const err = errorOf(() => parseCidr(text));
    expect(err.code).toBe('input');
    expect(err.message).toContain(fragment);
    expect(err.message).toContain(JSON.stringify(text));
  });
  it('wraps ip-address errors with a cause', () => {
    expect(errorOf(() => parseCidr('256.0.0.0/8')).cause).toBeInstanceOf(Error);
  });
  it('refuses the wrong family with a message naming the expected one', () => {
    expect(errorOf(() => parseCidr4('fd12::/64')).message).toContain('expected an IPv4 CIDR');
    expect(errorOf(() => parseCidr6('10.0.0.0/8')).message).toContain('expected an IPv6 CIDR');
    expect(errorOf(() => parseCidr4('banana')).message).toContain('IPv4 CIDR');
  });
  it('round-trips the canonical text of random IPv4 CIDRs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
        const size = 2 ** (32 - prefix);
        const base = ip - (ip % size);
        const c = parseCidr4(`${formatIp4(base)}/${prefix}`);
        expect(c.base).toBe(base);
        expect(parseCidr4(c.text)).toEqual(c);
        if (base !== ip) expect(() => parseCidr4(`${formatIp4(ip)}/${prefix}`)).toThrow(/host bits/);
      }),
    );
  });
});

describe('addresses', () => {
  it('parses and formats IPv4', () => {
    expect(parseIp4('10.240.0.1')).toBe(0x0af00001);
    expect(parseIp4('255.255.255.255')).toBe(0xffffffff);
    expect(formatIp4(0xffffffff)).toBe('255.255.255.255');
    expect(formatIp4(0x0af00001)).toBe('10.240.0.1');
    for (const bad of ['10.0.0.1/32', '10.0.0', '1.2.3.256', 'x', 'fd12::1', '01.2.3.4']) {
      expect(errorOf(() => parseIp4(bad)).code).toBe('input');
    }
  });
  it('parses and formats IPv6', () => {
    expect(parseIp6('::1')).toBe(1n);
    expect(formatIp6(0xfd123456789a0000n << 64n)).toBe('fd12:3456:789a::');
    for (const bad of ['::1/128', '10.0.0.1', 'fe80::1%eth0', 'g::']) {
      expect(errorOf(() => parseIp6(bad)).code).toBe('input');
    }
  });
});

/** Reference: a CIDR as the closed interval of its addresses, as bigints. */
function range(c: Cidr): [bigint, bigint] {
  const bits = c.family === 4 ? 32n : 128n;
  const lo = BigInt(c.base);
  return [lo, lo + (1n << (bits - BigInt(c.prefix))) - 1n];
}

describe('contains / overlaps', () => {
  const c = (s: string) => parseCidr(s);
  it('handles listed cases', () => {
    expect(contains(c('10.0.0.0/8'), c('10.244.0.0/16'))).toBe(true);
    expect(contains(c('10.244.0.0/16'), c('10.0.0.0/8'))).toBe(false);
    expect(contains(c('10.0.0.0/8'), c('10.0.0.0/8'))).toBe(true);
    expect(contains(c('10.0.0.0/8'), c('11.0.0.0/16'))).toBe(false);
    expect(contains(c('0.0.0.0/0'), c('255.255.255.255/32'))).toBe(true);
    expect(overlaps(c('10.244.0.0/16'), c('10.0.0.0/8'))).toBe(true);
    expect(overlaps(c('10.244.0.0/16'), c('10.245.0.0/16'))).toBe(false);
    expect(contains(c('fd12:3456:789a::/48'), c('fd12:3456:789a:1::/108'))).toBe(true);
    expect(contains(c('fd12:3456:789a::/64'), c('fd12:3456:789a:1::/108'))).toBe(false);
    expect(contains(c('::/0'), c('10.0.0.0/8'))).toBe(false);
    expect(overlaps(c('0.0.0.0/0'), c('::/0'))).toBe(false);
  });
  it('agrees with interval arithmetic on random IPv4 pairs', () => {
    const arb = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([ip, p]) => {
      const size = 2 ** (32 - p);
      return parseCidr4(`${formatIp4(ip - (ip % size))}/${p}`);
    });
    fc.assert(
      fc.property(arb, arb, fc.integer({ min: 0, max: 0xffffffff }), (a, b, ip) => {
        const [alo, ahi] = range(a);
        const [blo, bhi] = range(b);
        expect(contains(a, b)).toBe(alo <= blo && bhi <= ahi);
        expect(overlaps(a, b)).toBe(alo <= bhi && blo <= ahi);
        expect(containsIp4(a, ip)).toBe(alo <= BigInt(ip) && BigInt(ip) <= ahi);
      }),
      { numRuns: 500 },
    );
  });
  it('agrees with interval arithmetic on random IPv6 pairs', () => {
    const arb = fc.tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 })).map(([ip, p]) => {
      const host = (1n << BigInt(128 - p)) - 1n;
      return parseCidr6(`${formatIp6(ip & ~host)}/${p}`);
    });
    // Nearby pairs too: b inside a's /n with a random longer prefix.
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        for (const [x, y] of [[a, b], [a, a], [b, a]] as const) {
          const [xlo, xhi] = range(x);
          const [ylo, yhi] = range(y);
          expect(contains(x, y)).toBe(xlo <= ylo && yhi <= xhi);
          expect(overlaps(x, y)).toBe(xlo <= yhi && ylo <= xhi);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('blocks', () => {
  it('counts and names blocks', () => {
    const pod = parseCidr4('10.244.0.0/16');
    expect(blockCount(pod, 24)).toBe(256);
    expect(blockCount(pod, 16)).toBe(1);
    expect(blockCount(pod, 8)).toBe(0);
    expect(blockCount(parseCidr6('fd12:3456:789a::/64'), 80)).toBe(65536);
    expect(blockCount(parseCidr6('fd12:3456:789a::/48'), 120)).toBe(2 ** 72);
    expect(blockCidr4(pod, 24, 255).text).toBe('10.244.255.0/24');
    expect(blockCidr6(parseCidr6('fd12:3456:789a::/64'), 80, 1).text).toBe('fd12:3456:789a:0:1::/80');
    expect(() => blockCidr4(pod, 24, 256)).toThrow(CnisimError);
    expect(() => blockCount(pod, 33)).toThrow(CnisimError);
  });
});
