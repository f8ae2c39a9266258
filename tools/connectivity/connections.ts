/**
 * ConnectionSet: which protocols and ports a connection may use, as sorted disjoint port
 * intervals per protocol. Sets are immutable and interned (one object per distinct value),
 * so the evaluator can memoise union and intersection by object id: a listing over a
 * thousand workloads combines the same few sets a million times.
 */

export type Protocol = "TCP" | "UDP" | "SCTP";

/** Alphabetical, the order netpol-analyzer prints the protocol groups in. */
export const protocols: readonly Protocol[] = ["SCTP", "TCP", "UDP"];

export const minPort = 1;
export const maxPort = 65535;

/** Flattened inclusive intervals [lo0, hi0, lo1, hi1, ...], sorted, disjoint, not adjacent. */
type Intervals = readonly number[];

const fullRange: Intervals = [minPort, maxPort];
const emptyRange: Intervals = [];

function mergeIntervals(a: Intervals, b: Intervals): Intervals {
    if (a.length === 0) return b;
    if (b.length === 0) return a;
    const pairs: [number, number][] = [];
    for (let i = 0; i < a.length; i += 2) pairs.push([a[i]!, a[i + 1]!]);
    for (let i = 0; i < b.length; i += 2) pairs.push([b[i]!, b[i + 1]!]);
    return normalise(pairs);
}

/** Sorts and coalesces overlapping or adjacent intervals (8081 and 8082 become 8081-8082). */
function normalise(pairs: [number, number][]): Intervals {
    pairs.sort((x, y) => x[0] - y[0]);
    const out: number[] = [];
    for (const [lo, hi] of pairs) {
        const last = out.length - 1;
        if (last > 0 && lo <= out[last]! + 1) {
            out[last] = Math.max(out[last]!, hi);
        } else {
            out.push(lo, hi);
        }
    }
    return out;
}

function intersectIntervals(a: Intervals, b: Intervals): Intervals {
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
        const lo = Math.max(a[i]!, b[j]!);
        const hi = Math.min(a[i + 1]!, b[j + 1]!);
        if (lo <= hi) out.push(lo, hi);
        if (a[i + 1]! < b[j + 1]!) i += 2;
        else j += 2;
    }
    return out;
}

function formatIntervals(intervals: Intervals): string {
    const parts: string[] = [];
    for (let i = 0; i < intervals.length; i += 2) {
        const lo = intervals[i]!;
        const hi = intervals[i + 1]!;
        parts.push(lo === hi ? String(lo) : `${lo}-${hi}`);
    }
    return parts.join(",");
}

function isFull(intervals: Intervals): boolean {
    return intervals.length === 2 && intervals[0] === minPort && intervals[1] === maxPort;
}

const interned = new Map<string, ConnectionSet>();
const unionMemo = new Map<number, ConnectionSet>();
const intersectMemo = new Map<number, ConnectionSet>();
// Ids stay below 2^26, so a pair of ids is one exact double key.
const idSpan = 2 ** 26;

export class ConnectionSet {
    readonly #byProtocol: Readonly<Record<Protocol, Intervals>>;
    readonly #text: string;
    /** Unique per distinct value; two sets are equal exactly when they are the same object. */
    readonly id: number;

    private constructor(byProtocol: Record<Protocol, Intervals>, text: string, id: number) {
        this.#byProtocol = byProtocol;
        this.#text = text;
        this.id = id;
    }

    /** Interns a value; the intervals must already be normalised. */
    private static of(byProtocol: Partial<Record<Protocol, Intervals>>): ConnectionSet {
        const value: Record<Protocol, Intervals> = {
            SCTP: byProtocol.SCTP ?? emptyRange,
            TCP: byProtocol.TCP ?? emptyRange,
            UDP: byProtocol.UDP ?? emptyRange,
        };
        const text = describe(value);
        let set = interned.get(text);
        if (set === undefined) {
            set = new ConnectionSet(value, text, interned.size);
            if (set.id >= idSpan) throw new Error("too many distinct connection sets");
            interned.set(text, set);
        }
        return set;
    }

    /** Every protocol, every port. */
    static readonly all: ConnectionSet = ConnectionSet.of({ SCTP: fullRange, TCP: fullRange, UDP: fullRange });
    static readonly none: ConnectionSet = ConnectionSet.of({});

    /** Ports `from`..`to` (inclusive) of one protocol; `to` defaults to `from`. */
    static ports(protocol: Protocol, from: number, to: number = from): ConnectionSet {
        const lo = Math.max(minPort, from);
        const hi = Math.min(maxPort, to);
        return lo > hi ? ConnectionSet.none : ConnectionSet.of({ [protocol]: [lo, hi] });
    }

    /** Every port of one protocol. */
    static protocol(protocol: Protocol): ConnectionSet {
        return ConnectionSet.of({ [protocol]: fullRange });
    }

    /** A set built from arbitrary (protocol, from, to) ranges, clipped to ports 1-65535. */
    static fromRanges(ranges: readonly { protocol: Protocol; from: number; to: number }[]): ConnectionSet {
        const byProtocol: Record<Protocol, [number, number][]> = { SCTP: [], TCP: [], UDP: [] };
        for (const range of ranges) {
            const lo = Math.max(minPort, range.from);
            const hi = Math.min(maxPort, range.to);
            if (lo <= hi) byProtocol[range.protocol].push([lo, hi]);
        }
        return ConnectionSet.of({ SCTP: normalise(byProtocol.SCTP), TCP: normalise(byProtocol.TCP), UDP: normalise(byProtocol.UDP) });
    }

    allows(protocol: Protocol, port: number): boolean {
        const intervals = this.#byProtocol[protocol];
        for (let i = 0; i < intervals.length; i += 2) {
            if (port >= intervals[i]! && port <= intervals[i + 1]!) return true;
        }
        return false;
    }

    isEmpty(): boolean {
        return this === ConnectionSet.none;
    }

    isAll(): boolean {
        return this === ConnectionSet.all;
    }

    /** The allowed ports of one protocol as inclusive [from, to] ranges. */
    portRanges(protocol: Protocol): [number, number][] {
        const intervals = this.#byProtocol[protocol];
        const out: [number, number][] = [];
        for (let i = 0; i < intervals.length; i += 2) out.push([intervals[i]!, intervals[i + 1]!]);
        return out;
    }

    union(other: ConnectionSet): ConnectionSet {
        if (this === other || other === ConnectionSet.none || this === ConnectionSet.all) return this;
        if (this === ConnectionSet.none || other === ConnectionSet.all) return other;
        const key = this.id < other.id ? this.id * idSpan + other.id : other.id * idSpan + this.id;
        let result = unionMemo.get(key);
        if (result === undefined) {
            result = ConnectionSet.of({
                SCTP: mergeIntervals(this.#byProtocol.SCTP, other.#byProtocol.SCTP),
                TCP: mergeIntervals(this.#byProtocol.TCP, other.#byProtocol.TCP),
                UDP: mergeIntervals(this.#byProtocol.UDP, other.#byProtocol.UDP),
            });
            unionMemo.set(key, result);
        }
        return result;
    }

    intersect(other: ConnectionSet): ConnectionSet {
        if (this === other || other === ConnectionSet.all || this === ConnectionSet.none) return this;
        if (this === ConnectionSet.all || other === ConnectionSet.none) return other;
        const key = this.id < other.id ? this.id * idSpan + other.id : other.id * idSpan + this.id;
        let result = intersectMemo.get(key);
        if (result === undefined) {
            result = ConnectionSet.of({
                SCTP: intersectIntervals(this.#byProtocol.SCTP, other.#byProtocol.SCTP),
                TCP: intersectIntervals(this.#byProtocol.TCP, other.#byProtocol.TCP),
                UDP: intersectIntervals(this.#byProtocol.UDP, other.#byProtocol.UDP),
            });
            intersectMemo.set(key, result);
        }
        return result;
    }

    equals(other: ConnectionSet): boolean {
        return this === other;
    }

    /**
     * netpol-analyzer's txt connection format: "All Connections", "No Connections", or
     * protocol groups in alphabetical order with ascending, merged ports: "TCP 80,443,UDP 53".
     */
    toString(): string {
        return this.#text;
    }
}

function describe(value: Record<Protocol, Intervals>): string {
    if (protocols.every((protocol) => isFull(value[protocol]))) return "All Connections";
    const groups = protocols.filter((protocol) => value[protocol].length > 0).map((protocol) => `${protocol} ${formatIntervals(value[protocol])}`);
    return groups.length === 0 ? "No Connections" : groups.join(",");
}

/** Union of many sets (none when empty). */
export function unionAll(sets: Iterable<ConnectionSet>): ConnectionSet {
    let result = ConnectionSet.none;
    for (const set of sets) result = result.union(set);
    return result;
}
