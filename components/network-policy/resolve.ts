/**
 * `resolveNetworkPolicyArgs`: checks a policy's args (the config blocks and what the service's
 * code adds) and decides which rules it has; the egress its endpoints yield (endpoints.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import { ConfigProblem, throwProblems, under } from "../core/problems";
import type { AppIdentity } from "../pod";
import { selectorLabels } from "../pod";
import { deriveEndpointEgress, ServiceEndpoint } from "./endpoints";
import {
    apiServerAddressProblems,
    checkEgressPeer,
    checkInClusterPeer,
    checkLabels,
    checkPorts,
    clusterConfigProblems,
    cniOf,
    EgressPeer,
    InClusterPeer,
    internetExcept,
    Labels,
    NetworkPolicyClusterConfig,
    PeerSelector,
    PortSpec,
    serviceConfigProblems,
    ServiceNetworkPolicyConfig,
} from "./rules";

export interface NetworkPolicyArgs {
    /** The service: labels, the policy's name and, by default, the selected pods. */
    identity: AppIdentity;
    namespace: pulumi.Input<string>;
    /** The pods the policy applies to. @default selectorLabels(identity) */
    podSelector?: Labels;
    cluster: NetworkPolicyClusterConfig;
    service: ServiceNetworkPolicyConfig;
    /** Ports of the pods the ingress controller reaches; none means no ingress from it. @default [] */
    ingressPorts?: PortSpec[];
    /** Ports Prometheus scrapes; none means no scrape ingress. @default [] */
    metricsPorts?: PortSpec[];
    /** In-cluster sources the service's code knows about. @default [] */
    ingressFrom?: InClusterPeer[];
    /** Destinations the service's code knows about, e.g. its database. @default [] */
    egressTo?: EgressPeer[];
    /** The service's URL settings; each yields its egress rule (network-policy/endpoints.ts). @default [] */
    endpoints?: ServiceEndpoint[];
    /** Replaces `{domain}` in endpoint URLs; hosts under it are outside the cluster. */
    platformDomain?: string;
    /** The workload calls the Kubernetes API. @default false */
    apiServer?: boolean;
    /** Config key paths of the two blocks, for error messages. @default { cluster: "networkPolicy", service: "<service>.networkPolicy" } */
    configPaths?: { cluster?: string; service?: string };
}

/**
 * The egress peers of the service's endpoints (network-policy/endpoints.ts), with the cluster's
 * internet and the service's overrides; problems carry their key paths from the stack root.
 */
export function endpointEgress(args: Pick<NetworkPolicyArgs, "cluster" | "service" | "endpoints" | "platformDomain">, servicePath: string) {
    const { cluster, service } = args;
    // A policy that derives nothing (e.g. the backend's migration Job, which shares the block) leaves the overrides to the one that does.
    if (args.endpoints === undefined) return { peers: [], problems: [] };
    return deriveEndpointEgress(args.endpoints, {
        platformDomain: args.platformDomain,
        clusterCidrs: [...cluster.clusterCidrs.pods, ...cluster.clusterCidrs.services],
        internetExcept: internetExcept(cluster),
        internetPorts: service.internet ? cluster.internet.ports : [],
        overrides: service.endpoints ?? {},
        overridesPath: [...servicePath.split("."), "endpoints"],
    });
}

// ---------------------------------------------------------------------------------------------

export interface ResolvedNetworkPolicy {
    enabled: boolean;
    name: string;
    podSelector: Labels;
    ingressController?: { peer: PeerSelector; ports: PortSpec[] };
    monitoring?: { peer: PeerSelector; ports: PortSpec[] };
    ingressFrom: InClusterPeer[];
    dns: { peer: PeerSelector; cidrs: string[] };
    egressTo: InClusterPeer[];
    egressToCidrs: (EgressPeer & { cidr: string })[];
    internet?: { except: string[]; ports: PortSpec[] };
    /** An `ipBlock` rule when `cidrs` is not empty. */
    apiServer?: { cidrs: string[]; ports: PortSpec[] };
    /** On Cilium: a CiliumNetworkPolicy for the `kube-apiserver` entity on these ports. */
    ciliumApiServer?: { ports: number[] };
}

const selectorOf = (peer: PeerSelector): PeerSelector => ({
    ...(peer.namespaceSelector ? { namespaceSelector: peer.namespaceSelector } : {}),
    ...(peer.podSelector ? { podSelector: peer.podSelector } : {}),
});

/** Checks every input and decides which rules the policy has. */
export function resolveNetworkPolicyArgs(args: NetworkPolicyArgs): ResolvedNetworkPolicy {
    const { cluster, service } = args;
    const paths = { cluster: args.configPaths?.cluster ?? "networkPolicy", service: args.configPaths?.service ?? "<service>.networkPolicy" };
    const ingressPorts = args.ingressPorts ?? [];
    const metricsPorts = args.metricsPorts ?? [];
    const ingressFrom = [...(args.ingressFrom ?? []), ...service.extraIngress];
    const derived = endpointEgress(args, paths.service);
    // The code's peers, then the endpoints', then the stack file's extras.
    const egress = [...(args.egressTo ?? []), ...derived.peers, ...service.extraEgress];

    const codeProblems: ConfigProblem[] = [];
    if (args.podSelector) checkLabels(["podSelector"], args.podSelector, codeProblems);
    if (ingressPorts.length) checkPorts(["ingressPorts"], ingressPorts, codeProblems);
    if (metricsPorts.length) checkPorts(["metricsPorts"], metricsPorts, codeProblems);
    (args.ingressFrom ?? []).forEach((peer, i) => checkInClusterPeer(["ingressFrom", i], peer, codeProblems));
    (args.egressTo ?? []).forEach((peer, i) => checkEgressPeer(["egressTo", i], peer, codeProblems));
    throwProblems([
        ...under([paths.cluster], clusterConfigProblems(cluster)),
        ...under([paths.service], serviceConfigProblems(service)),
        ...under(["NetworkPolicyArgs"], codeProblems),
        ...derived.problems,
        ...(args.apiServer ? under([paths.cluster], apiServerAddressProblems(cluster, [args.identity.instance])) : []),
    ]);
    const cilium = cniOf(cluster) === "cilium";

    const tcp = (ports: number[]): PortSpec[] => ports.map((port) => ({ port, protocol: "TCP" }));
    return {
        enabled: cluster.enabled && service.enabled,
        name: args.identity.instance,
        podSelector: args.podSelector ?? selectorLabels(args.identity),
        ...(ingressPorts.length
            ? { ingressController: { peer: selectorOf(service.ingressController ?? cluster.ingressController), ports: ingressPorts } }
            : {}),
        ...(metricsPorts.length ? { monitoring: { peer: selectorOf(cluster.monitoring), ports: metricsPorts } } : {}),
        ingressFrom,
        dns: { peer: selectorOf(cluster.dns), cidrs: cluster.dns.cidrs },
        egressTo: egress.filter((peer) => peer.cidr === undefined),
        egressToCidrs: egress.filter((peer): peer is EgressPeer & { cidr: string } => peer.cidr !== undefined),
        ...(service.internet ? { internet: { except: internetExcept(cluster), ports: tcp(cluster.internet.ports) } } : {}),
        ...(args.apiServer ? { apiServer: { cidrs: cluster.apiServer.cidrs, ports: tcp(cluster.apiServer.ports) } } : {}),
        ...(args.apiServer && cilium ? { ciliumApiServer: { ports: cluster.apiServer.ports } } : {}),
    };
}
