/**
 * The seed's strict NetworkPolicies, one per process, default deny in both directions, through
 * the network-policy building block:
 * - API: in from the ingress controller, the App pods and `clientNamespaces`; out to the
 *   Kubernetes API (CRDs/Jobs/Secrets), DNS and HTTPS (OIDC, GitHub, callbacks);
 * - App: in from the ingress controller only; out to the API and DNS;
 * - executor Jobs: out to the Kubernetes API (credential write-back), DNS and HTTPS;
 * - and, for the processes the seed's list does not cover: processor and webhook receivers
 *   (Kubernetes API, DNS; webhooks in from the ingress controller), the CronJobs.
 * Two deliberate additions: Prometheus may scrape the API when a ServiceMonitor exists, and the
 * API may reach its PROMETHEUS_URL and OIDC issuer wherever they are (rules derived from the
 * URLs by network-policy/endpoints.ts); without them the seed's own monitoring breaks.
 * On Cilium every process that calls the Kubernetes API also gets a CiliumNetworkPolicy for the
 * `kube-apiserver` entity (network-policy/cilium.ts).
 *
 * One raw spec: executor pods are created by the API at run time with labels this stack does not
 * know. Unless `executor.podLabels` names them, the policy selects every Job pod of the namespace
 * that is not part of this platform, which needs `matchExpressions` (Exists / NotIn) — the block
 * only has `matchLabels`. Its rules are still the block's, only the pod selector is replaced.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkPolicyConfig } from "../network-policy/schema";
import {
    buildApiServerCiliumPolicy,
    buildNetworkPolicySpec,
    InClusterPeer,
    NetworkPolicy,
    NetworkPolicyArgs,
    PortSpec,
    resolveNetworkPolicyArgs,
    ServiceEndpoint,
    ServiceNetworkPolicyConfig,
} from "../network-policy";
import { AppIdentity, objectLabels, PART_OF, selectorLabels } from "../pod";
import type { AiAgentsConfig } from "./schema";
import { ResolvedAiAgents, webhookIdentity } from "./resolve";

/** Set by the Job controller on every pod of a Job (Kubernetes 1.27+). */
export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";

/** The URL settings the API calls: its OIDC issuer (discovery, keys, tokens) and PROMETHEUS_URL. */
export function apiEndpoints(config: AiAgentsConfig): ServiceEndpoint[] {
    const s = config.settings;
    return [
        { name: "oidcIssuer", path: ["aiAgents", "settings", "oidc", "issuer"], url: s.oidc.issuer },
        { name: "prometheusUrl", path: ["aiAgents", "settings", "prometheusUrl"], url: s.prometheusUrl },
    ];
}

/** One policy the platform creates: the block's args, and a replacement pod selector where the block cannot express it. */
export interface PlatformPolicy {
    role: string;
    args: NetworkPolicyArgs;
    /** Replaces the block's `matchLabels` selector (executor Jobs without known labels). */
    podSelector?: k8s.types.input.meta.v1.LabelSelector;
}

export function platformPolicies(resolved: ResolvedAiAgents, cluster: NetworkPolicyConfig): PlatformPolicy[] {
    const { config, identities } = resolved;
    const np = config.networkPolicy;
    const http: PortSpec[] = [{ port: "http", protocol: "TCP" }];
    const apiPort: PortSpec[] = [{ port: config.settings.port, protocol: "TCP" }];
    const fromIngressController = config.ingress.enabled ? http : [];
    const policy = (role: string, identity: AppIdentity, service: ServiceNetworkPolicyConfig, rest: Partial<NetworkPolicyArgs> = {}): PlatformPolicy => ({
        role,
        args: {
            identity,
            namespace: resolved.namespace,
            cluster,
            service,
            configPaths: { cluster: "networkPolicy", service: `aiAgents.networkPolicy.${role.startsWith("webhook") ? "webhooks" : role}` },
            ...rest,
        },
    });

    const scraped = config.monitoring.enabled && config.monitoring.serviceMonitor.enabled;
    const apiClients: InClusterPeer[] = [
        { podSelector: selectorLabels(identities.app), ports: http },
        ...np.clientNamespaces.map((ns) => ({ namespaceSelector: { "kubernetes.io/metadata.name": ns }, ports: http })),
    ];

    const policies: PlatformPolicy[] = [
        policy("api", identities.api, np.api, {
            ingressPorts: fromIngressController,
            metricsPorts: scraped ? http : [],
            ingressFrom: apiClients,
            endpoints: apiEndpoints(config),
            platformDomain: resolved.platformDomain,
            apiServer: true,
        }),
        policy("app", identities.app, np.app, {
            ingressPorts: fromIngressController,
            egressTo: [{ podSelector: selectorLabels(identities.api), ports: apiPort }],
        }),
    ];
    if (config.processor.enabled) policies.push(policy("processor", identities.processor, np.processor, { apiServer: true }));
    for (const source of resolved.webhookSources) {
        policies.push(policy(`webhook-${source}`, webhookIdentity(resolved, source), np.webhooks, { ingressPorts: fromIngressController, apiServer: true }));
    }
    const executor = policy("executor", identities.executor, np.executor, {
        apiServer: true,
        ...(config.executor.podLabels ? { podSelector: config.executor.podLabels } : {}),
    });
    if (!config.executor.podLabels) {
        executor.podSelector = {
            matchExpressions: [
                { key: JOB_NAME_LABEL, operator: "Exists" },
                // Our own CronJob pods are Job pods too; they have policies of their own.
                { key: "app.kubernetes.io/part-of", operator: "NotIn", values: [PART_OF] },
            ],
        };
    }
    policies.push(executor);
    if (config.cronJobs.cleanup.enabled) policies.push(policy("cleanup", identities.cleanup, np.cleanup));
    if (config.cronJobs.tokenRefresh.enabled) policies.push(policy("tokenRefresh", identities.tokenRefresh, np.tokenRefresh, { apiServer: true }));
    return policies;
}

/** The spec of a policy, with the replacement selector applied. */
export function buildPlatformPolicySpec(p: PlatformPolicy): k8s.types.input.networking.v1.NetworkPolicySpec {
    const spec = buildNetworkPolicySpec(resolveNetworkPolicyArgs(p.args));
    return p.podSelector ? { ...spec, podSelector: p.podSelector } : spec;
}

export interface AiAgentsNetworkPoliciesArgs {
    resolved: ResolvedAiAgents;
    /** The cluster's network policy facts. */
    cluster: NetworkPolicyConfig;
}

export class AiAgentsNetworkPolicies extends pulumi.ComponentResource {
    constructor(name: string, args: AiAgentsNetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:ai-agents:AiAgentsNetworkPolicies", name, {}, opts);
        for (const p of platformPolicies(args.resolved, args.cluster)) {
            if (!args.cluster.enabled || !p.args.service.enabled) continue;
            const childName = `${name}-${p.role.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
            if (!p.podSelector) {
                new NetworkPolicy(childName, p.args, { parent: this });
                continue;
            }
            const resolved = resolveNetworkPolicyArgs(p.args);
            new k8s.networking.v1.NetworkPolicy(
                `${childName}-networkpolicy`,
                {
                    metadata: { name: p.args.identity.instance, namespace: p.args.namespace, labels: objectLabels(p.args.identity) },
                    spec: buildPlatformPolicySpec(p),
                },
                { parent: this },
            );
            // On Cilium: the API server for the same (raw-selected) pods.
            const cilium = buildApiServerCiliumPolicy(resolved, { namespace: p.args.namespace, labels: objectLabels(p.args.identity) }, p.podSelector);
            if (cilium) new k8s.apiextensions.CustomResource(`${childName}-cilium-apiserver`, cilium, { parent: this });
        }
        this.registerOutputs({});
    }
}
