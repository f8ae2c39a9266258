/**
 * What the readiness pass knows besides the rendered objects: facts of the cluster target and
 * what the stack config declares as already there. On a cluster the stack creates (AKS), only
 * what the platform itself installs exists before the first `up`; on a kubeconfig cluster the
 * user declares the rest (`preinstalled`, and every `existing` reference in a service block).
 */
import type { StackConfig } from "../../components/config";
import { serviceNeeds, type ServiceNeeds } from "./dependencies";

/** A pod the render does not contain, by where it runs and its labels. */
export interface ExternalPod {
    namespace: string;
    labels: Record<string, string>;
}

export interface ConnectivityFacts {
    needs: ServiceNeeds[];
    platformDomain?: string;
    /** Cluster DNS pods (on AKS and most clusters: kube-system, `k8s-app: kube-dns`). */
    dns: ExternalPod;
    /** The API server's addresses and ports (generic CNI); on Cilium its identity is enough. */
    apiServer: { ips: string[]; ports: number[] };
    /** Where the ingress controller runs, when the stack does not install it. */
    ingressController?: ExternalPod;
    /** Where Prometheus runs. */
    prometheus?: ExternalPod;
    /** Private ranges pods can route to (AKS: the stack's virtual network and the cluster's own ranges). */
    routableRanges: string[];
}

export interface DeclaredObject {
    kind: string;
    /** Undefined: a name the service looks up in its own namespace. */
    namespace?: string;
    name: string;
    /** The config key that declares it, for messages. */
    source: string;
}

export interface Declarations {
    objects: DeclaredObject[];
    ingressClasses: string[];
    gatewayClasses: string[];
    gateways: { namespace: string; name: string }[];
    issuers: { kind: "ClusterIssuer" | "Issuer"; namespace?: string; name: string }[];
    crdGroups: string[];
}

export interface NodePool {
    name: string;
    vmSize: string;
    /** Pods without a matching toleration never land here (e.g. the AKS system pool). */
    taints: string[];
}

export interface ReadinessFacts {
    /** The stack creates the cluster in the same `up`: nothing but the platform's own exists before. */
    clusterCreatedByStack: boolean;
    /** The network plugin that enforces the policies. */
    cni: "cilium" | "generic";
    /** Packages in `pulumi:disable-default-providers`. */
    disabledDefaultProviders: string[];
    declared: Declarations;
    nodePools: NodePool[];
    /** What each service must reach, and where the pods it talks to run. */
    connectivity: ConnectivityFacts;
    /** The stack's own Key Vault: its configured name (unset: generated at deploy time) and the secrets the config seeds. */
    keyVault?: { name?: string; seeded: string[] };
}

export function emptyDeclarations(): Declarations {
    return { objects: [], ingressClasses: [], gatewayClasses: [], gateways: [], issuers: [], crdGroups: [] };
}

/**
 * Config keys that name an object the user made, in the stack's own shapes (`existingSecret`,
 * an existing `serviceAccount`) and in the Kubernetes shapes a block passes through (extra env
 * vars and volumes): key -> kind and the field holding the name.
 */
const NAMED_REFERENCES: Record<string, { kind: string; field: string }> = {
    existingSecret: { kind: "Secret", field: "name" },
    serviceAccount: { kind: "ServiceAccount", field: "name" },
    secretKeyRef: { kind: "Secret", field: "name" },
    secretRef: { kind: "Secret", field: "name" },
    configMapKeyRef: { kind: "ConfigMap", field: "name" },
    configMapRef: { kind: "ConfigMap", field: "name" },
    secret: { kind: "Secret", field: "secretName" },
    configMap: { kind: "ConfigMap", field: "name" },
    persistentVolumeClaim: { kind: "PersistentVolumeClaim", field: "claimName" },
};

/** Config lists of names of objects the user made. */
const NAME_LISTS: Record<string, string> = {
    pullSecrets: "Secret",
    imagePullSecretNames: "Secret",
    extraEnvVarsSecrets: "Secret",
    extraEnvVarsCMs: "ConfigMap",
};

/**
 * Every object a block says exists without the stack creating it: `existingSecret.name`,
 * pull Secret names, an existing ServiceAccount, a namespace with `create: false`. Found by
 * walking the validated config, so a new block's `existingSecret` is covered without a list.
 */
export function existingReferences(config: unknown, path = ""): DeclaredObject[] {
    if (Array.isArray(config)) return config.flatMap((item, index) => existingReferences(item, `${path}[${index}]`));
    if (config === null || typeof config !== "object") return [];
    const record = config as Record<string, unknown>;
    if (record["enabled"] === false) return []; // a disabled block references nothing
    const found: DeclaredObject[] = [];
    for (const [key, value] of Object.entries(record)) {
        const at = path ? `${path}.${key}` : key;
        const ref = NAMED_REFERENCES[key];
        const name = ref && value && typeof value === "object" ? (value as Record<string, unknown>)[ref.field] : undefined;
        if (ref && typeof name === "string") {
            found.push({ kind: ref.kind, name, source: `${at}.${ref.field}` });
        } else if (key in NAME_LISTS && Array.isArray(value)) {
            const kind = NAME_LISTS[key]!;
            value.forEach((name, index) => typeof name === "string" && found.push({ kind, name, source: `${at}[${index}]` }));
        } else {
            found.push(...existingReferences(value, at));
        }
    }
    return found;
}

/** The facts of a validated stack config. */
export function factsFromConfig(config: StackConfig, disabledDefaultProviders: string[]): ReadinessFacts {
    const aks = config.cluster.target === "aks" ? config.cluster.aks : undefined;
    const preinstalled = config.preinstalled;
    const declared: Declarations = {
        objects: [
            ...existingReferences(config).map((ref) => ({ ...ref, source: `agent-platform:${ref.source}` })),
            ...preinstalled.objects.map((object, index) => ({ ...object, source: `agent-platform:preinstalled.objects[${index}]` })),
        ],
        ingressClasses: preinstalled.ingressClasses,
        gatewayClasses: preinstalled.gatewayClasses,
        gateways: preinstalled.gateways,
        issuers: preinstalled.issuers,
        crdGroups: preinstalled.crdGroups,
    };
    if (!config.namespace.create) declared.objects.push({ kind: "Namespace", name: config.namespace.name, source: "agent-platform:namespace.create" });
    if (config.hyphaWorker.enabled && !config.hyphaWorker.jobs.createNamespace) {
        declared.objects.push({ kind: "Namespace", name: config.hyphaWorker.jobs.namespace, source: "agent-platform:hyphaWorker.jobs.createNamespace" });
    }
    return {
        clusterCreatedByStack: aks !== undefined,
        cni: config.networkPolicy.cni ?? (aks ? "cilium" : "generic"),
        disabledDefaultProviders,
        declared,
        connectivity: connectivityFacts(config, aks !== undefined),
        ...(aks && config.azure.keyVault.enabled ? { keyVault: { name: config.azure.keyVault.name, seeded: Object.keys(config.azure.keyVault.secrets) } } : {}),
        nodePools: aks
            ? [
                  { name: "system", vmSize: aks.systemPool.vmSize, taints: ["CriticalAddonsOnly=true:NoSchedule"] },
                  { name: "user", vmSize: aks.userPool.vmSize, taints: [] },
              ]
            : [],
    };
}

/** A pod by a namespace selector naming one namespace, and pod labels; undefined when the selector names none. */
function externalPod(selector: { namespaceSelector?: Record<string, string>; podSelector?: Record<string, string> }): ExternalPod | undefined {
    const namespace = selector.namespaceSelector?.["kubernetes.io/metadata.name"];
    return namespace ? { namespace, labels: selector.podSelector ?? {} } : undefined;
}

function connectivityFacts(config: StackConfig, aks: boolean): ConnectivityFacts {
    const np = config.networkPolicy;
    return {
        needs: np.enabled ? serviceNeeds(config) : [],
        platformDomain: config.platform.domain,
        // On AKS CoreDNS runs in kube-system as k8s-app=kube-dns, whatever the config says.
        dns: aks
            ? { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } }
            : (externalPod(np.dns) ?? { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } }),
        apiServer: { ips: np.apiServer.cidrs.map((cidr) => cidr.split("/")[0]!), ports: np.apiServer.ports },
        ingressController: externalPod(np.ingressController),
        prometheus: externalPod(np.monitoring),
        routableRanges: aks
            ? [config.azure.network?.addressSpace, ...(config.azure.network?.peeredRanges ?? []), ...np.clusterCidrs.pods, ...np.clusterCidrs.services].filter(
                  (r): r is string => r !== undefined,
              )
            : [],
    };
}
