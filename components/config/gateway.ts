/**
 * The stack's ingress path as the config decides it (no Pulumi runtime): which services route
 * through the stack's Gateway, the cross-block rules of that path (run by the stack schema, each
 * naming its key), the Gateway's plan (hosts, listeners' timeouts, issuer, address), and the
 * config the services get with what the stack installs filled in (the Gateway their routes
 * attach to, the controller pods their NetworkPolicies admit).
 */
import type { ConfigProblem, KeyPath } from "../core/problems";
import { CONTROLLER_NAMESPACE, GATEWAY_CLASS, stackControllerPeer, StackGatewayPlan } from "../gateway/plan";
import { DOMAIN_PLACEHOLDER, ingressConfigSchema, isHostname } from "../ingress/schema";
import type { ParsedBlocks, StackConfig } from "./blocks";

/** The schema default of `networkPolicy.ingressController`: anything else was typed by the user. */
const DEFAULT_CONTROLLER_NAMESPACE = { "kubernetes.io/metadata.name": "ingress-nginx" };

type Path = KeyPath;

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
export function routedServices(config: ParsedBlocks): RoutedService[] {
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

const stackInstallsGateway = (config: ParsedBlocks) => config.addons?.traefik?.enabled === true;
const routesToStackGateway = (route: RoutedService, config: ParsedBlocks) =>
    route.mode === "gatewayApi" && stackInstallsGateway(config) && (route.gateway === undefined || isStackGateway(route.gateway, config));

function isStackGateway(gateway: { name: string; namespace?: string }, config: ParsedBlocks): boolean {
    return gateway.name === config.addons?.traefik?.gatewayName && gateway.namespace === CONTROLLER_NAMESPACE;
}

/** Gateway API allows at most 64 listeners per Gateway; one is the HTTP listener. */
const MAX_HTTPS_LISTENERS = 63;

/** The cross-block rules of the ingress path; paths from the stack config's root. */
export function stackGatewayProblems(config: ParsedBlocks): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
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
        if (traefik.dnsLabel !== undefined && !aks)
            add(["addons", "traefik", "dnsLabel"], "names an Azure public IP, so it needs `cluster.target: aks` (allowed: unset with a kubeconfig target)");
    } else if (certManager?.acme) {
        add(
            ["addons", "certManager", "acme"],
            "solves HTTP-01 challenges through the stack's Gateway, so it needs `addons.traefik.enabled: true` (allowed: remove it, or install Traefik)",
        );
    }
    if (certManager?.acme && !certManager.enabled)
        add(["addons", "certManager", "enabled"], "must be true: `addons.certManager.acme` creates a cert-manager ClusterIssuer");

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
        add(
            ["addons", "traefik", "enabled"],
            `the services route ${hosts.size} hosts through the stack's Gateway, which takes at most ${MAX_HTTPS_LISTENERS} HTTPS listeners (one per host)`,
        );
    }
    return problems;
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

/**
 * The config the components get: when the stack installs Traefik, every service's
 * NetworkPolicy admits exactly the Traefik pods, and every Gateway API route without a
 * Gateway of its own attaches to the stack's Gateway, served over HTTPS.
 */
export function wireStackIngress(config: StackConfig): StackConfig {
    const traefik = config.addons.traefik;
    if (!traefik.enabled) return config;
    const gateway = { name: traefik.gatewayName, namespace: CONTROLLER_NAMESPACE };
    const wire = <T extends { enabled: boolean; mode: "ingress" | "gatewayApi"; gateway?: { name: string; namespace?: string }; tls: { enabled: boolean } }>(
        ingress: T,
    ): T =>
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
