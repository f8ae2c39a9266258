/**
 * The cross-block rules: the one place where blocks meet. The stack schema (schema.ts) runs them
 * on what parsed, so `pulumi up` reports them with every other config error before any resource
 * exists. Paths are from the stack's root.
 *
 * A block's own rules live in its schema. Where a component checks the same thing again for args
 * built in code, the rule is a function of its block and the facts it needs from the rest of the
 * stack, in the component's folder (`agentBackendProblems`, `hyphaWorkerProblems`,
 * `azureNetworkStackProblems`, `externalVaultProblems`, `apiServerAddressProblems`); here those
 * facts are read from the other blocks.
 */
import { agentBackendProblems } from "../agent-backend/resolve";
import { AI_AGENTS_API_CALLERS, aiAgentsCallsApiServer } from "../ai-agents/resolve";
import { azureNetworkStackProblems } from "../azure/network/schema";
import { type ConfigProblem, under } from "../core/problems";
import { hyphaWorkerProblems } from "../hypha-worker/resolve";
import { apiServerAddressProblems, withClusterCni } from "../network-policy/rules";
import { externalVaultProblems } from "../secrets/resolve";
import type { ParsedBlocks } from "./blocks";
import { stackEndpointProblems } from "./endpoints";
import { stackGatewayProblems } from "./gateway";
import { generatedVaultSecrets, stackSecretsBlocks } from "./vault";

/** Every cross-block problem of the stack. */
export function stackProblems(config: ParsedBlocks): ConfigProblem[] {
    return [...vaultProblems(config), ...networkProblems(config), ...serviceProblems(config), ...stackGatewayProblems(config), ...azureProblems(config)];
}

/** Secrets blocks in mode `external` need a vault; what the stack writes into its vault, and registry logins read from it. */
function vaultProblems(config: ParsedBlocks): ConfigProblem[] {
    const vault = config.azure?.keyVault;
    const problems = stackSecretsBlocks(config).flatMap((block) => under(block.path, externalVaultProblems(block.secrets, vault?.enabled === true)));
    (config.images?.credentials ?? []).forEach((credential, index) => {
        if (credential?.fromKeyVault !== undefined && !vault?.enabled) {
            problems.push({
                path: ["images", "credentials", index, "fromKeyVault"],
                message:
                    "needs the stack's Key Vault (allowed: `azure.keyVault.enabled: true` with `cluster.target: aks`, or `username` and a secret `password`)",
            });
        }
    });
    const seeded = Object.keys(vault?.secrets ?? {});
    for (const generated of generatedVaultSecrets(config)) {
        if (seeded.includes(generated.name)) {
            problems.push({
                path: ["azure", "keyVault", "secrets", generated.name],
                message: `is written by the stack: ${generated.source}; remove it here (or give \`agentBackend.secrets.databasePassword.remoteKey\` a vault secret of your own)`,
            });
        }
    }
    return problems;
}

/** The cluster's network facts against the services that use them and the cluster the stack creates. */
function networkProblems(config: ParsedBlocks): ConfigProblem[] {
    if (!config.networkPolicy) return [];
    // The network plugin as the components see it (aks: cilium, which reaches the API server by its entity, not by address).
    const networkPolicy = withClusterCni(config.networkPolicy, config.cluster?.target);
    const problems: ConfigProblem[] = [];
    if (networkPolicy.enabled) {
        const callers = [
            ...(config.aiAgents?.enabled && aiAgentsCallsApiServer(config.aiAgents) ? AI_AGENTS_API_CALLERS : []),
            ...(config.hyphaWorker?.enabled && config.hyphaWorker.networkPolicy?.enabled ? ["the Hypha worker"] : []),
        ];
        problems.push(...under(["networkPolicy"], apiServerAddressProblems(networkPolicy, callers)));
    }
    // Every URL a service talks to must yield its egress rule.
    problems.push(...stackEndpointProblems(config, networkPolicy, config.platform?.domain));
    const aks = config.cluster?.target === "aks" ? config.cluster.aks : undefined;
    if (aks?.network && networkPolicy.enabled) {
        for (const kind of ["pods", "services"] as const) {
            const range = kind === "pods" ? aks.network.podCidr : aks.network.serviceCidr;
            if (!networkPolicy.clusterCidrs[kind].includes(range)) {
                problems.push({
                    path: ["networkPolicy", "clusterCidrs", kind],
                    message: `must include the AKS ${kind} range ${range} (cluster.aks.network), or it would count as the internet`,
                });
            }
        }
    }
    return problems;
}

/** The services' rules that need facts from other blocks. */
function serviceProblems(config: ParsedBlocks): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const backend = config.agentBackend;
    if (backend?.enabled) {
        const facts = {
            stackDatabase: config.cluster?.target === "aks" && config.azure?.mysql?.enabled === true,
            imagesRegistry: config.images?.registry,
            platformDomain: config.platform?.domain,
        };
        problems.push(...under(["agentBackend"], agentBackendProblems(backend, facts)));
    }
    const worker = config.hyphaWorker;
    if (worker?.enabled && config.namespace)
        problems.push(...under(["hyphaWorker"], hyphaWorkerProblems(worker, { platformNamespace: config.namespace.name })));
    return problems;
}

/** The Azure services live next to the AKS cluster the stack creates, in its network. */
function azureProblems(config: ParsedBlocks): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const aks = config.cluster?.target === "aks" ? config.cluster.aks : undefined;
    if (aks?.network && aks.systemPool && aks.userPool && config.azure?.network) problems.push(...azureNetworkStackProblems(config.azure.network, aks));
    for (const service of ["mysql", "keyVault"] as const) {
        if (config.azure?.[service]?.enabled && config.cluster?.target !== "aks") {
            problems.push({
                path: ["azure", service, "enabled"],
                message: "needs `cluster.target: aks` (its resource group, region and OIDC issuer) (allowed: false with a kubeconfig target)",
            });
        }
    }
    return problems;
}
