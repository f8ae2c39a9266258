/**
 * API-server egress on Cilium.
 *
 * Cilium gives traffic to the Kubernetes API server the `kube-apiserver` identity, and CIDR
 * rules (a NetworkPolicy `ipBlock`) do not select it: cilium/cilium#20550 (only with the
 * non-default `policyCIDRMatchMode: nodes`) and #33525 (an ipBlock to the endpoint addresses
 * stays blocked, a CiliumNetworkPolicy with `toEntities: [kube-apiserver]` works). AKS documents
 * the same limitation for Azure CNI powered by Cilium (ipBlock cannot allow node or pod IPs), and
 * Cilium's docs note that the `kube-apiserver` entity works for egress on AKS (cilium/cilium#32464).
 * So on Cilium a workload that calls the API gets, next to its NetworkPolicy, a
 * CiliumNetworkPolicy selecting the same pods that allows only that entity on the API ports.
 *
 * How the two combine (docs.cilium.io, "Network Policy" and "Policy Enforcement Modes"): Cilium
 * enforces NetworkPolicy and CiliumNetworkPolicy together; an endpoint selected by a rule with
 * an egress section is default-deny at egress, and what is allowed is the union of every
 * selecting policy's rules (as for NetworkPolicies alone: "additive", Kubernetes docs). This CNP
 * has no ingress section, so it changes nothing at ingress; the NetworkPolicy already makes the
 * pods default-deny in both directions, so the CNP only adds the API server.
 *
 * The CiliumNetworkPolicy CRD comes with Cilium (on AKS the platform installs it); nothing to add.
 */
import type * as k8s from "@pulumi/kubernetes";

export const CILIUM_API_VERSION = "cilium.io/v2";
export const CILIUM_POLICY_KIND = "CiliumNetworkPolicy";
export const KUBE_APISERVER_ENTITY = "kube-apiserver";

/** The network plugin as far as policies care: `cilium` adds CiliumNetworkPolicies where NetworkPolicies cannot express a peer. */
export const CNIS = ["cilium", "generic"] as const;
export type Cni = (typeof CNIS)[number];

/** The plugin of a cluster: as declared, else Cilium on AKS (this stack creates it with Azure CNI powered by Cilium), else generic. */
export function clusterCni(declared: Cni | undefined, target: "aks" | "kubeconfig" | undefined): Cni {
    return declared ?? (target === "aks" ? "cilium" : "generic");
}

/** The policy's name: the NetworkPolicy's, with the peer it adds. */
export function apiServerPolicyName(policyName: string): string {
    return `${policyName}-kube-apiserver`;
}

/** Egress to the `kube-apiserver` entity on the API ports (TCP), for the pods `endpointSelector` selects. */
export function buildApiServerCiliumPolicySpec(endpointSelector: k8s.types.input.meta.v1.LabelSelector, ports: readonly number[]): Record<string, unknown> {
    if (ports.length === 0) throw new Error("the API server rule needs at least one port");
    return {
        description: "Egress to the Kubernetes API server; the NetworkPolicy of the same pods allows the rest.",
        endpointSelector,
        egress: [
            {
                toEntities: [KUBE_APISERVER_ENTITY],
                toPorts: [{ ports: [...new Set(ports)].sort((a, b) => a - b).map((port) => ({ port: String(port), protocol: "TCP" })) }],
            },
        ],
    };
}
