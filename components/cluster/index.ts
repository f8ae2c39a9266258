/**
 * ClusterTarget: turns the `cluster` config block into one explicit Kubernetes provider,
 * either for an existing cluster (kubeconfig) or for an AKS cluster it creates.
 *
 * Every Kubernetes object receives this provider through `opts.providers`; the default
 * provider is disabled in Pulumi.yaml, so an ambient KUBECONFIG is never used by accident.
 * For `aks`, the Azure resources get the stack's azure-native provider the same way: pass it
 * in `opts.providers` and the children inherit it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AksCluster } from "../aks";
import type { AzureNetworkConfig } from "../azure/network";
import type { ClusterConfig } from "./schema";

export interface ClusterTargetArgs {
    config: ClusterConfig;
    /** Stack name, for default Azure resource names. */
    stack: string;
    /** The `azure.network` block, for the `aks` target: the virtual network its node pools use. */
    network?: AzureNetworkConfig;
    /** For the `aks` target: the deployer's principal type, resolved from config and the provider's environment. */
    deployerPrincipalType?: "User" | "ServicePrincipal";
}

/**
 * The provider's cluster identity for a kubeconfig target. Set explicitly so that editing
 * the kubeconfig (a rotated token, a moved file) updates the provider in place instead of
 * replacing every object.
 */
export function kubeconfigClusterIdentifier(cluster: ClusterConfig): string {
    return cluster.clusterIdentifier ?? `kubeconfig/${cluster.context ?? "current-context"}`;
}

export class ClusterTarget extends pulumi.ComponentResource {
    readonly provider: k8s.Provider;
    /** The AKS cluster, for the `aks` target. */
    readonly aks?: AksCluster;

    constructor(name: string, args: ClusterTargetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:cluster:ClusterTarget", name, {}, opts);
        const { config } = args;
        if (config.target === "aks") {
            if (!config.aks || !args.network) throw new Error("ClusterTarget: the aks target needs `config.aks` and `network` (the `azure.network` block)");
            this.aks = new AksCluster(
                `${name}-aks`,
                { config: config.aks, stack: args.stack, network: args.network, deployerPrincipalType: args.deployerPrincipalType },
                { parent: this },
            );
            this.provider = new k8s.Provider(
                `${name}-k8s`,
                {
                    kubeconfig: this.aks.kubeconfig,
                    clusterIdentifier: config.clusterIdentifier ?? this.aks.clusterId,
                    enableServerSideApply: true,
                    upsertExistingObjects: config.adoptExistingObjects,
                },
                // Workloads need the user pool's nodes before they can become ready; and with local
                // accounts off, no Kubernetes call succeeds before the deployer's role assignment
                // (and the access entries) exist. Every object uses this provider, so it waits too.
                { parent: this, dependsOn: [this.aks.userPool, ...this.aks.kubernetesAccess] },
            );
        } else {
            this.provider = new k8s.Provider(
                `${name}-k8s`,
                {
                    // Secret contents or a path; the provider accepts either.
                    kubeconfig: config.kubeconfig ?? config.kubeconfigPath,
                    context: config.context,
                    clusterIdentifier: kubeconfigClusterIdentifier(config),
                    enableServerSideApply: true,
                    upsertExistingObjects: config.adoptExistingObjects,
                },
                { parent: this },
            );
        }
        this.registerOutputs({});
    }
}
