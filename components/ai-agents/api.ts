/**
 * The API (Express + operator, port 3001): its ConfigMap with the seed's env table, the three
 * required secrets through the secrets block, the Deployment and Service, and its monitoring
 * (ServiceMonitor, Grafana dashboard) through the monitoring block.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Monitoring } from "../monitoring";
import { buildPodSpec, buildPodTemplate, objectLabels, podLabels, selectorLabels } from "../pod";
import { AI_AGENTS_SECRET_VALUES, AiAgentsSecretId } from "./schema";
import { SecretRefs, Secrets, secretEnv, StackKeyVault, withReloaderAnnotation } from "../secrets";
import { AI_AGENTS_RUN_AS, buildApiEnv, contentHashName, dataMounts, dataVolumes, processContainer, ResolvedAiAgents, workspaceStrategy } from "./resolve";

/** The API's environment variables read from its Secret. */
export const API_SECRET_ENV: Readonly<Record<string, AiAgentsSecretId>> = {
    OIDC_CLIENT_SECRET: "oidcClientSecret",
    JWT_SECRET: "jwtSecret",
    SUBMIT_API_KEYS: "submitApiKeys",
};

/** Metric prefix the dashboard assumes when `monitoring.metricPrefix` is not set. */
export const API_METRIC_PREFIX = "ai_agents_api";

export function buildApiConfigMap(resolved: ResolvedAiAgents) {
    const data = buildApiEnv(resolved);
    return {
        metadata: { name: contentHashName(`${resolved.names.api}-env`, data), namespace: resolved.namespace, labels: objectLabels(resolved.identities.api) },
        // A change is a new ConfigMap (content-hash name), which rolls the pods.
        immutable: true,
        data,
    };
}

export function buildApiDeploymentSpec(
    resolved: ResolvedAiAgents,
    configMapName: string,
    secrets: SecretRefs<AiAgentsSecretId>,
): k8s.types.input.apps.v1.DeploymentSpec {
    const { config, identities, names } = resolved;
    const spec = buildPodSpec({
        runAs: AI_AGENTS_RUN_AS,
        serviceAccountName: names.api,
        // The operator watches its CRDs and launches executor Jobs.
        automountServiceAccountToken: true,
        imagePullSecrets: resolved.pullSecrets,
        containers: [
            {
                ...processContainer(resolved, { name: "api", image: resolved.images.api, port: config.settings.port }),
                envFrom: [{ configMapRef: { name: configMapName } }],
                env: secretEnv(secrets, API_SECRET_ENV),
                resources: config.api.resources,
                volumeMounts: dataMounts(resolved),
            },
        ],
        volumes: dataVolumes(resolved),
    });
    return {
        replicas: config.api.replicas,
        selector: { matchLabels: selectorLabels(identities.api) },
        strategy: workspaceStrategy(resolved),
        template: buildPodTemplate({ labels: podLabels(identities.api), spec }),
    };
}

export function buildApiServiceSpec(resolved: ResolvedAiAgents): k8s.types.input.core.v1.ServiceSpec {
    return {
        type: "ClusterIP",
        selector: selectorLabels(resolved.identities.api),
        ports: [{ name: "http", port: resolved.config.settings.port, targetPort: "http", protocol: "TCP" }],
    };
}

export interface AiAgentsApiArgs {
    resolved: ResolvedAiAgents;
    /** ServiceAccount and RBAC of the API; its pods wait for them. @default [] */
    rbac?: pulumi.Resource[];
    /** The labrats.work CRDs the operator watches. @default [] */
    crds?: pulumi.Resource[];
    /** What installs the External Secrets and Prometheus Operator CRDs. @default [] */
    crdsReady?: pulumi.Resource[];
    /** What the API's ExternalSecret waits for (the stack's Key Vault `ready`). @default [] */
    /** The stack's own Key Vault, for mode `external`. */
    keyVault?: StackKeyVault;
    keyVaultReady?: pulumi.Resource[];
}

export class AiAgentsApi extends pulumi.ComponentResource {
    /** Name of the API's ConfigMap (content-hash), which the CronJobs read too. */
    readonly configMapName: string;
    /** In-cluster URL of the API. */
    readonly url: pulumi.Output<string>;

    constructor(name: string, args: AiAgentsApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:ai-agents:AiAgentsApi", name, {}, opts);
        const { resolved } = args;
        const { names, identities, config } = resolved;
        const child = { parent: this };
        const metadata = { name: names.api, namespace: resolved.namespace, labels: objectLabels(identities.api) };

        const secrets = new Secrets(
            `${name}-secrets`,
            {
                identity: identities.api,
                namespace: resolved.namespace,
                values: AI_AGENTS_SECRET_VALUES,
                config: resolved.secrets,
                keyVault: args.keyVault,
                configPath: "aiAgents.secrets",
                crdsReady: args.crdsReady,
                externalReady: args.keyVaultReady,
            },
            child,
        );
        const configMap = buildApiConfigMap(resolved);
        this.configMapName = configMap.metadata.name;
        const env = new k8s.core.v1.ConfigMap(`${name}-configmap`, configMap, child);
        new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            // Reloader rolls the API when its Secret changes in place (a rotation in the vault).
            {
                metadata: withReloaderAnnotation(metadata, secrets.rotatingSecretNames),
                spec: buildApiDeploymentSpec(resolved, configMap.metadata.name, secrets.refs),
            },
            { parent: this, dependsOn: [env, ...(args.rbac ?? []), ...(args.crds ?? [])] },
        );
        const service = new k8s.core.v1.Service(`${name}-service`, { metadata, spec: buildApiServiceSpec(resolved) }, child);

        if (config.monitoring.enabled) {
            new Monitoring(
                `${name}-monitoring`,
                {
                    config: config.monitoring,
                    identity: identities.api,
                    namespace: resolved.namespace,
                    serviceName: names.api,
                    workload: { kind: "Deployment", name: names.api },
                    metricPrefix: API_METRIC_PREFIX,
                    profile: "http",
                    alertPrefix: "AiAgentsApi",
                    configPath: "aiAgents.monitoring",
                    crdsReady: args.crdsReady,
                },
                child,
            );
        }

        this.url = pulumi.interpolate`http://${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local:${config.settings.port}`;
        this.registerOutputs({ url: this.url, configMapName: this.configMapName });
    }
}
