/**
 * The evaluator's common form of a policy, shared by Kubernetes NetworkPolicy and
 * CiliumNetworkPolicy: who it applies to, and per direction either nothing (the direction
 * is not isolated by this policy) or a list of allow rules. Plus the public endpoint types.
 */
import type { Protocol } from "./connections";
import type { ConnectionSet } from "./connections";
import { blockContains, type IpAddress, type IpBlock } from "./ip";
import type { Labels, Selector } from "./selectors";

export interface ContainerPort {
    name?: string;
    containerPort: number;
    protocol: Protocol;
}

/** A rendered workload: its pods share a name in the listing and one set of labels. */
export interface Workload {
    namespace: string;
    name: string;
    kind: string;
    podLabels: Record<string, string>;
    ports: ContainerPort[];
}

export type Endpoint =
    /** A rendered workload. */
    | { workload: Workload }
    /** A pod the render does not contain (ingress controller, Prometheus, kube-dns, an in-cluster model server). */
    | { pod: { namespace: string; namespaceLabels?: Record<string, string>; labels: Record<string, string>; ports?: Workload["ports"] } }
    /** An address outside the pod network. */
    | { ip: string }
    /** The Kubernetes API server (on Cilium: the kube-apiserver entity). */
    | { apiServer: { ips: string[] } };

export type Cni = "cilium" | "generic";

export interface NetworkOptions {
    /** "generic" (default): NetworkPolicy only. "cilium": CiliumNetworkPolicy too, and Cilium's identities. */
    cni?: Cni;
    /** Labels of namespaces the render does not create (a Namespace object in the render wins). */
    namespaces?: { name: string; labels: Record<string, string> }[];
}

/** Cilium entities (https://docs.cilium.io/en/stable/security/policy/language/#entities-based). */
export const ciliumEntities = [
    "all",
    "world",
    "world-ipv4",
    "world-ipv6",
    "cluster",
    "host",
    "init",
    "ingress",
    "unmanaged",
    "remote-node",
    "health",
    "none",
    "kube-apiserver",
] as const;
export type CiliumEntity = (typeof ciliumEntities)[number];

/** What a rule or a policy's subject selects. */
export type Peer =
    | { readonly type: "all" }
    /** NetworkPolicy podSelector/namespaceSelector. No namespaceSelector: only `namespace` (the policy's). */
    | { readonly type: "pods"; readonly namespace?: string; readonly namespaceSelector?: Selector; readonly podSelector: Selector }
    /** Cilium endpoint selector over pod labels plus namespace labels; `namespace` scopes a namespaced policy. */
    | { readonly type: "ciliumEndpoints"; readonly namespace?: string; readonly selector: Selector }
    | { readonly type: "ipBlock"; readonly block: IpBlock }
    | { readonly type: "entity"; readonly entity: CiliumEntity };

export const allPeers: Peer = { type: "all" };

export interface NamedPort {
    readonly name: string;
    readonly protocols: readonly Protocol[];
}

export interface PortSpec {
    readonly numeric: ConnectionSet;
    /** Resolved per destination pod against its container ports (name and protocol must both match). */
    readonly named: readonly NamedPort[];
}

export interface Rule {
    readonly peers: readonly Peer[];
    readonly ports: PortSpec;
}

export interface PolicyRef {
    readonly kind: string;
    readonly namespace?: string;
    readonly name: string;
}

export interface Policy {
    readonly ref: PolicyRef;
    readonly subject: Peer;
    /** Undefined: this policy does not make its pods default-deny for ingress. */
    readonly ingress?: readonly Rule[];
    readonly egress?: readonly Rule[];
}

/** An endpoint in the form peers are matched against. */
export type Target =
    | {
          readonly type: "pod";
          readonly namespace: string;
          readonly labels: Labels;
          readonly namespaceLabels: Labels;
          readonly ports: readonly ContainerPort[];
          ciliumLabels?: Labels;
      }
    /** `ip` undefined: an address no CIDR names (an API server whose addresses are unknown). */
    | { readonly type: "ip"; readonly ip?: IpAddress }
    | { readonly type: "apiServer" };

const namespaceLabelKey = "io.kubernetes.pod.namespace";
const namespaceLabelsPrefix = "io.cilium.k8s.namespace.labels.";
export const ciliumNamespaceKey = namespaceLabelKey;

/**
 * The labels Cilium gives a pod's identity: its own labels, its namespace's name and its
 * namespace's labels (https://docs.cilium.io/en/stable/security/policy/kubernetes/#namespaces).
 */
function ciliumLabelsOf(target: Extract<Target, { type: "pod" }>): Labels {
    if (target.ciliumLabels === undefined) {
        const labels: Record<string, string> = { ...target.labels, [namespaceLabelKey]: target.namespace };
        for (const [key, value] of Object.entries(target.namespaceLabels)) labels[namespaceLabelsPrefix + key] = value;
        target.ciliumLabels = labels;
    }
    return target.ciliumLabels;
}

function entityMatches(entity: CiliumEntity, target: Target): boolean {
    switch (entity) {
        case "all":
            return true;
        // world is everything outside the cluster; the API server has its own reserved
        // identity (kube-apiserver), which `world` does not select.
        case "world":
            return target.type === "ip";
        case "world-ipv4":
            return target.type === "ip" && target.ip?.family !== 6;
        case "world-ipv6":
            return target.type === "ip" && target.ip?.family === 6;
        // cluster = host, remote-node, init, ingress, health, unmanaged, kube-apiserver and every
        // endpoint of the cluster (cilium pkg/policy/api/entity.go, InitEntities).
        case "cluster":
            return target.type === "pod" || target.type === "apiServer";
        case "kube-apiserver":
            return target.type === "apiServer";
        // host, remote-node, health, init, ingress, unmanaged, none: identities the model has no
        // endpoint for. A self-hosted API server is also remote-node; a managed one (AKS) is not.
        default:
            return false;
    }
}

export function peerMatches(peer: Peer, target: Target): boolean {
    switch (peer.type) {
        case "all":
            return true;
        case "pods":
            if (target.type !== "pod") return false;
            if (peer.namespaceSelector === undefined ? target.namespace !== peer.namespace : !peer.namespaceSelector.matches(target.namespaceLabels))
                return false;
            return peer.podSelector.matches(target.labels);
        case "ciliumEndpoints":
            if (target.type !== "pod") return false;
            if (peer.namespace !== undefined && target.namespace !== peer.namespace) return false;
            return peer.selector.matches(ciliumLabelsOf(target));
        // An ipBlock never selects a pod (netpol-analyzer's reading, and Cilium's: CIDR rules
        // do not match cluster endpoints), nor, on Cilium, the API server (cilium/cilium#20550).
        case "ipBlock":
            return target.type === "ip" && target.ip !== undefined && blockContains(peer.block, target.ip);
        case "entity":
            return entityMatches(peer.entity, target);
    }
}

/** A key equal for peers that select the same pods, to share their matched sets. */
export function podPeerKey(peer: Peer): string | undefined {
    switch (peer.type) {
        case "pods":
            return `pods ${peer.namespace ?? ""} ${peer.namespaceSelector?.key ?? "-"} ${peer.podSelector.key}`;
        case "ciliumEndpoints":
            return `cilium ${peer.namespace ?? ""} ${peer.selector.key}`;
        default:
            return undefined;
    }
}
