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
import { objectLabels } from "../pod";
import { buildApiServerCiliumPolicy, buildNetworkPolicySpec } from "./build";
import { NetworkPolicyArgs, resolveNetworkPolicyArgs } from "./resolve";

export * from "./build";
export type { Cni } from "./cilium";
export type { EndpointOverride, ServiceEndpoint } from "./endpoints";
export * from "./resolve";
export * from "./rules";

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
