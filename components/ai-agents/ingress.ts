/**
 * The seed's split ingress, through the ingress building block:
 * - public (`<name>-public`, no middleware): /api/jobs/submit, /api/events/ingest,
 *   /api/webhooks/*, /health, /ready, /metrics -> API. Used by external services and probes.
 * - protected (`<name>-protected`): /api/* -> API, /* -> App, behind the Traefik forward-auth
 *   middleware (Authelia) named by `ingress.authMiddleware`, or, on ingress-nginx, behind the
 *   `auth-url` of `ingress.nginxAuth`.
 * Both serve the same host; the longer, public paths win over the protected prefixes (Traefik
 * orders routers by rule length, nginx by path length, Gateway API by the longest prefix
 * match across routes). TLS: one certificate Secret for the host, requested from cert-manager
 * by the protected Ingress only, so one Certificate owns it.
 *
 * With `ingress.mode: gatewayApi` the same two (and the webhooks') are HTTPRoutes on a Traefik
 * Gateway, TLS is the Gateway's, and the protected route carries an ExtensionRef filter to a
 * forwardAuth Middleware the stack renders in the platform namespace.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IngressConfig, RouteFilter, ServiceIngress } from "../ingress";
import { ingressConfigSchema, KNOWN_CLASSES } from "../ingress/schema";
import { objectLabels } from "../pod";
import { platformIdentity, ResolvedAiAgents } from "./resolve";

export interface RouteSpec {
    path: string;
    serviceName: string;
    port: number;
}

/** The public paths, in the seed's order. */
export function publicRoutes(resolved: ResolvedAiAgents): RouteSpec[] {
    const api = (path: string): RouteSpec => ({ path, serviceName: resolved.names.api, port: resolved.config.settings.port });
    return [
        api("/api/jobs/submit"),
        api("/api/events/ingest"),
        api("/api/webhooks"),
        api("/health"),
        api("/ready"),
        ...(resolved.config.ingress.publicMetrics ? [api("/metrics")] : []),
    ];
}

export function protectedRoutes(resolved: ResolvedAiAgents): RouteSpec[] {
    return [
        { path: "/api", serviceName: resolved.names.api, port: resolved.config.settings.port },
        { path: "/", serviceName: resolved.names.app, port: resolved.config.app.port },
    ];
}

/**
 * The ingress block's config for one Ingress of the platform: the platform's host, class,
 * entrypoints, TLS Secret and annotations, with these routes and (protected) the auth middleware.
 */
const NGINX = "nginx.ingress.kubernetes.io";

/** Forward auth on ingress-nginx: every request is checked against `auth-url` first. */
export function nginxAuthAnnotations(auth: NonNullable<ResolvedAiAgents["config"]["ingress"]["nginxAuth"]>): Record<string, string> {
    return {
        [`${NGINX}/auth-method`]: "GET",
        [`${NGINX}/auth-url`]: auth.url,
        ...(auth.signinUrl ? { [`${NGINX}/auth-signin`]: auth.signinUrl } : {}),
        ...(auth.responseHeaders.length ? { [`${NGINX}/auth-response-headers`]: auth.responseHeaders.join(",") } : {}),
    };
}

/** The Traefik Middleware of the protected HTTPRoute (mode gatewayApi). */
export const forwardAuthMiddlewareName = (resolved: ResolvedAiAgents) => `${resolved.config.name}-forward-auth`;

/**
 * A Traefik forwardAuth Middleware (doc.traefik.io, Middleware CRD `forwardAuth`). It lives in
 * the platform namespace: an HTTPRoute's ExtensionRef is a LocalObjectReference, so Traefik
 * resolves it in the route's own namespace (traefik/traefik#11126; GHSA-qq9q-x9w4-chhj,
 * fixed in 3.7.7, made that resolution strict).
 */
export function buildForwardAuthMiddleware(resolved: ResolvedAiAgents): Record<string, unknown> | undefined {
    const auth = resolved.config.ingress.forwardAuth;
    if (resolved.config.ingress.mode !== "gatewayApi" || !auth) return undefined;
    return {
        apiVersion: "traefik.io/v1alpha1",
        kind: "Middleware",
        metadata: { name: forwardAuthMiddlewareName(resolved), namespace: resolved.namespace },
        spec: { forwardAuth: { address: auth.url, trustForwardHeader: true, authResponseHeaders: auth.responseHeaders } },
    };
}

/** The ExtensionRef filter of the protected HTTPRoute. */
export function forwardAuthFilter(resolved: ResolvedAiAgents): RouteFilter {
    return { type: "ExtensionRef", extensionRef: { group: "traefik.io", kind: "Middleware", name: forwardAuthMiddlewareName(resolved) } };
}

export function platformIngressConfig(resolved: ResolvedAiAgents, routes: RouteSpec[], options: { authenticated: boolean }): IngressConfig {
    const ingress = resolved.config.ingress;
    if (ingress.mode === "gatewayApi") {
        // Same host and paths; TLS is the Gateway's, forward auth an ExtensionRef filter (ServiceIngress `routeFilters`).
        if (options.authenticated && !ingress.forwardAuth) throw new Error("aiAgents.ingress.forwardAuth: the protected HTTPRoute needs forward auth");
        return ingressConfigSchema.parse({
            enabled: true,
            mode: "gatewayApi",
            host: ingress.host,
            paths: routes.map((r) => ({ path: r.path, backend: { serviceName: r.serviceName, port: r.port } })),
            pathType: "Prefix",
            tls: { enabled: ingress.tls.enabled },
            ...(ingress.gateway ? { gateway: ingress.gateway } : {}),
            annotations: ingress.annotations,
        });
    }
    const controller = ingress.controller ?? (Object.hasOwn(KNOWN_CLASSES, ingress.className) ? KNOWN_CLASSES[ingress.className] : undefined);
    const traefikAuth = options.authenticated && controller === "traefik";
    // The schema allows only Traefik or nginx with `nginxAuth`; args built in code are checked here.
    if (options.authenticated && !traefikAuth && !ingress.nginxAuth) {
        throw new Error(
            `aiAgents.ingress: the protected Ingress needs forward auth: class '${ingress.className}' is not Traefik and \`ingress.nginxAuth\` is not set`,
        );
    }
    const authAnnotations = options.authenticated && !traefikAuth ? nginxAuthAnnotations(ingress.nginxAuth!) : {};
    return ingressConfigSchema.parse({
        enabled: true,
        mode: "ingress",
        className: ingress.className,
        ...(ingress.controller ? { controller: ingress.controller } : {}),
        host: ingress.host,
        paths: routes.map((r) => ({ path: r.path, backend: { serviceName: r.serviceName, port: r.port } })),
        pathType: "Prefix",
        tls: {
            enabled: ingress.tls.enabled,
            ...(ingress.tls.enabled ? { secretName: resolved.names.tlsSecret } : {}),
            ...(ingress.tls.enabled && options.authenticated && ingress.tls.issuer ? { issuer: ingress.tls.issuer } : {}),
        },
        annotations: { ...authAnnotations, ...ingress.annotations },
        traefik: { entrypoints: ingress.entrypoints, middlewares: traefikAuth ? [ingress.authMiddleware] : [] },
    });
}

export interface AiAgentsIngressArgs {
    resolved: ResolvedAiAgents;
    /** Replaces `{domain}` in `ingress.host`. */
    platformDomain?: string;
    /** What installs CRDs (the Traefik chart, for the forward-auth Middleware). @default [] */
    crdsReady?: pulumi.Resource[];
}

export class AiAgentsIngress extends pulumi.ComponentResource {
    /** The public URL (the public and protected ingresses share one host). */
    readonly url: string;

    constructor(name: string, args: AiAgentsIngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:ai-agents:AiAgentsIngress", name, {}, opts);
        const { resolved } = args;
        const identity = platformIdentity(resolved, "ingress");
        const common = {
            identity,
            namespace: resolved.namespace,
            platformDomain: args.platformDomain,
            configPath: "aiAgents.ingress",
            crdsReady: args.crdsReady,
        };
        const publicIngress = new ServiceIngress(
            `${name}-public`,
            {
                ...common,
                config: platformIngressConfig(resolved, publicRoutes(resolved), { authenticated: false }),
                backend: { serviceName: resolved.names.api, port: resolved.config.settings.port },
                objectName: resolved.names.publicIngress,
            },
            { parent: this },
        );
        const middleware = buildForwardAuthMiddleware(resolved);
        const forwardAuth = middleware
            ? new k8s.apiextensions.CustomResource(
                  `${name}-forward-auth`,
                  {
                      ...middleware,
                      metadata: { ...(middleware["metadata"] as object), labels: objectLabels(identity) },
                  } as k8s.apiextensions.CustomResourceArgs,
                  {
                      parent: this,
                      dependsOn: args.crdsReady ?? [],
                  },
              )
            : undefined;
        new ServiceIngress(
            `${name}-protected`,
            {
                ...common,
                config: platformIngressConfig(resolved, protectedRoutes(resolved), { authenticated: true }),
                backend: { serviceName: resolved.names.app, port: resolved.config.app.port },
                objectName: resolved.names.protectedIngress,
                ...(forwardAuth ? { routeFilters: [forwardAuthFilter(resolved)] } : {}),
            },
            // The protected route is never served before its forward auth exists.
            { parent: this, ...(forwardAuth ? { dependsOn: [forwardAuth] } : {}) },
        );
        this.url = publicIngress.urls[0]!;
        this.registerOutputs({ url: this.url });
    }
}
