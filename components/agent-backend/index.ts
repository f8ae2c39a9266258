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
import { ServiceIngress } from "../ingress";
import { NetworkPolicy } from "../network-policy";
import { objectLabels } from "../pod";
import { SecretRefs, Secrets, withReloaderAnnotation } from "../secrets";
import { backendEndpoints } from "./endpoints";
import { ExtraMetadata, extraMetadataTransformation, hasExtraMetadata } from "./metadata";
import { AgentBackendArgs, resolveAgentBackendArgs } from "./resolve";
import { AgentBackendConfig, BACKEND_SECRET_VALUES, BackendSecretId } from "./schema";
import { buildBackendServiceSpec } from "./service";
import { buildSettingsData } from "./settings";
import { WorkloadInputs, buildBackendDeploymentSpec, buildMigrationJobSpec } from "./workload";

export * from "./resolve";

/** Undefined for an empty map, so objects carry no empty `annotations: {}`. */
const nonEmpty = (map: Record<string, string>) => (Object.keys(map).length ? map : undefined);

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
                keyVault: args.keyVault,
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
                metadata: {
                    namespace: args.namespace,
                    labels: { ...config.configMapLabels, ...objectLabels(resolved.identity) },
                    annotations: nonEmpty(config.configMapAnnotations),
                },
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
                    ...(config.serviceAccount.imagePullSecretNames.length
                        ? { imagePullSecrets: config.serviceAccount.imagePullSecretNames.map((n) => ({ name: n })) }
                        : {}),
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
