/**
 * IPv4 CIDRs, read one way for the whole config: the network policies' peers and exceptions,
 * the Azure address plan, the services' database and Postgres ranges, the readiness pass.
 * A CIDR is canonical (host bits zero), so a typo such as 10.224.1.0/16 is refused instead of
 * silently meaning 10.224.0.0/16; octets above 255 and prefixes above 32, which the API server
 * refuses, are refused here.
 */

export const CIDR_ALLOWED = "an IPv4 CIDR with the host bits zero, e.g. 10.244.0.0/16";

export interface Ipv4Cidr {
    base: number;
    prefix: number;
}

const OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
const CIDR_PATTERN = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/([0-9]|[12][0-9]|3[0-2])$`);
const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** A canonical IPv4 CIDR, or undefined. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
    const match = CIDR_PATTERN.exec(text);
    if (!match) return undefined;
    const base = match.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
    const prefix = Number(match[5]);
    return (base & maskOf(prefix)) >>> 0 === base ? { base, prefix } : undefined;
}

/** First and last address of a canonical IPv4 CIDR, as integers. */
export interface Ipv4Range {
    first: number;
    last: number;
    prefix: number;
}

export function ipv4Range(cidr: string): Ipv4Range | undefined {
    const parsed = parseIpv4Cidr(cidr);
    if (!parsed) return undefined;
    return { first: parsed.base, last: parsed.base + 2 ** (32 - parsed.prefix) - 1, prefix: parsed.prefix };
}

/** An IPv4 address as an integer, or undefined. */
export function ipv4Address(ip: string): number | undefined {
    return parseIpv4Cidr(`${ip}/32`)?.base;
}

/** True for a dotted IPv4 address with every octet 0-255 (no leading zeros). */
export function isIpv4Address(text: string): boolean {
    return ipv4Address(text) !== undefined;
}

/** An integer address back in dotted form. */
export function formatIpv4(address: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** True when the two ranges share at least one address (false when either is not a canonical CIDR). */
export function cidrsOverlap(a: string, b: string): boolean {
    const x = ipv4Range(a);
    const y = ipv4Range(b);
    return !!x && !!y && x.first <= y.last && y.first <= x.last;
}

/** True when `inner` lies inside `outer` (or equals it). */
export function cidrContains(outer: string, inner: string): boolean {
    const x = ipv4Range(outer);
    const y = ipv4Range(inner);
    return !!x && !!y && x.first <= y.first && y.last <= x.last;
}

/** True when `inner` lies inside `outer` and is smaller, as a NetworkPolicy `except` must. */
export function strictlyInside(inner: string, outer: string): boolean {
    const x = ipv4Range(outer);
    const y = ipv4Range(inner);
    return !!x && !!y && y.prefix > x.prefix && x.first <= y.first && y.last <= x.last;
}

/** True when the address lies inside the range. */
export function addressInCidr(ip: string, cidr: string): boolean {
    const address = ipv4Address(ip);
    const range = ipv4Range(cidr);
    return address !== undefined && !!range && range.first <= address && address <= range.last;
}

/** Number of addresses in the range (0 when it is not a canonical CIDR). */
export function cidrSize(cidr: string): number {
    const range = ipv4Range(cidr);
    return range ? range.last - range.first + 1 : 0;
}
