/**
 * NetworkPolicy: one policy per service, default deny in both directions, then only what the
 * service needs:
 * - ingress from the ingress controller's pods on the service's ports, from Prometheus on its
 *   metrics ports, and from further in-cluster peers;
 * - egress to cluster DNS on UDP and TCP 53 (TCP for truncated answers), to every endpoint the
 *   service is configured with (its URL settings, derived by network-policy/endpoints.ts), to
 *   in-cluster peers and CIDRs on given ports, to the internet on HTTPS, and to the API server
 *   where a workload needs it: an `ipBlock`, or on Cilium a CiliumNetworkPolicy for the
 *   `kube-apiserver` entity (network-policy/cilium.ts).
 * The internet is an `ipBlock` of 0.0.0.0/0 minus private, link-local, CGNAT and cluster
 * ranges. `namespaceSelector: {}` would match every pod of the cluster, never an outside
 * address, and would also open every in-cluster port it names.
 *
 * Settings come in two parts: cluster facts set once per stack (`NetworkPolicyClusterConfig`)
 * and per-service choices (`ServiceNetworkPolicyConfig`); what only the code knows (ports, a
 * database peer, API server use) comes as args.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppIdentity, objectLabels, selectorLabels } from "../pod";
import { apiServerPolicyName, buildApiServerCiliumPolicySpec, CILIUM_API_VERSION, CILIUM_POLICY_KIND, Cni } from "./cilium";
import { deriveEndpointEgress, EndpointOverride, ServiceEndpoint } from "./endpoints";

export type { Cni } from "./cilium";
export type { EndpointOverride, ServiceEndpoint } from "./endpoints";

export type Labels = Record<string, string>;
export type Protocol = "TCP" | "UDP" | "SCTP";

/** A port of the peer (egress) or of the selected pods (ingress); names refer to container ports. */
export interface PortSpec {
    port: number | string;
    /** @default "TCP" */
    protocol?: Protocol;
    /** Last port of a range starting at `port` (numeric ports only). */
    endPort?: number;
}

/** Pods chosen by labels; both selectors together mean "these pods in those namespaces". */
export interface PeerSelector {
    /** Namespaces by label, e.g. `{ "kubernetes.io/metadata.name": "monitoring" }`. */
    namespaceSelector?: Labels;
    /** Pods by label; alone, pods in the policy's own namespace. */
    podSelector?: Labels;
}

export interface InClusterPeer extends PeerSelector {
    ports: PortSpec[];
}

/** An egress peer: in-cluster pods by selectors, or addresses by `cidr` (never both). */
export interface EgressPeer extends InClusterPeer {
    /** IPv4 CIDR, e.g. `10.1.2.0/24` for a managed database. */
    cidr?: string;
    /** Ranges inside `cidr` to leave out. */
    except?: string[];
}

/** Cluster facts, set once per stack. */
export interface NetworkPolicyClusterConfig {
    /** Master switch for every service. */
    enabled: boolean;
    /** Where the ingress controller's pods run. */
    ingressController: PeerSelector;
    /** Where Prometheus runs (scrapes the metrics ports). */
    monitoring: PeerSelector;
    /** Cluster DNS pods, plus addresses such as a NodeLocal DNSCache (`169.254.20.10/32`). */
    dns: PeerSelector & { cidrs: string[] };
    /** Pod and Service ranges, excluded from the internet. */
    clusterCidrs: { pods: string[]; services: string[] };
    /** Internet egress: ports and further ranges to exclude. */
    internet: { ports: number[]; except: string[] };
    /** The API server's endpoint addresses and ports, for workloads that call it. */
    apiServer: { cidrs: string[]; ports: number[] };
    /** The network plugin: `cilium` reaches the API server through a CiliumNetworkPolicy. @default "generic" (the stack fills in its target's, see `clusterCni`) */
    cni?: Cni;
}

/** One service's choices. */
export interface ServiceNetworkPolicyConfig {
    /** Create the policy for this service (and the cluster switch is on). */
    enabled: boolean;
    /** Overrides the cluster's ingress controller, for a service behind another controller. */
    ingressController?: PeerSelector;
    /** Allow egress to the internet on the cluster's internet ports. */
    internet: boolean;
    /** Further sources allowed in. */
    extraIngress: InClusterPeer[];
    /** Further destinations allowed out. */
    extraEgress: EgressPeer[];
    /** What the stack file says about the service's endpoints, by setting name (`targetPort`, ...). @default {} */
    endpoints?: Record<string, EndpointOverride>;
}

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

/** Not the internet: RFC 1918, link-local (cloud metadata at 169.254.169.254) and CGNAT. */
export const PRIVATE_RANGES: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"];
export const INTERNET_CIDR = "0.0.0.0/0";
export const DNS_PORT = 53;

// ---------------------------------------------------------------------------------------------
// Value rules, shared with the config schema (components/schema/network-policy.ts).

interface Ipv4Cidr {
    base: number;
    prefix: number;
}

const OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
const CIDR_PATTERN = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/([0-9]|[12][0-9]|3[0-2])$`);
const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** A canonical IPv4 CIDR (host bits zero, so a typo like 10.244.1.0/16 is caught), or undefined. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
    const match = CIDR_PATTERN.exec(text);
    if (!match) return undefined;
    const base = match.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
    const prefix = Number(match[5]);
    return ((base & maskOf(prefix)) >>> 0) === base ? { base, prefix } : undefined;
}

/** True when `inner` lies inside `outer` and is smaller, as an `except` must. */
export function strictlyInside(inner: string, outer: string): boolean {
    const a = parseIpv4Cidr(inner);
    const b = parseIpv4Cidr(outer);
    return !!a && !!b && a.prefix > b.prefix && ((a.base & maskOf(b.prefix)) >>> 0) === b.base;
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

export const ALLOWED = {
    cidr: "an IPv4 CIDR with the host bits zero, e.g. 10.244.0.0/16",
    labels: "a non-empty map of Kubernetes label keys to values",
    port: "a port number from 1 to 65535 or a container port name",
} as const;

export interface ConfigProblem {
    path: (string | number)[];
    message: string;
}

type Path = (string | number)[];

function checkCidr(path: Path, cidr: string, problems: ConfigProblem[]): void {
    if (!parseIpv4Cidr(cidr)) problems.push({ path, message: `'${cidr}' is not allowed (allowed: ${ALLOWED.cidr})` });
}

function isLabelKey(key: string): boolean {
    const slash = key.lastIndexOf("/");
    const name = slash < 0 ? key : key.slice(slash + 1);
    return LABEL_NAME.test(name) && (slash < 0 || LABEL_PREFIX.test(key.slice(0, slash)));
}

function checkLabels(path: Path, labels: Labels, problems: ConfigProblem[]): void {
    const entries = Object.entries(labels);
    // An empty selector matches every namespace (or pod): never what a named peer means.
    if (entries.length === 0) problems.push({ path, message: `must name at least one label; an empty selector matches everything (allowed: ${ALLOWED.labels})` });
    for (const [key, value] of entries) {
        if (!isLabelKey(key)) problems.push({ path: [...path, key], message: "is not a valid label key" });
        else if (value !== "" && !LABEL_NAME.test(value)) problems.push({ path: [...path, key], message: `'${value}' is not a valid label value` });
    }
}

function checkPorts(path: Path, ports: PortSpec[], problems: ConfigProblem[]): void {
    if (ports.length === 0) problems.push({ path, message: "must list at least one port (an empty list would allow every port)" });
    ports.forEach((p, i) => {
        const at = [...path, i];
        if (typeof p.port === "number" ? !Number.isInteger(p.port) || p.port < 1 || p.port > 65535 : !PORT_NAME.test(p.port)) {
            problems.push({ path: [...at, "port"], message: `'${p.port}' is not allowed (allowed: ${ALLOWED.port})` });
        }
        if (p.endPort !== undefined && (typeof p.port !== "number" || !Number.isInteger(p.endPort) || p.endPort < p.port || p.endPort > 65535)) {
            problems.push({ path: [...at, "endPort"], message: "must be a port number not below `port`, which must be a number" });
        }
    });
}

function checkPeer(path: Path, peer: PeerSelector, problems: ConfigProblem[]): void {
    if (!peer.namespaceSelector && !peer.podSelector) problems.push({ path, message: "needs `namespaceSelector`, `podSelector` or both" });
    if (peer.namespaceSelector) checkLabels([...path, "namespaceSelector"], peer.namespaceSelector, problems);
    if (peer.podSelector) checkLabels([...path, "podSelector"], peer.podSelector, problems);
}

function checkInClusterPeer(path: Path, peer: InClusterPeer, problems: ConfigProblem[]): void {
    checkPeer(path, peer, problems);
    checkPorts([...path, "ports"], peer.ports, problems);
}

function checkEgressPeer(path: Path, peer: EgressPeer, problems: ConfigProblem[]): void {
    if (peer.cidr === undefined) {
        if (peer.except) problems.push({ path: [...path, "except"], message: "is only used with `cidr`" });
        checkInClusterPeer(path, peer, problems);
        return;
    }
    if (peer.namespaceSelector || peer.podSelector) {
        problems.push({ path, message: "set either `cidr` or `namespaceSelector`/`podSelector`, not both" });
    }
    checkCidr([...path, "cidr"], peer.cidr, problems);
    (peer.except ?? []).forEach((except, i) => {
        const at = [...path, "except", i];
        if (!parseIpv4Cidr(except)) checkCidr(at, except, problems);
        else if (parseIpv4Cidr(peer.cidr!) && !strictlyInside(except, peer.cidr!)) {
            problems.push({ path: at, message: `'${except}' must lie inside ${peer.cidr} and be smaller` });
        }
    });
    checkPorts([...path, "ports"], peer.ports, problems);
}

/** Every value rule of the cluster block; paths relative to the block. */
export function clusterConfigProblems(cluster: NetworkPolicyClusterConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    checkPeer(["ingressController"], cluster.ingressController, problems);
    checkPeer(["monitoring"], cluster.monitoring, problems);
    checkPeer(["dns"], cluster.dns, problems);
    cluster.dns.cidrs.forEach((cidr, i) => checkCidr(["dns", "cidrs", i], cidr, problems));
    // Excluded from 0.0.0.0/0, so each must be smaller than it.
    const excluded: [Path, string][] = [
        ...cluster.clusterCidrs.pods.map((c, i): [Path, string] => [["clusterCidrs", "pods", i], c]),
        ...cluster.clusterCidrs.services.map((c, i): [Path, string] => [["clusterCidrs", "services", i], c]),
        ...cluster.internet.except.map((c, i): [Path, string] => [["internet", "except", i], c]),
    ];
    for (const [path, cidr] of excluded) {
        if (!parseIpv4Cidr(cidr)) checkCidr(path, cidr, problems);
        else if (!strictlyInside(cidr, INTERNET_CIDR)) problems.push({ path, message: `'${cidr}' would exclude the whole internet` });
    }
    checkPorts(["internet", "ports"], cluster.internet.ports.map((port) => ({ port })), problems);
    cluster.apiServer.cidrs.forEach((cidr, i) => checkCidr(["apiServer", "cidrs", i], cidr, problems));
    checkPorts(["apiServer", "ports"], cluster.apiServer.ports.map((port) => ({ port })), problems);
    return problems;
}

/** Every value rule of a service block; paths relative to the block. */
export function serviceConfigProblems(service: ServiceNetworkPolicyConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    if (service.ingressController) checkPeer(["ingressController"], service.ingressController, problems);
    service.extraIngress.forEach((peer, i) => checkInClusterPeer(["extraIngress", i], peer, problems));
    service.extraEgress.forEach((peer, i) => checkEgressPeer(["extraEgress", i], peer, problems));
    for (const [name, override] of Object.entries(service.endpoints ?? {})) {
        const at = ["endpoints", name];
        const port = override.targetPort;
        if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
            problems.push({ path: [...at, "targetPort"], message: `'${port}' is not allowed (allowed: a port number from 1 to 65535)` });
        }
        if (override.podSelector) checkLabels([...at, "podSelector"], override.podSelector, problems);
        if (override.cidr !== undefined) checkCidr([...at, "cidr"], override.cidr, problems);
        if (override.podSelector && (override.cidr !== undefined || override.outsideCluster)) {
            problems.push({ path: [...at, "podSelector"], message: "is for a destination in the cluster; `cidr` and `outsideCluster` are for one outside it (allowed: one of the two)" });
        }
    }
    return problems;
}

/** The internet rule's exclusions: private, link-local, CGNAT, the cluster's ranges and `internet.except`. */
export function internetExcept(cluster: NetworkPolicyClusterConfig): string[] {
    return [...new Set([...PRIVATE_RANGES, ...cluster.clusterCidrs.pods, ...cluster.clusterCidrs.services, ...cluster.internet.except])];
}

/** The cluster's network plugin; unset means generic (the stack fills in its target's default). */
export const cniOf = (cluster: NetworkPolicyClusterConfig): Cni => cluster.cni ?? "generic";

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

function formatPath(prefix: string, path: Path): string {
    return path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}.${part}`), prefix);
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
    const messages = [
        ...clusterConfigProblems(cluster).map((p) => `${formatPath(paths.cluster, p.path)}: ${p.message}`),
        ...serviceConfigProblems(service).map((p) => `${formatPath(paths.service, p.path)}: ${p.message}`),
        ...codeProblems.map((p) => `${formatPath("NetworkPolicyArgs", p.path)}: ${p.message}`),
        ...derived.problems.map((p) => `${formatPath(String(p.path[0]), p.path.slice(1))}: ${p.message}`),
    ];
    const cilium = cniOf(cluster) === "cilium";
    // On Cilium the API server is reached through its entity; addresses are only needed elsewhere.
    if (args.apiServer && !cilium && cluster.apiServer.cidrs.length === 0) {
        messages.push(`${paths.cluster}.apiServer.cidrs: is required because ${args.identity.instance} calls the Kubernetes API (allowed: the API server's endpoint addresses as CIDRs, e.g. from \`kubectl get endpoints kubernetes\`)`);
    }
    if (messages.length > 0) throw new Error(messages.join("\n"));

    const tcp = (ports: number[]): PortSpec[] => ports.map((port) => ({ port, protocol: "TCP" }));
    return {
        enabled: cluster.enabled && service.enabled,
        name: args.identity.instance,
        podSelector: args.podSelector ?? selectorLabels(args.identity),
        ...(ingressPorts.length ? { ingressController: { peer: selectorOf(service.ingressController ?? cluster.ingressController), ports: ingressPorts } } : {}),
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

export class NetworkPolicy extends pulumi.ComponentResource {
    /** The policy's name; undefined when the stack or the service turned policies off. */
    readonly policyName?: pulumi.Output<string>;
    /** The CiliumNetworkPolicy's name, on Cilium for a workload that calls the API server. */
    readonly ciliumPolicyName?: pulumi.Output<string>;

    constructor(name: string, args: NetworkPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:network-policy:NetworkPolicy", name, {}, opts);
        const resolved = resolveNetworkPolicyArgs(args);
        if (resolved.enabled) {
            const policy = new k8s.networking.v1.NetworkPolicy(
                `${name}-networkpolicy`,
                {
                    metadata: { name: resolved.name, namespace: args.namespace, labels: objectLabels(args.identity) },
                    spec: buildNetworkPolicySpec(resolved),
                },
                { parent: this },
            );
            this.policyName = policy.metadata.name;
            const cilium = buildApiServerCiliumPolicy(resolved, { namespace: args.namespace, labels: objectLabels(args.identity) });
            if (cilium) {
                // The CRD comes with Cilium itself (pre-installed on AKS), so nothing to wait for.
                this.ciliumPolicyName = new k8s.apiextensions.CustomResource(`${name}-cilium-apiserver`, cilium, { parent: this }).metadata.name;
            }
        }
        this.registerOutputs({
            ...(this.policyName ? { policyName: this.policyName } : {}),
            ...(this.ciliumPolicyName ? { ciliumPolicyName: this.ciliumPolicyName } : {}),
        });
    }
}
