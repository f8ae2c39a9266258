/**
 * ClusterTarget: turns the `cluster` config block into one explicit Kubernetes provider,
 * either for an existing cluster (kubeconfig) or for an AKS cluster it creates.
 *
 * Every Kubernetes object receives this provider through `opts.providers`; the default
 * provider is disabled in Pulumi.yaml, so an ambient KUBECONFIG is never used by accident.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AksCluster } from "./aks";
import type { ClusterConfig } from "./config";

export interface ClusterTargetArgs {
    config: ClusterConfig;
    /** Stack name, for default Azure resource names. */
    stack: string;
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
            this.aks = new AksCluster(`${name}-aks`, { config: config.aks!, stack: args.stack }, { parent: this });
            this.provider = new k8s.Provider(
                `${name}-k8s`,
                {
                    kubeconfig: this.aks.kubeconfig,
                    clusterIdentifier: config.clusterIdentifier ?? this.aks.clusterId,
                    enableServerSideApply: true,
                    upsertExistingObjects: config.adoptExistingObjects,
                },
                // Workloads need the user pool's nodes before they can become ready.
                { parent: this, dependsOn: [this.aks.userPool] },
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
