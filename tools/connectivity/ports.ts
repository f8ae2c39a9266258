/** Port specs of policy rules, and their resolution against a destination's container ports. */
import { ConnectionSet, maxPort, minPort, type Protocol } from "./connections";
import type { NamedPort, PortSpec, Target } from "./model";
import { PolicyError } from "./selectors";

export const allPorts: PortSpec = { numeric: ConnectionSet.all, named: [] };

/** One port entry of a rule, already read from its manifest field. */
export interface PortEntry {
    readonly protocols: readonly Protocol[];
    /** Undefined: every port of the protocols. */
    readonly port?: number | string;
    readonly endPort?: number;
}

function checkPortNumber(value: number, where: string): void {
    if (!Number.isInteger(value) || value < minPort || value > maxPort) throw new PolicyError(`${where} must be a port number 1-65535 (got ${value})`);
}

/** A numeric string is read as its number: "8080" is port 8080, not a port named "8080". */
export function portValue(raw: unknown, where: string): number | string | undefined {
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw === "number") return raw;
    if (typeof raw === "string") return /^\d+$/.test(raw) ? Number(raw) : raw;
    throw new PolicyError(`${where} must be a number or a port name`);
}

export function buildPortSpec(entries: readonly PortEntry[], where: string): PortSpec {
    const ranges: { protocol: Protocol; from: number; to: number }[] = [];
    const named: NamedPort[] = [];
    entries.forEach((entry, index) => {
        const at = `${where}[${index}]`;
        if (entry.port === undefined) {
            for (const protocol of entry.protocols) ranges.push({ protocol, from: minPort, to: maxPort });
        } else if (typeof entry.port === "number") {
            checkPortNumber(entry.port, `${at}.port`);
            const to = entry.endPort ?? entry.port;
            checkPortNumber(to, `${at}.endPort`);
            if (to < entry.port) throw new PolicyError(`${at}.endPort ${to} is below port ${entry.port}`);
            for (const protocol of entry.protocols) ranges.push({ protocol, from: entry.port, to });
        } else {
            // The API server rejects endPort with a named port.
            if (entry.endPort !== undefined) throw new PolicyError(`${at}.endPort needs a numeric port (got ${JSON.stringify(entry.port)})`);
            named.push({ name: entry.port, protocols: entry.protocols });
        }
    });
    return { numeric: ConnectionSet.fromRanges(ranges), named };
}

/**
 * The ports a rule allows towards `target`: its numeric ports plus its named ports that the
 * destination pod declares with the same protocol. A name with no such port allows nothing,
 * and a name never resolves for an address outside the pod network.
 */
export function resolvePorts(spec: PortSpec, target: Target): ConnectionSet {
    if (spec.named.length === 0 || target.type !== "pod") return spec.numeric;
    const ranges: { protocol: Protocol; from: number; to: number }[] = [];
    for (const named of spec.named) {
        for (const port of target.ports) {
            if (port.name === named.name && named.protocols.includes(port.protocol)) {
                ranges.push({ protocol: port.protocol, from: port.containerPort, to: port.containerPort });
            }
        }
    }
    return ranges.length === 0 ? spec.numeric : spec.numeric.union(ConnectionSet.fromRanges(ranges));
}
