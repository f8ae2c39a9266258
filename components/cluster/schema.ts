/** The `cluster` block: an existing cluster through a kubeconfig, or an AKS cluster. */
import { z } from "zod";
import { aksBlock } from "../aks/schema";
import { sensitiveString } from "../core/schema";

export const clusterBlock = z
    .strictObject({
        target: z
            .enum(["kubeconfig", "aks"])
            .default("kubeconfig")
            .meta({ description: "Where to deploy: `kubeconfig` reaches any existing cluster; `aks` creates an AKS cluster (see `cluster.aks`)." }),
        kubeconfig: sensitiveString("Kubeconfig file contents (target `kubeconfig`).").optional(),
        kubeconfigPath: z
            .string()
            .min(1)
            .meta({ description: "Path to a kubeconfig file, as an alternative to `kubeconfig` (target `kubeconfig`)." })
            .optional(),
        context: z.string().min(1).meta({ description: "Kubeconfig context to use; default is the file's current context." }).optional(),
        clusterIdentifier: z
            .string()
            .min(1)
            .meta({
                description:
                    "Stable identity of the cluster for the provider, so that editing or moving the kubeconfig does not replace every object. Defaults to `kubeconfig/<context>` (or `kubeconfig/current-context`); for `aks`, the cluster's Azure resource id.",
            })
            .optional(),
        aks: aksBlock.optional(),
        adoptExistingObjects: z.boolean().default(false).meta({
            description:
                "Adopt objects that already exist with the same name instead of failing (the provider's `upsertExistingObjects`, server-side apply): for moving a Helm release to this stack without downtime. Turn it off again afterwards.",
        }),
    })
    .superRefine((cluster, ctx) => {
        const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
        if (cluster.target === "kubeconfig") {
            if (cluster.kubeconfig !== undefined && cluster.kubeconfigPath !== undefined) {
                issue("kubeconfig", "set either `cluster.kubeconfig` or `cluster.kubeconfigPath`, not both");
            }
            if (cluster.kubeconfig === undefined && cluster.kubeconfigPath === undefined) {
                issue(
                    "kubeconfigPath",
                    "the kubeconfig target needs `cluster.kubeconfigPath` or a secret `cluster.kubeconfig` (the ambient KUBECONFIG is never used)",
                );
            }
            if (cluster.aks !== undefined) issue("aks", "is only used with `cluster.target: aks` (allowed: remove it, or set the target to aks)");
        } else {
            if (cluster.aks === undefined)
                issue("aks", "the aks target needs `cluster.aks` with at least `location` (allowed: an object with keys location, ...)");
            for (const key of ["kubeconfig", "kubeconfigPath", "context"] as const) {
                if (cluster[key] !== undefined) issue(key, "is only used with `cluster.target: kubeconfig`; the aks target makes its own kubeconfig");
            }
        }
    })
    .meta({ description: "The cluster the stack deploys to; an explicit Kubernetes provider is always used, never the ambient KUBECONFIG." });

export type ClusterConfig = z.output<typeof clusterBlock>;
