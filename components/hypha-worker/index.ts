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
import { pullSecretsFor } from "../images";
import { NetworkPolicy } from "../network-policy";
import { objectLabels } from "../pod";
import { Secrets, withReloaderAnnotation } from "../secrets";
import { buildManagedClaudeAgentSecret, CLAUDE_AGENT_CONFIG_PATH, claudeAgentSecretsInstance } from "./claude-agent-secret";
import { buildHyphaWorkerDeploymentSpec } from "./deployment";
import { buildJobsLimitRangeSpec, buildJobsNamespaceLabels, buildJobsResourceQuotaSpec } from "./jobs-namespace";
import { buildRoleBindingRefs, HYPHA_WORKER_RULES } from "./rbac";
import { HyphaWorkerArgs, resolveHyphaWorkerArgs } from "./resolve";
import { CLAUDE_AGENT_SECRET_VALUES, WORKER_SECRET_VALUES, WorkerSecretId } from "./schema";

export * from "./resolve";

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
            const namespace = new k8s.core.v1.Namespace(
                `${name}-jobs-namespace`,
                { metadata: { name: config.jobs.namespace, labels: buildJobsNamespaceLabels(labels) } },
                child,
            );
            jobsNamespace = namespace.metadata.name;
        }
        const inJobs = (objectName: string) => ({ name: objectName, namespace: jobsNamespace, labels });
        if (config.jobs.resourceQuota.enabled) {
            new k8s.core.v1.ResourceQuota(
                `${name}-jobs-quota`,
                { metadata: inJobs(`${config.name}-jobs`), spec: buildJobsResourceQuotaSpec(config.jobs) },
                child,
            );
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
                    identity: { ...resolved.identity, instance: claudeAgentSecretsInstance(config) },
                    namespace: jobsNamespace,
                    values: CLAUDE_AGENT_SECRET_VALUES,
                    config: claude.config,
                    keyVault: args.keyVault,
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
                config: config.secrets,
                keyVault: args.keyVault,
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
                    {
                        identity: resolved.identity,
                        image: resolved.image,
                        probeCommand: resolved.probeCommand,
                        images: { pullSecrets: pullSecretsFor(args.images, [resolved.image]) },
                    },
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
