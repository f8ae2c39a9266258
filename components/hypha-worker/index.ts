/**
 * HyphaWorker: the Hypha Kubernetes worker (seed chart `hypha-k8s-worker`). It connects to a
 * Hypha server, registers a service, and launches Kubernetes Jobs (`k8s-job`, `claude-agent`)
 * on request.
 *
 * Creates the Deployment and its ServiceAccount (token mounted: it calls the API server) in
 * the platform namespace; the token through the secrets block; in the jobs namespace, which
 * may be another one, a Role with exactly what the worker calls and a RoleBinding to the
 * worker's ServiceAccount, the Secret `claude-agent` jobs read, and guard rails (the
 * namespace itself with Pod Security `restricted`, a ResourceQuota, a LimitRange); and a
 * NetworkPolicy that lets the worker reach only DNS, the Hypha server and the API server.
 * The worker exports no metrics, so there is no monitoring (see docs/hypha-worker.md).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceContext } from "../platform";
import type { NetworkPolicyConfig } from "../config";
import { buildManagedClaudeAgentSecret, CLAUDE_AGENT_CONFIG_PATH, resolveClaudeAgentSecret, ResolvedClaudeAgentSecret } from "./claude-agent-secret";
import { buildHyphaWorkerDeploymentSpec } from "./deployment";
import { buildJobsLimitRangeSpec, buildJobsNamespaceLabels, buildJobsResourceQuotaSpec } from "./jobs-namespace";
import { connectionCheckCommand } from "./probe";
import { buildRoleBindingRefs, HYPHA_WORKER_RULES } from "./rbac";
import { HyphaServer, hyphaServerEndpoints, parseHyphaServerUrl, serverPorts } from "./server";
import { cniOf, EgressPeer, endpointEgress, NetworkPolicy } from "../network-policy";
import { AppIdentity, imageReference, objectLabels } from "../pod";
import { CLAUDE_AGENT_SECRET_VALUES, HyphaWorkerConfig, WORKER_SECRET_VALUES, WorkerSecretId } from "./schema";
import { pullSecretsFor } from "../images";
import { Secrets, SecretsConfig, withReloaderAnnotation } from "../secrets";

/** The platform's service context; the worker has no ingress, so `platformDomain` goes unused. */
export interface HyphaWorkerArgs extends ServiceContext {
    /** The worker's settings, validated and defaulted by `hyphaWorkerBlock`. */
    config: HyphaWorkerConfig;
}

export interface ResolvedHyphaWorker {
    identity: AppIdentity;
    image: string;
    server: HyphaServer;
    /** Where the network policy lets the worker connect to the server (none when the internet rule covers it). */
    serverEgress: EgressPeer[];
    /** The liveness/readiness/startup exec command. */
    probeCommand: string[];
    claudeAgentSecret: ResolvedClaudeAgentSecret;
    /** Create the NetworkPolicy (stack switch and the worker's own). */
    networkPolicy: boolean;
}

/** A secrets block with the stack's Key Vault filled in for `external` mode. */
export function withKeyVault<Id extends string>(config: SecretsConfig<Id>, keyVault: HyphaWorkerArgs["keyVault"]): SecretsConfig<Id> {
    if (config.mode !== "external" || !keyVault) return config;
    return { ...config, external: { ...keyVault, ...(config.external ?? {}) } };
}

/**
 * ServiceAccounts the stack's Key Vault must trust (one federated credential each), with
 * their namespaces: the jobs Secret's may live outside the platform namespace.
 */
export function hyphaWorkerKeyVaultReaders(config: HyphaWorkerConfig, platformNamespace: string): { namespace: string; serviceAccount: string }[] {
    if (!config.enabled) return [];
    const readers: { namespace: string; serviceAccount: string }[] = [];
    if (config.secrets.mode === "external") {
        readers.push({ namespace: platformNamespace, serviceAccount: config.secrets.external?.serviceAccountName ?? `${config.name}-keyvault` });
    }
    const claude = config.claudeAgent.secrets;
    if (claude.mode === "external") {
        readers.push({ namespace: config.jobs.namespace, serviceAccount: claude.external?.serviceAccountName ?? `${config.name}-claude-agent-keyvault` });
    }
    return readers;
}

export interface StackProblem {
    /** Key path from the stack config's root, e.g. `["networkPolicy", "apiServer", "cidrs"]`. */
    path: (string | number)[];
    message: string;
}

/**
 * Rules between the worker's block and other blocks, for the stack schema's superRefine (the
 * component checks them again at deploy time where it can).
 */
export function hyphaWorkerStackProblems(stack: {
    namespace: { name: string };
    networkPolicy: NetworkPolicyConfig;
    hyphaWorker: HyphaWorkerConfig;
    /** `azure.keyVault.enabled`: the stack's own vault can fill `external` secrets. @default false */
    keyVaultEnabled?: boolean;
}): StackProblem[] {
    const { hyphaWorker: worker, networkPolicy } = stack;
    if (!worker.enabled) return [];
    const problems: StackProblem[] = [];
    for (const path of [["secrets"], ["claudeAgent", "secrets"]] as const) {
        const secrets: SecretsConfig = path.length === 1 ? worker.secrets : worker.claudeAgent.secrets;
        const external = secrets.mode === "external" ? (secrets.external ?? {}) : undefined;
        if (external && (external.vaultUrl === undefined || external.clientId === undefined) && !stack.keyVaultEnabled) {
            problems.push({
                path: ["hyphaWorker", ...path, "external"],
                message: "mode `external` needs a vault (allowed: `external.vaultUrl` and `external.clientId`, or the stack's own `azure.keyVault.enabled`)",
            });
        }
    }
    // On Cilium the API server is reached through its `kube-apiserver` entity, not by address.
    if (networkPolicy.enabled && worker.networkPolicy.enabled && cniOf(networkPolicy) !== "cilium" && networkPolicy.apiServer.cidrs.length === 0) {
        problems.push({
            path: ["networkPolicy", "apiServer", "cidrs"],
            message: "is required because the Hypha worker calls the Kubernetes API (allowed: the API server's endpoint addresses as CIDRs, from `kubectl get endpoints kubernetes`)",
        });
    }
    const jobs = worker.jobs;
    const guardRails = [jobs.createNamespace && "createNamespace", jobs.resourceQuota.enabled && "resourceQuota", jobs.limitRange.enabled && "limitRange"].filter(Boolean);
    let serverNamespace: string | undefined;
    try {
        const server = parseHyphaServerUrl(worker.hypha.serverUrl);
        // A bare Service name is in the worker's own (the platform) namespace.
        serverNamespace = server.kind === "service" ? (server.namespace ?? stack.namespace.name) : undefined;
    } catch {
        // reported on the field
    }
    for (const [other, what] of [
        [stack.namespace.name, "the platform namespace (`namespace.name`)"],
        [serverNamespace, "the Hypha server's namespace (`hyphaWorker.hypha.serverUrl`)"],
    ] as const) {
        if (other === jobs.namespace && guardRails.length > 0) {
            problems.push({
                path: ["hyphaWorker", "jobs", "namespace"],
                message: `'${jobs.namespace}' is also ${what}: the jobs' guard rails (${guardRails.join(", ")}) would bind every pod there (allowed: a namespace of the jobs' own, e.g. hypha-jobs, or \`jobs.createNamespace\`, \`jobs.resourceQuota.enabled\` and \`jobs.limitRange.enabled\` false)`,
            });
        }
    }
    return problems;
}

export function resolveHyphaWorkerArgs(args: HyphaWorkerArgs): ResolvedHyphaWorker {
    const { config } = args;
    const problems = hyphaWorkerStackProblems({
        // A namespace known only at deploy time cannot be compared; "" matches no namespace.
        namespace: { name: typeof args.namespace === "string" ? args.namespace : "" },
        networkPolicy: args.networkPolicy,
        hyphaWorker: { ...config, enabled: true },
        keyVaultEnabled: args.keyVault !== undefined,
    });
    // The API server rule is the NetworkPolicy block's to report (with its own wording); the rest are ours.
    const ours = problems.filter((p) => p.path[0] === "hyphaWorker");
    if (ours.length > 0) throw new Error(ours.map((p) => `${p.path.join(".")}: ${p.message}`).join("\n"));
    let server: HyphaServer;
    try {
        server = parseHyphaServerUrl(config.hypha.serverUrl);
    } catch (err) {
        throw new Error(`hyphaWorker.hypha.serverUrl: ${(err as Error).message}`);
    }
    const networkPolicy = args.networkPolicy.enabled && config.networkPolicy.enabled;
    const explicit = config.hypha.serverEgress;
    let egress: EgressPeer[] = [];
    if (networkPolicy) {
        // The server URL's rule by the shared endpoint rules; an explicit `serverEgress` replaces it.
        const derived = endpointEgress(
            { cluster: args.networkPolicy, service: config.networkPolicy, endpoints: hyphaServerEndpoints(config.hypha.serverUrl), platformDomain: args.platformDomain },
            "hyphaWorker.networkPolicy",
        );
        if (derived.problems.length > 0) throw new Error(derived.problems.map((p) => `${p.path.join(".")}: ${p.message}`).join("\n"));
        egress = explicit ? [explicit] : derived.peers;
    }
    return {
        identity: { name: "hypha-k8s-worker", instance: config.name, component: "worker", version: config.image.tag },
        image: imageReference({
            registry: config.image.registry ?? args.images.registry,
            repository: config.image.repository,
            tag: config.image.tag,
            digest: config.image.digest,
        }),
        server,
        serverEgress: egress,
        probeCommand: connectionCheckCommand(serverPorts(server, explicit, config.networkPolicy.endpoints.serverUrl?.targetPort), args.networkPolicy.apiServer.cidrs),
        claudeAgentSecret: resolveClaudeAgentSecret(config.claudeAgent, args.keyVault),
        networkPolicy,
    };
}

export class HyphaWorker extends pulumi.ComponentResource {
    /** Namespace the worker creates Jobs in. */
    readonly jobsNamespace: pulumi.Output<string>;
    /** Name of the Secret `claude-agent` jobs read (their default `secret_name`). */
    readonly claudeAgentSecretName: string;

    constructor(name: string, args: HyphaWorkerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:hypha-worker:HyphaWorker", name, {}, opts);
        const { config } = args;
        const resolved = resolveHyphaWorkerArgs(args);
        const labels = objectLabels(resolved.identity);
        const child = { parent: this };

        // The jobs namespace first: everything in it takes its name from this output, so waits for it.
        let jobsNamespace: pulumi.Output<string> = pulumi.output(config.jobs.namespace);
        if (config.jobs.createNamespace) {
            const namespace = new k8s.core.v1.Namespace(`${name}-jobs-namespace`, { metadata: { name: config.jobs.namespace, labels: buildJobsNamespaceLabels(labels) } }, child);
            jobsNamespace = namespace.metadata.name;
        }
        const inJobs = (objectName: string) => ({ name: objectName, namespace: jobsNamespace, labels });
        if (config.jobs.resourceQuota.enabled) {
            new k8s.core.v1.ResourceQuota(`${name}-jobs-quota`, { metadata: inJobs(`${config.name}-jobs`), spec: buildJobsResourceQuotaSpec(config.jobs) }, child);
        }
        if (config.jobs.limitRange.enabled) {
            new k8s.core.v1.LimitRange(`${name}-jobs-limits`, { metadata: inJobs(`${config.name}-jobs`), spec: buildJobsLimitRangeSpec(config.jobs) }, child);
        }

        const claude = resolved.claudeAgentSecret;
        if (claude.mode === "managed") {
            new k8s.core.v1.Secret(`${name}-claude-agent-secret`, buildManagedClaudeAgentSecret(claude, { namespace: jobsNamespace, labels }), child);
        } else if (claude.mode === "external") {
            new Secrets(
                `${name}-claude-agent-secrets`,
                {
                    identity: { ...resolved.identity, instance: `${config.name}-claude-agent` },
                    namespace: jobsNamespace,
                    values: CLAUDE_AGENT_SECRET_VALUES,
                    config: claude.config,
                    configPath: CLAUDE_AGENT_CONFIG_PATH,
                    crdsReady: args.crdsReady,
                    externalReady: args.keyVaultReady,
                },
                child,
            );
        }

        const role = new k8s.rbac.v1.Role(`${name}-role`, { metadata: inJobs(config.name), rules: [...HYPHA_WORKER_RULES] }, child);
        const binding = new k8s.rbac.v1.RoleBinding(
            `${name}-rolebinding`,
            { metadata: inJobs(config.name), ...buildRoleBindingRefs(role.metadata.name, { name: config.name, namespace: args.namespace }) },
            child,
        );

        const secrets = new Secrets<WorkerSecretId>(
            `${name}-secrets`,
            {
                identity: resolved.identity,
                namespace: args.namespace,
                values: WORKER_SECRET_VALUES,
                config: withKeyVault(config.secrets, args.keyVault),
                configPath: "hyphaWorker.secrets",
                crdsReady: args.crdsReady,
                externalReady: args.keyVaultReady,
            },
            child,
        );
        const metadata = { name: config.name, namespace: args.namespace, labels };
        // Not mounted by default: the worker's pod opts in, nothing else running as this account gets a token.
        new k8s.core.v1.ServiceAccount(`${name}-serviceaccount`, { metadata, automountServiceAccountToken: false }, child);
        new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                // Reloader rolls the worker when its token's Secret changes in place (a rotation in the vault).
                metadata: withReloaderAnnotation(metadata, secrets.rotatingSecretNames),
                spec: buildHyphaWorkerDeploymentSpec(
                    config,
                    { identity: resolved.identity, image: resolved.image, probeCommand: resolved.probeCommand, images: { pullSecrets: pullSecretsFor(args.images, [resolved.image]) } },
                    secrets.refs,
                ),
            },
            // Never started without its permissions.
            { parent: this, dependsOn: [binding] },
        );

        if (resolved.networkPolicy) {
            new NetworkPolicy(
                `${name}-network-policy`,
                {
                    identity: resolved.identity,
                    namespace: args.namespace,
                    cluster: args.networkPolicy,
                    service: config.networkPolicy,
                    // No ingress at all: the worker serves nothing and nothing scrapes it.
                    egressTo: resolved.serverEgress,
                    apiServer: true,
                    configPaths: { cluster: "networkPolicy", service: "hyphaWorker.networkPolicy" },
                },
                child,
            );
        }

        this.jobsNamespace = jobsNamespace;
        this.claudeAgentSecretName = claude.name;
        this.registerOutputs({ jobsNamespace: this.jobsNamespace, claudeAgentSecretName: this.claudeAgentSecretName });
    }
}
