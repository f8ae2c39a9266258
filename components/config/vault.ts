/**
 * The stack's own Key Vault as the whole stack decides it: the secrets the stack writes into it
 * itself, and the ServiceAccounts it must trust, one per secrets block that reads it (mode
 * `external`) and one for registry logins read from it. `index.ts` hands both to AzureKeyVault.
 */
import { passwordConfigured } from "../agent-backend/settings";
import { aiAgentsSecretsInstance } from "../ai-agents/resolve";
import type { GeneratedVaultSecret } from "../azure/keyvault/secrets";
import { claudeAgentSecretsInstance } from "../hypha-worker/claude-agent-secret";
import { REGISTRY_KEYVAULT_IDENTITY, registryLoginsFromKeyVault } from "../images";
import { defaultRemoteKey, type KeyVaultReader, keyVaultReaders, type SecretsConfig } from "../secrets/resolve";
import type { ParsedBlocks, StackConfig } from "./blocks";

/** The Key Vault secret the backend's generated database password is written to. */
export const BACKEND_PASSWORD_REMOTE_KEY = defaultRemoteKey("databasePassword");

/**
 * What the stack writes into its vault itself: with the stack's MySQL and the backend reading its
 * secrets from the stack's vault (mode `external`, no password source of its own), the generated
 * administrator password, under the backend's database password key.
 */
export function generatedVaultSecrets(config: ParsedBlocks): GeneratedVaultSecret[] {
    const aks = config.cluster?.target === "aks";
    const backend = config.agentBackend;
    const secrets = backend?.secrets;
    if (
        !aks ||
        !config.azure?.keyVault?.enabled ||
        !config.azure.mysql?.enabled ||
        !backend?.enabled ||
        secrets?.mode !== "external" ||
        secrets.values === undefined
    )
        return [];
    // A vault of its own (`external.vaultUrl`) is not the stack's: nothing is written there.
    if (secrets.external?.vaultUrl !== undefined || passwordConfigured(secrets)) return [];
    return [{ name: BACKEND_PASSWORD_REMOTE_KEY, source: "the MySQL administrator password the stack generates (azure.mysql)" }];
}

/** A secrets block of the stack: its key path, and the namespace and instance of the Secrets it becomes. */
export interface StackSecretsBlock {
    path: string[];
    secrets: SecretsConfig;
    namespace: string;
    instance: string;
}

/**
 * Every secrets block of the enabled services. On a partial parse (the cross-block rules) a
 * block that failed is left out, and a namespace that failed is "" (the rules never read it).
 */
export function stackSecretsBlocks(config: ParsedBlocks): StackSecretsBlock[] {
    const { agentRuntime, agentBackend, aiAgents, hyphaWorker } = config;
    const namespace = config.namespace?.name ?? "";
    const blocks: StackSecretsBlock[] = [];
    if (agentRuntime?.enabled && agentRuntime.secrets)
        blocks.push({ path: ["agentRuntime", "secrets"], secrets: agentRuntime.secrets, namespace, instance: agentRuntime.name });
    if (aiAgents?.enabled && aiAgents.secrets)
        blocks.push({ path: ["aiAgents", "secrets"], secrets: aiAgents.secrets, namespace, instance: aiAgentsSecretsInstance(aiAgents) });
    if (agentBackend?.enabled && agentBackend.secrets)
        blocks.push({ path: ["agentBackend", "secrets"], secrets: agentBackend.secrets, namespace, instance: agentBackend.name });
    if (hyphaWorker?.enabled) {
        if (hyphaWorker.secrets) blocks.push({ path: ["hyphaWorker", "secrets"], secrets: hyphaWorker.secrets, namespace, instance: hyphaWorker.name });
        // The jobs' Secret lives in the jobs namespace, which may be another one.
        const claude = hyphaWorker.claudeAgent?.secrets;
        if (claude)
            blocks.push({
                path: ["hyphaWorker", "claudeAgent", "secrets"],
                secrets: claude,
                namespace: hyphaWorker.jobs?.namespace ?? "",
                instance: claudeAgentSecretsInstance(hyphaWorker),
            });
    }
    return blocks;
}

/**
 * The ServiceAccounts the stack's vault trusts, one federated credential each, in the order they
 * have always been created (each credential waits for the one before): the platform services',
 * the registry logins', the Hypha worker's.
 */
export function stackKeyVaultReaders(config: StackConfig): KeyVaultReader[] {
    const blocks = stackSecretsBlocks(config);
    const readers = (worker: boolean) =>
        blocks.filter((block) => (block.path[0] === "hyphaWorker") === worker).flatMap((block) => keyVaultReaders(block.secrets, block));
    const registry = registryLoginsFromKeyVault(config.images) ? [{ namespace: config.namespace.name, serviceAccount: REGISTRY_KEYVAULT_IDENTITY }] : [];
    return [...readers(false), ...registry, ...readers(true)];
}
