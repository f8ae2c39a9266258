/**
 * listConnections: every permitted (source, destination) pair among the workloads and the
 * external address ranges, as netpol-analyzer's `list` prints it. Built from rows rather
 * than pair by pair: each isolated workload's ingress row (what it accepts from every
 * source) and egress row (what it may send to every destination) are unions over its
 * policies' rules of the precomputed peer matches, so the cost grows with rules times
 * matched peers, and the pair loop only intersects two interned sets.
 */
import { ConnectionSet } from "./connections";
import { partitionIpv4, rangesInBlock, type IpRange } from "./ip";
import type { Peer, Policy, Rule, Workload } from "./model";
import type { Network } from "./network";
import { resolvePorts } from "./ports";
import { workloadKey } from "./workloads";

export type ListedPeer = { readonly workload: Workload } | { readonly ipRange: IpRange };

export interface ConnectionLine {
    /** "namespace/name[Kind]" or "first-last[External]". */
    readonly src: string;
    readonly dst: string;
    /** The connections in netpol-analyzer's txt format ("All Connections", "TCP 80,UDP 53"). */
    readonly conn: string;
    readonly connections: ConnectionSet;
    readonly from: ListedPeer;
    readonly to: ListedPeer;
}

/** Per source or destination: connections by workload index and by external range index. */
interface Row {
    readonly pods: ConnectionSet[];
    readonly external: ConnectionSet[];
}

// Module-level: reading a class static through the CommonJS import is a getter call per access.
const all = ConnectionSet.all;
const none = ConnectionSet.none;

type Direction = "ingress" | "egress";

function add(cells: ConnectionSet[], index: number, ports: ConnectionSet): void {
    cells[index] = cells[index]!.union(ports);
}

/** The external ranges of one direction: ingress ipBlocks split the sources, egress ipBlocks the destinations. */
function partitionFor(net: Network, direction: Direction): { ranges: IpRange[]; ofPeer: Map<Peer, number[]> } {
    const blocks: Peer[] = [];
    for (const policy of net.policies) {
        for (const rule of policy[direction] ?? []) {
            for (const peer of rule.peers) if (peer.type === "ipBlock") blocks.push(peer);
        }
    }
    const ranges = partitionIpv4(blocks.map((peer) => (peer as Extract<Peer, { type: "ipBlock" }>).block));
    const ofPeer = new Map<Peer, number[]>();
    for (const peer of blocks) ofPeer.set(peer, rangesInBlock(ranges, (peer as Extract<Peer, { type: "ipBlock" }>).block));
    return { ranges, ofPeer };
}

class RowBuilder {
    readonly #net: Network;
    readonly #ranges: readonly IpRange[];
    readonly #rangesOfPeer: ReadonlyMap<Peer, number[]>;
    readonly #allRanges: readonly number[];
    readonly #allWorkloads: readonly number[];
    /** Egress ports towards each destination, for rules with named ports (they resolve per destination). */
    readonly #namedCache = new Map<Rule, (ConnectionSet | undefined)[]>();

    constructor(net: Network, partition: { ranges: IpRange[]; ofPeer: Map<Peer, number[]> }) {
        this.#net = net;
        this.#ranges = partition.ranges;
        this.#rangesOfPeer = partition.ofPeer;
        this.#allRanges = partition.ranges.map((_, index) => index);
        this.#allWorkloads = net.workloads.map((_, index) => index);
    }

    #workloadsOf(peer: Peer): readonly number[] {
        if (peer.type === "entity") return peer.entity === "all" || peer.entity === "cluster" ? this.#allWorkloads : [];
        return this.#net.matchedWorkloads(peer);
    }

    /** World is every external range here: the listing's address space is IPv4. */
    #rangesOf(peer: Peer): readonly number[] {
        if (peer.type === "all") return this.#allRanges;
        if (peer.type === "entity") return peer.entity === "all" || peer.entity === "world" || peer.entity === "world-ipv4" ? this.#allRanges : [];
        return this.#rangesOfPeer.get(peer) ?? [];
    }

    #egressPorts(rule: Rule, destination: number): ConnectionSet {
        if (rule.ports.named.length === 0) return rule.ports.numeric;
        let cells = this.#namedCache.get(rule);
        if (cells === undefined) this.#namedCache.set(rule, (cells = []));
        return (cells[destination] ??= resolvePorts(rule.ports, this.#net.targets[destination]!));
    }

    /** The row of workload `self`, or undefined when no policy isolates it in `direction` (all allowed). */
    row(self: number, direction: Direction): Row | undefined {
        const policyIndices = direction === "ingress" ? this.#net.ingressPolicies[self]! : this.#net.egressPolicies[self]!;
        if (policyIndices.length === 0) return undefined;
        // Filled, not holey: reads of a packed array stay on V8's fast path.
        const row: Row = {
            pods: new Array<ConnectionSet>(this.#net.workloads.length).fill(none),
            external: new Array<ConnectionSet>(this.#ranges.length).fill(none),
        };
        for (const policyIndex of policyIndices) {
            const policy: Policy = this.#net.policies[policyIndex]!;
            for (const rule of policy[direction]!) {
                // Ingress ports resolve against this workload (the destination) for every source.
                const ingressPorts = direction === "ingress" ? resolvePorts(rule.ports, this.#net.targets[self]!) : undefined;
                for (const peer of rule.peers) {
                    for (const other of this.#workloadsOf(peer)) add(row.pods, other, ingressPorts ?? this.#egressPorts(rule, other));
                    // Egress named ports never resolve for an address; ingress ones resolve against this workload.
                    for (const range of this.#rangesOf(peer)) add(row.external, range, ingressPorts ?? rule.ports.numeric);
                }
            }
        }
        return row;
    }
}

function byName<T extends { name: string }>(a: T, b: T): number {
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Lines sorted by source then destination name, byte-wise as netpol-analyzer sorts them.
 * Never listed: a workload to itself, a range to a range, a pair with nothing allowed.
 */
export function listConnections(net: Network): ConnectionLine[] {
    const sourceSide = partitionFor(net, "ingress");
    const destinationSide = partitionFor(net, "egress");
    const ingressRows = new RowBuilder(net, sourceSide);
    const egressRows = new RowBuilder(net, destinationSide);
    const inbound = net.workloads.map((_, index) => ingressRows.row(index, "ingress"));

    type Side = { name: string; peer: ListedPeer; workload: number; range: number };
    const workloadSides: Side[] = net.workloads.map((workload, index) => ({ name: workloadKey(workload), peer: { workload }, workload: index, range: -1 }));
    const external = (ranges: readonly IpRange[]): Side[] =>
        ranges.map((ipRange, index) => ({ name: `${ipRange.text}[External]`, peer: { ipRange }, workload: -1, range: index }));
    const sources = [...workloadSides, ...external(sourceSide.ranges)].sort(byName);
    const destinations = [...workloadSides, ...external(destinationSide.ranges)].sort(byName);

    const lines: ConnectionLine[] = [];
    const emit = (source: Side, destination: Side, connections: ConnectionSet): void => {
        if (connections === none) return;
        lines.push({ src: source.name, dst: destination.name, conn: connections.toString(), connections, from: source.peer, to: destination.peer });
    };
    for (const source of sources) {
        if (source.workload < 0) {
            // An external range reaches a workload as far as the workload's ingress allows.
            for (const destination of destinations) {
                if (destination.workload < 0) continue;
                const row = inbound[destination.workload];
                emit(source, destination, row === undefined ? all : row.external[source.range]!);
            }
            continue;
        }
        const outbound = egressRows.row(source.workload, "egress");
        for (const destination of destinations) {
            if (destination.workload < 0) {
                emit(source, destination, outbound === undefined ? all : outbound.external[destination.range]!);
                continue;
            }
            if (destination.workload === source.workload) continue;
            const egress = outbound === undefined ? all : outbound.pods[destination.workload]!;
            if (egress === none) continue;
            const row = inbound[destination.workload];
            emit(source, destination, row === undefined ? egress : egress.intersect(row.pods[source.workload]!));
        }
    }
    return lines;
}
