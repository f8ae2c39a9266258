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
import { agentBackendStackProblems } from "../agent-backend/stack-problems";
import { azureNetworkStackProblems } from "../azure/network/schema";
import { stackGatewayProblems } from "../gateway/resolve";
import { addonsBlock } from "../addons/schema";
import { agentBackendBlock } from "../agent-backend/schema";
import { aiAgentsBlock } from "../ai-agents/schema";
import { agentRuntimeBlock } from "../agent-runtime/schema";
import { hyphaWorkerStackProblems } from "../hypha-worker";
import { azureBlock } from "../azure/schema";
import { clusterBlock } from "../cluster/schema";
import { networkPolicyClusterSchema } from "../network-policy/schema";
import { stackEndpointProblems } from "./endpoints";
import { withClusterCni } from "../network-policy";
import { hyphaWorkerBlock } from "../hypha-worker/schema";
import { keyVaultSecretsStackProblems } from "../azure/keyvault/schema";
import { imagesBlock } from "../images/schema";
import { namespaceBlock } from "../namespace/schema";
import { platformBlock } from "../platform/schema";
import { preinstalledBlock } from "../preinstalled/schema";

/** Every `agent-platform:*` key. Each is an object block; see Pulumi.yaml for why. */
export const stackConfigSchema = z
    .strictObject({
        namespace: namespaceBlock.prefault({}),
        cluster: clusterBlock.prefault({}),
        azure: azureBlock.prefault({}),
        addons: addonsBlock.prefault({}),
        platform: platformBlock.prefault({}),
        images: imagesBlock.prefault({}),
        networkPolicy: networkPolicyClusterSchema,
        agentRuntime: agentRuntimeBlock.prefault({}),
        agentBackend: agentBackendBlock.prefault({}),
        hyphaWorker: hyphaWorkerBlock.prefault({}),
        aiAgents: aiAgentsBlock.prefault({}),
        preinstalled: preinstalledBlock.prefault({}),
    })
    .superRefine((config, ctx) => {
        const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
        // Zod runs this even when a block failed: only look at what parsed.
        const services = [
            ["agentRuntime", config.agentRuntime?.enabled, config.agentRuntime?.secrets],
            ["aiAgents", config.aiAgents?.enabled, config.aiAgents?.secrets],
        ] as const;
        for (const [service, enabled, secrets] of services) {
            const external = enabled && secrets?.mode === "external" ? (secrets.external ?? {}) : undefined;
            if (external && (external.vaultUrl === undefined || external.clientId === undefined) && !config.azure?.keyVault?.enabled) {
                issue(
                    [service, "secrets", "external"],
                    "mode `external` needs a vault (allowed: `external.vaultUrl` and `external.clientId`, or the stack's own `azure.keyVault.enabled`)",
                );
            }
        }
        // The network plugin as the components see it (aks: cilium, which reaches the API server by its entity, not by address).
        const networkPolicy = config.networkPolicy && withClusterCni(config.networkPolicy, config.cluster?.target);
        if (config.aiAgents?.enabled && networkPolicy?.enabled && networkPolicy.cni !== "cilium" && networkPolicy.apiServer.cidrs.length === 0) {
            issue(["networkPolicy", "apiServer", "cidrs"], "must list the API server's addresses: the ai-agents API calls the Kubernetes API (allowed: the addresses of `kubectl get endpoints kubernetes`, or `networkPolicy.cni: cilium`)");
        }
        // Every URL a service talks to must yield its egress rule.
        if (networkPolicy) for (const problem of stackEndpointProblems(config, networkPolicy, config.platform?.domain)) issue(problem.path, problem.message);
        const aks = config.cluster?.target === "aks" ? config.cluster.aks : undefined;
        if (aks?.network && config.networkPolicy?.enabled) {
            const ranges = [
                ["pods", aks.network.podCidr],
                ["services", aks.network.serviceCidr],
            ] as const;
            for (const [kind, range] of ranges) {
                if (!config.networkPolicy.clusterCidrs[kind].includes(range)) {
                    issue(["networkPolicy", "clusterCidrs", kind], `must include the AKS ${kind} range ${range} (cluster.aks.network), or it would count as the internet`);
                }
            }
        }
        if (aks?.network && aks.systemPool && aks.userPool && config.azure?.network) {
            for (const problem of azureNetworkStackProblems(config.azure.network, aks)) issue(problem.path, problem.message);
        }
        if (config.agentBackend) {
            const facts = {
                stackDatabase: config.cluster?.target === "aks" && config.azure?.mysql?.enabled === true,
                imagesRegistry: config.images?.registry,
                platformDomain: config.platform?.domain,
                stackKeyVault: config.azure?.keyVault?.enabled === true,
            };
            for (const problem of agentBackendStackProblems(config.agentBackend, facts)) issue(["agentBackend", ...problem.path], problem.message);
        }
        if (config.namespace && networkPolicy && config.hyphaWorker) {
            const problems = hyphaWorkerStackProblems({
                namespace: config.namespace,
                networkPolicy,
                hyphaWorker: config.hyphaWorker,
                keyVaultEnabled: config.azure?.keyVault?.enabled,
            });
            for (const problem of problems) issue(problem.path, problem.message);
        }
        // The ingress path: the stack's Gateway, its issuer and controller, and every route's parent.
        for (const problem of stackGatewayProblems(config)) issue(problem.path, problem.message);
        // What the stack writes into its vault, and registry logins read from it.
        for (const problem of keyVaultSecretsStackProblems(config)) issue(problem.path, problem.message);
        for (const service of ["mysql", "keyVault"] as const) {
            if (config.azure?.[service]?.enabled && config.cluster?.target !== "aks") {
                issue(["azure", service, "enabled"], "needs `cluster.target: aks` (its resource group, region and OIDC issuer) (allowed: false with a kubeconfig target)");
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
export type PlatformConfig = StackConfig["platform"];
export type HyphaWorkerStackConfig = StackConfig["hyphaWorker"];
export type AiAgentsStackConfig = StackConfig["aiAgents"];
export type AgentBackendStackConfig = StackConfig["agentBackend"];
export type NetworkPolicyConfig = StackConfig["networkPolicy"];
