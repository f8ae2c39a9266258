/**
 * The App (Next.js, port 3000): a Deployment and its Service. It never calls the Kubernetes API
 * (no token), writes only /tmp and the Next.js cache, and reaches the API over the cluster network.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildPodSpec, buildPodTemplate, objectLabels, podLabels, selectorLabels, TMP_DIR } from "../pod";
import { AI_AGENTS_RUN_AS, processContainer, ResolvedAiAgents } from "./resolve";

export function buildAppEnv(resolved: ResolvedAiAgents): k8s.types.input.core.v1.EnvVar[] {
    const { app } = resolved.config;
    return [{ name: "PORT", value: String(app.port) }, ...Object.entries(app.env).map(([name, value]) => ({ name, value }))];
}

export function buildAppDeploymentSpec(resolved: ResolvedAiAgents): k8s.types.input.apps.v1.DeploymentSpec {
    const { config, identities, names } = resolved;
    const container = processContainer(resolved, { name: "app", image: resolved.images.app, port: config.app.port });
    const spec = buildPodSpec({
        runAs: AI_AGENTS_RUN_AS,
        serviceAccountName: names.app,
        automountServiceAccountToken: false,
        imagePullSecrets: resolved.pullSecrets,
        containers: [
            {
                ...container,
                env: buildAppEnv(resolved),
                resources: config.app.resources,
                writableDirs: [TMP_DIR, { name: "next-cache", mountPath: config.app.cacheDir }],
            },
        ],
    });
    return {
        replicas: config.app.replicas,
        selector: { matchLabels: selectorLabels(identities.app) },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: buildPodTemplate({ labels: podLabels(identities.app), spec }),
    };
}

export function buildAppServiceSpec(resolved: ResolvedAiAgents): k8s.types.input.core.v1.ServiceSpec {
    return {
        type: "ClusterIP",
        selector: selectorLabels(resolved.identities.app),
        ports: [{ name: "http", port: resolved.config.app.port, targetPort: "http", protocol: "TCP" }],
    };
}

export interface AiAgentsAppArgs {
    resolved: ResolvedAiAgents;
    /** The App's ServiceAccount; its pods wait for it. @default [] */
    rbac?: pulumi.Resource[];
}

export class AiAgentsApp extends pulumi.ComponentResource {
    constructor(name: string, args: AiAgentsAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:ai-agents:AiAgentsApp", name, {}, opts);
        const { resolved } = args;
        const metadata = { name: resolved.names.app, namespace: resolved.namespace, labels: objectLabels(resolved.identities.app) };
        new k8s.apps.v1.Deployment(`${name}-deployment`, { metadata, spec: buildAppDeploymentSpec(resolved) }, { parent: this, dependsOn: args.rbac ?? [] });
        new k8s.core.v1.Service(`${name}-service`, { metadata, spec: buildAppServiceSpec(resolved) }, { parent: this });
        this.registerOutputs({});
    }
}
