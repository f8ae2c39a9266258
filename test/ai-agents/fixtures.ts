/**
 * Shared fixtures of the ai-agents tests: an enabled block with the least a stack must set,
 * cluster network facts with an API server address, and the platform under the mocks.
 */
import { AiAgentsPlatform, AiAgentsPlatformArgs, resolveAiAgentsArgs, ResolvedAiAgents } from "../../components/ai-agents";
import type { NetworkPolicyConfig } from "../../components/network-policy/schema";
import { AiAgentsConfig, aiAgentsBlock } from "../../components/ai-agents/schema";
import { networkPolicyClusterSchema } from "../../components/network-policy/schema";
import { recordComponents, Recorded } from "../helpers/record";

/** What a stack must set to enable the platform. */
export const ENABLED_BLOCK = {
    enabled: true,
    image: { tag: "1.4.2" },
    secrets: { mode: "existing", existingSecret: { name: "ai-agents-secrets" } },
    settings: { oidc: { issuer: "https://auth.example.com", clientId: "ai-agents", redirectUri: "https://agents.example.com/api/auth/callback" } },
};

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => v !== null && typeof v === "object" && !Array.isArray(v);

/** `over` laid onto `base`, objects merged key by key, everything else replaced. */
export function merge(base: Plain, over: Plain): Plain {
    const out: Plain = { ...base };
    for (const [key, value] of Object.entries(over)) out[key] = isPlain(value) && isPlain(out[key]) ? merge(out[key] as Plain, value) : value;
    return out;
}

export function aiAgentsConfig(overrides: Plain = {}): AiAgentsConfig {
    return aiAgentsBlock.parse(merge(ENABLED_BLOCK, overrides));
}

export const API_SERVER_CIDR = "172.16.0.1/32";

export function clusterNetwork(overrides: Plain = {}): NetworkPolicyConfig {
    return networkPolicyClusterSchema.parse(
        merge({ ingressController: { namespaceSelector: { "kubernetes.io/metadata.name": "traefik" } }, apiServer: { cidrs: [API_SERVER_CIDR] } }, overrides),
    );
}

export function platformArgs(overrides: Plain = {}, extra: Partial<AiAgentsPlatformArgs> = {}): AiAgentsPlatformArgs {
    return {
        config: aiAgentsConfig(overrides),
        images: { pullSecrets: ["regcred"] },
        namespace: "ai-agents",
        networkPolicy: clusterNetwork(),
        platformDomain: "example.com",
        ...extra,
    };
}

export function resolvedPlatform(overrides: Plain = {}, extra: Partial<AiAgentsPlatformArgs> = {}): ResolvedAiAgents {
    return resolveAiAgentsArgs(platformArgs(overrides, extra));
}

/** The whole platform under the mocks. */
export function renderPlatform(overrides: Plain = {}, extra: Partial<AiAgentsPlatformArgs> = {}): Promise<Recorded> {
    const args = platformArgs(overrides, extra);
    return recordComponents((provider) => {
        new AiAgentsPlatform("ai-agents", args, { providers: [provider] });
    });
}
