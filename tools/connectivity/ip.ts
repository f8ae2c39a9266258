/**
 * IP addresses, CIDR blocks with exceptions (NetworkPolicy ipBlock, Cilium toCIDRSet), and
 * the split of the IPv4 space into the ranges netpol-analyzer lists as external peers.
 * Addresses are bigints so IPv4 and IPv6 share one code path.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
    readonly family: IpFamily;
    readonly value: bigint;
}

export interface CidrRange {
    readonly family: IpFamily;
    readonly start: bigint;
    readonly end: bigint;
}

/** A CIDR minus its exceptions: ipBlock {cidr, except} or a Cilium CIDRRule. */
export interface IpBlock {
    readonly cidr: CidrRange;
    readonly except: readonly CidrRange[];
}

const ipv4Bits = 32;
const ipv6Bits = 128;

function parseIpv4(text: string): bigint | undefined {
    const parts = text.split(".");
    if (parts.length !== 4) return undefined;
    let value = 0n;
    for (const part of parts) {
        if (!/^\d{1,3}$/.test(part)) return undefined;
        const octet = Number(part);
        if (octet > 255) return undefined;
        value = (value << 8n) | BigInt(octet);
    }
    return value;
}

function parseHextets(text: string): number[] | undefined {
    if (text === "") return [];
    const out: number[] = [];
    const parts = text.split(":");
    for (let i = 0; i < parts.length; i++) {
        const part = parts[i]!;
        // The last group may be an embedded IPv4 address (::ffff:10.0.0.1).
        if (i === parts.length - 1 && part.includes(".")) {
            const v4 = parseIpv4(part);
            if (v4 === undefined) return undefined;
            out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
            out.push(parseInt(part, 16));
        } else {
            return undefined;
        }
    }
    return out;
}

function parseIpv6(text: string): bigint | undefined {
    const halves = text.split("::");
    if (halves.length > 2) return undefined;
    const head = parseHextets(halves[0]!);
    const tail = halves.length === 2 ? parseHextets(halves[1]!) : [];
    if (head === undefined || tail === undefined) return undefined;
    const missing = 8 - head.length - tail.length;
    if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
    let value = 0n;
    for (const group of [...head, ...new Array<number>(missing).fill(0), ...tail]) value = (value << 16n) | BigInt(group);
    return value;
}

export function parseIp(text: string): IpAddress | undefined {
    if (text.includes(":")) {
        const value = parseIpv6(text);
        return value === undefined ? undefined : { family: 6, value };
    }
    const value = parseIpv4(text);
    return value === undefined ? undefined : { family: 4, value };
}

/**
 * "10.0.0.0/8". Host bits are masked off, as Go's net.ParseCIDR (used by Kubernetes and
 * netpol-analyzer) does. A bare address is accepted only when `allowBareAddress` is set
 * (Cilium's CIDR type allows it; NetworkPolicy ipBlock does not).
 */
export function parseCidr(text: string, allowBareAddress = false): CidrRange | undefined {
    const slash = text.indexOf("/");
    const address = parseIp(slash < 0 ? text : text.slice(0, slash));
    if (address === undefined) return undefined;
    const bits = address.family === 4 ? ipv4Bits : ipv6Bits;
    let prefix = bits;
    if (slash >= 0) {
        const prefixText = text.slice(slash + 1);
        if (!/^\d{1,3}$/.test(prefixText)) return undefined;
        prefix = Number(prefixText);
        if (prefix > bits) return undefined;
    } else if (!allowBareAddress) {
        return undefined;
    }
    const hostBits = BigInt(bits - prefix);
    const start = (address.value >> hostBits) << hostBits;
    return { family: address.family, start, end: start + (1n << hostBits) - 1n };
}

export function cidrContains(range: CidrRange, ip: IpAddress): boolean {
    return range.family === ip.family && ip.value >= range.start && ip.value <= range.end;
}

export function blockContains(block: IpBlock, ip: IpAddress): boolean {
    return cidrContains(block.cidr, ip) && !block.except.some((except) => cidrContains(except, ip));
}

export function formatIpv4(value: bigint): string {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
}

/** One external peer of the listing: a contiguous IPv4 range. */
export interface IpRange {
    readonly start: bigint;
    readonly end: bigint;
    /** "first-last", e.g. "10.0.0.0-10.9.255.255". */
    readonly text: string;
}

const ipv4End = (1n << 32n) - 1n;

/** The block as disjoint, non-adjacent [start, end] intervals: cidr minus the union of excepts. */
export function blockIntervals(block: IpBlock): [bigint, bigint][] {
    const excepts = block.except
        .filter((range) => range.family === block.cidr.family)
        .map((range): [bigint, bigint] => [range.start, range.end])
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const out: [bigint, bigint][] = [];
    let next = block.cidr.start;
    for (const [start, end] of excepts) {
        if (start > next) out.push([next, start - 1n]);
        if (end + 1n > next) next = end + 1n;
    }
    if (next <= block.cidr.end) out.push([next, block.cidr.end]);
    return out;
}

/**
 * Splits the IPv4 space the way netpol-analyzer does: each block is read as the set of
 * addresses it admits (cidr minus excepts, so two adjacent excepts leave one gap), and
 * every boundary of every block's set cuts the space. Each resulting range is its own
 * peer; neighbouring ranges are not merged even when they end up with the same
 * connections. IPv6 blocks do not cut.
 */
export function partitionIpv4(blocks: readonly IpBlock[]): IpRange[] {
    const cuts = new Set<bigint>([0n]);
    for (const block of blocks) {
        if (block.cidr.family !== 4) continue;
        for (const [start, end] of blockIntervals(block)) {
            cuts.add(start);
            if (end < ipv4End) cuts.add(end + 1n);
        }
    }
    const starts = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return starts.map((start, index) => {
        const end = index + 1 < starts.length ? starts[index + 1]! - 1n : ipv4End;
        return { start, end, text: `${formatIpv4(start)}-${formatIpv4(end)}` };
    });
}

/** Indices of the partition's ranges that lie inside the block (each range is wholly in or out). */
export function rangesInBlock(partition: readonly IpRange[], block: IpBlock): number[] {
    if (block.cidr.family !== 4) return [];
    let low = 0;
    let high = partition.length;
    while (low < high) {
        const mid = (low + high) >> 1;
        if (partition[mid]!.end < block.cidr.start) low = mid + 1;
        else high = mid;
    }
    const out: number[] = [];
    for (let index = low; index < partition.length && partition[index]!.start <= block.cidr.end; index++) {
        if (blockContains(block, { family: 4, value: partition[index]!.start })) out.push(index);
    }
    return out;
}
