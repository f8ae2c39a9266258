/**
 * The runtime's args resolved: identity, object name, port, image and environment; and what it
 * talks to (its URL settings and its Postgres), from which its egress is derived.
 */
import type { EgressPeer, ServiceEndpoint } from "../network-policy";
import type { ServiceContext } from "../platform";
import { AppIdentity, EnvVar, imageReference } from "../pod";
import type { AgentRuntimeConfig, RuntimeSecretId } from "./schema";

export interface AgentRuntimeArgs extends ServiceContext {
    /** The runtime's settings, already validated and defaulted by the config layer. */
    config: AgentRuntimeConfig;
}

/** Environment variable of each sensitive value, as the chart names them. */
export const RUNTIME_SECRET_ENV: Readonly<Record<string, RuntimeSecretId>> = {
    SUPABASE_KEY: "supabaseKey",
    SUPABASE_SECRET: "supabaseSecret",
    SUPABASE_JWT_SECRET: "supabaseJwtSecret",
    OPENAI_API_KEY: "openaiApiKey",
    ANTHROPIC_API_KEY: "anthropicApiKey",
    LANGCHAIN_API_KEY: "langchainApiKey",
    LANGFUSE_SECRET_KEY: "langfuseSecretKey",
    LANGFUSE_PUBLIC_KEY: "langfusePublicKey",
    DATABASE_URL: "databaseUrl",
};

/** Postgres, where the stack says it is. */
export function databaseEgress(config: AgentRuntimeConfig): EgressPeer[] {
    const db = config.database;
    if (!db) return [];
    const ports = [{ port: db.port, protocol: "TCP" as const }];
    return [db.cidr ? { cidr: db.cidr, ports } : { namespaceSelector: db.namespaceSelector, podSelector: db.podSelector, ports }];
}

/** LangSmith's API, where LANGCHAIN_TRACING_V2 sends traces (the runtime sets no LANGCHAIN_ENDPOINT). */
export const LANGSMITH_URL = "https://api.smith.langchain.com";

/**
 * The runtime's URL settings: each yields its egress rule (network-policy/endpoints.ts), so the
 * model endpoint of OPENAI_API_BASE, Supabase, Langfuse and LangSmith are reachable without a
 * hand-typed peer. DATABASE_URL is a secret: its Postgres is `database` above.
 */
export function runtimeEndpoints(config: AgentRuntimeConfig): ServiceEndpoint[] {
    const s = config.settings;
    const at = (key: string) => ["agentRuntime", "settings", key];
    return [
        { name: "supabaseUrl", path: at("supabaseUrl"), url: s.supabaseUrl },
        { name: "openaiApiBase", path: at("openaiApiBase"), url: s.openaiApiBase },
        { name: "langfuseBaseUrl", path: at("langfuseBaseUrl"), url: s.langfuseBaseUrl },
        { name: "langsmith", path: at("langchainTracingV2"), url: s.langchainTracingV2 ? LANGSMITH_URL : undefined },
    ];
}

/** The chart's image per runtime, used when `image.repository` is not set. */
export const DEFAULT_REPOSITORIES = {
    python: "ghcr.io/l4b4r4b4b4/fractal-agents-runtime-python",
    ts: "ghcr.io/l4b4r4b4b4/fractal-agents-runtime-ts",
} as const;

/** The runtime's UID/GID (`appuser` in both images). */
export const RUNTIME_UID = 65532;

export interface ResolvedAgentRuntime {
    identity: AppIdentity;
    /** Name of every object (the instance name, or a Helm release's names kept for migration). */
    objectName: string;
    containerPort: number;
    image: string;
    env: EnvVar[];
}

function plainEnv(name: string, value: string | number | boolean | undefined): EnvVar[] {
    return value === undefined ? [] : [{ name, value: String(value) }];
}

/** The environment: shared variables for both runtimes, then the selected runtime's own. */
export function buildRuntimeEnv(config: AgentRuntimeConfig): EnvVar[] {
    const s = config.settings;
    const shared = [
        ...plainEnv("SUPABASE_URL", s.supabaseUrl),
        ...plainEnv("OPENAI_API_BASE", s.openaiApiBase),
        ...plainEnv("MODEL_NAME", s.modelName),
        ...plainEnv("LANGFUSE_BASE_URL", s.langfuseBaseUrl),
        ...plainEnv("LANGCHAIN_TRACING_V2", s.langchainTracingV2),
        ...plainEnv("LANGCHAIN_PROJECT", s.langchainProject),
        ...plainEnv("DATABASE_POOL_MIN_SIZE", s.databasePoolMinSize),
        ...plainEnv("DATABASE_POOL_MAX_SIZE", s.databasePoolMaxSize),
        ...plainEnv("DATABASE_POOL_TIMEOUT", s.databasePoolTimeout),
        ...plainEnv("LOG_LEVEL", s.logLevel),
        ...plainEnv("AGENT_SYNC_SCOPE", s.agentSyncScope),
        ...plainEnv("LANGFUSE_PROMPT_CACHE_TTL_SECONDS", s.langfusePromptCacheTtlSeconds),
    ];
    const runtimeSpecific =
        config.runtime === "python"
            ? [
                  ...plainEnv("ROBYN_HOST", config.python.host),
                  ...plainEnv("ROBYN_PORT", config.python.port),
                  ...plainEnv("ROBYN_WORKERS", config.python.workers),
                  ...plainEnv("ROBYN_DEV", config.python.devMode),
              ]
            : [...plainEnv("PORT", config.typescript.port), ...plainEnv("NODE_ENV", config.typescript.nodeEnv)];
    return [...shared, ...runtimeSpecific];
}

export function resolveAgentRuntimeArgs(args: AgentRuntimeArgs): ResolvedAgentRuntime {
    const { config } = args;
    return {
        identity: { name: config.legacy.appName ?? "fractal-agents-runtime", instance: config.name, component: "runtime", version: config.image.tag },
        objectName: config.legacy.objectName ?? config.name,
        containerPort: config.runtime === "python" ? config.python.port : config.typescript.port,
        image: imageReference({
            registry: config.image.registry ?? args.images.registry,
            repository: config.image.repository ?? DEFAULT_REPOSITORIES[config.runtime],
            tag: config.image.tag,
            digest: config.image.digest,
        }),
        env: buildRuntimeEnv(config),
    };
}
