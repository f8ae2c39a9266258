/**
 * IPv4 range arithmetic for the address plan: containment, overlap, size. Parsing (canonical
 * CIDRs, host bits zero) is the network policy's `parseIpv4Cidr`, so both read a CIDR alike.
 */
import { z } from "zod";
import { ALLOWED, parseIpv4Cidr } from "../../network-policy";

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

/**
 * A config field holding a canonical IPv4 CIDR: the host bits must be zero, so a typo such as
 * 10.224.1.0/16 is refused instead of silently meaning 10.224.0.0/16.
 */
export const canonicalCidr = (description: string) =>
    z
        .string()
        .refine((value) => parseIpv4Cidr(value) !== undefined, { error: (issue) => `'${String(issue.input)}' is not allowed (allowed: ${ALLOWED.cidr})` })
        .meta({ description, allowed: ALLOWED.cidr });
