/** The `hyphaWorker` block: the Hypha Kubernetes worker (seed chart hypha-k8s-worker). */
import { z } from "zod";
import { parseHyphaServerUrl, SERVER_URL_SCHEMES } from "../hypha-worker/server";
import { atMost } from "../hypha-worker/quantity";
import { ALLOWED, serviceConfigProblems } from "../network-policy";
import type { SecretValueSpec } from "../secrets";
import { dnsLabel, imageDigest, pullPolicy, quantity, resources } from "../core/schema";
import { serviceNetworkPolicySchema } from "../network-policy/schema";
import { secretsConfigSchema } from "../secrets/schema";

/** The worker's own token, read from the seed's `hypha-secrets` Secret by default. */
export const WORKER_SECRET_VALUES = [
    { id: "hyphaToken", defaultKey: "HYPHA_AGENTS_TOKEN", required: true, description: "HYPHA_TOKEN: the worker's token for its Hypha workspace" },
] as const satisfies readonly SecretValueSpec[];
export type WorkerSecretId = (typeof WORKER_SECRET_VALUES)[number]["id"];

/** What `claude-agent` jobs read by `secretKeyRef`; the worker fixes both key names. */
export const CLAUDE_AGENT_SECRET_VALUES = [
    { id: "anthropicApiKey", defaultKey: "ANTHROPIC_API_KEY", required: true, description: "ANTHROPIC_API_KEY of claude-agent jobs" },
    { id: "hyphaToken", defaultKey: "HYPHA_TOKEN", required: true, description: "HYPHA_TOKEN claude-agent jobs register their Hypha service with" },
] as const satisfies readonly SecretValueSpec[];
export type ClaudeAgentSecretId = (typeof CLAUDE_AGENT_SECRET_VALUES)[number]["id"];

/** The Secret name the worker's `claude-agent` jobs use unless a manifest names another. */
export const DEFAULT_CLAUDE_AGENT_SECRET = "deno-claude-code-config";

/**
 * What a `claude-agent` job pod asks for (hard-coded in the worker): the guard rails must let
 * one run, or every such job would be rejected by the quota or the LimitRange.
 */
export const CLAUDE_AGENT_POD = { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } } as const;

const labels = (description: string) => z.record(z.string(), z.string().meta({ description: "Label value." })).meta({ description });

const serverEgressSchema = z
    .strictObject({
        cidr: z.string().meta({ description: "Addresses of the server, instead of selectors.", allowed: ALLOWED.cidr }).optional(),
        except: z
            .array(z.string().meta({ description: "A range to leave out." }))
            .meta({ description: "Ranges inside `cidr` to leave out." })
            .optional(),
        namespaceSelector: labels("Labels of the namespace the server runs in.").optional(),
        podSelector: labels("Labels of the server's pods.").optional(),
        ports: z
            .array(
                z
                    .strictObject({
                        port: z.union([z.number().int(), z.string()]).meta({ description: "Port number or name.", allowed: ALLOWED.port }),
                        protocol: z.enum(["TCP", "UDP", "SCTP"]).default("TCP").meta({ description: "Protocol." }),
                        endPort: z.number().int().meta({ description: "Last port of a range starting at `port`." }).optional(),
                    })
                    .meta({ description: "A port of the server's pods." }),
            )
            .meta({ description: "The server pods' ports (the container port, not the Service port); at least one." }),
    })
    .meta({
        description:
            "Where the Hypha server is, for the network policy, replacing the rule derived from `serverUrl`: selectors (in-cluster) or `cidr`, with ports. For the pods' port alone, `networkPolicy.endpoints.serverUrl.targetPort` is enough.",
    });

const cpuMemory = (what: string, defaults: { cpu: string; memory: string }) =>
    z
        .strictObject({
            cpu: quantity(`CPU: ${what}.`).default(defaults.cpu),
            memory: quantity(`Memory: ${what}.`).default(defaults.memory),
        })
        .prefault({})
        .meta({ description: `Per container, the ${what}.` });

const jobsBlock = z
    .strictObject({
        namespace: dnsLabel("Namespace the worker creates its Jobs in (HYPHA_K8S_NAMESPACE); its Role lives there.").default("hypha-jobs"),
        createNamespace: z
            .boolean()
            .default(true)
            .meta({ description: "Create the namespace, labelled Pod Security `restricted` (enforce, audit, warn); false uses an existing one as it is." }),
        defaultTimeoutSeconds: z
            .number()
            .int()
            .min(1)
            .max(604800)
            .default(3600)
            .meta({ description: "HYPHA_K8S_DEFAULT_TIMEOUT: default job timeout in seconds." }),
        imagePullPolicy: pullPolicy.default("IfNotPresent").meta({ description: "HYPHA_K8S_IMAGE_PULL_POLICY: pull policy of the jobs' images." }),
        resourceQuota: z
            .strictObject({
                enabled: z.boolean().default(true).meta({ description: "Create a ResourceQuota in the jobs namespace." }),
                requestsCpu: quantity("Total CPU requests of the namespace's pods (`requests.cpu`).").default("8"),
                requestsMemory: quantity("Total memory requests (`requests.memory`).").default("16Gi"),
                limitsCpu: quantity("Total CPU limits (`limits.cpu`).").default("16"),
                limitsMemory: quantity("Total memory limits (`limits.memory`).").default("32Gi"),
                pods: z.number().int().min(1).max(10000).default(20).meta({ description: "Pods that are not finished, at most (`pods`)." }),
                jobs: z.number().int().min(1).max(100000).default(100).meta({
                    description: "Job objects, finished ones included, at most (`count/jobs.batch`): plain `k8s-job` Jobs stay until a client stops them.",
                }),
            })
            .prefault({})
            .meta({ description: "Caps what launched jobs may take in total, so they cannot starve the cluster." }),
        limitRange: z
            .strictObject({
                enabled: z.boolean().default(true).meta({ description: "Create a LimitRange in the jobs namespace." }),
                defaultRequest: cpuMemory("request of a container that sets none", { cpu: "100m", memory: "128Mi" }),
                default: cpuMemory("limit of a container that sets none", { cpu: "1", memory: "1Gi" }),
                max: cpuMemory("largest limit a container may set", { cpu: "4", memory: "8Gi" }),
            })
            .prefault({})
            .meta({
                description: "Defaults for containers without resources (plain `k8s-job` Jobs set none; the quota needs them) and a per-container maximum.",
            }),
    })
    .prefault({})
    .superRefine((jobs, ctx) => {
        const issue = (path: string[], message: string) => ctx.addIssue({ code: "custom", path, message });
        const limits = jobs.limitRange;
        if (limits?.enabled) {
            for (const resource of ["cpu", "memory"] as const) {
                if (!atMost(limits.defaultRequest?.[resource], limits.default?.[resource])) {
                    issue(["limitRange", "defaultRequest", resource], `must not exceed limitRange.default.${resource} (${limits.default?.[resource]})`);
                }
                if (!atMost(limits.default?.[resource], limits.max?.[resource])) {
                    issue(["limitRange", "default", resource], `must not exceed limitRange.max.${resource} (${limits.max?.[resource]})`);
                }
                if (!atMost(CLAUDE_AGENT_POD.limits[resource], limits.max?.[resource])) {
                    issue(
                        ["limitRange", "max", resource],
                        `must be at least ${CLAUDE_AGENT_POD.limits[resource]}: claude-agent jobs set that limit and would be rejected`,
                    );
                }
            }
        }
        const quota = jobs.resourceQuota;
        if (quota?.enabled) {
            const needs = [
                ["requestsCpu", CLAUDE_AGENT_POD.requests.cpu],
                ["requestsMemory", CLAUDE_AGENT_POD.requests.memory],
                ["limitsCpu", CLAUDE_AGENT_POD.limits.cpu],
                ["limitsMemory", CLAUDE_AGENT_POD.limits.memory],
            ] as const;
            for (const [key, need] of needs) {
                if (!atMost(need, quota[key])) issue(["resourceQuota", key], `must be at least ${need}: one claude-agent job needs that much`);
            }
        }
    })
    .meta({ description: "Where the worker launches Jobs, and the guard rails of that namespace." });

const claudeAgentBlock = z
    .strictObject({
        secretName: dnsLabel(
            `Name of the Secret claude-agent jobs read (their manifest's \`secret_name\`, default \`${DEFAULT_CLAUDE_AGENT_SECRET}\`), created in modes \`managed\` and \`external\`. Mode \`existing\` reads \`secrets.existingSecret.name\` instead.`,
        ).optional(),
        secrets: secretsConfigSchema(CLAUDE_AGENT_SECRET_VALUES)
            .prefault({ mode: "existing", existingSecret: { name: DEFAULT_CLAUDE_AGENT_SECRET } })
            .meta({
                description: `The Secret of claude-agent jobs in the jobs namespace (keys ANTHROPIC_API_KEY and HYPHA_TOKEN): by default the existing \`${DEFAULT_CLAUDE_AGENT_SECRET}\`; see docs/hypha-worker.md.`,
            }),
    })
    .prefault({})
    .superRefine((block, ctx) => {
        const secrets = block.secrets;
        // Zod runs this even when the secrets block failed (and was not transformed): look only at what parsed.
        if (!secrets?.values) return;
        const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path: ["secrets", ...path], message });
        // Jobs read one Secret by fixed keys, so a value can come from nowhere else.
        for (const [id, value] of Object.entries(secrets.values)) {
            if (value?.existingSecret) issue([id, "existingSecret"], "is not allowed: jobs read both values from one Secret (allowed: the mode's own Secret)");
        }
        if (Object.keys(secrets.existingSecret?.keys ?? {}).length > 0) {
            issue(["existingSecret", "keys"], "is not allowed: the worker fixes the keys (allowed: a Secret with the keys ANTHROPIC_API_KEY and HYPHA_TOKEN)");
        }
        if (secrets.mode === "existing" && block.secretName !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["secretName"],
                message: "is not used in mode `existing`: the jobs read `secrets.existingSecret.name`; remove one",
            });
        }
        if (secrets.external?.secretName !== undefined) {
            issue(["external", "secretName"], "is not allowed: name the Secret with `claudeAgent.secretName`");
        }
    })
    .meta({ description: "The Secret `claude-agent` jobs read their Anthropic key and Hypha token from." });

export const hyphaWorkerBlock = z
    .strictObject({
        enabled: z.boolean().default(false).meta({ description: "Deploy the Hypha Kubernetes worker." }),
        name: dnsLabel("Instance name: the Deployment, ServiceAccount, Role and RoleBinding are named after it.").default("hypha-k8s-worker"),
        image: z
            .strictObject({
                registry: z.string().min(1).meta({ description: "Registry of this image (overrides `images.registry`)." }).optional(),
                repository: z.string().min(1).default("oeway/hypha-k8s-worker").meta({ description: "Repository." }),
                tag: z.string().min(1).default("0.1.0").meta({ description: "Image tag." }),
                digest: imageDigest.optional(),
                pullPolicy: pullPolicy.default("IfNotPresent"),
            })
            .prefault({})
            .meta({ description: "Worker image." }),
        replicas: z
            .number()
            .int()
            .min(0)
            .max(1)
            .default(1)
            .meta({ description: "1, or 0 to pause: the worker keeps its sessions in memory, so a second one would answer for sessions it does not know." }),
        resources: resources({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1000m", memory: "512Mi" } }).meta({
            description: "Container resources; a stack that sets this block replaces the default as a whole.",
        }),
        hypha: z
            .strictObject({
                serverUrl: z
                    .string()
                    .default("http://hypha-server.hypha.svc.cluster.local:9520")
                    .meta({
                        description:
                            "HYPHA_SERVER_URL; the network policy's rule to the server is derived from it (docs/network-policy.md): `<service>` (the platform namespace), `<service>.<namespace>[.svc[.cluster.local]]`, an address, or a name outside the cluster.",
                        allowed: `an ${SERVER_URL_SCHEMES.map((s) => s.slice(0, -1)).join(", ")} URL`,
                    }),
                workspace: z.string().min(1).default("hypha-agents").meta({ description: "HYPHA_WORKSPACE." }),
                serviceId: z.string().min(1).default("k8s-worker").meta({ description: "HYPHA_SERVICE_ID: the id the worker registers as." }),
                visibility: z.enum(["protected", "public"]).default("protected").meta({ description: "HYPHA_VISIBILITY of the registered service." }),
                logLevel: z.enum(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]).default("INFO").meta({ description: "HYPHA_LOGLEVEL." }),
                serverEgress: serverEgressSchema.optional(),
            })
            .prefault({})
            .superRefine((hypha, ctx) => {
                if (hypha.serverUrl !== undefined) {
                    try {
                        parseHyphaServerUrl(hypha.serverUrl);
                    } catch (err) {
                        ctx.addIssue({ code: "custom", path: ["serverUrl"], message: (err as Error).message });
                    }
                }
                if (!hypha.serverEgress) return;
                const peer = hypha.serverEgress;
                const problems = serviceConfigProblems({ enabled: true, internet: false, extraIngress: [], extraEgress: [peer] });
                for (const problem of problems) ctx.addIssue({ code: "custom", path: ["serverEgress", ...problem.path.slice(2)], message: problem.message });
            })
            .meta({ description: "The Hypha server and how the worker registers with it." }),
        secrets: secretsConfigSchema(WORKER_SECRET_VALUES)
            .prefault({ mode: "existing", existingSecret: { name: "hypha-secrets" } })
            .meta({
                description:
                    "Where the worker's HYPHA_TOKEN comes from: by default key HYPHA_AGENTS_TOKEN of the existing Secret `hypha-secrets`; see docs/secrets.md.",
            }),
        jobs: jobsBlock,
        claudeAgent: claudeAgentBlock,
        health: z
            .strictObject({
                periodSeconds: z
                    .number()
                    .int()
                    .min(5)
                    .max(300)
                    .default(30)
                    .meta({ description: "How often the liveness probe checks the worker's connection to the Hypha server." }),
                failureThreshold: z
                    .number()
                    .int()
                    .min(1)
                    .max(60)
                    .default(4)
                    .meta({ description: "Failed checks in a row before the worker is restarted; periodSeconds × this is how long a reconnect may take." }),
                startupSeconds: z
                    .number()
                    .int()
                    .min(10)
                    .max(3600)
                    .default(120)
                    .meta({ description: "How long the worker may take to connect after it starts." }),
            })
            .prefault({})
            .meta({ description: "The exec probes that check the worker still holds its connection to the Hypha server (the worker has no HTTP endpoint)." }),
        scheduling: z
            .strictObject({
                nodeSelector: z
                    .record(z.string(), z.string().meta({ description: "Label value." }))
                    .default({})
                    .meta({ description: "Node labels the worker must run on." }),
                tolerations: z
                    .array(
                        z
                            .strictObject({
                                key: z.string().min(1).meta({ description: "Taint key." }).optional(),
                                operator: z.enum(["Exists", "Equal"]).meta({ description: "Operator." }).optional(),
                                value: z.string().meta({ description: "Taint value." }).optional(),
                                effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).meta({ description: "Taint effect." }).optional(),
                                tolerationSeconds: z.number().int().meta({ description: "How long a NoExecute taint is tolerated." }).optional(),
                            })
                            .meta({ description: "A toleration." }),
                    )
                    .default([])
                    .meta({ description: "Taints the worker tolerates." }),
            })
            .prefault({})
            .meta({ description: "Where the worker runs." }),
        networkPolicy: serviceNetworkPolicySchema,
    })
    .meta({ description: "The Hypha Kubernetes worker (seed chart hypha-k8s-worker): launches Jobs for a Hypha server." });

export type HyphaWorkerConfig = z.output<typeof hyphaWorkerBlock>;
