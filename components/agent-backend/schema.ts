/**
 * The `agentBackend` block: the Seqera agent backend (seed chart `agent-backend` 0.1.4). Every
 * key of the chart's values table has a typed equivalent here or a line in
 * docs/agent-backend.md saying why Pulumi needs none.
 *
 * Rules that need other blocks (the stack's Azure MySQL, the shared image registry, the
 * platform domain) are `agentBackendProblems` (resolve.ts), which the config layer's
 * cross-block rules (components/config/rules.ts) and the component both run.
 */
import { z } from "zod";
import {
    LABEL_KEY,
    LABEL_VALUE,
    envVarSchema,
    matchExpressionSchema,
    objectName,
    tolerationsSchema,
    userInitContainerSchema,
    volumeMountSchema,
    volumeSchema,
} from "../agent-backend/pod-extras-schema";
import type { SecretValueSpec } from "../secrets";
import { isIpv4Address } from "../core/cidr";
import { cidr, dnsLabel, imageDigest, pullPolicy, resources } from "../core/schema";
import { DOMAIN_PLACEHOLDER, ingressConfigSchema } from "../ingress/schema";
import { serviceNetworkPolicySchema } from "../network-policy/schema";
import { secretsConfigSchema } from "../secrets/schema";

/**
 * The backend's sensitive values, with the chart's Secret keys. The database password is not
 * required here because the stack's Azure MySQL may provide it; `agentBackendStackProblems`
 * requires it otherwise.
 */
export const BACKEND_SECRET_VALUES = [
    {
        id: "databasePassword",
        defaultKey: "AGENT_BACKEND_DB_PASSWORD",
        required: false,
        description:
            "AGENT_BACKEND_DB_PASSWORD: password of `database.username`; required unless the stack's Azure MySQL (`azure.mysql`) provides the database",
    },
    { id: "anthropicApiKey", defaultKey: "ANTHROPIC_API_KEY", required: true, description: "ANTHROPIC_API_KEY: Anthropic API key" },
    { id: "langchainApiKey", defaultKey: "LANGCHAIN_API_KEY", required: true, description: "LANGCHAIN_API_KEY: LangChain (LangSmith) API key" },
] as const satisfies readonly SecretValueSpec[];

export type BackendSecretId = (typeof BACKEND_SECRET_VALUES)[number]["id"];

/** The Secret the chart keeps its values in (its release name), read when the block sets none. */
export const DEFAULT_SECRET_NAME = "agent-backend";

/** The chart's default tag: its appVersion. */
export const BACKEND_APP_VERSION = "0.1.0";
export const BACKEND_REPOSITORY = "private/nf-tower-enterprise/agent-backend";

const REGISTRY = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** A host name or IPv4 address (a MySQL host). */
const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$/;

const labels = (description: string) =>
    z
        .record(
            z.string().regex(LABEL_KEY, "must be a label key"),
            z.string().regex(LABEL_VALUE, "must be a label value").meta({ description: "Label value." }),
        )
        .default({})
        .meta({ description });

const annotations = (description: string) =>
    z
        .record(z.string().regex(LABEL_KEY, "must be an annotation key"), z.string().meta({ description: "Annotation value." }))
        .default({})
        .meta({ description });

const seconds = (description: string, min: number, max: number) => z.number().int().min(min).max(max).meta({ description });

/** An image of the chart: registry/repository/tag/digest/pullPolicy, plus pull secrets added to the platform's. */
function imageBlock(what: string, repository: string, tag: string) {
    return z
        .strictObject({
            registry: z
                .string()
                .regex(REGISTRY, "must be a registry host with optional path")
                .meta({ description: "Registry of this image; default `images.registry`.", allowed: "a registry host[:port][/path], e.g. cr.seqera.io" })
                .optional(),
            repository: z.string().min(1).default(repository).meta({ description: "Repository, with or without a registry host." }),
            tag: z.string().regex(IMAGE_TAG, "must be an image tag").default(tag).meta({ description: "Image tag." }),
            digest: imageDigest.optional(),
            pullPolicy: pullPolicy.default("IfNotPresent"),
            pullSecrets: z.array(dnsLabel("Name of an existing image pull Secret.")).default([]).meta({
                description: "Pull Secrets for this image, added to the platform's (`images.pullSecrets`, `images.credentials`), never replacing them.",
            }),
        })
        .prefault({})
        .meta({ description: what });
}

const probe = (
    what: string,
    defaults: { enabled: boolean; initialDelaySeconds: number; periodSeconds: number; timeoutSeconds: number; failureThreshold: number },
) =>
    z
        .strictObject({
            enabled: z
                .boolean()
                .default(defaults.enabled)
                .meta({ description: `Add the ${what} probe.` }),
            path: z
                .string()
                .regex(/^\/\S*$/, "must start with '/'")
                .default("/health")
                .meta({ description: "HTTP GET path, on the `http` port." }),
            initialDelaySeconds: seconds("Seconds before the first probe.", 0, 3600).default(defaults.initialDelaySeconds),
            periodSeconds: seconds("Seconds between probes.", 1, 3600).default(defaults.periodSeconds),
            timeoutSeconds: seconds("Seconds before a probe times out.", 1, 3600).default(defaults.timeoutSeconds),
            failureThreshold: z
                .number()
                .int()
                .min(1)
                .max(1000)
                .default(defaults.failureThreshold)
                .meta({ description: "Consecutive failures that count as failed." }),
        })
        .prefault({})
        .meta({ description: `The ${what} probe (the chart's timings).` });

const mysqlIdentifier = (description: string, max: number) =>
    z
        .string()
        .regex(new RegExp(`^[A-Za-z0-9_$-]{1,${max}}$`), `must be a MySQL name of at most ${max} characters`)
        .meta({ description, allowed: `letters, digits, '_', '$' and '-', at most ${max} characters` });

/** A URL template: an http(s) URL once `{domain}` is replaced. */
const urlTemplate = (description: string, fallback: string) =>
    z
        .string()
        .refine((text) => {
            try {
                const url = new URL(text.split(DOMAIN_PLACEHOLDER).join("example.com"));
                return url.protocol === "https:" || url.protocol === "http:";
            } catch {
                return false;
            }
        }, "must be an http(s) URL, optionally with `{domain}` for the platform domain")
        .default(fallback)
        .meta({ description, allowed: "an http(s) URL such as https://mcp.example.com/mcp, or a template such as https://mcp.{domain}/mcp" });

const small = { requests: { cpu: "500m", memory: "50Mi" }, limits: { memory: "100Mi" } };

export const agentBackendBlock = z
    .strictObject({
        enabled: z
            .boolean()
            .default(false)
            .meta({ description: "Deploy the agent backend (it needs a MySQL database and the private image, so it is off unless the stack turns it on)." }),
        name: dnsLabel("Instance name; every object of the backend is named after it.").default("agent-backend"),
        image: imageBlock("The backend image (also runs the migrations).", BACKEND_REPOSITORY, BACKEND_APP_VERSION),
        command: z
            .array(z.string().meta({ description: "Argument." }))
            .meta({ description: "Entrypoint override of the backend container; default the image's." })
            .optional(),
        args: z
            .array(z.string().meta({ description: "Argument." }))
            .meta({ description: "Arguments of the backend container; default the image's." })
            .optional(),
        containerPort: z
            .number()
            .int()
            .min(1024)
            .max(65535)
            .default(8002)
            .meta({ description: "Port the backend listens on: AGENT_BACKEND_PORT, the `http` container port and the probes'." }),
        environment: z.string().min(1).default("production").meta({ description: "ENVIRONMENT, e.g. production or development." }),
        logLevel: z.enum(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]).default("INFO").meta({ description: "LOG_LEVEL." }),
        anthropicModel: z.string().min(1).default("claude-sonnet-4-20250514").meta({ description: "ANTHROPIC_MODEL: the Anthropic model to use." }),
        platformApiUrl: urlTemplate("SEQERA_PLATFORM_API_URL: the Seqera Platform API; `{domain}` is the platform domain.", "https://{domain}/api"),
        mcpUrl: urlTemplate("SEQERA_MCP_URL: the Seqera MCP endpoint; `{domain}` is the platform domain.", "https://mcp.{domain}/mcp"),
        database: z
            .strictObject({
                host: z
                    .string()
                    .regex(HOST, "must be a host name or IPv4 address")
                    .meta({ description: "AGENT_BACKEND_DB_HOST: MySQL host; default the stack's Azure MySQL." })
                    .optional(),
                port: z.number().int().min(1).max(65535).default(3306).meta({ description: "AGENT_BACKEND_DB_PORT: MySQL port (used with `host`)." }),
                name: mysqlIdentifier("AGENT_BACKEND_DB_NAME: database name; default the stack's Azure MySQL database.", 64).optional(),
                username: mysqlIdentifier("AGENT_BACKEND_DB_USER: user name; default the stack's Azure MySQL administrator.", 80).optional(),
                cidr: cidr("Addresses of the MySQL server, for the network policy; an IPv4 `host` implies its /32.").optional(),
                namespaceSelector: z
                    .record(z.string(), z.string().meta({ description: "Label value." }))
                    .meta({ description: "Namespace labels of an in-cluster MySQL, for the network policy." })
                    .optional(),
                podSelector: z
                    .record(z.string(), z.string().meta({ description: "Label value." }))
                    .meta({ description: "Pod labels of an in-cluster MySQL, for the network policy." })
                    .optional(),
            })
            .prefault({})
            .superRefine((db, ctx) => {
                if (db.cidr !== undefined && (db.namespaceSelector !== undefined || db.podSelector !== undefined)) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["cidr"],
                        message: "set either `database.cidr` (outside the cluster) or selectors (in-cluster), not both",
                    });
                }
            })
            .meta({
                description: "The MySQL database (the password is `secrets.databasePassword`). Unset fields come from the stack's Azure MySQL when it has one.",
            }),
        // The chart's own Secret and keys by default, so an absent block validates.
        secrets: secretsConfigSchema(BACKEND_SECRET_VALUES)
            .prefault({ mode: "existing", existingSecret: { name: DEFAULT_SECRET_NAME } })
            .meta({
                description: `Where the database password and the Anthropic and LangChain keys come from: by default the existing Secret \`${DEFAULT_SECRET_NAME}\` with the chart's keys; see docs/secrets.md.`,
            }),
        migrations: z
            .strictObject({
                mode: z.enum(["initContainer", "job"]).default("initContainer").meta({
                    description:
                        "`initContainer`: every pod migrates before it starts (the chart); `job`: one Job per image version that the Deployment waits for.",
                }),
                command: z
                    .array(z.string().meta({ description: "Argument." }))
                    .min(1)
                    .default(["./init.sh"])
                    .meta({ description: "Migration command, run in the backend image." }),
                resources: resources(small).meta({ description: "Resources of the migration container." }),
                backoffLimit: z.number().int().min(0).max(20).default(2).meta({ description: "Mode `job`: retries before the Job fails." }),
                activeDeadlineSeconds: seconds("Mode `job`: the longest the Job may run, retries and the MySQL wait included.", 60, 86_400).default(1800),
            })
            .prefault({})
            .meta({ description: "Database migrations (the chart's `dbMigrationInitContainer`)." }),
        initContainerDependencies: z
            .strictObject({
                enabled: z.boolean().default(true).meta({ description: "Run the init containers that wait for dependencies." }),
                waitForMySQL: z
                    .strictObject({
                        enabled: z
                            .boolean()
                            .default(true)
                            .meta({ description: "Wait until MySQL accepts the configured credentials before migrating and starting." }),
                        image: imageBlock("Image with the `mysql` client.", "mysql", "9"),
                        resources: resources(small).meta({ description: "Resources of the wait container." }),
                        timeoutSeconds: seconds("Give up (and fail the pod, which restarts it) after this long.", 2, 86_400).default(300),
                        intervalSeconds: seconds("Pause between attempts.", 1, 300).default(5),
                        connectTimeoutSeconds: seconds("Timeout of one connection attempt.", 1, 300).default(5),
                    })
                    .prefault({})
                    .meta({ description: "The wait-for-MySQL init container." }),
            })
            .prefault({})
            .meta({ description: "Init containers that coordinate startup dependencies." }),
        initContainers: z
            .array(userInitContainerSchema)
            .default([])
            .meta({ description: "Your init containers, run before the MySQL wait and the migration." }),
        replicas: z.number().int().min(0).max(100).default(1).meta({ description: "Number of pods." }),
        revisionHistoryLimit: z.number().int().min(0).max(100).meta({ description: "Old ReplicaSets kept for rollback; default Kubernetes' 10." }).optional(),
        rollingUpdate: z
            .strictObject({
                maxSurge: z
                    .union([z.number().int().min(0), z.string().regex(/^[0-9]+%$/)])
                    .default(1)
                    .meta({ description: "Extra pods during a rollout (number or percent)." }),
                maxUnavailable: z
                    .union([z.number().int().min(0), z.string().regex(/^[0-9]+%$/)])
                    .default(0)
                    .meta({ description: "Pods that may be unavailable during a rollout (number or percent)." }),
            })
            .prefault({})
            .meta({ description: "Rolling update of the Deployment." }),
        resources: resources({ requests: { cpu: "500m", memory: "512Mi" }, limits: { memory: "1Gi" } }).meta({
            description: "Resources of the backend container; a stack that sets this block replaces the default as a whole.",
        }),
        startupProbe: probe("startup", { enabled: false, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 5 }),
        readinessProbe: probe("readiness", { enabled: true, initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 5 }),
        livenessProbe: probe("liveness", { enabled: true, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 10 }),
        securityContext: z
            .strictObject({
                runAsUser: z.number().int().min(1).default(101).meta({ description: "UID of every container (non-zero)." }),
                runAsGroup: z.number().int().min(1).default(101).meta({ description: "GID of every container (non-zero)." }),
                fsGroup: z.number().int().min(1).default(101).meta({ description: "GID that owns mounted volumes." }),
            })
            .prefault({})
            .meta({ description: "Who the pods run as; the rest of the hardening is fixed." }),
        extraEnvVars: z
            .array(envVarSchema)
            .default([])
            .meta({ description: "More environment variables of the backend container; they override the generated ones of the same name." }),
        extraEnvVarsCMs: z
            .array(objectName("ConfigMap name."))
            .default([])
            .meta({ description: "ConfigMaps whose keys become environment variables of the backend container." }),
        extraEnvVarsSecrets: z
            .array(objectName("Secret name."))
            .default([])
            .meta({ description: "Secrets whose keys become environment variables of the backend container." }),
        extraVolumes: z
            .array(volumeSchema)
            .default([])
            .meta({ description: "More volumes of the pod (configMap, secret, emptyDir, persistentVolumeClaim, csi)." }),
        extraVolumeMounts: z.array(volumeMountSchema).default([]).meta({ description: "Mounts of `extraVolumes` in the backend and migration containers." }),
        podLabels: labels("More labels on the pods (the app.kubernetes.io labels always win)."),
        podAnnotations: annotations("Annotations on the pods."),
        commonLabels: labels("Labels on every object and pod of the backend."),
        commonAnnotations: annotations("Annotations on every object of the backend."),
        secretLabels: labels("More labels on the Secrets created for the backend."),
        secretAnnotations: annotations("Annotations on the Secrets created for the backend."),
        configMapLabels: labels("More labels on the settings ConfigMap."),
        configMapAnnotations: annotations("Annotations on the settings ConfigMap."),
        scheduling: z
            .strictObject({
                nodeSelector: z
                    .record(z.string(), z.string().meta({ description: "Label value." }))
                    .default({})
                    .meta({ description: "Node labels the pods must run on." }),
                tolerations: tolerationsSchema,
                requiredNodeAffinity: z.array(matchExpressionSchema).default([]).meta({ description: "Node label requirements, all of which must hold." }),
                podAntiAffinity: z
                    .enum(["none", "preferred", "required"])
                    .default("preferred")
                    .meta({ description: "Spread the backend's pods over nodes: `preferred` (scheduled anyway), `required` (one per node), or `none`." }),
                priorityClassName: dnsLabel("PriorityClass of the pods.").optional(),
            })
            .prefault({})
            .meta({ description: "Where the pods run (the chart's `extraOptionsTemplateSpec`)." }),
        serviceAccount: z
            .strictObject({
                name: objectName("Use this existing ServiceAccount instead of creating `<name>`.").optional(),
                annotations: annotations("Annotations on the created ServiceAccount."),
                imagePullSecretNames: z.array(dnsLabel("Secret name.")).default([]).meta({ description: "Pull Secrets on the created ServiceAccount." }),
                automountServiceAccountToken: z
                    .boolean()
                    .default(false)
                    .meta({ description: "Mount an API token into the pods; the backend never calls the Kubernetes API, so off." }),
            })
            .prefault({})
            .superRefine((sa, ctx) => {
                if (sa.name === undefined) return;
                for (const key of ["annotations", "imagePullSecretNames"] as const) {
                    if (Object.keys(sa[key] ?? {}).length > 0) {
                        ctx.addIssue({
                            code: "custom",
                            path: [key],
                            message: `is only used for the ServiceAccount the program creates; remove it or unset \`serviceAccount.name\``,
                        });
                    }
                }
            })
            .meta({ description: "The pods' ServiceAccount." }),
        service: z
            .strictObject({
                type: z.enum(["ClusterIP", "NodePort", "LoadBalancer"]).default("ClusterIP").meta({ description: "Service type." }),
                portName: dnsLabel("Name of the Service port.").default("http"),
                port: z.number().int().min(1).max(65535).default(80).meta({ description: "Service port, forwarded to the `http` container port." }),
                nodePort: z.number().int().min(30000).max(32767).meta({ description: "Node port (type NodePort or LoadBalancer)." }).optional(),
                extraPorts: z
                    .array(
                        z
                            .strictObject({
                                name: dnsLabel("Port name."),
                                port: z.number().int().min(1).max(65535).meta({ description: "Service port." }),
                                targetPort: z
                                    .union([z.number().int().min(1).max(65535), z.string().min(1).max(15)])
                                    .meta({ description: "Container port number or name." }),
                                protocol: z.enum(["TCP", "UDP", "SCTP"]).default("TCP").meta({ description: "Protocol." }),
                                nodePort: z.number().int().min(30000).max(32767).meta({ description: "Node port (type NodePort or LoadBalancer)." }).optional(),
                            })
                            .meta({ description: "A further Service port." }),
                    )
                    .default([])
                    .meta({ description: "Further ports of the Service (the chart's `extraServices`)." }),
                annotations: annotations("Annotations on the Service, e.g. for a cloud load balancer."),
                externalTrafficPolicy: z
                    .enum(["Cluster", "Local"])
                    .meta({ description: "Type NodePort or LoadBalancer: keep client source IPs with `Local`." })
                    .optional(),
                loadBalancerSourceRanges: z.array(cidr("Allowed client range.")).meta({ description: "Type LoadBalancer: client ranges allowed." }).optional(),
                sessionAffinity: z.enum(["None", "ClientIP"]).meta({ description: "Route a client to the same pod." }).optional(),
            })
            .prefault({})
            .superRefine((service, ctx) => {
                const external = service.type !== "ClusterIP";
                if (!external && service.nodePort !== undefined)
                    ctx.addIssue({ code: "custom", path: ["nodePort"], message: "needs `service.type` NodePort or LoadBalancer" });
                if (!external && service.externalTrafficPolicy !== undefined)
                    ctx.addIssue({ code: "custom", path: ["externalTrafficPolicy"], message: "needs `service.type` NodePort or LoadBalancer" });
                if (service.type !== "LoadBalancer" && service.loadBalancerSourceRanges !== undefined) {
                    ctx.addIssue({ code: "custom", path: ["loadBalancerSourceRanges"], message: "needs `service.type` LoadBalancer" });
                }
                const names = [service.portName, ...(service.extraPorts ?? []).map((p) => p.name)];
                const ports = [service.port, ...(service.extraPorts ?? []).map((p) => p.port)];
                (service.extraPorts ?? []).forEach((p, i) => {
                    if (names.indexOf(p.name) !== i + 1)
                        ctx.addIssue({ code: "custom", path: ["extraPorts", i, "name"], message: `port name '${p.name}' is used twice` });
                    if (ports.indexOf(p.port) !== i + 1)
                        ctx.addIssue({ code: "custom", path: ["extraPorts", i, "port"], message: `port ${p.port} is used twice` });
                    if (!external && p.nodePort !== undefined)
                        ctx.addIssue({ code: "custom", path: ["extraPorts", i, "nodePort"], message: "needs `service.type` NodePort or LoadBalancer" });
                });
            })
            .meta({ description: "The backend's Service." }),
        ingress: ingressConfigSchema.prefault({}),
        networkPolicy: serviceNetworkPolicySchema,
    })
    .superRefine((backend, ctx) => {
        // Zod runs this even when a field above failed: only look at what parsed.
        const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
        const volumes = (backend.extraVolumes ?? []).map((v) => v.name);
        volumes.forEach((name, i) => {
            if (name === "tmp") issue(["extraVolumes", i, "name"], "`tmp` is the backend's writable /tmp; choose another name");
            else if (volumes.indexOf(name) !== i) issue(["extraVolumes", i, "name"], `volume '${name}' is declared twice`);
        });
        const mounts: [(string | number)[], { name: string; mountPath: string }[]][] = [
            [["extraVolumeMounts"], backend.extraVolumeMounts ?? []],
            ...(backend.initContainers ?? []).map((c, i): [(string | number)[], { name: string; mountPath: string }[]] => [
                ["initContainers", i, "volumeMounts"],
                c.volumeMounts,
            ]),
        ];
        for (const [at, list] of mounts) {
            list.forEach((mount, j) => {
                if (!volumes.includes(mount.name))
                    issue([...at, j, "name"], `'${mount.name}' is not a volume of \`extraVolumes\` (allowed: ${volumes.join(", ") || "none declared"})`);
                if (mount.mountPath === "/tmp") issue([...at, j, "mountPath"], "/tmp is already the writable emptyDir");
            });
        }
        const reserved = ["wait-for-mysql", "db-migration", "agent-backend"];
        const names = (backend.initContainers ?? []).map((c) => c.name);
        names.forEach((name, i) => {
            if (reserved.includes(name))
                issue(["initContainers", i, "name"], `'${name}' is the name of a container the program adds (taken: ${reserved.join(", ")})`);
            else if (names.indexOf(name) !== i) issue(["initContainers", i, "name"], `'${name}' is used twice`);
        });
        const fromSecrets = BACKEND_SECRET_VALUES.map((v) => v.defaultKey as string);
        (backend.extraEnvVars ?? []).forEach((env, i) => {
            if (fromSecrets.includes(env.name)) issue(["extraEnvVars", i, "name"], `${env.name} comes from \`secrets\`; configure it there`);
        });
        const db = backend.database;
        const located = db && (db.cidr !== undefined || db.namespaceSelector !== undefined || db.podSelector !== undefined || isIpv4Address(db.host ?? ""));
        if (backend.networkPolicy?.enabled && db?.host !== undefined && !located) {
            issue(
                ["database", "cidr"],
                "the network policy must know where MySQL is (allowed: `database.cidr`, `database.namespaceSelector`/`podSelector`, an IPv4 `database.host`, or `networkPolicy.enabled: false`)",
            );
        }
        const timeout = backend.initContainerDependencies?.waitForMySQL;
        if (timeout && timeout.intervalSeconds >= timeout.timeoutSeconds) {
            issue(["initContainerDependencies", "waitForMySQL", "intervalSeconds"], `must be below timeoutSeconds (${timeout.timeoutSeconds})`);
        }
    })
    .meta({ description: "The Seqera agent backend (seed chart agent-backend): MySQL wait and migrations, Anthropic/LangChain credentials." });

export type AgentBackendConfig = z.output<typeof agentBackendBlock>;
