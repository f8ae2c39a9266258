/**
 * What every part of the ai-agents platform shares: the args the platform passes in, and
 * what `resolveAiAgentsArgs` derives from them once (object names, identities, images, the
 * env tables, volumes, probes). The parts only read the resolved value.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { type ConfigProblem, throwProblems, under } from "../core/problems";
import { apiServerAddressProblems } from "../network-policy/rules";
import { AppIdentity, ContainerArgs, httpGetProbe, imageReference, RunAs, TMP_DIR } from "../pod";
import { pullSecretsFor } from "../images";
import { AiAgentsConfig, AiAgentsSecretId } from "./schema";
import type { SecretsConfig } from "../secrets/resolve";
import type { ServiceContext } from "../platform";

export interface AiAgentsPlatformArgs extends ServiceContext {
    /** The `aiAgents` block, validated and defaulted by `aiAgentsBlock`. */
    config: AiAgentsConfig;
}

/** The images' user: UID/GID 1001, as the seed's security context says. */
export const AI_AGENTS_RUN_AS: RunAs = { user: 1001, group: 1001, fsGroup: 1001 };
/** `app.kubernetes.io/name` of every object of the platform. */
export const APP_NAME = "ai-agents";

export type Process = "api" | "app" | "processor" | "executor" | "cleanup" | "tokenRefresh";

export interface ResolvedAiAgents {
    config: AiAgentsConfig;
    namespace: pulumi.Input<string>;
    /** The platform domain: `{domain}` in URLs, and hosts under it are outside the cluster. */
    platformDomain?: string;
    /** The release tag every image shares. */
    tag: string;
    names: Record<Process, string> & {
        workspaceClaim: string;
        uploadsClaim?: string;
        modelsCacheClaim?: string;
        executorServiceAccount: string;
        publicIngress: string;
        protectedIngress: string;
        tlsSecret: string;
    };
    identities: Record<Process, AppIdentity>;
    images: { api: string; app: string; processor: string; webhook: string; executor: string };
    pullPolicy: "Always" | "IfNotPresent" | "Never";
    /** The platform's pull Secrets: the shared ones and the stack's logins for its images' registries. */
    pullSecrets: pulumi.Input<string>[];
    /** Static webhook receivers (provisioning `static`). */
    webhookSources: string[];
    /** Where each value of the API's Secret comes from (the stack's Key Vault is filled in by the secrets block). */
    secrets: SecretsConfig<AiAgentsSecretId>;
    /** The workspace volume is ReadWriteOnce: its users must share the API pod's node. */
    workspaceSingleNode: boolean;
}

const identity = (base: string, suffix: string, component: string, version: string): AppIdentity => ({
    name: APP_NAME,
    instance: `${base}-${suffix}`,
    component,
    version,
});

/** The identity of a shared object (CRDs, ingress, storage): not selected by anything. */
export function platformIdentity(resolved: ResolvedAiAgents, component: string): AppIdentity {
    return { name: APP_NAME, instance: resolved.config.name, component, version: resolved.tag };
}

export function webhookName(resolved: ResolvedAiAgents, source: string): string {
    return `${resolved.config.name}-webhook-${source}`;
}

export function webhookIdentity(resolved: ResolvedAiAgents, source: string): AppIdentity {
    return { name: APP_NAME, instance: webhookName(resolved, source), component: "webhook", version: resolved.tag };
}

/** The instance of the API's Secrets: their SecretStore's ServiceAccount (mode `external`) is named after it. */
export function aiAgentsSecretsInstance(config: Pick<AiAgentsConfig, "name">): string {
    return `${config.name}-api`;
}

/** What of the platform calls the Kubernetes API, for messages. */
export const AI_AGENTS_API_CALLERS: readonly string[] = ["the ai-agents API", "processor", "webhooks", "executors"];

/** Whether a part of the platform that calls the Kubernetes API has its NetworkPolicy: then the policy must reach the API server. */
export function aiAgentsCallsApiServer(config: AiAgentsConfig): boolean {
    const np = config.networkPolicy;
    return [
        np.api.enabled,
        np.executor.enabled,
        config.processor.enabled && np.processor.enabled,
        config.webhooks.provisioning === "static" && config.webhooks.sources.length > 0 && np.webhooks.enabled,
        config.cronJobs.tokenRefresh.enabled && np.tokenRefresh.enabled,
    ].some(Boolean);
}

/** Applies the derivations and rejects what the schema could not see (args built in code). */
export function resolveAiAgentsArgs(args: AiAgentsPlatformArgs): ResolvedAiAgents {
    const { config } = args;
    const problems: ConfigProblem[] = [];
    if (config.image.tag === undefined) problems.push({ path: ["aiAgents", "image", "tag"], message: "is required (allowed: the release tag, e.g. 1.4.2)" });
    if (config.secrets === undefined)
        problems.push({ path: ["aiAgents", "secrets"], message: "is required (OIDC_CLIENT_SECRET, JWT_SECRET and SUBMIT_API_KEYS)" });
    if (config.webhooks.provisioning === "api" && config.webhooks.sources.length > 0) {
        problems.push({ path: ["aiAgents", "webhooks", "sources"], message: "only deployed with `webhooks.provisioning: static`" });
    }
    if (args.networkPolicy.enabled && aiAgentsCallsApiServer(config))
        problems.push(...under(["networkPolicy"], apiServerAddressProblems(args.networkPolicy, AI_AGENTS_API_CALLERS)));
    throwProblems(problems);

    const tag = config.image.tag!;
    const base = config.name;
    const registry = config.image.registry ?? args.images.registry;
    const image = (repository: string, digest?: string, imageTag = tag) => imageReference({ registry, repository, tag: imageTag, digest });
    const images = {
        api: image(config.image.repository, config.image.digest),
        app: image(config.app.image.repository, config.app.image.digest),
        processor: image(config.processor.image.repository, config.processor.image.digest),
        webhook: image(config.webhooks.image.repository, config.webhooks.image.digest),
        executor: image(config.executor.image.repository, config.executor.image.digest, config.executor.image.tag ?? tag),
    };
    return {
        config,
        namespace: args.namespace,
        platformDomain: args.platformDomain,
        tag,
        names: {
            api: `${base}-api`,
            app: `${base}-app`,
            processor: `${base}-processor`,
            executor: `${base}-executor`,
            cleanup: `${base}-cleanup`,
            tokenRefresh: `${base}-token-refresh`,
            workspaceClaim: `${base}-workspace`,
            ...(config.storage.uploads.enabled ? { uploadsClaim: `${base}-uploads` } : {}),
            ...(config.storage.modelsCache.enabled ? { modelsCacheClaim: config.storage.modelsCache.claimName } : {}),
            executorServiceAccount: config.executor.serviceAccountName ?? `${base}-executor`,
            publicIngress: `${base}-public`,
            protectedIngress: `${base}-protected`,
            tlsSecret: config.ingress.tls.secretName ?? `${base}-tls`,
        },
        identities: {
            api: { name: APP_NAME, instance: aiAgentsSecretsInstance(config), component: "api", version: tag },
            app: identity(base, "app", "app", tag),
            processor: identity(base, "processor", "processor", tag),
            executor: identity(base, "executor", "executor", tag),
            cleanup: identity(base, "cleanup", "cleanup", tag),
            tokenRefresh: identity(base, "token-refresh", "token-refresh", tag),
        },
        images,
        pullPolicy: config.image.pullPolicy,
        pullSecrets: pullSecretsFor(args.images, [images.api, images.app, images.processor, images.webhook]),
        webhookSources: config.webhooks.provisioning === "static" ? config.webhooks.sources : [],
        secrets: config.secrets!,
        workspaceSingleNode: config.storage.workspace.accessMode === "ReadWriteOnce",
    };
}

// ---------------------------------------------------------------------------------------------
// The seed's env table (src/config.ts): which process reads which variable.

/** Variables every process of the API image family reads. */
function commonEnv(resolved: ResolvedAiAgents): Record<string, string> {
    const s = resolved.config.settings;
    return { PORT: String(s.port), LOG_LEVEL: s.logLevel };
}

/** What the API and the processor need to launch executor Jobs. */
function executorEnv(resolved: ResolvedAiAgents): Record<string, string> {
    const s = resolved.config.settings;
    return {
        WORKER_CONCURRENCY: String(s.workerConcurrency),
        UPLOADS_DIR: s.uploadsDir,
        ...(resolved.names.uploadsClaim ? { UPLOADS_PVC_NAME: resolved.names.uploadsClaim } : {}),
        EXECUTOR_IMAGE: resolved.images.executor,
        EXECUTOR_SERVICE_ACCOUNT: resolved.names.executorServiceAccount,
    };
}

/** The API's ConfigMap: the whole table except the secrets and WEBHOOK_SOURCE_NAME. */
export function buildApiEnv(resolved: ResolvedAiAgents): Record<string, string> {
    const s = resolved.config.settings;
    return {
        ...commonEnv(resolved),
        ...executorEnv(resolved),
        APP_VERSION: s.appVersion ?? resolved.tag,
        WORKSPACE_DIR: s.workspaceDir,
        ACCOUNTS_DIR: s.accountsDir,
        OIDC_ISSUER: s.oidc.issuer!,
        OIDC_CLIENT_ID: s.oidc.clientId!,
        OIDC_REDIRECT_URI: s.oidc.redirectUri!,
        ...(s.prometheusUrl ? { PROMETHEUS_URL: s.prometheusUrl } : {}),
    };
}

export function buildProcessorEnv(resolved: ResolvedAiAgents): Record<string, string> {
    return { ...commonEnv(resolved), ...executorEnv(resolved) };
}

export function buildWebhookEnv(resolved: ResolvedAiAgents, source: string): Record<string, string> {
    return { ...commonEnv(resolved), WEBHOOK_SOURCE_NAME: source };
}

/**
 * `<base>-<10 hex chars of the content>`: a ConfigMap whose content changes gets a new name,
 * so every pod template that mounts it changes and the pods roll; the old one is deleted after.
 */
export function contentHashName(base: string, data: Record<string, string>): string {
    const canonical = JSON.stringify(
        Object.keys(data)
            .sort()
            .map((key) => [key, data[key]]),
    );
    return `${base}-${createHash("sha256").update(canonical).digest("hex").slice(0, 10)}`;
}

// ---------------------------------------------------------------------------------------------
// Volumes, probes, scheduling.

export const WORKSPACE_VOLUME = "workspace";
export const UPLOADS_VOLUME = "uploads";

/** The workspace volume, and the uploads volume when it is a PVC of its own. */
export function dataVolumes(resolved: ResolvedAiAgents): k8s.types.input.core.v1.Volume[] {
    return [
        { name: WORKSPACE_VOLUME, persistentVolumeClaim: { claimName: resolved.names.workspaceClaim } },
        ...(resolved.names.uploadsClaim ? [{ name: UPLOADS_VOLUME, persistentVolumeClaim: { claimName: resolved.names.uploadsClaim } }] : []),
    ];
}

export function dataMounts(resolved: ResolvedAiAgents): k8s.types.input.core.v1.VolumeMount[] {
    return [
        { name: WORKSPACE_VOLUME, mountPath: resolved.config.storage.workspace.mountPath },
        ...(resolved.names.uploadsClaim ? [{ name: UPLOADS_VOLUME, mountPath: resolved.config.settings.uploadsDir }] : []),
    ];
}

/**
 * The seed's probe contract: liveness GET /health, readiness GET /ready, both without external
 * dependencies. A startup probe gives a slow boot (informer caches) time without loosening liveness.
 */
export function processProbes(): Pick<ContainerArgs, "startup" | "readiness" | "liveness"> {
    return {
        startup: httpGetProbe("/health", "http", { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 30 }),
        readiness: httpGetProbe("/ready", "http", { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 }),
        liveness: httpGetProbe("/health", "http", { initialDelaySeconds: 0, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 }),
    };
}

/** The container basics of every long-running process of the platform. */
export function processContainer(
    resolved: ResolvedAiAgents,
    args: { name: string; image: string; port: number },
): Pick<ContainerArgs, "name" | "image" | "imagePullPolicy" | "ports" | "writableDirs" | "startup" | "readiness" | "liveness"> {
    return {
        name: args.name,
        image: args.image,
        imagePullPolicy: resolved.pullPolicy,
        ports: [{ name: "http", containerPort: args.port, protocol: "TCP" }],
        writableDirs: [TMP_DIR],
        ...processProbes(),
    };
}

/**
 * With a ReadWriteOnce workspace, pods other than the API that mount it must run on the API
 * pod's node (the volume attaches to one node only).
 */
export function workspaceAffinity(resolved: ResolvedAiAgents): k8s.types.input.core.v1.Affinity | undefined {
    if (!resolved.workspaceSingleNode) return undefined;
    const selector = { matchLabels: { "app.kubernetes.io/name": APP_NAME, "app.kubernetes.io/instance": resolved.names.api } };
    return { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: selector, topologyKey: "kubernetes.io/hostname" }] } };
}

/** Rolling updates with a shared volume; a ReadWriteOnce volume must be released before the new pod can mount it. */
export function workspaceStrategy(resolved: ResolvedAiAgents): k8s.types.input.apps.v1.DeploymentStrategy {
    return resolved.workspaceSingleNode ? { type: "Recreate" } : { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
}
