/**
 * The schema of the whole stack configuration (`agent-platform:*` keys).
 *
 * Every default lives here and only here: `Pulumi.yaml` declares each top-level key with
 * `default: {}` so the CLI never demands a value, and the README's config reference is
 * generated from this file (`npm run docs:config`). Descriptions are written for the user
 * reading an error or the reference table.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/**
 * A sensitive string: it must be stored with `pulumi config set --secret`, and it leaves the
 * config layer only as a secret Output, so it stays secret all the way to the Secret object.
 */
export function sensitiveString(description: string) {
    return z
        .string()
        .min(1, "must not be empty")
        .meta({ description, sensitive: true })
        .transform((value): pulumi.Output<string> => pulumi.secret(value));
}

/** Shown in error messages and the reference for values that are Kubernetes object names. */
const dnsLabelPattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const dnsLabel = (description: string) =>
    z
        .string()
        .regex(dnsLabelPattern, "must be a DNS-1123 label")
        .meta({ description, allowed: "lowercase letters, digits and '-', at most 63 characters, starting and ending alphanumeric" });

const imageDigest = z
    .string()
    .regex(/^sha256:[a-f0-9]{64}$/, "must be a sha256 digest")
    .meta({ description: "Image digest; when set the image is pulled by digest.", allowed: "sha256:<64 hex characters>" });

const quantityPattern = /^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/;
const quantity = (description: string) =>
    z.string().regex(quantityPattern, "must be a Kubernetes quantity").meta({
        description,
        allowed: "a Kubernetes quantity such as 500m, 2, 512Mi, 1Gi",
    });

const pullPolicy = z.enum(["Always", "IfNotPresent", "Never"]).meta({ description: "Image pull policy." });

/** Container resources; the whole block replaces the default when set. */
const resources = (defaults: { requests: { cpu: string; memory: string }; limits: { cpu?: string; memory: string } }) =>
    z
        .strictObject({
            requests: z
                .strictObject({
                    cpu: quantity("CPU request."),
                    memory: quantity("Memory request."),
                })
                .meta({ description: "Resource requests (both required, so the scheduler can place the pod)." }),
            limits: z
                .strictObject({
                    cpu: quantity("CPU limit; leave unset to avoid CPU throttling.").optional(),
                    memory: quantity("Memory limit."),
                })
                .meta({ description: "Resource limits (a memory limit is required)." }),
        })
        .default(defaults);

const namespaceBlock = z
    .strictObject({
        name: dnsLabel("Namespace every service is deployed into.").default("agent-platform"),
        create: z
            .boolean()
            .default(true)
            .meta({ description: "Create the namespace (with Pod Security Admission labels); false uses an existing one." }),
        podSecurity: z
            .enum(["restricted", "baseline", "privileged"])
            .default("restricted")
            .meta({ description: "Pod Security Admission level set as enforce, audit and warn labels on a created namespace." }),
    })
    .meta({ description: "The Kubernetes namespace of the platform." });

const cidr = (description: string) =>
    z
        .string()
        .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, "must be an IPv4 CIDR")
        .meta({ description, allowed: "an IPv4 CIDR such as 10.244.0.0/16" });

const nodePool = (defaults: { vmSize: string; minCount: number; maxCount: number }) =>
    z
        .strictObject({
            vmSize: z.string().min(1).default(defaults.vmSize).meta({ description: "VM size of the nodes." }),
            minCount: z.number().int().min(1).max(1000).default(defaults.minCount).meta({ description: "Autoscaler minimum node count." }),
            maxCount: z.number().int().min(1).max(1000).default(defaults.maxCount).meta({ description: "Autoscaler maximum node count." }),
            zones: z
                .array(z.enum(["1", "2", "3"]))
                .min(1)
                .default(["1", "2", "3"])
                .meta({ description: "Availability zones the pool spreads across." }),
        })
        .prefault({})
        .superRefine((pool, ctx) => {
            if (pool.minCount > pool.maxCount) ctx.addIssue({ code: "custom", path: ["minCount"], message: `must not exceed maxCount (${pool.maxCount})` });
        });

const aksBlock = z
    .strictObject({
        location: z.string().min(1).meta({ description: "Azure region, e.g. `westeurope` (required)." }),
        resourceGroupName: z
            .string()
            .regex(/^[-\w._()]{1,90}$/, "must be an Azure resource group name")
            .meta({ description: "Resource group created for the cluster; default `agent-platform-<stack>`." })
            .optional(),
        clusterName: z
            .string()
            .regex(/^[a-zA-Z0-9][-_a-zA-Z0-9]{0,62}$/, "must be an AKS cluster name")
            .meta({ description: "AKS cluster name; default `agent-platform-<stack>`." })
            .optional(),
        kubernetesVersion: z
            .string()
            .regex(/^\d+\.\d+(\.\d+)?$/, "must be a Kubernetes version")
            .meta({ description: "Kubernetes version (e.g. 1.33); default: the AKS default, then kept current by the upgrade channel." })
            .optional(),
        tier: z.enum(["Free", "Standard", "Premium"]).default("Standard").meta({ description: "AKS pricing tier; Standard adds the uptime SLA." }),
        adminGroupObjectIds: z
            .array(z.string().uuid("must be an Entra ID group object id"))
            .default([])
            .meta({ description: "Entra ID groups that get cluster-admin (local accounts are disabled, so access is through Entra ID and Azure RBAC)." }),
        kubeloginMode: z
            .enum(["azurecli", "workloadidentity", "spn", "devicecode", "msi"])
            .default("azurecli")
            .meta({ description: "How `kubelogin` in the stack's kubeconfig gets a token: `azurecli` for engineers and CI after `az login`." }),
        upgradeChannel: z
            .enum(["stable", "patch", "rapid", "node-image"])
            .default("stable")
            .meta({ description: "Cluster auto-upgrade channel." }),
        nodeOsUpgradeChannel: z
            .enum(["NodeImage", "SecurityPatch", "Unmanaged"])
            .default("NodeImage")
            .meta({ description: "Node OS auto-upgrade channel." }),
        network: z
            .strictObject({
                podCidr: cidr("Pod CIDR of the Azure CNI overlay.").default("10.244.0.0/16"),
                serviceCidr: cidr("Service CIDR.").default("10.0.0.0/16"),
                dnsServiceIp: z
                    .string()
                    .regex(/^(\d{1,3}\.){3}\d{1,3}$/, "must be an IPv4 address")
                    .default("10.0.0.10")
                    .meta({ description: "kube-dns Service IP, inside serviceCidr." }),
            })
            .prefault({})
            .meta({ description: "Azure CNI overlay with Cilium: address ranges." }),
        systemPool: nodePool({ vmSize: "Standard_D4ds_v5", minCount: 2, maxCount: 5 }).meta({
            description: "The system node pool (critical add-ons only).",
        }),
        userPool: nodePool({ vmSize: "Standard_D8ds_v5", minCount: 2, maxCount: 10 }).meta({
            description: "The user node pool the services run on.",
        }),
        tags: z.record(z.string(), z.string()).default({}).meta({ description: "Azure tags on every Azure resource." }),
    })
    .meta({ description: "AKS cluster created by the stack (target `aks`)." });

const clusterBlock = z
    .strictObject({
        target: z
            .enum(["kubeconfig", "aks"])
            .default("kubeconfig")
            .meta({ description: "Where to deploy: `kubeconfig` reaches any existing cluster; `aks` creates an AKS cluster (see `cluster.aks`)." }),
        kubeconfig: sensitiveString("Kubeconfig file contents (target `kubeconfig`).").optional(),
        kubeconfigPath: z
            .string()
            .min(1)
            .meta({ description: "Path to a kubeconfig file, as an alternative to `kubeconfig` (target `kubeconfig`)." })
            .optional(),
        context: z.string().min(1).meta({ description: "Kubeconfig context to use; default is the file's current context." }).optional(),
        clusterIdentifier: z
            .string()
            .min(1)
            .meta({
                description:
                    "Stable identity of the cluster for the provider, so that editing or moving the kubeconfig does not replace every object. Defaults to `kubeconfig/<context>` (or `kubeconfig/current-context`); for `aks`, the cluster's Azure resource id.",
            })
            .optional(),
        aks: aksBlock.optional(),
    })
    .superRefine((cluster, ctx) => {
        const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
        if (cluster.target === "kubeconfig") {
            if (cluster.kubeconfig !== undefined && cluster.kubeconfigPath !== undefined) {
                issue("kubeconfig", "set either `cluster.kubeconfig` or `cluster.kubeconfigPath`, not both");
            }
            if (cluster.kubeconfig === undefined && cluster.kubeconfigPath === undefined) {
                issue("kubeconfigPath", "the kubeconfig target needs `cluster.kubeconfigPath` or a secret `cluster.kubeconfig` (the ambient KUBECONFIG is never used)");
            }
            if (cluster.aks !== undefined) issue("aks", "is only used with `cluster.target: aks` (allowed: remove it, or set the target to aks)");
        } else {
            if (cluster.aks === undefined) issue("aks", "the aks target needs `cluster.aks` with at least `location` (allowed: an object with keys location, ...)");
            for (const key of ["kubeconfig", "kubeconfigPath", "context"] as const) {
                if (cluster[key] !== undefined) issue(key, "is only used with `cluster.target: kubeconfig`; the aks target makes its own kubeconfig");
            }
        }
    })
    .meta({ description: "The cluster the stack deploys to; an explicit Kubernetes provider is always used, never the ambient KUBECONFIG." });

const imagesBlock = z
    .strictObject({
        registry: z
            .string()
            .regex(/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*$/, "must be a registry host with optional path")
            .meta({
                description: "Registry that replaces the registry of every image without an explicit per-image registry (for vendored images).",
                allowed: "a registry host[:port][/path], e.g. myregistry.azurecr.io",
            })
            .optional(),
        pullSecrets: z
            .array(dnsLabel("Name of an existing image pull Secret."))
            .default([])
            .meta({ description: "Existing image pull Secrets added to every pod." }),
    })
    .meta({ description: "Images: a registry override and the image pull Secrets shared by every workload." });

const mysqlBlock = z
    .strictObject({
        enabled: z.boolean().default(false).meta({ description: "Create an Azure Database for MySQL Flexible Server (needs `cluster.target: aks`)." }),
        serverName: z
            .string()
            .regex(/^[a-z0-9][-a-z0-9]{1,61}[a-z0-9]$/, "must be a MySQL server name")
            .meta({ description: "Server name, globally unique (it becomes `<name>.mysql.database.azure.com`); default `agent-platform-<stack>-mysql`." })
            .optional(),
        version: z.enum(["8.0.21", "8.4"]).default("8.0.21").meta({ description: "MySQL version." }),
        skuName: z.string().min(1).default("Standard_D2ads_v5").meta({ description: "Compute size, e.g. Standard_B1ms, Standard_D2ads_v5." }),
        tier: z.enum(["Burstable", "GeneralPurpose", "MemoryOptimized"]).default("GeneralPurpose").meta({ description: "Compute tier of `skuName`." }),
        storageSizeGb: z.number().int().min(20).max(16384).default(64).meta({ description: "Storage size; it grows automatically when full." }),
        backupRetentionDays: z.number().int().min(1).max(35).default(7).meta({ description: "Days of automated backups kept." }),
        geoRedundantBackup: z.boolean().default(false).meta({ description: "Copy backups to the paired region (fixed at creation)." }),
        highAvailability: z
            .enum(["Disabled", "ZoneRedundant", "SameZone"])
            .default("Disabled")
            .meta({ description: "A standby server; ZoneRedundant survives a zone outage (not on Burstable)." }),
        databaseName: z.string().regex(/^[a-zA-Z0-9_]{1,64}$/, "must be a MySQL database name").default("agent_backend").meta({ description: "Database created on the server." }),
        administratorLogin: z
            .string()
            .regex(/^[a-z][a-z0-9_]{0,31}$/, "must be a MySQL user name")
            .default("agentadmin")
            .meta({ description: "Administrator user; its password is generated once and kept secret in state." }),
        allowedCidrs: z
            .array(cidr("A client range allowed through the server's firewall."))
            .default([])
            .meta({ description: "Firewall rules: address ranges (e.g. the cluster's egress IPs) allowed to connect." }),
    })
    .superRefine((mysql, ctx) => {
        if (mysql.highAvailability !== "Disabled" && mysql.tier === "Burstable") {
            ctx.addIssue({ code: "custom", path: ["highAvailability"], message: "is not available on the Burstable tier (allowed: Disabled, or tier GeneralPurpose / MemoryOptimized)" });
        }
    })
    .meta({ description: "Azure Database for MySQL Flexible Server for the agent backend." });

const keyVaultBlock = z
    .strictObject({
        enabled: z.boolean().default(false).meta({ description: "Create a Key Vault (RBAC mode) and a workload identity that reads it (needs `cluster.target: aks`)." }),
        name: z
            .string()
            .regex(/^[a-zA-Z][-a-zA-Z0-9]{1,22}[a-zA-Z0-9]$/, "must be a Key Vault name")
            .meta({ description: "Vault name, globally unique, 3-24 characters; default `ap-<stack>-kv`." })
            .optional(),
        sku: z.enum(["standard", "premium"]).default("standard").meta({ description: "Vault SKU (premium adds HSM-backed keys)." }),
        softDeleteRetentionDays: z.number().int().min(7).max(90).default(90).meta({ description: "Days a deleted secret can be recovered." }),
        purgeProtection: z.boolean().default(true).meta({ description: "Forbid purging deleted secrets before retention ends (cannot be turned off later)." }),
        readerServiceAccount: dnsLabel("ServiceAccount in the platform namespace that may read the vault through workload identity (used by the secrets block's `external` mode).").default(
            "keyvault-reader",
        ),
    })
    .meta({ description: "Azure Key Vault for the secrets block's `external` mode." });

const azureBlock = z
    .strictObject({
        mysql: mysqlBlock.prefault({}),
        keyVault: keyVaultBlock.prefault({}),
    })
    .meta({ description: "Azure resources the services use, created in the AKS cluster's resource group and region." });

const chartVersion = (defaultVersion: string, description: string) =>
    z.string().min(1).default(defaultVersion).meta({ description });

const addonsBlock = z
    .strictObject({
        certManager: z
            .strictObject({
                enabled: z.boolean().default(false).meta({ description: "Install cert-manager (with its CRDs) from charts.jetstack.io." }),
                version: chartVersion("v1.17.2", "cert-manager chart version."),
            })
            .prefault({})
            .meta({ description: "cert-manager, for ingress TLS certificates." }),
        externalSecrets: z
            .strictObject({
                enabled: z.boolean().default(false).meta({ description: "Install the External Secrets Operator (with its CRDs)." }),
                version: chartVersion("0.17.0", "external-secrets chart version (0.17 or later serves external-secrets.io/v1)."),
            })
            .prefault({})
            .meta({ description: "External Secrets Operator, for the secrets block's `external` mode." }),
        prometheusOperatorCrds: z
            .strictObject({
                enabled: z.boolean().default(false).meta({ description: "Install only the Prometheus Operator CRDs (ServiceMonitor, PrometheusRule)." }),
                version: chartVersion("20.0.0", "prometheus-operator-crds chart version."),
            })
            .prefault({})
            .meta({ description: "Prometheus Operator CRDs, for clusters without kube-prometheus-stack." }),
    })
    .meta({ description: "Cluster add-ons for a bare cluster, installed with Helm by Pulumi; all off by default." });

const agentRuntimeBlock = z
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
                        description:
                            "Repository; default `ghcr.io/l4b4r4b4b4/fractal-agents-runtime-python` or `-ts` by `runtime`.",
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
                enabled: z.boolean().default(false).meta({ description: "Scale with a HorizontalPodAutoscaler (autoscaling/v2); `replicas` is then left to it." }),
                minReplicas: z.number().int().min(1).max(100).default(3).meta({ description: "Fewest pods." }),
                maxReplicas: z.number().int().min(1).max(500).default(10).meta({ description: "Most pods." }),
                targetCpuUtilization: z.number().int().min(1).max(100).default(70).meta({ description: "Average CPU, percent of requests, to scale at." }),
                targetMemoryUtilization: z.number().int().min(1).max(100).default(80).meta({ description: "Average memory, percent of requests, to scale at." }),
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
                if (hpa.minReplicas > hpa.maxReplicas) ctx.addIssue({ code: "custom", path: ["minReplicas"], message: `must not exceed maxReplicas (${hpa.maxReplicas})` });
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
                nodeSelector: z.record(z.string(), z.string()).default({}).meta({ description: "Node labels the pods must run on." }),
                tolerations: z
                    .array(
                        z.strictObject({
                            key: z.string().min(1).optional(),
                            operator: z.enum(["Exists", "Equal"]).optional(),
                            value: z.string().optional(),
                            effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
                            tolerationSeconds: z.number().int().optional(),
                        }),
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
                langfusePromptCacheTtlSeconds: z
                    .number()
                    .int()
                    .min(0)
                    .meta({ description: "LANGFUSE_PROMPT_CACHE_TTL_SECONDS." })
                    .optional(),
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
        const pdb = runtime.podDisruptionBudget;
        if (!pdb.enabled || pdb.minAvailable === undefined) return;
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

/** Every `agent-platform:*` key. Each is an object block; see Pulumi.yaml for why. */
export const stackConfigSchema = z
    .strictObject({
        namespace: namespaceBlock.prefault({}),
        cluster: clusterBlock.prefault({}),
        azure: azureBlock.prefault({}),
        addons: addonsBlock.prefault({}),
        images: imagesBlock.prefault({}),
        agentRuntime: agentRuntimeBlock.prefault({}),
    })
    .superRefine((config, ctx) => {
        for (const service of ["mysql", "keyVault"] as const) {
            if (config.azure[service].enabled && config.cluster.target !== "aks") {
                ctx.addIssue({
                    code: "custom",
                    path: ["azure", service, "enabled"],
                    message: "needs `cluster.target: aks` (its resource group, region and OIDC issuer) (allowed: false with a kubeconfig target)",
                });
            }
        }
    });

export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type StackConfig = z.output<typeof stackConfigSchema>;
export type NamespaceConfig = StackConfig["namespace"];
export type ClusterConfig = StackConfig["cluster"];
export type AksConfig = NonNullable<ClusterConfig["aks"]>;
export type AzureConfig = StackConfig["azure"];
export type MysqlConfig = AzureConfig["mysql"];
export type KeyVaultConfig = AzureConfig["keyVault"];
export type AddonsConfig = StackConfig["addons"];
export type ImagesConfig = StackConfig["images"];
export type AgentRuntimeConfig = StackConfig["agentRuntime"];
