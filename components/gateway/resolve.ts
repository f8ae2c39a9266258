/**
 * The stack's own ingress path, from config: Traefik (add-on `addons.traefik`) serving one
 * shared Gateway API Gateway, with certificates from an ACME ClusterIssuer
 * (`addons.certManager.acme`). This file decides everything from the validated config, with
 * no Pulumi runtime:
 * - `stackGatewayProblems`: the cross-block rules, run by the config schema before any
 *   resource is registered (each names its key);
 * - `resolveStackGateway`: the Gateway's hosts, listeners' timeouts, issuer and address;
 * - `wireStackIngress`: the config the services get, with what the stack installs filled in
 *   (the Gateway their routes attach to, and the controller pods their NetworkPolicies admit).
 */
import { ingressConfigSchema, isHostname, DOMAIN_PLACEHOLDER } from "../ingress/schema";
import type { StackConfig } from "../config/schema";

/** The namespace of the Traefik add-on, and so of the shared Gateway, its certificates and its redirect route. */
export const CONTROLLER_NAMESPACE = "traefik";
/** The Helm release name of the Traefik chart (fixed: the pod labels below derive from it). */
export const TRAEFIK_RELEASE = "traefik";
/** The GatewayClass the stack renders, served by Traefik's Gateway provider. */
export const GATEWAY_CLASS = "traefik";
/** Traefik's Gateway API controller name (doc.traefik.io, "Traefik & Kubernetes with Gateway API"). */
export const TRAEFIK_CONTROLLER_NAME = "traefik.io/gateway-controller";
/**
 * Labels of the Traefik pods: the chart's `traefik.labelselector` (_helpers.tpl, chart 41.3.0)
 * is `app.kubernetes.io/name: <chart name>` and `app.kubernetes.io/instance: <release>-<namespace>`
 * unless `instanceLabelOverride` is set, which the add-on sets to the release name.
 */
export const TRAEFIK_POD_LABELS: Readonly<Record<string, string>> = { "app.kubernetes.io/name": "traefik", "app.kubernetes.io/instance": TRAEFIK_RELEASE };
/**
 * Traefik entrypoints (container ports) of the chart's `web` and `websecure`: a Gateway
 * listener's port must be the port of an entrypoint, not the Service's 80/443 (chart values,
 * `gateway.listeners`: "The port must match a port declared in ports section").
 */
export const ENTRYPOINT_PORTS = { web: 8000, websecure: 8443 } as const;
/** The schema default of `networkPolicy.ingressController`: anything else was typed by the user. */
const DEFAULT_CONTROLLER_NAMESPACE = { "kubernetes.io/metadata.name": "ingress-nginx" };

type Path = (string | number)[];
export interface StackProblem {
    path: Path;
    message: string;
}

/** A service's route through the Gateway: where its block is, its hosts, its request timeout. */
export interface RoutedService {
    /** Config path of the service's ingress block, e.g. `["agentRuntime", "ingress"]`. */
    path: Path;
    mode: "ingress" | "gatewayApi";
    hostTemplates: { template: string; path: Path }[];
    gateway?: { name: string; namespace?: string };
    /** The routes' `timeouts.request`, in seconds; none when streaming is off. */
    timeoutSeconds?: number;
}

/** Every enabled ingress of the stack's services (only what parsed: the schema runs this on partial configs). */
export function routedServices(config: Partial<StackConfig>): RoutedService[] {
    const routes: RoutedService[] = [];
    for (const key of ["agentRuntime", "agentBackend"] as const) {
        const ingress = config[key]?.enabled === false ? undefined : config[key]?.ingress;
        if (!ingress?.enabled || ingress.host === undefined) continue;
        const s = ingress.streaming;
        routes.push({
            path: [key, "ingress"],
            mode: ingress.mode,
            hostTemplates: [
                { template: ingress.host, path: [key, "ingress", "host"] },
                ...ingress.extraHosts.map((h, i) => ({ template: h.host, path: [key, "ingress", "extraHosts", i, "host"] })),
            ],
            gateway: ingress.gateway,
            timeoutSeconds: s.enabled ? Math.max(s.readTimeoutSeconds, s.sendTimeoutSeconds) : undefined,
        });
    }
    const ai = config.aiAgents;
    if (ai?.enabled && ai.ingress?.enabled && ai.ingress.host !== undefined) {
        // The platform's routes take the ingress block's default stream timeouts (ai-agents/ingress.ts).
        const s = ingressConfigSchema.parse({}).streaming;
        routes.push({
            path: ["aiAgents", "ingress"],
            mode: ai.ingress.mode,
            hostTemplates: [{ template: ai.ingress.host, path: ["aiAgents", "ingress", "host"] }],
            gateway: ai.ingress.gateway,
            timeoutSeconds: Math.max(s.readTimeoutSeconds, s.sendTimeoutSeconds),
        });
    }
    return routes;
}

/** `{domain}` replaced; undefined when it cannot be (the service's own check names that key). */
function hostOf(template: string, domain: string | undefined): string | undefined {
    if (!template.includes(DOMAIN_PLACEHOLDER)) return template;
    if (domain === undefined) return undefined;
    const host = template.split(DOMAIN_PLACEHOLDER).join(domain);
    return isHostname(host) ? host : undefined;
}

const stackInstallsGateway = (config: Partial<StackConfig>) => config.addons?.traefik?.enabled === true;
const routesToStackGateway = (route: RoutedService, config: Partial<StackConfig>) =>
    route.mode === "gatewayApi" && stackInstallsGateway(config) && (route.gateway === undefined || isStackGateway(route.gateway, config));

function isStackGateway(gateway: { name: string; namespace?: string }, config: Partial<StackConfig>): boolean {
    return gateway.name === config.addons?.traefik?.gatewayName && gateway.namespace === CONTROLLER_NAMESPACE;
}

/** Gateway API allows at most 64 listeners per Gateway; one is the HTTP listener. */
const MAX_HTTPS_LISTENERS = 63;

/** The cross-block rules of the ingress path; paths from the stack config's root. */
export function stackGatewayProblems(config: Partial<StackConfig>): StackProblem[] {
    const problems: StackProblem[] = [];
    const add = (path: Path, message: string) => problems.push({ path, message });
    const traefik = config.addons?.traefik;
    const certManager = config.addons?.certManager;
    const aks = config.cluster?.target === "aks";
    if (traefik?.enabled) {
        // Reported at the Traefik key: a rule under a block that is off (cert-manager) is not demanded.
        if (certManager && (!certManager.enabled || !certManager.acme)) {
            add(
                ["addons", "traefik", "enabled"],
                "needs `addons.certManager.enabled: true` and `addons.certManager.acme`: the Gateway's HTTPS listeners get their certificates from that ACME ClusterIssuer (allowed: `acme.email`, optionally `acme.server` and `acme.issuerName`)",
            );
        }
        const typed = config.networkPolicy?.ingressController;
        if (typed && (typed.podSelector !== undefined || JSON.stringify(typed.namespaceSelector) !== JSON.stringify(DEFAULT_CONTROLLER_NAMESPACE))) {
            add(
                ["networkPolicy", "ingressController"],
                `is derived from \`addons.traefik\` when the stack installs the controller (the Traefik pods in namespace ${CONTROLLER_NAMESPACE}) (allowed: remove it)`,
            );
        }
        if (traefik.dnsLabel !== undefined && !aks) add(["addons", "traefik", "dnsLabel"], "names an Azure public IP, so it needs `cluster.target: aks` (allowed: unset with a kubeconfig target)");
    } else if (certManager?.acme) {
        add(["addons", "certManager", "acme"], "solves HTTP-01 challenges through the stack's Gateway, so it needs `addons.traefik.enabled: true` (allowed: remove it, or install Traefik)");
    }
    if (certManager?.acme && !certManager.enabled) add(["addons", "certManager", "enabled"], "must be true: `addons.certManager.acme` creates a cert-manager ClusterIssuer");

    const hosts = new Set<string>();
    for (const route of routedServices(config)) {
        if (route.mode === "ingress") {
            if (aks) {
                add(
                    [...route.path, "mode"],
                    "'ingress' needs an ingress controller, and a cluster the stack creates has none but the stack's Gateway (allowed: gatewayApi, with `addons.traefik.enabled: true`)",
                );
            }
            continue;
        }
        if (route.gateway === undefined && !traefik?.enabled) {
            add(
                [...route.path, "gateway"],
                "is required: the stack installs no Gateway (allowed: `gateway.name` (and `namespace`) of a Gateway on the cluster, or `addons.traefik.enabled: true` for the stack's own)",
            );
        } else if (route.gateway !== undefined && aks && !(traefik?.enabled && isStackGateway(route.gateway, config))) {
            add(
                [...route.path, "gateway"],
                `names a Gateway the stack does not create, on a cluster it creates (allowed: unset, for the stack's Gateway ${CONTROLLER_NAMESPACE}/${traefik?.gatewayName ?? "public"} with \`addons.traefik.enabled: true\`)`,
            );
        }
        if (routesToStackGateway(route, config)) {
            for (const { template } of route.hostTemplates) {
                const host = hostOf(template, config.platform?.domain);
                if (host) hosts.add(host);
            }
        }
    }
    if (hosts.size > MAX_HTTPS_LISTENERS) {
        add(["addons", "traefik", "enabled"], `the services route ${hosts.size} hosts through the stack's Gateway, which takes at most ${MAX_HTTPS_LISTENERS} HTTPS listeners (one per host)`);
    }
    return problems;
}

export interface StackGatewayPlan {
    name: string;
    namespace: string;
    className: string;
    /** Namespace whose routes the HTTPS listeners admit. */
    routeNamespace: string;
    /** Every host routed through the Gateway, sorted: one HTTPS listener each. */
    hosts: string[];
    issuer?: { name: string; email: string; server: string };
    /** The longest route timeout on the Gateway, for Traefik's entrypoint (Traefik ignores `timeouts`). */
    longestTimeoutSeconds?: number;
    /** What DNS points at, when known before deploy: the load balancer's Azure DNS name. */
    address?: string;
}

/** The Gateway the stack renders, or undefined when it installs none. */
export function resolveStackGateway(config: StackConfig): StackGatewayPlan | undefined {
    const traefik = config.addons.traefik;
    if (!traefik.enabled) return undefined;
    const routes = routedServices(config).filter((route) => routesToStackGateway(route, config));
    const hosts = new Set<string>();
    for (const route of routes) {
        for (const { template } of route.hostTemplates) {
            const host = hostOf(template, config.platform.domain);
            if (host) hosts.add(host);
        }
    }
    const timeouts = routes.map((r) => r.timeoutSeconds).filter((t): t is number => t !== undefined);
    const acme = config.addons.certManager.acme;
    const location = config.cluster.target === "aks" ? config.cluster.aks?.location : undefined;
    return {
        name: traefik.gatewayName,
        namespace: CONTROLLER_NAMESPACE,
        className: GATEWAY_CLASS,
        routeNamespace: config.namespace.name,
        hosts: [...hosts].sort(),
        ...(acme ? { issuer: { name: acme.issuerName, email: acme.email, server: acme.server } } : {}),
        ...(timeouts.length ? { longestTimeoutSeconds: Math.max(...timeouts) } : {}),
        // AKS gives a Service's public IP the name <label>.<region>.cloudapp.azure.com
        // (learn.microsoft.com/azure/aks/static-ip, "Apply a DNS label to the service").
        ...(traefik.dnsLabel && location ? { address: `${traefik.dnsLabel}.${location.toLowerCase().replace(/\s+/g, "")}.cloudapp.azure.com` } : {}),
    };
}

/** The NetworkPolicy peer of the stack's controller: its namespace and pod labels. */
export function stackControllerPeer(): { namespaceSelector: Record<string, string>; podSelector: Record<string, string> } {
    return { namespaceSelector: { "kubernetes.io/metadata.name": CONTROLLER_NAMESPACE }, podSelector: { ...TRAEFIK_POD_LABELS } };
}

/**
 * The config the components get: when the stack installs Traefik, every service's
 * NetworkPolicy admits exactly the Traefik pods, and every Gateway API route without a
 * Gateway of its own attaches to the stack's Gateway, served over HTTPS.
 */
export function wireStackIngress(config: StackConfig): StackConfig {
    const traefik = config.addons.traefik;
    if (!traefik.enabled) return config;
    const gateway = { name: traefik.gatewayName, namespace: CONTROLLER_NAMESPACE };
    const wire = <T extends { enabled: boolean; mode: "ingress" | "gatewayApi"; gateway?: { name: string; namespace?: string }; tls: { enabled: boolean } }>(ingress: T): T =>
        ingress.enabled && ingress.mode === "gatewayApi" && (ingress.gateway === undefined || isStackGateway(ingress.gateway, config))
            ? { ...ingress, gateway: { ...ingress.gateway, ...gateway }, tls: { ...ingress.tls, enabled: true } }
            : ingress;
    return {
        ...config,
        networkPolicy: { ...config.networkPolicy, ingressController: stackControllerPeer() },
        agentRuntime: { ...config.agentRuntime, ingress: wire(config.agentRuntime.ingress) },
        agentBackend: { ...config.agentBackend, ingress: wire(config.agentBackend.ingress) },
        aiAgents: { ...config.aiAgents, ingress: wire(config.aiAgents.ingress) },
    };
}
