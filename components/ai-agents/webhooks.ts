/**
 * One webhook receiver per WebhookSource (`webhooks.provisioning: static`): a ConfigMap with
 * WEBHOOK_SOURCE_NAME, a Deployment on the API's release tag, a Service, and an Ingress that
 * routes `/api/webhooks/<source>` on the platform host to it (more specific than the public
 * `/api/webhooks` prefix, which stays with the API). Its RBAC is in rbac.ts, its NetworkPolicy
 * in network-policies.ts. With `provisioning: api` the API's WebhookSourceWatcher creates the
 * equivalent objects itself and this file creates nothing.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceIngress } from "../ingress";
import { buildPodSpec, buildPodTemplate, objectLabels, podLabels, selectorLabels } from "../pod";
import { platformIngressConfig } from "./ingress";
import { AI_AGENTS_RUN_AS, buildWebhookEnv, contentHashName, processContainer, ResolvedAiAgents, webhookIdentity, webhookName } from "./resolve";

export const webhookPath = (source: string) => `/api/webhooks/${source}`;

export function buildWebhookConfigMap(resolved: ResolvedAiAgents, source: string) {
    const data = buildWebhookEnv(resolved, source);
    return {
        metadata: {
            name: contentHashName(`${webhookName(resolved, source)}-env`, data),
            namespace: resolved.namespace,
            labels: objectLabels(webhookIdentity(resolved, source)),
        },
        immutable: true,
        data,
    };
}

export function buildWebhookDeploymentSpec(resolved: ResolvedAiAgents, source: string, configMapName: string): k8s.types.input.apps.v1.DeploymentSpec {
    const { config } = resolved;
    const identity = webhookIdentity(resolved, source);
    const spec = buildPodSpec({
        runAs: AI_AGENTS_RUN_AS,
        serviceAccountName: webhookName(resolved, source),
        automountServiceAccountToken: true, // reads its WebhookSource, creates InferenceRequests
        imagePullSecrets: resolved.pullSecrets,
        containers: [
            {
                ...processContainer(resolved, { name: "webhook", image: resolved.images.webhook, port: config.settings.port }),
                envFrom: [{ configMapRef: { name: configMapName } }],
                resources: config.webhooks.resources,
            },
        ],
    });
    return {
        replicas: config.webhooks.replicas,
        selector: { matchLabels: selectorLabels(identity) },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: buildPodTemplate({ labels: podLabels(identity), spec }),
    };
}

export function buildWebhookServiceSpec(resolved: ResolvedAiAgents, source: string): k8s.types.input.core.v1.ServiceSpec {
    return {
        type: "ClusterIP",
        selector: selectorLabels(webhookIdentity(resolved, source)),
        ports: [{ name: "http", port: resolved.config.settings.port, targetPort: "http", protocol: "TCP" }],
    };
}

export interface AiAgentsWebhookArgs {
    resolved: ResolvedAiAgents;
    /** The WebhookSource this receiver serves (WEBHOOK_SOURCE_NAME). */
    source: string;
    /** Replaces `{domain}` in `ingress.host`. */
    platformDomain?: string;
    /** Its ServiceAccount and RBAC. @default [] */
    rbac?: pulumi.Resource[];
    /** The labrats.work CRDs (it reads its WebhookSource). @default [] */
    crds?: pulumi.Resource[];
    /** What installs the add-ons' CRDs (Gateway API, for its HTTPRoute). @default [] */
    crdsReady?: pulumi.Resource[];
}

export class AiAgentsWebhook extends pulumi.ComponentResource {
    constructor(name: string, args: AiAgentsWebhookArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:ai-agents:AiAgentsWebhook", name, {}, opts);
        const { resolved, source } = args;
        const identity = webhookIdentity(resolved, source);
        const serviceName = webhookName(resolved, source);
        const metadata = { name: serviceName, namespace: resolved.namespace, labels: objectLabels(identity) };
        const configMap = buildWebhookConfigMap(resolved, source);
        const env = new k8s.core.v1.ConfigMap(`${name}-configmap`, configMap, { parent: this });
        new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            { metadata, spec: buildWebhookDeploymentSpec(resolved, source, configMap.metadata.name) },
            { parent: this, dependsOn: [env, ...(args.rbac ?? []), ...(args.crds ?? [])] },
        );
        new k8s.core.v1.Service(`${name}-service`, { metadata, spec: buildWebhookServiceSpec(resolved, source) }, { parent: this });
        if (resolved.config.ingress.enabled) {
            const route = { path: webhookPath(source), serviceName, port: resolved.config.settings.port };
            new ServiceIngress(
                `${name}-ingress`,
                {
                    config: platformIngressConfig(resolved, [route], { authenticated: false }),
                    identity,
                    namespace: resolved.namespace,
                    backend: { serviceName, port: resolved.config.settings.port },
                    platformDomain: args.platformDomain,
                    configPath: "aiAgents.ingress",
                    crdsReady: args.crdsReady,
                },
                { parent: this },
            );
        }
        this.registerOutputs({});
    }
}
