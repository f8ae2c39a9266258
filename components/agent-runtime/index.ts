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
import { ServiceIngress } from "../ingress";
import { Monitoring } from "../monitoring";
import { NetworkPolicy } from "../network-policy";
import { objectLabels } from "../pod";
import { Secrets, withReloaderAnnotation } from "../secrets";
import { buildAgentRuntimeDeploymentSpec, buildAgentRuntimeHpaSpec, buildAgentRuntimePdbSpec, buildAgentRuntimeServiceSpec } from "./build";
import { AgentRuntimeArgs, databaseEgress, resolveAgentRuntimeArgs, runtimeEndpoints } from "./resolve";
import { RUNTIME_SECRET_VALUES } from "./schema";

export * from "./build";
export * from "./resolve";

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
                config: config.secrets,
                keyVault: args.keyVault,
                configPath: "agentRuntime.secrets",
                crdsReady: args.crdsReady,
                externalReady: args.keyVaultReady,
            },
            child,
        );
        new k8s.core.v1.ServiceAccount(`${name}-serviceaccount`, { metadata, automountServiceAccountToken: false }, child);
        // Reloader rolls the pods when a Secret they read changes in place (a rotation in the vault).
        const deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            { metadata: withReloaderAnnotation(metadata, secrets.rotatingSecretNames), spec: buildAgentRuntimeDeploymentSpec(args, resolved, secrets.refs) },
            child,
        );
        if (args.config.autoscaling.enabled) {
            new k8s.autoscaling.v2.HorizontalPodAutoscaler(
                `${name}-hpa`,
                { metadata, spec: buildAgentRuntimeHpaSpec(args.config, deployment.metadata.name) },
                { parent: this },
            );
        }
        if (args.config.podDisruptionBudget.enabled) {
            new k8s.policy.v1.PodDisruptionBudget(
                `${name}-pdb`,
                { metadata, spec: buildAgentRuntimePdbSpec(args.config, resolved.identity) },
                { parent: this },
            );
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
