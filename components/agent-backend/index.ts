/**
 * AgentBackend: the Seqera agent backend (seed chart `agent-backend` 0.1.4) on port 8002
 * behind a port-80 Service, with its MySQL settings in a ConfigMap and its credentials through
 * the secrets block.
 *
 * Before the backend starts, each pod runs your init containers, a wait that proves MySQL
 * accepts the configured credentials, and the database migration (`./init.sh`); or, with
 * `migrations.mode: job`, the migration runs once per image version in a Job the Deployment
 * waits for. The database may be the stack's own Azure MySQL (`args.database`). From the
 * building blocks: a NetworkPolicy (MySQL, DNS, HTTPS out; the ingress controller in) and an
 * Ingress or HTTPRoute whose hosts may use the platform domain (`ai.{domain}`).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceContext } from "../platform";
import { ExtraMetadata, extraMetadataTransformation, hasExtraMetadata } from "./metadata";
import { buildBackendServiceSpec } from "./service";
import { ResolvedDatabase, StackDatabase, buildSettingsData, resolveDatabase, resolveUrl } from "./settings";
import { WorkloadInputs, buildBackendDeploymentSpec, buildMigrationJobSpec, mergePullSecrets, migrationJobName } from "./workload";
import { ServiceIngress } from "../ingress";
import { NetworkPolicy } from "../network-policy";
import { AppIdentity, imageReference, objectLabels } from "../pod";
import { backendEndpoints } from "./endpoints";
import { agentBackendStackProblems } from "./stack-problems";
import { AgentBackendConfig, BACKEND_SECRET_VALUES, BackendSecretId } from "./schema";
import { pullSecretsFor } from "../images";
import { SecretRefs, SecretValueSpec, Secrets, SecretsConfig, withReloaderAnnotation } from "../secrets";

export type { StackDatabase } from "./settings";

/** The platform's service context; its pull Secrets come first, the block's per-image ones are added. */
export interface AgentBackendArgs extends ServiceContext {
    /** The `agentBackend` block, validated and defaulted by `agentBackendBlock`. */
    config: AgentBackendConfig;
    /**
     * The stack's MySQL server (e.g. `AzureMysql.connection`): fills the `database` settings the
     * block leaves out, and its password (kept in a Secret this stack owns) is used unless
     * `secrets.databasePassword` names another source. @default none: the block must set them
     */
    database?: StackDatabase;
}

export const BACKEND_NAME = "agent-backend";

export interface ResolvedAgentBackend {
    identity: AppIdentity;
    /** The migration Job's pods: their own instance label, so the Service never selects them. */
    migrationIdentity: AppIdentity;
    image: string;
    waitImage: string;
    database: ResolvedDatabase;
    urls: { platformApiUrl: string; mcpUrl: string };
    pullSecrets: pulumi.Input<string>[];
    serviceAccountName: string;
    createServiceAccount: boolean;
    /** The block's secrets, with the stack's Key Vault filled in for `external` mode. */
    secrets: SecretsConfig<BackendSecretId>;
    /** The values the block's secrets provide (the password only when the stack's server does not, or wrote it into the vault). */
    secretValues: SecretValueSpec<BackendSecretId>[];
    /** The stack's generated password is read from the stack's Key Vault with the other values (mode `external`). */
    passwordFromVault: boolean;
    /** Set in `migrations.mode: job`. */
    migrationJobName?: string;
}

/** The secrets block, with the stack's Key Vault filled in for `external` mode. */
export function backendSecretsWithKeyVault(config: SecretsConfig<BackendSecretId>, keyVault: AgentBackendArgs["keyVault"]): SecretsConfig<BackendSecretId> {
    if (config.mode !== "external" || !keyVault) return config;
    return { ...config, external: { ...keyVault, ...(config.external ?? {}) } };
}

/** The ServiceAccount the backend's SecretStore uses in `external` mode (to federate with Key Vault). */
export function agentBackendKeyVaultServiceAccount(config: AgentBackendConfig): string | undefined {
    return config.secrets.mode === "external" ? (config.secrets.external?.serviceAccountName ?? `${config.name}-keyvault`) : undefined;
}

/** With the stack's password in use, an empty `databasePassword: {}` entry is no source: drop it. */
function withoutStackPassword(config: SecretsConfig<BackendSecretId>, fromStack: boolean): SecretsConfig<BackendSecretId> {
    if (!fromStack || config.values.databasePassword === undefined) return config;
    const { databasePassword: _unused, ...values } = config.values;
    return { ...config, values };
}

/** The stack's password, read from the vault key the stack wrote it to, in place of any empty `databasePassword` entry. */
function withVaultPassword(config: SecretsConfig<BackendSecretId>, remoteKey: string): SecretsConfig<BackendSecretId> {
    return { ...config, values: { ...config.values, databasePassword: { remoteKey } } };
}

/** Undefined for an empty map, so objects carry no empty `annotations: {}`. */
const nonEmpty = (map: Record<string, string>) => (Object.keys(map).length ? map : undefined);

const formatPath = (path: (string | number)[]) => path.reduce<string>((at, part) => (typeof part === "number" ? `${at}[${part}]` : `${at}.${part}`), "agentBackend");

export function resolveAgentBackendArgs(args: AgentBackendArgs): ResolvedAgentBackend {
    const { config } = args;
    // Constructed means deployed: the rules apply whatever `enabled` says.
    const problems = agentBackendStackProblems({ ...config, enabled: true }, {
        stackDatabase: args.database !== undefined,
        imagesRegistry: args.images.registry,
        platformDomain: args.platformDomain,
        stackKeyVault: args.keyVault !== undefined,
    });
    if (problems.length > 0) throw new Error(problems.map((p) => `${formatPath(p.path)}: ${p.message}`).join("\n"));

    const identity: AppIdentity = { name: BACKEND_NAME, instance: config.name, component: "backend", version: config.image.tag };
    const database = resolveDatabase(config, args.database, args.networkPolicy);
    const wait = config.initContainerDependencies.waitForMySQL;
    const waits = config.initContainerDependencies.enabled && wait.enabled;
    const image = (i: AgentBackendConfig["image"]) => imageReference({ registry: i.registry ?? args.images.registry, repository: i.repository, tag: i.tag, digest: i.digest });
    const backendImage = image(config.image);
    const waitImage = image(wait.image);
    // The stack wrote its generated password into its vault: read it there, like the other values.
    const vaultKey = database.passwordFromStack && config.secrets.mode === "external" && config.secrets.external?.vaultUrl === undefined ? args.database?.passwordRemoteKey : undefined;
    const secrets = backendSecretsWithKeyVault(config.secrets, args.keyVault);
    return {
        identity,
        migrationIdentity: { name: BACKEND_NAME, instance: `${config.name}-migration`, component: "migration", version: config.image.tag },
        image: backendImage,
        waitImage,
        database,
        urls: {
            platformApiUrl: resolveUrl(config.platformApiUrl, "platformApiUrl", args.platformDomain),
            mcpUrl: resolveUrl(config.mcpUrl, "mcpUrl", args.platformDomain),
        },
        // The stack's registry logins for the backend's (private) registry, and the wait's.
        pullSecrets: mergePullSecrets(pullSecretsFor(args.images, waits ? [backendImage, waitImage] : [backendImage]), config.image.pullSecrets, waits ? wait.image.pullSecrets : []),
        serviceAccountName: config.serviceAccount.name ?? config.name,
        createServiceAccount: config.serviceAccount.name === undefined,
        secrets: vaultKey ? withVaultPassword(secrets, vaultKey) : withoutStackPassword(secrets, database.passwordFromStack),
        // Without the stack's server the password is required, as the chart's checks demand.
        secretValues: BACKEND_SECRET_VALUES.filter((v) => v.id !== "databasePassword" || !database.passwordFromStack || vaultKey).map((v) => ({ ...v, required: true })),
        passwordFromVault: vaultKey !== undefined,
        ...(config.migrations.mode === "job" ? { migrationJobName: migrationJobName(config.name, backendImage) } : {}),
    };
}

function extraMetadataOf(config: AgentBackendConfig): ExtraMetadata {
    return {
        common: { labels: config.commonLabels, annotations: config.commonAnnotations },
        secret: { labels: config.secretLabels, annotations: config.secretAnnotations },
    };
}

export class AgentBackend extends pulumi.ComponentResource {
    /** In-cluster URL of the backend's Service. */
    readonly url: pulumi.Output<string>;
    /** URLs through the ingress, when it is enabled. */
    readonly externalUrls?: string[];

    constructor(name: string, args: AgentBackendArgs, opts?: pulumi.ComponentResourceOptions) {
        const resolved = resolveAgentBackendArgs(args);
        const extra = extraMetadataOf(args.config);
        const transformations = hasExtraMetadata(extra) ? [...(opts?.transformations ?? []), extraMetadataTransformation(extra)] : opts?.transformations;
        super("agent-platform:agent-backend:AgentBackend", name, {}, { ...opts, transformations });
        const { config } = args;
        const child = { parent: this };
        const metadata = { name: config.name, namespace: args.namespace, labels: objectLabels(resolved.identity) };

        const secrets = new Secrets(
            `${name}-secrets`,
            {
                identity: resolved.identity,
                namespace: args.namespace,
                values: resolved.secretValues,
                config: resolved.secrets,
                configPath: "agentBackend.secrets",
                crdsReady: args.crdsReady,
                externalReady: args.keyVaultReady,
            },
            child,
        );
        let refs: SecretRefs<BackendSecretId> = secrets.refs;
        if (resolved.database.passwordFromStack && !resolved.passwordFromVault) {
            // The stack's generated password goes into a Secret this stack owns, never into the ConfigMap.
            const stackSecrets = new Secrets(
                `${name}-database-secrets`,
                {
                    identity: resolved.identity,
                    namespace: args.namespace,
                    values: BACKEND_SECRET_VALUES.filter((v) => v.id === "databasePassword").map((v) => ({ ...v, required: true })),
                    config: { mode: "managed", values: { databasePassword: { value: args.database!.password } } },
                    configPath: "agentBackend.database",
                },
                child,
            );
            refs = { ...refs, ...stackSecrets.refs };
        }

        // Auto-named and immutable: a changed setting is a new ConfigMap, so the pods roll.
        const settings = new k8s.core.v1.ConfigMap(
            `${name}-settings`,
            {
                metadata: { namespace: args.namespace, labels: { ...config.configMapLabels, ...objectLabels(resolved.identity) }, annotations: nonEmpty(config.configMapAnnotations) },
                immutable: true,
                data: buildSettingsData(config, resolved.database, resolved.urls),
            },
            { ...child, replaceOnChanges: ["data"] },
        );

        if (resolved.createServiceAccount) {
            new k8s.core.v1.ServiceAccount(
                `${name}-serviceaccount`,
                {
                    metadata: { ...metadata, annotations: nonEmpty(config.serviceAccount.annotations) },
                    automountServiceAccountToken: config.serviceAccount.automountServiceAccountToken,
                    ...(config.serviceAccount.imagePullSecretNames.length ? { imagePullSecrets: config.serviceAccount.imagePullSecretNames.map((n) => ({ name: n })) } : {}),
                },
                child,
            );
        }

        const inputs: WorkloadInputs = {
            config,
            identity: resolved.identity,
            image: resolved.image,
            waitImage: resolved.waitImage,
            configMapName: settings.metadata.name,
            secretRefs: refs,
            pullSecrets: resolved.pullSecrets,
            serviceAccountName: resolved.serviceAccountName,
        };

        let migration: k8s.batch.v1.Job | undefined;
        if (resolved.migrationJobName) {
            // Pulumi waits until the Job completes; its deadline covers the MySQL wait and retries.
            const minutes = Math.ceil(config.migrations.activeDeadlineSeconds / 60) + 5;
            migration = new k8s.batch.v1.Job(
                `${name}-migration`,
                {
                    metadata: { name: resolved.migrationJobName, namespace: args.namespace, labels: objectLabels(resolved.migrationIdentity) },
                    spec: buildMigrationJobSpec(inputs, resolved.migrationIdentity),
                },
                { ...child, deleteBeforeReplace: true, customTimeouts: { create: `${minutes}m`, update: `${minutes}m` } },
            );
        }
        new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            // Reloader rolls the pods when a Secret they read changes in place (a rotation in the vault).
            { metadata: withReloaderAnnotation(metadata, secrets.rotatingSecretNames), spec: buildBackendDeploymentSpec(inputs) },
            // Job mode: the new version starts only after its migration succeeded.
            { ...child, dependsOn: migration ? [migration] : [] },
        );
        const service = new k8s.core.v1.Service(
            `${name}-service`,
            { metadata: { ...metadata, annotations: nonEmpty(config.service.annotations) }, spec: buildBackendServiceSpec(config, resolved.identity) },
            child,
        );

        if (args.networkPolicy.enabled && config.networkPolicy.enabled) {
            new NetworkPolicy(
                `${name}-network-policy`,
                {
                    identity: resolved.identity,
                    namespace: args.namespace,
                    cluster: args.networkPolicy,
                    service: config.networkPolicy,
                    ingressPorts: [{ port: config.containerPort, protocol: "TCP" }],
                    egressTo: [resolved.database.egress],
                    endpoints: backendEndpoints(config),
                    platformDomain: args.platformDomain,
                    configPaths: { cluster: "networkPolicy", service: "agentBackend.networkPolicy" },
                },
                child,
            );
            if (migration) {
                // The migration pods only talk to MySQL (and DNS): no ingress, no internet.
                new NetworkPolicy(
                    `${name}-migration-network-policy`,
                    {
                        identity: resolved.migrationIdentity,
                        namespace: args.namespace,
                        cluster: args.networkPolicy,
                        service: { ...config.networkPolicy, internet: false, extraIngress: [] },
                        egressTo: [resolved.database.egress],
                        configPaths: { cluster: "networkPolicy", service: "agentBackend.networkPolicy" },
                    },
                    child,
                );
            }
        }

        let urls: string[] | undefined;
        if (config.ingress.enabled) {
            const ingress = new ServiceIngress(
                `${name}-ingress`,
                {
                    config: config.ingress,
                    identity: resolved.identity,
                    namespace: args.namespace,
                    backend: { serviceName: config.name, port: config.service.port },
                    platformDomain: args.platformDomain,
                    configPath: "agentBackend.ingress",
                    crdsReady: args.crdsReady,
                },
                child,
            );
            urls = ingress.urls;
        }

        const port = config.service.port === 80 ? "" : `:${config.service.port}`;
        this.url = pulumi.interpolate`http://${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local${port}`;
        this.externalUrls = urls;
        this.registerOutputs({ url: this.url, ...(this.externalUrls ? { externalUrls: this.externalUrls } : {}) });
    }
}
