/**
 * What one endpoint may send to another. A connection needs egress allowed at the source
 * AND ingress allowed at the destination; in each direction a pod no policy isolates
 * allows everything, and an isolated pod allows the union of its policies' rules
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation).
 * Only the network's policies apply: an endpoint they do not select allows everything.
 */
import { ConnectionSet } from "./connections";
import { parseIp } from "./ip";
import { peerMatches, type Endpoint, type Policy, type Target } from "./model";
import type { Network, PodTarget } from "./network";
import { resolvePorts } from "./ports";
import { namespaceNameLabel } from "./workloads";

interface Resolved {
    /** The pod the endpoint stands for, when it is one (policies select pods only). */
    readonly pod?: PodTarget;
    /** Its index among the network's workloads, when it is one of them. */
    readonly index?: number;
    /** What peers are matched against; several for an API server with several addresses. */
    readonly targets: readonly Target[];
}

function parseAddress(text: string): Target {
    const ip = parseIp(text);
    if (ip === undefined) throw new Error(`not an IP address: ${JSON.stringify(text)}`);
    return { type: "ip", ip };
}

function resolve(net: Network, endpoint: Endpoint): Resolved {
    if ("workload" in endpoint) {
        const index = net.indexOf(endpoint.workload);
        const w = endpoint.workload;
        const pod: PodTarget =
            index !== undefined
                ? net.targets[index]!
                : { type: "pod", namespace: w.namespace, labels: w.podLabels, namespaceLabels: net.namespaceLabels(w.namespace), ports: w.ports };
        return { pod, targets: [pod], ...(index === undefined ? {} : { index }) };
    }
    if ("pod" in endpoint) {
        const p = endpoint.pod;
        const namespaceLabels =
            p.namespaceLabels === undefined ? net.namespaceLabels(p.namespace) : { ...p.namespaceLabels, [namespaceNameLabel]: p.namespace };
        const pod: PodTarget = { type: "pod", namespace: p.namespace, labels: p.labels, namespaceLabels, ports: p.ports ?? [] };
        return { pod, targets: [pod] };
    }
    if ("ip" in endpoint) return { targets: [parseAddress(endpoint.ip)] };
    // On Cilium the API server is the kube-apiserver identity, whatever its addresses; CIDR
    // rules do not select it (cilium/cilium#20550, #33525). Elsewhere it is its addresses,
    // and a connection must be allowed to each of them. No known address: no CIDR names it.
    if (net.cni === "cilium") return { targets: [{ type: "apiServer" }] };
    const ips = endpoint.apiServer.ips;
    return { targets: ips.length === 0 ? [{ type: "ip" }] : ips.map(parseAddress) };
}

/** The policies isolating the endpoint in a direction (none for anything but a pod). */
function isolatingPolicies(net: Network, endpoint: Resolved, direction: "ingress" | "egress"): readonly Policy[] {
    if (endpoint.pod === undefined) return [];
    if (endpoint.index !== undefined) {
        const indices = direction === "ingress" ? net.ingressPolicies[endpoint.index]! : net.egressPolicies[endpoint.index]!;
        return indices.map((index) => net.policies[index]!);
    }
    const pod = endpoint.pod;
    return net.policies.filter((policy) => policy[direction] !== undefined && peerMatches(policy.subject, pod));
}

/** Union of the ports of the rules whose peers match `peer`; named ports resolve against `destination`. */
function allowedByRules(policies: readonly Policy[], direction: "ingress" | "egress", peer: Target, destination: Target): ConnectionSet {
    let allowed = ConnectionSet.none;
    for (const policy of policies) {
        for (const rule of policy[direction] ?? []) {
            if (rule.peers.some((candidate) => peerMatches(candidate, peer))) allowed = allowed.union(resolvePorts(rule.ports, destination));
        }
    }
    return allowed;
}

function intersectAll(sets: readonly ConnectionSet[]): ConnectionSet {
    return sets.reduce((result, set) => result.intersect(set), ConnectionSet.all);
}

/** What the source's egress policies let it send to `to`. */
export function egressAllowed(net: Network, from: Endpoint, to: Endpoint): ConnectionSet {
    const source = resolve(net, from);
    const policies = isolatingPolicies(net, source, "egress");
    if (policies.length === 0) return ConnectionSet.all;
    return intersectAll(resolve(net, to).targets.map((target) => allowedByRules(policies, "egress", target, target)));
}

/** What the destination's ingress policies let it receive from `from`. */
export function ingressAllowed(net: Network, from: Endpoint, to: Endpoint): ConnectionSet {
    const destination = resolve(net, to);
    const policies = isolatingPolicies(net, destination, "ingress");
    if (policies.length === 0) return ConnectionSet.all;
    const portTarget = destination.targets[0]!;
    return intersectAll(resolve(net, from).targets.map((target) => allowedByRules(policies, "ingress", target, portTarget)));
}

/** Egress at `from` AND ingress at `to`. */
export function allowedConnections(net: Network, from: Endpoint, to: Endpoint): ConnectionSet {
    return egressAllowed(net, from, to).intersect(ingressAllowed(net, from, to));
}
