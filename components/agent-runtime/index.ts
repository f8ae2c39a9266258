/**
 * AgentRuntime: the fractal agents runtime (seed chart `fractal-agents-runtime`), Python
 * (Robyn) or TypeScript (Bun) by one `runtime` switch.
 *
 * Deployment, Service and ServiceAccount with the chart's settings; credentials through the
 * secrets block (managed, existing or Key Vault); an optional HPA and PDB; spreading that
 * never leaves pods Pending; a graceful shutdown for open SSE streams; and, from the building
 * blocks, its NetworkPolicy, SSE-ready Ingress or HTTPRoute, and monitoring.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AgentRuntimeConfig } from "../config";
import { ServiceIngress } from "../ingress";
import { Monitoring } from "../monitoring";
import { EgressPeer, NetworkPolicy, ServiceEndpoint } from "../network-policy";
import { RUNTIME_SECRET_VALUES, RuntimeSecretId } from "./schema";
import { pullSecretsFor } from "../images";
import { SecretRefs, Secrets, SecretsConfig, secretEnv, withReloaderAnnotation } from "../secrets";
import type { ServiceContext } from "../platform";
import {
    AppIdentity,
    EnvVar,
    TMP_DIR,
    buildPodSpec,
    buildPodTemplate,
    httpGetProbe,
    imageReference,
    objectLabels,
    podLabels,
    selectorLabels,
} from "../pod";

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

/** The secrets block, with the stack's Key Vault filled in for `external` mode. */
export function secretsWithKeyVault(config: SecretsConfig<RuntimeSecretId>, keyVault: AgentRuntimeArgs["keyVault"]): SecretsConfig<RuntimeSecretId> {
    if (config.mode !== "external" || !keyVault) return config;
    return { ...config, external: { ...keyVault, ...(config.external ?? {}) } };
}

/** The ServiceAccount the runtime's SecretStore uses in `external` mode (to federate with Key Vault). */
export function externalSecretsServiceAccount(config: AgentRuntimeConfig): string | undefined {
    return config.secrets.mode === "external" ? (config.secrets.external?.serviceAccountName ?? `${config.name}-keyvault`) : undefined;
}

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

/**
 * Preferred (never required) anti-affinity by node, and a zone spread that schedules anyway:
 * together they spread pods without ever leaving an autoscaler's new pods Pending.
 */
export function buildSpreading(config: AgentRuntimeConfig, identity: AppIdentity) {
    const selector = { matchLabels: selectorLabels(identity) };
    return {
        affinity: config.scheduling.preferredAntiAffinity
            ? { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: selector, topologyKey: "kubernetes.io/hostname" } }] } }
            : undefined,
        topologySpreadConstraints: config.scheduling.zoneSpread
            ? [
                  {
                      maxSkew: 1,
                      topologyKey: "topology.kubernetes.io/zone",
                      whenUnsatisfiable: "ScheduleAnyway",
                      labelSelector: selector,
                      // Count only the pods of the current ReplicaSet, so a rollout is not skewed by old pods.
                      matchLabelKeys: ["pod-template-hash"],
                  },
              ]
            : undefined,
    };
}

export function buildAgentRuntimeDeploymentSpec(
    args: AgentRuntimeArgs,
    resolved: ResolvedAgentRuntime,
    secrets: SecretRefs<RuntimeSecretId> = {},
): k8s.types.input.apps.v1.DeploymentSpec {
    const { config } = args;
    const labels = { ...podLabels(resolved.identity), "app.kubernetes.io/runtime": config.runtime };
    const { drainSeconds, gracePeriodSeconds } = config.shutdown;
    const spec = buildPodSpec({
        runAs: { user: RUNTIME_UID, group: RUNTIME_UID, fsGroup: RUNTIME_UID },
        serviceAccountName: resolved.objectName,
        automountServiceAccountToken: false, // the runtime never calls the Kubernetes API
        imagePullSecrets: pullSecretsFor(args.images, [resolved.image]),
        containers: [
            {
                name: "runtime",
                image: resolved.image,
                imagePullPolicy: config.image.pullPolicy,
                ports: [{ name: "http", containerPort: resolved.containerPort, protocol: "TCP" }],
                env: [...resolved.env, ...secretEnv(secrets, RUNTIME_SECRET_ENV)],
                // The chart's timings; the startup probe lets slow starts pass without loosening liveness.
                startup: httpGetProbe("/health", "http", { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 30 }),
                readiness: httpGetProbe("/health", "http", { initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 }),
                liveness: httpGetProbe("/health", "http", { initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 }),
                resources: config.resources,
                writableDirs: [TMP_DIR],
                // Keep serving open streams after leaving the endpoints; `sleep` needs no binary in the image.
                ...(drainSeconds > 0 ? { lifecycle: { preStop: { sleep: { seconds: drainSeconds } } } } : {}),
            },
        ],
        terminationGracePeriodSeconds: drainSeconds + gracePeriodSeconds,
        ...buildSpreading(config, resolved.identity),
        nodeSelector: Object.keys(config.scheduling.nodeSelector).length ? config.scheduling.nodeSelector : undefined,
        tolerations: config.scheduling.tolerations,
    });
    return {
        // An HPA owns the replica count; setting it here would fight the autoscaler on every deploy.
        ...(config.autoscaling.enabled ? {} : { replicas: config.replicas }),
        selector: { matchLabels: selectorLabels(resolved.identity) },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: buildPodTemplate({
            labels,
            annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": String(resolved.containerPort), "prometheus.io/path": "/metrics" },
            spec,
        }),
    };
}

export function buildAgentRuntimeHpaSpec(config: AgentRuntimeConfig, deploymentName: pulumi.Input<string>): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    const { autoscaling } = config;
    const utilization = (name: string, averageUtilization: number) => ({ type: "Resource", resource: { name, target: { type: "Utilization", averageUtilization } } });
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
        minReplicas: autoscaling.minReplicas,
        maxReplicas: autoscaling.maxReplicas,
        metrics: [utilization("cpu", autoscaling.targetCpuUtilization), utilization("memory", autoscaling.targetMemoryUtilization)],
        // The chart's behaviour: double (or +4 pods) every 30 s up; at most half every minute down.
        behavior: {
            scaleUp: {
                stabilizationWindowSeconds: 0,
                selectPolicy: "Max",
                policies: [
                    { type: "Percent", value: 100, periodSeconds: 30 },
                    { type: "Pods", value: 4, periodSeconds: 30 },
                ],
            },
            scaleDown: { stabilizationWindowSeconds: autoscaling.scaleDownStabilizationSeconds, policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] },
        },
    };
}

export function buildAgentRuntimePdbSpec(config: AgentRuntimeConfig, identity: AppIdentity): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    const { minAvailable, maxUnavailable } = config.podDisruptionBudget;
    return {
        selector: { matchLabels: selectorLabels(identity) },
        ...(minAvailable !== undefined ? { minAvailable } : { maxUnavailable: maxUnavailable ?? 1 }),
        // Evict pods that never became ready, so a broken rollout cannot block a drain.
        unhealthyPodEvictionPolicy: "AlwaysAllow",
    };
}

export function buildAgentRuntimeServiceSpec(resolved: ResolvedAgentRuntime): k8s.types.input.core.v1.ServiceSpec {
    return {
        type: "ClusterIP",
        selector: selectorLabels(resolved.identity),
        ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
    };
}

export class AgentRuntime extends pulumi.ComponentResource {
    /** In-cluster URL of the runtime's Service. */
    readonly url: pulumi.Output<string>;
    /** URLs through the ingress, when it is enabled. */
    readonly externalUrls?: string[];

    constructor(name: string, args: AgentRuntimeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:agent-runtime:AgentRuntime", name, {}, opts);
        const { config } = args;
        const resolved = resolveAgentRuntimeArgs(args);
        const metadata = { name: resolved.objectName, namespace: args.namespace, labels: objectLabels(resolved.identity) };
        const child = { parent: this };

        const secrets = new Secrets(
            `${name}-secrets`,
            {
                identity: resolved.identity,
                namespace: args.namespace,
                values: RUNTIME_SECRET_VALUES,
                config: secretsWithKeyVault(config.secrets, args.keyVault),
                configPath: "agentRuntime.secrets",
                crdsReady: args.crdsReady,
                externalReady: args.keyVaultReady,
            },
            child,
        );
        new k8s.core.v1.ServiceAccount(`${name}-serviceaccount`, { metadata, automountServiceAccountToken: false }, child);
        // Reloader rolls the pods when a Secret they read changes in place (a rotation in the vault).
        const deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, { metadata: withReloaderAnnotation(metadata, secrets.rotatingSecretNames), spec: buildAgentRuntimeDeploymentSpec(args, resolved, secrets.refs) }, child);
        if (args.config.autoscaling.enabled) {
            new k8s.autoscaling.v2.HorizontalPodAutoscaler(
                `${name}-hpa`,
                { metadata, spec: buildAgentRuntimeHpaSpec(args.config, deployment.metadata.name) },
                { parent: this },
            );
        }
        if (args.config.podDisruptionBudget.enabled) {
            new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, { metadata, spec: buildAgentRuntimePdbSpec(args.config, resolved.identity) }, { parent: this });
        }
        const service = new k8s.core.v1.Service(`${name}-service`, { metadata, spec: buildAgentRuntimeServiceSpec(resolved) }, child);

        if (args.networkPolicy.enabled && config.networkPolicy.enabled) {
            const port = [{ port: resolved.containerPort, protocol: "TCP" as const }];
            new NetworkPolicy(
                `${name}-network-policy`,
                {
                    identity: resolved.identity,
                    namespace: args.namespace,
                    cluster: args.networkPolicy,
                    service: config.networkPolicy,
                    ingressPorts: port,
                    metricsPorts: port,
                    egressTo: databaseEgress(config),
                    endpoints: runtimeEndpoints(config),
                    platformDomain: args.platformDomain,
                    configPaths: { cluster: "networkPolicy", service: "agentRuntime.networkPolicy" },
                },
                child,
            );
        }
        let urls: string[] | undefined;
        if (config.ingress.enabled) {
            const ingress = new ServiceIngress(
                `${name}-ingress`,
                {
                    config: config.ingress,
                    identity: resolved.identity,
                    namespace: args.namespace,
                    backend: { serviceName: resolved.objectName, port: 80 },
                    platformDomain: args.platformDomain,
                    configPath: "agentRuntime.ingress",
                    crdsReady: args.crdsReady,
                },
                child,
            );
            urls = ingress.urls;
        }
        if (config.monitoring.enabled) {
            new Monitoring(
                `${name}-monitoring`,
                {
                    config: config.monitoring,
                    identity: resolved.identity,
                    namespace: args.namespace,
                    serviceName: resolved.objectName,
                    workload: { kind: "Deployment", name: resolved.objectName },
                    metricPrefix: "agent_runtime",
                    profile: "http",
                    configPath: "agentRuntime.monitoring",
                    crdsReady: args.crdsReady,
                },
                child,
            );
        }

        this.url = pulumi.interpolate`http://${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`;
        this.externalUrls = urls;
        this.registerOutputs({ url: this.url, externalUrls: this.externalUrls });
    }
}
