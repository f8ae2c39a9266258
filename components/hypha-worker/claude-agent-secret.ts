/**
 * The Secret `claude-agent` jobs read ANTHROPIC_API_KEY and HYPHA_TOKEN from, in the jobs
 * namespace. Unlike a service's own secrets it has a fixed name (jobs name it in their
 * manifest, `secret_name`) and fixed keys (the worker writes the `secretKeyRef`s), so:
 * - `existing`: the user's Secret, by name; nothing is created;
 * - `managed`: a Secret with that fixed name, updated in place. No pods need to roll: each
 *   job reads the Secret when its pod starts;
 * - `external`: the secrets building block's ExternalSecret, writing a Secret of that name.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { resolveSecretsArgs, SecretsConfig } from "../secrets/resolve";
import { CLAUDE_AGENT_SECRET_VALUES, ClaudeAgentSecretId, DEFAULT_CLAUDE_AGENT_SECRET, HyphaWorkerConfig } from "./schema";

export const CLAUDE_AGENT_CONFIG_PATH = "hyphaWorker.claudeAgent.secrets";

/** The instance of the jobs' Secrets: in mode `external` their SecretStore's ServiceAccount is named after it. */
export function claudeAgentSecretsInstance(config: Pick<HyphaWorkerConfig, "name">): string {
    return `${config.name}-claude-agent`;
}

export interface ResolvedClaudeAgentSecret {
    /** What jobs reference. */
    name: string;
    mode: SecretsConfig["mode"];
    /** The block, with the fixed name as the ExternalSecret's target in `external` mode. */
    config: SecretsConfig<ClaudeAgentSecretId>;
}

export function resolveClaudeAgentSecret(claudeAgent: HyphaWorkerConfig["claudeAgent"]): ResolvedClaudeAgentSecret {
    const secrets = claudeAgent.secrets;
    if (secrets.mode === "existing") {
        const name = secrets.existingSecret?.name;
        if (!name) throw new Error(`${CLAUDE_AGENT_CONFIG_PATH}.existingSecret.name: is required in mode \`existing\` (the Secret claude-agent jobs read)`);
        return { name, mode: "existing", config: secrets };
    }
    const name = claudeAgent.secretName ?? DEFAULT_CLAUDE_AGENT_SECRET;
    if (secrets.mode === "managed") return { name, mode: "managed", config: secrets };
    // The stack's Key Vault is filled in by the secrets block, like every other block's.
    return { name, mode: "external", config: { ...secrets, external: { ...secrets.external, secretName: name } } };
}

/** The managed Secret: fixed name, both keys, values kept secret. */
export function buildManagedClaudeAgentSecret(
    resolved: ResolvedClaudeAgentSecret,
    metadata: { namespace: pulumi.Input<string>; labels: Record<string, string> },
): k8s.types.input.core.v1.Secret {
    const { managedData } = resolveSecretsArgs({
        identity: { name: "claude-agent", instance: resolved.name, component: "job-secret" },
        namespace: metadata.namespace,
        values: CLAUDE_AGENT_SECRET_VALUES,
        config: resolved.config,
        configPath: CLAUDE_AGENT_CONFIG_PATH,
    });
    return { metadata: { name: resolved.name, namespace: metadata.namespace, labels: metadata.labels }, type: "Opaque", stringData: managedData };
}
