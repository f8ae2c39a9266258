/**
 * The schema of the whole stack configuration (`agent-platform:*` keys), assembled from one
 * file per block under components/schema/.
 *
 * Every default lives in those schemas and only there: `Pulumi.yaml` declares each top-level
 * key with `default: {}` so the CLI never demands a value, and the README's config reference is
 * generated from them (`npm run docs:config`). Descriptions are written for the user reading an
 * error or the reference table.
 */
import { z } from "zod";
import { addonsBlock } from "./schema/addons";
import { agentRuntimeBlock } from "./schema/agent-runtime";
import { azureBlock } from "./schema/azure";
import { clusterBlock } from "./schema/cluster";
import { imagesBlock, namespaceBlock } from "./schema/platform";

/** Every `agent-platform:*` key. Each is an object block; see Pulumi.yaml for why. */
export const stackConfigSchema = z
    .strictObject({
        namespace: namespaceBlock.prefault({}),
        cluster: clusterBlock.prefault({}),
        azure: azureBlock.prefault({}),
        addons: addonsBlock.prefault({}),
        images: imagesBlock.prefault({}),
        agentRuntime: agentRuntimeBlock.prefault({}),
    })
    .superRefine((config, ctx) => {
        for (const service of ["mysql", "keyVault"] as const) {
            if (config.azure[service].enabled && config.cluster.target !== "aks") {
                ctx.addIssue({
                    code: "custom",
                    path: ["azure", service, "enabled"],
                    message: "needs `cluster.target: aks` (its resource group, region and OIDC issuer) (allowed: false with a kubeconfig target)",
                });
            }
        }
    });

export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type StackConfig = z.output<typeof stackConfigSchema>;
export type NamespaceConfig = StackConfig["namespace"];
export type ClusterConfig = StackConfig["cluster"];
export type AksConfig = NonNullable<ClusterConfig["aks"]>;
export type AzureConfig = StackConfig["azure"];
export type MysqlConfig = AzureConfig["mysql"];
export type KeyVaultConfig = AzureConfig["keyVault"];
export type AddonsConfig = StackConfig["addons"];
export type ImagesConfig = StackConfig["images"];
export type AgentRuntimeConfig = StackConfig["agentRuntime"];
