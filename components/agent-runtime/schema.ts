/** The `agentRuntime` block: the fractal agents runtime (seed chart fractal-agents-runtime). */
import { z } from "zod";
import type { SecretValueSpec } from "../secrets";
import { cidr, dnsLabel, imageDigest, pullPolicy, resources } from "../core/schema";
import { ingressConfigSchema } from "../ingress/schema";
import { monitoringConfigSchema } from "../monitoring/schema";
import { serviceNetworkPolicySchema } from "../network-policy/schema";
import { secretsConfigSchema } from "../secrets/schema";

/**
 * The runtime's sensitive values with the chart's Secret key names (`existingSecret.keys`
 * remaps them). Supabase's anon key and JWT secret are required: the runtime authenticates
 * every request with them; the rest enable optional providers and tracing.
 */
export const RUNTIME_SECRET_VALUES = [
    { id: "supabaseKey", defaultKey: "supabase-key", required: true, description: "SUPABASE_KEY: Supabase anon key" },
    { id: "supabaseSecret", defaultKey: "supabase-secret", required: false, description: "SUPABASE_SECRET: Supabase service role key" },
    { id: "supabaseJwtSecret", defaultKey: "supabase-jwt-secret", required: true, description: "SUPABASE_JWT_SECRET: JWT verification secret" },
    { id: "openaiApiKey", defaultKey: "openai-api-key", required: false, description: "OPENAI_API_KEY" },
    { id: "anthropicApiKey", defaultKey: "anthropic-api-key", required: false, description: "ANTHROPIC_API_KEY" },
    { id: "langchainApiKey", defaultKey: "langchain-api-key", required: false, description: "LANGCHAIN_API_KEY: LangSmith" },
    { id: "langfuseSecretKey", defaultKey: "langfuse-secret-key", required: false, description: "LANGFUSE_SECRET_KEY" },
    { id: "langfusePublicKey", defaultKey: "langfuse-public-key", required: false, description: "LANGFUSE_PUBLIC_KEY" },
    { id: "databaseUrl", defaultKey: "database-url", required: false, description: "DATABASE_URL: Postgres connection string" },
] as const satisfies readonly SecretValueSpec[];

export type RuntimeSecretId = (typeof RUNTIME_SECRET_VALUES)[number]["id"];

const selectorLabels = (description: string) => z.record(z.string(), z.string().meta({ description: "A label value." })).meta({ description });

const databaseBlock = z
    .strictObject({
        cidr: cidr("Address range of an external Postgres (e.g. Supabase's); the network policy allows it.").optional(),
        namespaceSelector: selectorLabels("Namespace labels of an in-cluster Postgres.").optional(),
        podSelector: selectorLabels("Pod labels of an in-cluster Postgres.").optional(),
        port: z.number().int().min(1).max(65535).default(5432).meta({ description: "Postgres port." }),
    })
    .superRefine((db, ctx) => {
        if (db.cidr !== undefined && (db.namespaceSelector !== undefined || db.podSelector !== undefined)) {
            ctx.addIssue({ code: "custom", path: ["cidr"], message: "set either `database.cidr` (external) or selectors (in-cluster), not both" });
        }
    })
    .meta({ description: "Where the Postgres of DATABASE_URL lives, so the network policy lets the runtime reach it (its address is inside the secret URL)." });

export const agentRuntimeBlock = z
    .strictObject({
        enabled: z.boolean().default(true).meta({ description: "Deploy the agent runtime." }),
        name: dnsLabel("Instance name; every object of the runtime is named after it.").default("agent-runtime"),
        runtime: z
            .enum(["python", "ts"])
            .default("python")
            .meta({ description: "Which runtime: `python` (Robyn, port 8081) or `ts` (Bun, port 3000). Selects image, port and env." }),
        image: z
            .strictObject({
                registry: z.string().min(1).meta({ description: "Registry of this image (overrides `images.registry`)." }).optional(),
                repository: z
                    .string()
                    .min(1)
                    .meta({
                        description: "Repository; default `ghcr.io/l4b4r4b4b4/fractal-agents-runtime-python` or `-ts` by `runtime`.",
                    })
                    .optional(),
                tag: z.string().min(1).default("0.0.3").meta({ description: "Image tag." }),
                digest: imageDigest.optional(),
                pullPolicy: pullPolicy.default("IfNotPresent"),
            })
            .prefault({})
            .meta({ description: "Runtime image." }),
        replicas: z.number().int().min(0).max(100).default(2).meta({ description: "Number of pods." }),
        resources: resources({ requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2000m", memory: "2Gi" } }).meta({
            description: "Container resources; a stack that sets this block replaces the default as a whole.",
        }),
        autoscaling: z
            .strictObject({
                enabled: z
                    .boolean()
                    .default(false)
                    .meta({ description: "Scale with a HorizontalPodAutoscaler (autoscaling/v2); `replicas` is then left to it." }),
                minReplicas: z.number().int().min(1).max(100).default(3).meta({ description: "Fewest pods." }),
                maxReplicas: z.number().int().min(1).max(500).default(10).meta({ description: "Most pods." }),
                targetCpuUtilization: z.number().int().min(1).max(100).default(70).meta({ description: "Average CPU, percent of requests, to scale at." }),
                targetMemoryUtilization: z
                    .number()
                    .int()
                    .min(1)
                    .max(100)
                    .default(80)
                    .meta({ description: "Average memory, percent of requests, to scale at." }),
                scaleDownStabilizationSeconds: z
                    .number()
                    .int()
                    .min(0)
                    .max(3600)
                    .default(300)
                    .meta({ description: "How long load must stay low before pods are removed (the chart's 300 s)." }),
            })
            .prefault({})
            .superRefine((hpa, ctx) => {
                if (hpa.minReplicas > hpa.maxReplicas)
                    ctx.addIssue({ code: "custom", path: ["minReplicas"], message: `must not exceed maxReplicas (${hpa.maxReplicas})` });
            })
            .meta({ description: "Horizontal autoscaling on CPU and memory, with the chart's scale-up/down behaviour." }),
        podDisruptionBudget: z
            .strictObject({
                enabled: z.boolean().default(false).meta({ description: "Create a PodDisruptionBudget." }),
                minAvailable: z.number().int().min(0).meta({ description: "Pods that must stay up during voluntary disruptions." }).optional(),
                maxUnavailable: z.number().int().min(1).meta({ description: "Pods that may be down at once; default 1 when neither is set." }).optional(),
            })
            .prefault({})
            .superRefine((pdb, ctx) => {
                if (pdb.minAvailable !== undefined && pdb.maxUnavailable !== undefined) {
                    ctx.addIssue({ code: "custom", path: ["minAvailable"], message: "set either `minAvailable` or `maxUnavailable`, not both" });
                }
            })
            .meta({ description: "Keeps pods up through node drains; one that would block every drain is refused." }),
        shutdown: z
            .strictObject({
                drainSeconds: z
                    .number()
                    .int()
                    .min(0)
                    .max(3600)
                    .default(30)
                    .meta({ description: "preStop pause: the pod keeps serving open (SSE) streams this long after it leaves the Service endpoints." }),
                gracePeriodSeconds: z
                    .number()
                    .int()
                    .min(1)
                    .max(600)
                    .default(15)
                    .meta({ description: "Time after SIGTERM for a clean exit; terminationGracePeriodSeconds = drainSeconds + this." }),
            })
            .prefault({})
            .meta({ description: "Graceful shutdown for long-lived streaming responses." }),
        scheduling: z
            .strictObject({
                nodeSelector: z
                    .record(z.string(), z.string().meta({ description: "A node label value." }))
                    .default({})
                    .meta({ description: "Node labels the pods must run on." }),
                tolerations: z
                    .array(
                        z
                            .strictObject({
                                key: z.string().min(1).meta({ description: "Taint key; unset with `Exists` tolerates every taint." }).optional(),
                                operator: z.enum(["Exists", "Equal"]).meta({ description: "How `value` is compared." }).optional(),
                                value: z.string().meta({ description: "Taint value (with `Equal`)." }).optional(),
                                effect: z
                                    .enum(["NoSchedule", "PreferNoSchedule", "NoExecute"])
                                    .meta({ description: "Taint effect tolerated; unset: all." })
                                    .optional(),
                                tolerationSeconds: z.number().int().meta({ description: "How long a NoExecute taint is tolerated." }).optional(),
                            })
                            .meta({ description: "One toleration, as in the pod spec." }),
                    )
                    .default([])
                    .meta({ description: "Taints the pods tolerate." }),
                zoneSpread: z
                    .boolean()
                    .default(true)
                    .meta({ description: "Spread pods across zones (topologySpreadConstraints, ScheduleAnyway: never leaves pods Pending)." }),
                preferredAntiAffinity: z
                    .boolean()
                    .default(true)
                    .meta({ description: "Prefer one pod per node (preferred, never required, so an HPA can always scale)." }),
            })
            .prefault({})
            .meta({ description: "Where pods run. Lists and maps set in a stack replace the defaults, never merge with them." }),
        legacy: z
            .strictObject({
                objectName: z
                    .string()
                    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a DNS-1123 label")
                    .meta({
                        description:
                            "Name of every object, to keep a Helm release's names, e.g. `agent-runtime-fractal-agents-runtime` or `robyn-prod-robyn-runtime`.",
                    })
                    .optional(),
                appName: dnsLabel(
                    "`app.kubernetes.io/name` the pods and selectors use; `robyn-runtime` to adopt an old robyn-runtime release (a Deployment's selector cannot change).",
                ).optional(),
            })
            .prefault({})
            .meta({
                description:
                    "Migration from a Helm release: keep its object names and selector labels so the move has no downtime (see docs/agent-runtime.md).",
            }),
        secrets: secretsConfigSchema(RUNTIME_SECRET_VALUES),
        database: databaseBlock.optional(),
        networkPolicy: serviceNetworkPolicySchema,
        ingress: ingressConfigSchema.prefault({}),
        // Off unless the stack sets the block: the Prometheus Operator CRDs must exist.
        monitoring: monitoringConfigSchema.prefault({ enabled: false }),
        python: z
            .strictObject({
                host: z.string().min(1).default("0.0.0.0").meta({ description: "ROBYN_HOST: bind address." }),
                port: z.number().int().min(1024).max(65535).default(8081).meta({ description: "ROBYN_PORT and the container port." }),
                workers: z.number().int().min(1).max(64).default(4).meta({ description: "ROBYN_WORKERS: worker processes." }),
                devMode: z.boolean().default(false).meta({ description: "ROBYN_DEV: hot reload (never in production)." }),
            })
            .prefault({})
            .meta({ description: "Settings used only when `runtime` is `python`." }),
        typescript: z
            .strictObject({
                port: z.number().int().min(1024).max(65535).default(3000).meta({ description: "PORT and the container port." }),
                nodeEnv: z.enum(["production", "development", "test"]).default("production").meta({ description: "NODE_ENV." }),
            })
            .prefault({})
            .meta({ description: "Settings used only when `runtime` is `ts`." }),
        settings: z
            .strictObject({
                supabaseUrl: z.url("must be an http(s) URL").meta({ description: "SUPABASE_URL." }).optional(),
                openaiApiBase: z.url("must be an http(s) URL").meta({ description: "OPENAI_API_BASE: OpenAI-compatible endpoint." }).optional(),
                modelName: z.string().min(1).meta({ description: "MODEL_NAME: default LLM model." }).optional(),
                langfuseBaseUrl: z.url("must be an http(s) URL").meta({ description: "LANGFUSE_BASE_URL." }).optional(),
                langchainTracingV2: z.boolean().default(false).meta({ description: "LANGCHAIN_TRACING_V2." }),
                langchainProject: z.string().min(1).meta({ description: "LANGCHAIN_PROJECT." }).optional(),
                databasePoolMinSize: z.number().int().min(0).default(2).meta({ description: "DATABASE_POOL_MIN_SIZE." }),
                databasePoolMaxSize: z.number().int().min(1).default(10).meta({ description: "DATABASE_POOL_MAX_SIZE." }),
                databasePoolTimeout: z.number().int().min(1).default(30).meta({ description: "DATABASE_POOL_TIMEOUT (seconds)." }),
                logLevel: z.enum(["DEBUG", "INFO", "WARNING", "ERROR"]).default("INFO").meta({ description: "LOG_LEVEL." }),
                agentSyncScope: z.string().min(1).default("none").meta({ description: "AGENT_SYNC_SCOPE: agents synced at startup (`none`, `all`, ...)." }),
                langfusePromptCacheTtlSeconds: z.number().int().min(0).meta({ description: "LANGFUSE_PROMPT_CACHE_TTL_SECONDS." }).optional(),
            })
            .prefault({})
            .superRefine((s, ctx) => {
                if (s.databasePoolMinSize > s.databasePoolMaxSize) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["databasePoolMinSize"],
                        message: `must not exceed databasePoolMaxSize (${s.databasePoolMaxSize})`,
                    });
                }
            })
            .meta({ description: "Plain (non-secret) runtime settings, rendered as environment variables." }),
    })
    .superRefine((runtime, ctx) => {
        // Zod runs this even when a field above failed: only look at what parsed.
        // With a DATABASE_URL named explicitly, the Postgres egress must not be forgotten.
        if (runtime.networkPolicy?.enabled && runtime.secrets?.values?.databaseUrl !== undefined && runtime.database === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["database"],
                message:
                    "DATABASE_URL is configured, so the network policy needs to know where Postgres is (allowed: `database.cidr`, or `database.namespaceSelector`/`podSelector`)",
            });
        }
        const pdb = runtime.podDisruptionBudget;
        if (!pdb?.enabled || pdb.minAvailable === undefined || !runtime.autoscaling) return;
        const fewest = runtime.autoscaling.enabled ? runtime.autoscaling.minReplicas : runtime.replicas;
        const source = runtime.autoscaling.enabled ? "autoscaling.minReplicas" : "replicas";
        if (pdb.minAvailable >= fewest) {
            ctx.addIssue({
                code: "custom",
                path: ["podDisruptionBudget", "minAvailable"],
                message: `${pdb.minAvailable} would block every node drain: it must be below ${source} (${fewest}) (allowed: 0 to ${fewest - 1}, or use maxUnavailable)`,
            });
        }
    })
    .meta({ description: "The fractal agents runtime (seed chart fractal-agents-runtime)." });

export type AgentRuntimeConfig = z.output<typeof agentRuntimeBlock>;
