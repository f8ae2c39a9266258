/** Pure builders: the NetworkPolicy spec and its rules, and the CiliumNetworkPolicy for API-server egress. */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { apiServerPolicyName, buildApiServerCiliumPolicySpec, CILIUM_API_VERSION, CILIUM_POLICY_KIND } from "./cilium";
import type { ResolvedNetworkPolicy } from "./resolve";
import { DNS_PORT, INTERNET_CIDR, Labels, PeerSelector, PortSpec } from "./rules";

type IngressRule = k8s.types.input.networking.v1.NetworkPolicyIngressRule;
type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Port = k8s.types.input.networking.v1.NetworkPolicyPort;

export function buildPorts(ports: PortSpec[]): Port[] {
    return ports.map((p) => ({ protocol: p.protocol ?? "TCP", port: p.port, ...(p.endPort !== undefined ? { endPort: p.endPort } : {}) }));
}

/** One peer with both selectors, so they combine as AND (pods of those namespaces). */
export function buildSelectorPeer(peer: PeerSelector): Peer {
    return {
        ...(peer.namespaceSelector ? { namespaceSelector: { matchLabels: peer.namespaceSelector } } : {}),
        ...(peer.podSelector ? { podSelector: { matchLabels: peer.podSelector } } : {}),
    };
}

export function buildIpBlockPeer(cidr: string, except: string[] = []): Peer {
    return { ipBlock: { cidr, ...(except.length ? { except } : {}) } };
}

/** DNS over UDP, and over TCP for answers too large for UDP. */
export function buildDnsEgressRule(dns: ResolvedNetworkPolicy["dns"]): EgressRule {
    return {
        to: [buildSelectorPeer(dns.peer), ...dns.cidrs.map((cidr) => buildIpBlockPeer(cidr))],
        ports: buildPorts([
            { port: DNS_PORT, protocol: "UDP" },
            { port: DNS_PORT, protocol: "TCP" },
        ]),
    };
}

export function buildInternetEgressRule(internet: NonNullable<ResolvedNetworkPolicy["internet"]>): EgressRule {
    return { to: [buildIpBlockPeer(INTERNET_CIDR, internet.except)], ports: buildPorts(internet.ports) };
}

export function buildIngressRules(resolved: ResolvedNetworkPolicy): IngressRule[] {
    const sources = [
        ...(resolved.ingressController ? [{ peer: resolved.ingressController.peer, ports: resolved.ingressController.ports }] : []),
        ...(resolved.monitoring ? [{ peer: resolved.monitoring.peer, ports: resolved.monitoring.ports }] : []),
        ...resolved.ingressFrom.map((peer) => ({ peer, ports: peer.ports })),
    ];
    return sources.map((source) => ({ from: [buildSelectorPeer(source.peer)], ports: buildPorts(source.ports) }));
}

/** Every egress rule, each once (a peer from the code, an endpoint and the stack file may coincide), in a fixed order. */
export function buildEgressRules(resolved: ResolvedNetworkPolicy): EgressRule[] {
    const rules: EgressRule[] = [
        buildDnsEgressRule(resolved.dns),
        ...resolved.egressTo.map((peer) => ({ to: [buildSelectorPeer(peer)], ports: buildPorts(peer.ports) })),
        ...resolved.egressToCidrs.map((peer) => ({ to: [buildIpBlockPeer(peer.cidr, peer.except)], ports: buildPorts(peer.ports) })),
        ...(resolved.internet ? [buildInternetEgressRule(resolved.internet)] : []),
        ...(resolved.apiServer && resolved.apiServer.cidrs.length > 0
            ? [{ to: resolved.apiServer.cidrs.map((cidr) => buildIpBlockPeer(cidr)), ports: buildPorts(resolved.apiServer.ports) }]
            : []),
    ];
    const seen = new Set<string>();
    return rules.filter((rule) => {
        const key = JSON.stringify(rule);
        return seen.has(key) ? false : (seen.add(key), true);
    });
}

/** The CiliumNetworkPolicy object for API-server egress of the pods `podSelector` selects, or undefined when none is needed. */
export function buildApiServerCiliumPolicy(
    resolved: ResolvedNetworkPolicy,
    metadata: { namespace: pulumi.Input<string>; labels: Labels },
    podSelector: k8s.types.input.meta.v1.LabelSelector = { matchLabels: resolved.podSelector },
) {
    if (!resolved.ciliumApiServer) return undefined;
    return {
        apiVersion: CILIUM_API_VERSION,
        kind: CILIUM_POLICY_KIND,
        metadata: { name: apiServerPolicyName(resolved.name), ...metadata },
        spec: buildApiServerCiliumPolicySpec(podSelector, resolved.ciliumApiServer.ports),
    };
}

/** Both policy types are always listed, so whatever no rule allows is denied. */
export function buildNetworkPolicySpec(resolved: ResolvedNetworkPolicy): k8s.types.input.networking.v1.NetworkPolicySpec {
    return {
        podSelector: { matchLabels: resolved.podSelector },
        policyTypes: ["Ingress", "Egress"],
        ingress: buildIngressRules(resolved),
        egress: buildEgressRules(resolved),
    };
}
