/**
 * ServiceIngress: how one service is reached from outside the cluster. Every service
 * component creates one of these instead of building an Ingress or HTTPRoute by hand.
 *
 * `mode: ingress` creates a networking.k8s.io/v1 Ingress for nginx, Traefik or AKS
 * application routing, with the annotations each needs for streamed (SSE) responses and a
 * cert-manager issuer for TLS. `mode: gatewayApi` creates Gateway API HTTPRoutes attached to
 * a Gateway — the stack's own (components/gateway) or one on the cluster — with the same
 * hosts, paths and stream timeouts (ingress-nginx is retired). Hostnames may contain
 * `{domain}`, the platform domain.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppIdentity, objectLabels } from "../pod";
import { DOMAIN_PLACEHOLDER, IngressBackendConfig, IngressConfig, isHostname, KNOWN_CLASSES } from "./schema";

export type { IngressConfig, IngressConfigInput } from "./schema";

export const GATEWAY_API_VERSION = "gateway.networking.k8s.io/v1";

/** A Service and port in the service's namespace. */
export type ServiceBackend = IngressBackendConfig;

export interface IngressArgs {
    /** The service's `ingress` block, validated and defaulted by `ingressConfigSchema`. */
    config: IngressConfig;
    /** Who the service is: labels on every object. */
    identity: AppIdentity;
    /** Namespace of the service. */
    namespace: pulumi.Input<string>;
    /** The service's own Service and port: where every path goes unless it names another backend. */
    backend: ServiceBackend;
    /** The platform domain that replaces `{domain}` in hostnames, e.g. `example.com`. */
    platformDomain?: string;
    /**
     * Name of the Ingress / main HTTPRoute.
     * @default identity.instance
     */
    objectName?: string;
    /**
     * Where the block sits in the stack config, for error messages.
     * @default "ingress"
     */
    configPath?: string;
    /**
     * Filters on every rule of the HTTPRoutes (mode gatewayApi only), e.g. a Traefik forward-auth
     * Middleware as an `ExtensionRef` filter. @default []
     */
    routeFilters?: RouteFilter[];
    /** What installs the Gateway API CRDs (the add-ons); HTTPRoutes wait for it. @default [] */
    crdsReady?: pulumi.Resource[];
}

/** An HTTPRoute filter that refers to an implementation's own object in the route's namespace. */
export interface RouteFilter {
    type: "ExtensionRef";
    extensionRef: { group: string; kind: string; name: string };
}

export type Controller = "nginx" | "traefik" | "azureAppRouting" | "other";
type PathType = "Prefix" | "Exact" | "ImplementationSpecific";

export interface ResolvedPath {
    path: string;
    pathType: PathType;
    backend: ServiceBackend;
}

export interface ResolvedHost {
    /** The hostname with `{domain}` replaced. */
    host: string;
    paths: ResolvedPath[];
    /** True when the host lists its own paths (and so needs its own HTTPRoute). */
    ownPaths: boolean;
    /** Short, stable name part derived from the configured template, e.g. `mcp` for `mcp.{domain}`. */
    slug: string;
}

export interface ResolvedIngress {
    enabled: boolean;
    mode: "ingress" | "gatewayApi";
    name: string;
    controller: Controller;
    hosts: ResolvedHost[];
    labels: Record<string, string>;
}

function slugOf(template: string): string {
    const slug = template
        .replace(new RegExp(`\\.?${DOMAIN_PLACEHOLDER.replace(/[{}]/g, "\\$&")}`), "")
        .replace(/^\*\./, "wildcard.")
        .replace(/\./g, "-");
    return slug === "" ? "apex" : slug;
}

/** Replaces `{domain}`; a template without a domain to fill in is an error naming its key. */
export function resolveHost(template: string, key: string, platformDomain: string | undefined): string {
    if (!template.includes(DOMAIN_PLACEHOLDER)) return template;
    if (platformDomain === undefined) {
        throw new Error(`\`${key}\` is '${template}', which needs the platform domain for ${DOMAIN_PLACEHOLDER}, but no platform domain is set`);
    }
    const host = template.split(DOMAIN_PLACEHOLDER).join(platformDomain);
    if (!isHostname(host))
        throw new Error(`\`${key}\` '${template}' becomes '${host}', which is not a DNS name: check the platform domain '${platformDomain}'`);
    return host;
}

export function resolveIngressArgs(args: IngressArgs): ResolvedIngress {
    const { config } = args;
    const at = args.configPath ?? "ingress";
    if (args.platformDomain !== undefined && (args.platformDomain.startsWith("*.") || !isHostname(args.platformDomain))) {
        throw new Error(`platform domain '${args.platformDomain}' is not a DNS name (used for ${DOMAIN_PLACEHOLDER} in \`${at}\` hostnames)`);
    }
    const toPaths = (list: IngressConfig["paths"]): ResolvedPath[] =>
        list.map((p) => ({ path: p.path, pathType: p.pathType ?? config.pathType, backend: p.backend ?? args.backend }));
    const hosts: ResolvedHost[] = [];
    if (config.enabled) {
        if (config.host === undefined) throw new Error(`\`${at}.host\` is required when \`${at}.enabled\` is true`);
        hosts.push({
            host: resolveHost(config.host, `${at}.host`, args.platformDomain),
            paths: toPaths(config.paths),
            ownPaths: true,
            slug: slugOf(config.host),
        });
        config.extraHosts.forEach((extra, i) => {
            const host = resolveHost(extra.host, `${at}.extraHosts[${i}].host`, args.platformDomain);
            const clash = hosts.find((h) => h.host === host);
            if (clash) throw new Error(`\`${at}.extraHosts[${i}].host\` resolves to '${host}', which is already routed`);
            hosts.push({ host, paths: toPaths(extra.paths ?? config.paths), ownPaths: extra.paths !== undefined, slug: slugOf(extra.host) });
        });
    }
    const controller = config.controller ?? (Object.hasOwn(KNOWN_CLASSES, config.className) ? KNOWN_CLASSES[config.className] : undefined);
    if (config.enabled && config.mode === "ingress" && controller === undefined) {
        throw new Error(`\`${at}.className\` '${config.className}' is not a known class: set \`${at}.controller\``);
    }
    return {
        enabled: config.enabled,
        mode: config.mode,
        name: args.objectName ?? args.identity.instance,
        controller: controller ?? "other",
        hosts,
        // The identity labels win over user labels: selectors and policies rely on them.
        labels: { ...config.labels, ...objectLabels(args.identity) },
    };
}

const NGINX = "nginx.ingress.kubernetes.io";

/**
 * Annotations for the controller. nginx and AKS application routing (a managed
 * ingress-nginx) stream SSE only with buffering off and timeouts longer than a stream's
 * silences. Traefik streams without buffering and has no per-Ingress timeouts (they live in
 * its entrypoint config), so it only gets its router settings.
 */
export function buildControllerAnnotations(config: IngressConfig, controller: Controller): Record<string, string> {
    const s = config.streaming;
    switch (controller) {
        case "nginx":
        case "azureAppRouting":
            return {
                [`${NGINX}/proxy-body-size`]: config.maxBodySize,
                ...(s.enabled
                    ? {
                          [`${NGINX}/proxy-buffering`]: "off",
                          [`${NGINX}/proxy-request-buffering`]: "off",
                          [`${NGINX}/proxy-read-timeout`]: String(s.readTimeoutSeconds),
                          [`${NGINX}/proxy-send-timeout`]: String(s.sendTimeoutSeconds),
                          [`${NGINX}/proxy-connect-timeout`]: String(s.connectTimeoutSeconds),
                      }
                    : {}),
            };
        case "traefik":
            return {
                ...(config.traefik.entrypoints.length ? { "traefik.ingress.kubernetes.io/router.entrypoints": config.traefik.entrypoints.join(",") } : {}),
                ...(config.traefik.middlewares.length ? { "traefik.ingress.kubernetes.io/router.middlewares": config.traefik.middlewares.join(",") } : {}),
            };
        case "other":
            return {};
    }
}

/** cert-manager's ingress-shim reads the issuer from one of these two annotations. */
export function buildIssuerAnnotations(config: IngressConfig): Record<string, string> {
    const issuer = config.tls.enabled ? config.tls.issuer : undefined;
    if (!issuer) return {};
    return { [issuer.kind === "ClusterIssuer" ? "cert-manager.io/cluster-issuer" : "cert-manager.io/issuer"]: issuer.name };
}

/** The Ingress annotations: controller, then issuer, then the user's (which win). */
export function buildIngressAnnotations(config: IngressConfig, resolved: ResolvedIngress): Record<string, string> {
    return { ...buildControllerAnnotations(config, resolved.controller), ...buildIssuerAnnotations(config), ...config.annotations };
}

const serviceBackend = (b: ServiceBackend): k8s.types.input.networking.v1.IngressBackend => ({ service: { name: b.serviceName, port: { number: b.port } } });

export function buildIngressSpec(config: IngressConfig, resolved: ResolvedIngress): k8s.types.input.networking.v1.IngressSpec {
    return {
        ingressClassName: config.className,
        ...(config.defaultBackend ? { defaultBackend: serviceBackend(config.defaultBackend) } : {}),
        ...(config.tls.enabled ? { tls: [{ hosts: resolved.hosts.map((h) => h.host), secretName: config.tls.secretName ?? `${resolved.name}-tls` }] } : {}),
        rules: resolved.hosts.map((h) => ({
            host: h.host,
            http: { paths: h.paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: serviceBackend(p.backend) })) },
        })),
    };
}

/** Seconds as a Gateway API duration (GEP-2257: at most 5 digits per unit), e.g. 5400 -> `1h30m`. */
export function gatewayDuration(seconds: number): string {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    const text = `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}`;
    return text || "0s";
}

/** One HTTPRoute: its name, the hosts it serves and their (shared) paths. */
export interface RouteGroup {
    name: string;
    hosts: ResolvedHost[];
}

/** Limits of the HTTPRoute API (and so of one route). */
const MAX_HOSTNAMES = 16;
const MAX_RULES = 16;

/**
 * HTTPRoute rules apply to all of a route's hostnames, so hosts with their own paths get
 * their own route (`<name>-<slug>`); the main host and extra hosts that share its paths share
 * the main route (`<name>`).
 */
export function groupRoutes(resolved: ResolvedIngress, at = "ingress"): RouteGroup[] {
    const [main, ...extras] = resolved.hosts;
    if (!main) return [];
    const groups: RouteGroup[] = [{ name: resolved.name, hosts: [main, ...extras.filter((h) => !h.ownPaths)] }];
    for (const host of extras.filter((h) => h.ownPaths)) groups.push({ name: `${resolved.name}-${host.slug}`, hosts: [host] });
    const names = groups.map((g) => g.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new Error(`two hosts in \`${at}.extraHosts\` would both need the HTTPRoute '${dup}': give them distinct first labels`);
    if (groups[0]!.hosts.length > MAX_HOSTNAMES)
        throw new Error(`\`${at}\`: an HTTPRoute takes at most ${MAX_HOSTNAMES} hostnames; give some of \`${at}.extraHosts\` their own paths`);
    return groups;
}

const MATCH_TYPE = { Prefix: "PathPrefix", Exact: "Exact" } as const;

export function buildHTTPRouteSpec(config: IngressConfig, group: RouteGroup, at = "ingress", filters: RouteFilter[] = []): Record<string, unknown> {
    const gateway = config.gateway;
    if (!gateway) throw new Error(`\`${at}.gateway.name\` is required when \`${at}.mode\` is gatewayApi`);
    const s = config.streaming;
    const timeout = gatewayDuration(Math.max(s.readTimeoutSeconds, s.sendTimeoutSeconds));
    // One rule per backend, matching all of its paths.
    const byBackend = new Map<string, ResolvedPath[]>();
    for (const p of group.hosts[0]!.paths) {
        const key = `${p.backend.serviceName}:${p.backend.port}`;
        byBackend.set(key, [...(byBackend.get(key) ?? []), p]);
    }
    if (byBackend.size > MAX_RULES) throw new Error(`\`${at}\`: an HTTPRoute takes at most ${MAX_RULES} rules (one per backend)`);
    const rules = [...byBackend.values()].map((list) => ({
        matches: list.map((p) => {
            if (p.pathType === "ImplementationSpecific")
                throw new Error(`\`${at}\`: path '${p.path}' is ImplementationSpecific, which Gateway API cannot match`);
            return { path: { type: MATCH_TYPE[p.pathType], value: p.path } };
        }),
        ...(filters.length ? { filters } : {}),
        backendRefs: [{ group: "", kind: "Service", name: list[0]!.backend.serviceName, port: list[0]!.backend.port }],
        // Request covers the whole exchange, so it bounds a stream's total length on Gateway API
        // (GEP-1742). Envoy Gateway applies it; Traefik accepts it but does not yet
        // (traefik/traefik#11902), so the stack's Traefik bounds responses at its entrypoint
        // (components/gateway/build.ts).
        ...(s.enabled ? { timeouts: { request: timeout, backendRequest: timeout } } : {}),
    }));
    return {
        parentRefs: [
            {
                group: "gateway.networking.k8s.io",
                kind: "Gateway",
                name: gateway.name,
                ...(gateway.namespace ? { namespace: gateway.namespace } : {}),
                ...(gateway.sectionName ? { sectionName: gateway.sectionName } : {}),
            },
        ],
        hostnames: group.hosts.map((h) => h.host),
        rules,
    };
}

export class ServiceIngress extends pulumi.ComponentResource {
    /** The hostnames routed to the service (with `{domain}` replaced); empty when disabled. */
    readonly hosts: string[];
    /** `https://<host>` with TLS, else `http://<host>`, per host: what users open. */
    readonly urls: string[];

    constructor(name: string, args: IngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:ingress:ServiceIngress", name, {}, opts);
        const at = args.configPath ?? "ingress";
        const resolved = resolveIngressArgs(args);
        if (args.routeFilters?.length && resolved.mode !== "gatewayApi") throw new Error(`\`${at}\`: route filters exist only for \`mode: gatewayApi\``);
        this.hosts = resolved.hosts.map((h) => h.host);
        this.urls = this.hosts.map((host) => `${args.config.tls.enabled ? "https" : "http"}://${host}`);

        if (resolved.enabled && resolved.mode === "ingress") {
            const annotations = buildIngressAnnotations(args.config, resolved);
            new k8s.networking.v1.Ingress(
                `${name}-ingress`,
                {
                    metadata: { name: resolved.name, namespace: args.namespace, labels: resolved.labels, annotations },
                    spec: buildIngressSpec(args.config, resolved),
                },
                { parent: this },
            );
        }

        if (resolved.enabled && resolved.mode === "gatewayApi") {
            const annotations = Object.keys(args.config.annotations).length ? args.config.annotations : undefined;
            for (const group of groupRoutes(resolved, at)) {
                const role = group.name === resolved.name ? "httproute" : `httproute-${group.name.slice(resolved.name.length + 1)}`;
                new k8s.apiextensions.CustomResource(
                    `${name}-${role}`,
                    {
                        apiVersion: GATEWAY_API_VERSION,
                        kind: "HTTPRoute",
                        metadata: { name: group.name, namespace: args.namespace, labels: resolved.labels, annotations },
                        spec: buildHTTPRouteSpec(args.config, group, at, args.routeFilters),
                    },
                    { parent: this, dependsOn: args.crdsReady ?? [] },
                );
            }
        }

        this.registerOutputs({ hosts: this.hosts, urls: this.urls });
    }
}
