/**
 * ClusterTarget: turns the `cluster` config block into one explicit Kubernetes provider.
 *
 * Every Kubernetes object receives this provider through `opts.providers`; the default
 * provider is disabled in Pulumi.yaml, so an ambient KUBECONFIG is never used by accident.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig } from "./config";

/**
 * The provider's cluster identity. Set explicitly so that editing the kubeconfig (a rotated
 * token, a moved file) updates the provider in place instead of replacing every object.
 */
export function clusterIdentifier(cluster: ClusterConfig): string {
    return cluster.clusterIdentifier ?? `kubeconfig/${cluster.context ?? "current-context"}`;
}

export class ClusterTarget extends pulumi.ComponentResource {
    readonly provider: k8s.Provider;

    constructor(name: string, args: ClusterConfig, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:cluster:ClusterTarget", name, {}, opts);
        this.provider = new k8s.Provider(
            `${name}-k8s`,
            {
                // Secret contents or a path; the provider accepts either.
                kubeconfig: args.kubeconfig ?? args.kubeconfigPath,
                context: args.context,
                clusterIdentifier: clusterIdentifier(args),
                enableServerSideApply: true,
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}
