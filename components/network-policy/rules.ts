/**
 * The network policy's settings as plain types, and their value rules (CIDRs, label syntax,
 * ports, `cidr` xor selectors): shared by the config schema (network-policy/schema.ts) and
 * `resolveNetworkPolicyArgs`, which runs them again on args built in code.
 */
import { CIDR_ALLOWED, parseIpv4Cidr, strictlyInside } from "../core/cidr";
import type { ConfigProblem, KeyPath } from "../core/problems";
import { clusterCni, type Cni } from "./cilium";

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

/** What the stack file may say about one endpoint (`<service>.networkPolicy.endpoints.<name>`). */
export interface EndpointOverride {
    /** The port the destination pods listen on, when the URL's (Service) port is not it. */
    targetPort?: number;
    /** Narrows an in-cluster destination to these pods of its namespace. */
    podSelector?: Labels;
    /** Addresses of a destination outside the cluster (e.g. a private endpoint), instead of the public addresses. */
    cidr?: string;
    /** Read the host as outside the cluster even where it looks like `<service>.<namespace>` (e.g. `openrouter.ai`). */
    outsideCluster?: boolean;
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

/** Not the internet: RFC 1918, link-local (cloud metadata at 169.254.169.254) and CGNAT. */
export const PRIVATE_RANGES: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"];
export const INTERNET_CIDR = "0.0.0.0/0";
export const DNS_PORT = 53;

// ---------------------------------------------------------------------------------------------
// Value rules, shared with the config schema (network-policy/schema.ts) and run again by resolveNetworkPolicyArgs.

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

export const ALLOWED = {
    cidr: CIDR_ALLOWED,
    labels: "a non-empty map of Kubernetes label keys to values",
    port: "a port number from 1 to 65535 or a container port name",
} as const;

type Path = KeyPath;

function checkCidr(path: Path, cidr: string, problems: ConfigProblem[]): void {
    if (!parseIpv4Cidr(cidr)) problems.push({ path, message: `'${cidr}' is not allowed (allowed: ${ALLOWED.cidr})` });
}

function isLabelKey(key: string): boolean {
    const slash = key.lastIndexOf("/");
    const name = slash < 0 ? key : key.slice(slash + 1);
    return LABEL_NAME.test(name) && (slash < 0 || LABEL_PREFIX.test(key.slice(0, slash)));
}

export function checkLabels(path: Path, labels: Labels, problems: ConfigProblem[]): void {
    const entries = Object.entries(labels);
    // An empty selector matches every namespace (or pod): never what a named peer means.
    if (entries.length === 0)
        problems.push({ path, message: `must name at least one label; an empty selector matches everything (allowed: ${ALLOWED.labels})` });
    for (const [key, value] of entries) {
        if (!isLabelKey(key)) problems.push({ path: [...path, key], message: "is not a valid label key" });
        else if (value !== "" && !LABEL_NAME.test(value)) problems.push({ path: [...path, key], message: `'${value}' is not a valid label value` });
    }
}

export function checkPorts(path: Path, ports: PortSpec[], problems: ConfigProblem[]): void {
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

export function checkInClusterPeer(path: Path, peer: InClusterPeer, problems: ConfigProblem[]): void {
    checkPeer(path, peer, problems);
    checkPorts([...path, "ports"], peer.ports, problems);
}

export function checkEgressPeer(path: Path, peer: EgressPeer, problems: ConfigProblem[]): void {
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
    checkPorts(
        ["internet", "ports"],
        cluster.internet.ports.map((port) => ({ port })),
        problems,
    );
    cluster.apiServer.cidrs.forEach((cidr, i) => checkCidr(["apiServer", "cidrs", i], cidr, problems));
    checkPorts(
        ["apiServer", "ports"],
        cluster.apiServer.ports.map((port) => ({ port })),
        problems,
    );
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
            problems.push({
                path: [...at, "podSelector"],
                message: "is for a destination in the cluster; `cidr` and `outsideCluster` are for one outside it (allowed: one of the two)",
            });
        }
    }
    return problems;
}

/** The internet rule's exclusions: private, link-local, CGNAT, the cluster's ranges and `internet.except`. */
export function internetExcept(cluster: NetworkPolicyClusterConfig): string[] {
    return [...new Set([...PRIVATE_RANGES, ...cluster.clusterCidrs.pods, ...cluster.clusterCidrs.services, ...cluster.internet.except])];
}

/** The cluster's network plugin; unset means generic (the stack fills in its target's default). */
export const cniOf = (cluster: Pick<NetworkPolicyClusterConfig, "cni">): Cni => cluster.cni ?? "generic";

/**
 * A workload that calls the Kubernetes API needs the API server's addresses, except on Cilium,
 * which reaches it by its `kube-apiserver` entity. Paths relative to the cluster block.
 */
export function apiServerAddressProblems(cluster: Pick<NetworkPolicyClusterConfig, "cni" | "apiServer">, callers: readonly string[]): ConfigProblem[] {
    if (callers.length === 0 || cniOf(cluster) === "cilium" || cluster.apiServer.cidrs.length > 0) return [];
    const who = callers.length === 1 ? `${callers[0]} calls` : `${callers.slice(0, -1).join(", ")} and ${callers[callers.length - 1]} call`;
    return [
        {
            path: ["apiServer", "cidrs"],
            message: `is required because ${who} the Kubernetes API (allowed: the API server's endpoint addresses as CIDRs, e.g. from \`kubectl get endpoints kubernetes\`, or \`networkPolicy.cni: cilium\`)`,
        },
    ];
}

/** The cluster's network policy facts with its plugin filled in from the cluster target (aks: cilium). */
export function withClusterCni<T extends NetworkPolicyClusterConfig>(networkPolicy: T, target: "aks" | "kubeconfig" | undefined): T {
    return { ...networkPolicy, cni: clusterCni(networkPolicy.cni, target) };
}
