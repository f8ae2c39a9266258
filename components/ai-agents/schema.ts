/**
 * The `aiAgents` block: the ai-agents platform (seed 002): API + operator, Next.js App, an
 * optional processor, webhook receivers, six CRDs (labrats.work/v1alpha1), the shipped
 * AiInstructions, storage, CronJobs, split public/protected ingress and strict network policies.
 *
 * Off by default. Its required settings (image tag, OIDC client, the three secrets) are only
 * demanded once `enabled` is true, so stacks that do not run the platform need not mention it.
 */
import { z } from "zod";
import type { SecretValueSpec } from "../secrets";
import { dnsLabel, imageDigest, pullPolicy, quantity, resources } from "../core/schema";
import { isHostTemplate, KNOWN_CLASSES } from "../ingress/schema";
import { monitoringConfigSchema } from "../monitoring/schema";
import { serviceNetworkPolicySchema } from "../network-policy/schema";
import { secretsConfigSchema } from "../secrets/schema";

/** The keys the API reads from its deployment-level Secret; the seed's key names are the env names. */
export const AI_AGENTS_SECRET_VALUES = [
    { id: "oidcClientSecret", defaultKey: "OIDC_CLIENT_SECRET", required: true, description: "OIDC_CLIENT_SECRET: Authelia OIDC client secret" },
    { id: "jwtSecret", defaultKey: "JWT_SECRET", required: true, description: "JWT_SECRET: HS256 signing key of the auth_token cookie" },
    {
        id: "submitApiKeys",
        defaultKey: "SUBMIT_API_KEYS",
        required: true,
        description: "SUBMIT_API_KEYS: comma-separated API keys for fast-path job submission",
    },
] as const satisfies readonly SecretValueSpec[];

export type AiAgentsSecretId = (typeof AI_AGENTS_SECRET_VALUES)[number]["id"];

/** The 14 AiInstructions the seed ships (components/ai-agents/data/instructions/<name>.yaml). */
export const SHIPPED_INSTRUCTIONS = [
    "global-code-quality",
    "global-commit-format",
    "global-security",
    "global-documentation",
    "global-testing",
    "global-repo-compliance",
    "local-developer-workflow",
    "local-reviewer-checklist",
    "local-docs-standards",
    "local-architect-design",
    "local-ops-runbook",
    "local-security-audit",
    "local-triage-process",
    "local-testing-strategy",
] as const;

/** Where the seed's images are published (image.yml pushes to ghcr.io/labrats-work/). */
export const DEFAULT_IMAGE_REPOSITORIES = {
    api: "ghcr.io/labrats-work/apps.ai-agents",
    app: "ghcr.io/labrats-work/apps.ai-agents/app",
    processor: "ghcr.io/labrats-work/apps.ai-agents/processor",
    webhook: "ghcr.io/labrats-work/apps.ai-agents/webhook",
    executor: "ghcr.io/labrats-work/apps.ai-agents/executor-claude",
} as const;

/** The longest object-name suffix we add to `name` (`-token-refresh`; CronJob names may have at most 52 characters). */
const NAME_MAX = 30;
/** Service and Deployment names are DNS labels: `<name>-webhook-<source>` must fit in 63. */
const LABEL_MAX = 63;

const absolutePath = (description: string) =>
    z
        .string()
        .regex(/^\/[^\s]*$/, "must be an absolute path")
        .refine((p) => !p.split("/").includes(".."), "must not contain '..'")
        .meta({ description, allowed: "an absolute path such as /workspace/jobs" });

const imageTag = z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be an image tag")
    .refine((tag) => tag !== "latest", "must be a version, not `latest` (pin the release, e.g. 1.4.2)")
    .meta({
        description:
            "Release tag of the API, App, processor and webhook images (one release builds them all), e.g. `1.4.2` (semver without a `v`). Required when `enabled`.",
        allowed: "an image tag other than latest",
    });

const processImage = (repository: string, what: string) =>
    z
        .strictObject({
            repository: z
                .string()
                .min(1)
                .default(repository)
                .meta({ description: `${what} image repository (with registry; \`image.registry\` or \`images.registry\` replaces it).` }),
            digest: imageDigest.optional(),
        })
        .prefault({})
        .meta({ description: `${what} image; its tag is \`image.tag\`.` });

const replicas = (description: string, fallback: number) => z.number().int().min(0).max(50).default(fallback).meta({ description });
const port = (description: string, fallback: number) => z.number().int().min(1024).max(65535).default(fallback).meta({ description });

const accessMode = z.enum(["ReadWriteMany", "ReadWriteOnce"]).meta({ description: "PersistentVolumeClaim access mode." });

const claim = (what: string, size: string, mode: "ReadWriteMany" | "ReadWriteOnce") => ({
    size: quantity(`Requested size of the ${what} volume.`).default(size),
    storageClassName: z
        .string()
        .min(1)
        .meta({ description: `StorageClass of the ${what} volume (the seed uses Longhorn: \`longhorn\`); unset uses the cluster default.` })
        .optional(),
    accessMode: accessMode.default(mode),
});

const cronSchedule = (description: string, fallback: string) =>
    z
        .string()
        .regex(
            /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/,
            "must be a cron schedule with five fields or a macro such as @hourly",
        )
        .refine((s) => !/^(CRON_)?TZ=/.test(s), "must not set a time zone: use `cronJobs.timeZone`")
        .default(fallback)
        .meta({ description, allowed: "five cron fields (minute hour day month weekday) or @hourly, @daily, ..." });

const cronJobBase = (schedule: string, what: string) => ({
    enabled: z
        .boolean()
        .default(true)
        .meta({ description: `Create the ${what} CronJob.` }),
    schedule: cronSchedule(`When the ${what} job runs.`, schedule),
    successfulJobsHistoryLimit: z.number().int().min(0).max(10).default(1).meta({ description: "Finished successful Jobs kept for inspection." }),
    failedJobsHistoryLimit: z.number().int().min(0).max(10).default(3).meta({ description: "Failed Jobs kept for inspection." }),
    activeDeadlineSeconds: z.number().int().min(60).max(86_400).default(1800).meta({ description: "A run still going after this long is stopped." }),
    resources: resources({ requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } }).meta({ description: "Container resources of the job." }),
});

const labelMap = (description: string) => z.record(z.string().min(1), z.string().meta({ description: "Label value." })).meta({ description });

const tlsBlock = z
    .strictObject({
        enabled: z.boolean().default(false).meta({ description: "Terminate TLS for `host` at the ingress controller." }),
        secretName: z
            .string()
            .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a Secret name")
            .meta({ description: "Secret holding the certificate, shared by every Ingress of the platform; default `<name>-tls`." })
            .optional(),
        issuer: z
            .strictObject({
                kind: z.enum(["ClusterIssuer", "Issuer"]).default("ClusterIssuer").meta({ description: "cert-manager issuer kind." }),
                name: z.string().min(1).meta({ description: "cert-manager issuer name, e.g. letsencrypt-prod." }),
            })
            .meta({ description: "cert-manager issuer; annotated on the protected Ingress only, so one Certificate owns the shared Secret." })
            .optional(),
    })
    .prefault({})
    .meta({ description: "TLS for the platform host." });

const ingressBlock = z
    .strictObject({
        enabled: z
            .boolean()
            .default(false)
            .meta({ description: "Create the public and protected Ingresses or HTTPRoutes (and one per static webhook source)." }),
        mode: z.enum(["ingress", "gatewayApi"]).default("ingress").meta({
            description:
                "`ingress`: networking.k8s.io/v1 Ingresses for `className`; `gatewayApi`: HTTPRoutes on a Traefik Gateway (the stack's own with `addons.traefik`, or `gateway`), the protected one behind a forward-auth Middleware (`forwardAuth`).",
        }),
        gateway: z
            .strictObject({
                name: dnsLabel("Name of the Gateway."),
                namespace: dnsLabel("Namespace of the Gateway; default the platform's.").optional(),
            })
            .optional()
            .meta({
                description:
                    "The Traefik Gateway the HTTPRoutes attach to (mode gatewayApi); default the stack's own Gateway when `addons.traefik` installs one.",
            }),
        forwardAuth: z
            .strictObject({
                url: z.url("must be an http(s) URL").meta({
                    description:
                        "Forward-auth endpoint every protected request is checked against, e.g. Authelia's `http://authelia.authelia.svc.cluster.local/api/authz/forward-auth`.",
                }),
                responseHeaders: z
                    .array(
                        z
                            .string()
                            .regex(/^[A-Za-z0-9-]+$/, "must be a header name")
                            .meta({ description: "Header name." }),
                    )
                    .default(["Remote-User", "Remote-Name", "Remote-Groups", "Remote-Email"])
                    .meta({ description: "Headers of the auth response passed on to the backend." }),
            })
            .meta({
                description:
                    "Forward auth of the protected HTTPRoute (mode gatewayApi): the stack renders a Traefik Middleware in the platform namespace and references it from the route's ExtensionRef filter.",
            })
            .optional(),
        host: z
            .string()
            .refine(isHostTemplate, "must be a DNS name, optionally with `{domain}` for the platform domain, e.g. `agents.{domain}`")
            .meta({ description: "Hostname of the platform; `{domain}` is replaced by the platform domain. Required when `ingress.enabled`." })
            .optional(),
        className: z.string().min(1).default("traefik").meta({ description: "IngressClass (`ingressClassName`); the seed runs Traefik." }),
        controller: z
            .enum(["nginx", "traefik", "azureAppRouting", "other"])
            .meta({ description: "Controller behind `className`, when it is not one of nginx, traefik, webapprouting.kubernetes.azure.com." })
            .optional(),
        entrypoints: z
            .array(z.string().min(1).meta({ description: "Entrypoint name." }))
            .default([])
            .meta({ description: "Traefik entrypoints of the routers, e.g. websecure." }),
        authMiddleware: z
            .string()
            .regex(/^[A-Za-z0-9_.-]+@[a-z]+$/, "must be a Traefik middleware reference such as authelia-authelia@kubernetescrd")
            .default("authelia-authelia@kubernetescrd")
            .meta({
                description:
                    "Traefik forward-auth middleware of the protected Ingress (`traefik.ingress.kubernetes.io/router.middlewares`), `<namespace>-<name>@kubernetescrd`. A middleware in another namespace needs `allowCrossNamespace: true` on Traefik's kubernetesCRD provider.",
            }),
        nginxAuth: z
            .strictObject({
                url: z.url("must be an http(s) URL").meta({
                    description: "`auth-url`: the forward-auth endpoint, e.g. Authelia's `http://authelia.authelia.svc.cluster.local/api/authz/auth-request`.",
                }),
                signinUrl: z
                    .url("must be an http(s) URL")
                    .meta({ description: "`auth-signin`: where unauthenticated browsers are sent, e.g. `https://auth.example.com/`." })
                    .optional(),
                responseHeaders: z
                    .array(
                        z
                            .string()
                            .regex(/^[A-Za-z0-9-]+$/, "must be a header name")
                            .meta({ description: "Header name." }),
                    )
                    .default(["Remote-User", "Remote-Name", "Remote-Groups", "Remote-Email"])
                    .meta({ description: "`auth-response-headers`: headers of the auth response passed on to the backend." }),
            })
            .meta({ description: "Forward auth of the protected Ingress on ingress-nginx or AKS application routing (instead of the Traefik middleware)." })
            .optional(),
        publicMetrics: z.boolean().default(true).meta({
            description: "Route `/metrics` through the public Ingress, as the seed does; false keeps metrics in-cluster (Prometheus scrapes the Service).",
        }),
        tls: tlsBlock,
        annotations: z
            .record(z.string().min(1), z.string().meta({ description: "Annotation value." }))
            .default({})
            .meta({ description: "Extra annotations on every Ingress of the platform." }),
    })
    .prefault({})
    .meta({ description: "Split ingress: public paths without auth, everything else behind the forward-auth middleware." });

const noInternet = { internet: false };

const networkPolicyBlock = z
    .strictObject({
        clientNamespaces: z
            .array(dnsLabel("Namespace name."))
            .default([])
            .meta({ description: "Namespaces whose pods may call the API directly (the seed's github-ai-agents, reader-ai-agents)." }),
        api: serviceNetworkPolicySchema.meta({
            description: "The API's policy: in from the ingress controller, the App and `clientNamespaces`; out to the Kubernetes API, DNS and HTTPS.",
        }),
        app: serviceNetworkPolicySchema
            .prefault(noInternet)
            .meta({ description: "The App's policy: in from the ingress controller only; out to the API and DNS." }),
        processor: serviceNetworkPolicySchema
            .prefault(noInternet)
            .meta({ description: "The processor's policy: no ingress; out to the Kubernetes API and DNS." }),
        webhooks: serviceNetworkPolicySchema
            .prefault(noInternet)
            .meta({ description: "Each static webhook's policy: in from the ingress controller; out to the Kubernetes API and DNS." }),
        executor: serviceNetworkPolicySchema.meta({
            description: "Executor Jobs' policy: no ingress; out to the Kubernetes API (credential write-back), DNS and HTTPS (AI provider, GitHub).",
        }),
        cleanup: serviceNetworkPolicySchema.prefault(noInternet).meta({ description: "The cleanup CronJob's policy: DNS only." }),
        tokenRefresh: serviceNetworkPolicySchema.meta({
            description: "The token-refresh CronJob's policy: out to the Kubernetes API, DNS and HTTPS (OAuth provider).",
        }),
    })
    .prefault({})
    .meta({ description: "The platform's NetworkPolicies (default deny per process); cluster facts come from the top-level `networkPolicy` block." });

export const aiAgentsBlock = z
    .strictObject({
        enabled: z.boolean().default(false).meta({ description: "Deploy the ai-agents platform." }),
        name: dnsLabel("Prefix of every object name: `<name>-api`, `<name>-app`, `<name>-processor`, ...").max(NAME_MAX).default("ai-agents"),
        image: z
            .strictObject({
                registry: z.string().min(1).meta({ description: "Registry of the platform's images (overrides `images.registry`)." }).optional(),
                repository: z.string().min(1).default(DEFAULT_IMAGE_REPOSITORIES.api).meta({ description: "API image repository; the CronJobs run it too." }),
                tag: imageTag.optional(),
                digest: imageDigest.optional(),
                pullPolicy: pullPolicy.default("IfNotPresent"),
            })
            .prefault({})
            .meta({ description: "The release: API image, the tag every image shares, the pull policy." }),
        settings: z
            .strictObject({
                port: port("PORT of the API, processor and webhook receivers, and their Service port (the seed's 3001).", 3001),
                logLevel: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]).default("info").meta({ description: "LOG_LEVEL of every process." }),
                workerConcurrency: z
                    .number()
                    .int()
                    .min(1)
                    .max(100)
                    .default(5)
                    .meta({ description: "WORKER_CONCURRENCY: jobs run at once by the API and the processor." }),
                appVersion: z.string().min(1).meta({ description: "APP_VERSION shown by the API; default `image.tag`." }).optional(),
                workspaceDir: absolutePath("WORKSPACE_DIR: per-job workspaces (on the workspace volume).").default("/workspace/jobs"),
                accountsDir: absolutePath("ACCOUNTS_DIR: account credential files (legacy path, on the workspace volume).").default("/workspace/.accounts"),
                uploadsDir: absolutePath("UPLOADS_DIR: PDF and workspace uploads; the uploads volume is mounted here.").default("/workspace/uploads"),
                oidc: z
                    .strictObject({
                        issuer: z
                            .url("must be an http(s) URL")
                            .meta({ description: "OIDC_ISSUER: the Authelia issuer URL. Required when `enabled`." })
                            .optional(),
                        clientId: z.string().min(1).meta({ description: "OIDC_CLIENT_ID. Required when `enabled`." }).optional(),
                        redirectUri: z
                            .url("must be an http(s) URL")
                            .meta({ description: "OIDC_REDIRECT_URI: the API's callback URL registered with Authelia. Required when `enabled`." })
                            .optional(),
                    })
                    .prefault({})
                    .meta({ description: "Login through Authelia (OIDC); the client secret is `secrets.oidcClientSecret`." }),
                prometheusUrl: z
                    .url("must be an http(s) URL")
                    .meta({
                        description:
                            "PROMETHEUS_URL for /api/stats/timeseries. The API's egress rule to it is derived from the URL (docs/network-policy.md); `networkPolicy.api.endpoints.prometheusUrl` adds what the URL cannot say (the pods' port).",
                    })
                    .optional(),
            })
            .prefault({})
            .meta({ description: "The seed's environment table (src/config.ts), rendered into the processes' ConfigMaps." }),
        // Optional rather than defaulted: a stack without the platform needs no secrets block.
        secrets: secretsConfigSchema(AI_AGENTS_SECRET_VALUES)
            .unwrap()
            .meta({ description: "Where OIDC_CLIENT_SECRET, JWT_SECRET and SUBMIT_API_KEYS come from; see docs/secrets.md. Required when `enabled`." })
            .optional(),
        api: z
            .strictObject({
                replicas: replicas("API pods.", 1),
                resources: resources({ requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } }).meta({
                    description: "API container resources.",
                }),
            })
            .prefault({})
            .meta({ description: "The API Deployment: Express API + operator (WebhookSourceWatcher, executor Jobs)." }),
        app: z
            .strictObject({
                replicas: replicas("App pods.", 1),
                port: port("PORT of the App and its Service port (the seed's 3000).", 3000),
                image: processImage(DEFAULT_IMAGE_REPOSITORIES.app, "App"),
                cacheDir: absolutePath("Writable Next.js cache directory (an emptyDir; the root filesystem is read-only).").default("/app/.next/cache"),
                env: z
                    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name"), z.string().meta({ description: "Value." }))
                    .default({})
                    .meta({ description: "Further plain environment variables of the App (never secrets)." }),
                resources: resources({ requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } }).meta({
                    description: "App container resources.",
                }),
            })
            .prefault({})
            .meta({ description: "The App Deployment: the Next.js frontend." }),
        processor: z
            .strictObject({
                enabled: z.boolean().default(false).meta({ description: "Run the operator-only processor next to the API (it scales independently)." }),
                replicas: replicas("Processor pods.", 1),
                image: processImage(DEFAULT_IMAGE_REPOSITORIES.processor, "Processor"),
                resources: resources({ requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } }).meta({
                    description: "Processor container resources.",
                }),
            })
            .prefault({})
            .meta({ description: "The processor: the operator reconcile loop on its own." }),
        webhooks: z
            .strictObject({
                provisioning: z.enum(["api", "static"]).default("api").meta({
                    description:
                        "`api`: the API's WebhookSourceWatcher creates each source's Deployment, Service and Ingress (it gets RBAC for them); `static`: this stack creates them for `sources` and the API gets no such RBAC.",
                }),
                sources: z
                    .array(dnsLabel("WebhookSource name."))
                    .default([])
                    .meta({ description: "WebhookSource names to deploy a receiver for (`static` only); each gets WEBHOOK_SOURCE_NAME." }),
                replicas: replicas("Pods per webhook receiver.", 1),
                image: processImage(DEFAULT_IMAGE_REPOSITORIES.webhook, "Webhook receiver"),
                resources: resources({ requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } }).meta({
                    description: "Webhook container resources.",
                }),
            })
            .prefault({})
            .meta({ description: "Webhook receivers, one per WebhookSource." }),
        executor: z
            .strictObject({
                image: z
                    .strictObject({
                        repository: z.string().min(1).default(DEFAULT_IMAGE_REPOSITORIES.executor).meta({ description: "Executor image repository." }),
                        tag: imageTag.meta({ description: "Executor image tag; default `image.tag`." }).optional(),
                        digest: imageDigest.optional(),
                    })
                    .prefault({})
                    .meta({ description: "EXECUTOR_IMAGE: the image of the executor Jobs the API and processor launch." }),
                serviceAccountName: dnsLabel("EXECUTOR_SERVICE_ACCOUNT; default `<name>-executor`.").optional(),
                credentialSecrets: z.array(dnsLabel("Secret name.")).default([]).meta({
                    description:
                        "Secrets executors may read and update (credential write-back: the AiModel credentialsRef Secrets). None listed: no Secret access.",
                }),
                podLabels: labelMap(
                    "Labels the API puts on executor Job pods; the executor NetworkPolicy selects them. Unset: every Job pod in the namespace that is not part of this platform.",
                ).optional(),
            })
            .prefault({})
            .meta({
                description:
                    "Executor Jobs: launched at run time by the API/processor; this stack provides their image, ServiceAccount, RBAC and NetworkPolicy.",
            }),
        storage: z
            .strictObject({
                workspace: z
                    .strictObject({
                        ...claim("workspace", "20Gi", "ReadWriteMany"),
                        mountPath: absolutePath("Where the workspace volume is mounted.").default("/workspace"),
                    })
                    .prefault({})
                    .meta({ description: "The shared workspace PVC: ReadWriteMany, or ReadWriteOnce in single-replica setups." }),
                uploads: z
                    .strictObject({
                        enabled: z.boolean().default(true).meta({
                            description: "A separate uploads PVC (UPLOADS_PVC_NAME), mounted at `settings.uploadsDir` and into executor Jobs at /uploads.",
                        }),
                        ...claim("uploads", "10Gi", "ReadWriteMany"),
                    })
                    .prefault({})
                    .meta({ description: "The uploads PVC." }),
                modelsCache: z
                    .strictObject({
                        enabled: z
                            .boolean()
                            .default(false)
                            .meta({ description: "Create the models-cache PVC executors mount at /models for local inference providers." }),
                        claimName: dnsLabel("Name of the PVC, as the job executor mounts it.").default("models-cache"),
                        ...claim("models cache", "50Gi", "ReadWriteMany"),
                    })
                    .prefault({})
                    .meta({ description: "Optional cache of downloaded GGUF models (AiConfig.spec.providers[provider].modelUrl)." }),
                retainOnDelete: z.boolean().default(true).meta({ description: "Keep the PVCs (and their data) in the cluster when the stack deletes them." }),
            })
            .prefault({})
            .meta({ description: "Persistent volumes." }),
        crds: z
            .strictObject({
                enabled: z
                    .boolean()
                    .default(true)
                    .meta({ description: "Install the six labrats.work CRDs (cluster-scoped); false where a cluster admin installs them." }),
                retainOnDelete: z
                    .boolean()
                    .default(true)
                    .meta({ description: "Keep the CRDs when the stack deletes them: deleting a CRD deletes every object of its kind." }),
            })
            .prefault({})
            .meta({ description: "The CustomResourceDefinitions of labrats.work/v1alpha1." }),
        instructions: z
            .strictObject({
                enabled: z.boolean().default(true).meta({ description: "Create the shipped AiInstruction objects." }),
                exclude: z
                    .array(z.enum(SHIPPED_INSTRUCTIONS).meta({ description: "Name of a shipped instruction." }))
                    .default([])
                    .meta({ description: "Shipped instructions to leave out." }),
            })
            .prefault({})
            .meta({ description: "The 14 AiInstructions the seed ships (global-* and local-*)." }),
        cronJobs: z
            .strictObject({
                timeZone: z.string().min(1).default("Etc/UTC").meta({ description: "Time zone of the schedules (IANA name)." }),
                cleanup: z
                    .strictObject({
                        ...cronJobBase("30 * * * *", "cleanup"),
                        maxAgeHours: z
                            .number()
                            .int()
                            .min(1)
                            .max(8760)
                            .default(24)
                            .meta({ description: "Job workspaces untouched for longer than this are removed." }),
                    })
                    .prefault({})
                    .meta({ description: "Removes stale workspace directories under WORKSPACE_DIR that survived crashes." }),
                tokenRefresh: z
                    .strictObject({
                        ...cronJobBase("0 */6 * * *", "token-refresh"),
                        command: z
                            .array(z.string().min(1).meta({ description: "Argument." }))
                            .min(1)
                            .default(["node", "dist/jobs/token-refresh.js"])
                            .meta({ description: "Command run in the API image that refreshes OAuth tokens of idle accounts." }),
                    })
                    .prefault({})
                    .meta({ description: "Triggers an OAuth refresh on idle accounts to prevent token expiry." }),
            })
            .prefault({})
            .meta({ description: "The CronJobs of the main chart, hardened, never overlapping." }),
        ingress: ingressBlock,
        networkPolicy: networkPolicyBlock,
        // The seed ships a ServiceMonitor and a dashboard, no alert rules.
        monitoring: monitoringConfigSchema
            .prefault({ prometheusRule: { enabled: false } })
            .meta({ description: "Monitoring of the API: ServiceMonitor and Grafana dashboard (alerts off by default)." }),
    })
    .superRefine((block, ctx) => {
        // Zod runs this even when a field above failed: only look at what parsed.
        const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
        if (block.enabled) {
            if (block.image?.tag === undefined) issue(["image", "tag"], "is required when `enabled` is true (allowed: the release tag, e.g. 1.4.2)");
            if (block.secrets === undefined) {
                issue(
                    ["secrets"],
                    "is required when `enabled` is true (allowed: `mode: managed` with each value set as a secret, `mode: existing` with `existingSecret.name`, or `mode: external`)",
                );
            }
            for (const key of ["issuer", "clientId", "redirectUri"] as const) {
                if (block.settings?.oidc && block.settings.oidc[key] === undefined)
                    issue(["settings", "oidc", key], "is required when `enabled` is true (the API logs users in through OIDC)");
            }
        }
        const storage = block.storage;
        const settings = block.settings;
        if (storage?.workspace && settings) {
            const mount = storage.workspace.mountPath;
            const dirs = [
                ["workspaceDir", settings.workspaceDir],
                ["accountsDir", settings.accountsDir],
                ...(storage.uploads?.enabled ? [] : [["uploadsDir", settings.uploadsDir]]),
            ];
            for (const [key, dir] of dirs) {
                if (!isUnder(dir!, mount))
                    issue(["settings", key!], `'${dir}' must lie under \`storage.workspace.mountPath\` (${mount}): the root filesystem is read-only`);
            }
            for (const key of ["accountsDir", "uploadsDir"] as const) {
                if (isUnder(settings[key], settings.workspaceDir)) {
                    issue(
                        ["settings", key],
                        `'${settings[key]}' must not lie under \`settings.workspaceDir\` (${settings.workspaceDir}): the cleanup CronJob removes what is there`,
                    );
                }
            }
            if (storage.workspace.accessMode === "ReadWriteOnce" && ((block.api?.replicas ?? 1) > 1 || block.processor?.enabled)) {
                issue(
                    ["storage", "workspace", "accessMode"],
                    "ReadWriteOnce attaches the workspace to one node: it fits single-replica setups only (allowed: `api.replicas: 1` and `processor.enabled: false`, or ReadWriteMany)",
                );
            }
        }
        const webhooks = block.webhooks;
        if (webhooks) {
            if (webhooks.provisioning === "api" && webhooks.sources.length > 0) {
                issue(
                    ["webhooks", "sources"],
                    "are deployed by the API's WebhookSourceWatcher when `webhooks.provisioning` is `api`: remove them, or set `provisioning: static` to deploy them from the stack",
                );
            }
            webhooks.sources.forEach((source, i) => {
                if (webhooks.sources.indexOf(source) !== i) issue(["webhooks", "sources", i], `'${source}' is listed twice`);
                const name = `${block.name ?? "ai-agents"}-webhook-${source}`;
                if (name.length > LABEL_MAX)
                    issue(["webhooks", "sources", i], `'${name}' is longer than ${LABEL_MAX} characters: shorten the source or \`name\``);
            });
        }
        const labels = block.executor?.podLabels;
        if (labels && Object.keys(labels).length === 0)
            issue(
                ["executor", "podLabels"],
                "must name at least one label; an empty selector matches every pod (allowed: unset, or the labels of executor pods)",
            );
        const ingress = block.ingress;
        if (ingress?.enabled && ingress.host === undefined) issue(["ingress", "host"], "is required when `ingress.enabled` is true (e.g. `agents.{domain}`)");
        if (ingress?.enabled && ingress.mode === "gatewayApi") {
            if (!ingress.forwardAuth)
                issue(
                    ["ingress", "forwardAuth"],
                    "is required with `mode: gatewayApi`: the protected HTTPRoute needs a forward-auth endpoint (allowed: `forwardAuth.url`, e.g. Authelia's forward-auth URL)",
                );
            if (ingress.nginxAuth)
                issue(["ingress", "nginxAuth"], "is for `mode: ingress` on nginx (allowed: remove it; `forwardAuth` protects the HTTPRoute)");
            if (ingress.tls.secretName)
                issue(["ingress", "tls", "secretName"], "is for `mode: ingress`: the Gateway's listener holds the certificate (allowed: remove it)");
            if (ingress.tls.issuer)
                issue(["ingress", "tls", "issuer"], "is for `mode: ingress`: the Gateway's certificates come from its own issuer (allowed: remove it)");
        } else if (ingress?.enabled) {
            if (ingress.forwardAuth)
                issue(["ingress", "forwardAuth"], "is for `mode: gatewayApi` (allowed: remove it; with an Ingress use `authMiddleware` or `nginxAuth`)");
            const controller = ingress.controller ?? (Object.hasOwn(KNOWN_CLASSES, ingress.className) ? KNOWN_CLASSES[ingress.className] : undefined);
            if (controller === "traefik" && ingress.nginxAuth) {
                issue(
                    ["ingress", "nginxAuth"],
                    "is for nginx controllers: with Traefik the protected Ingress authenticates through `authMiddleware` (allowed: remove it)",
                );
            } else if ((controller === "nginx" || controller === "azureAppRouting") && !ingress.nginxAuth) {
                issue(
                    ["ingress", "nginxAuth"],
                    "is required with an nginx controller: the protected Ingress needs a forward-auth endpoint (allowed: `nginxAuth.url`, e.g. Authelia's auth-request URL)",
                );
            } else if (controller === undefined || controller === "other") {
                issue(
                    ["ingress", "className"],
                    `the protected Ingress needs forward auth, set up for Traefik (middleware) or nginx (auth-url); '${ingress.className}' is neither (allowed: traefik, nginx, webapprouting.kubernetes.azure.com, or \`controller\` for another class of those)`,
                );
            }
        }
        if (block.app?.env && Object.hasOwn(block.app.env, "PORT")) issue(["app", "env", "PORT"], "is set by `app.port` (allowed: other variable names)");
    })
    .meta({ description: "The ai-agents platform (seed 002): API, App, processor, webhooks, CRDs, instructions, storage, CronJobs." });

function isUnder(path: string, mount: string): boolean {
    const base = mount.replace(/\/+$/, "");
    return path === base || path.startsWith(`${base}/`);
}

export type AiAgentsConfig = z.output<typeof aiAgentsBlock>;
