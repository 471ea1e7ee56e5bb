import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contains, formatCidr, formatIpv4, isHostAddress, overlaps, parseCidr, parseIpv4, type Ipv4Network } from "../../../components/lib/cidr";

const address = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const network = fc.tuple(address, fc.integer({ min: 0, max: 32 })).map(([a, prefix]): Ipv4Network => {
  const size = 2 ** (32 - prefix);
  return { base: a - (a % size), prefix };
});

describe("IPv4 parsing", () => {
  it("formats and parses back every address", () => {
    fc.assert(fc.property(address, (a) => parseIpv4(formatIpv4(a)) === a));
  });

  it("formats and parses back every network", () => {
    fc.assert(
      fc.property(network, (n) => {
        const parsed = parseCidr(formatCidr(n));
        return parsed !== undefined && parsed.base === n.base && parsed.prefix === n.prefix;
      }),
    );
  });

  it.each(["10.0.0.256", "10.0.0", "10.0.0.1.2", "010.0.0.1", "a.b.c.d", " 10.0.0.1"])("rejects the address %j", (text) => {
    expect(parseIpv4(text)).toBeUndefined();
  });

  it.each(["10.244.0.1/16", "10.0.0.0/33", "10.0.0.0", "10.0.0.0/", "10.0.0.0/16/1"])("rejects the network %j", (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe("overlap", () => {
  it("is symmetric and true exactly when some address lies in both", () => {
    fc.assert(
      fc.property(network, network, (a, b) => {
        const shared = contains(a, b.base) || contains(b, a.base);
        return overlaps(a, b) === overlaps(b, a) && overlaps(a, b) === shared;
      }),
    );
  });

  it("a network always overlaps a network inside it", () => {
    fc.assert(
      fc.property(network, fc.integer({ min: 0, max: 32 }), (outer, extra) => {
        const prefix = Math.max(outer.prefix, Math.min(32, outer.prefix + (extra % 8)));
        const inner = { base: outer.base, prefix };
        return overlaps(outer, inner);
      }),
    );
  });
});

describe("host addresses", () => {
  it("excludes the network and broadcast addresses of networks larger than /31", () => {
    fc.assert(
      fc.property(network.filter((n) => n.prefix < 31), (n) => {
        const last = n.base + 2 ** (32 - n.prefix) - 1;
        return !isHostAddress(n, n.base) && !isHostAddress(n, last) && isHostAddress(n, n.base + 1);
      }),
    );
  });

  it("never accepts an address outside the network", () => {
    fc.assert(fc.property(network, address, (n, a) => !isHostAddress(n, a) || contains(n, a)));
  });
});
