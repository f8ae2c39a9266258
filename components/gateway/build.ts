/**
 * Pure builders of the stack's ingress path: the GatewayClass, the shared Gateway (an HTTP
 * listener plus one HTTPS listener per host), the HTTP-to-HTTPS redirect route, the ACME
 * ClusterIssuer, and the Traefik chart's values. Plain objects, no Pulumi runtime.
 */
import { GATEWAY_API_VERSION } from "../ingress";
import { ENTRYPOINT_PORTS, StackGatewayPlan, TRAEFIK_CONTROLLER_NAME, TRAEFIK_RELEASE } from "./plan";

type Obj = Record<string, unknown>;

export const GATEWAY_GROUP = "gateway.networking.k8s.io";
/** The listener cert-manager's HTTP-01 solver routes and the redirect route attach to. */
export const HTTP_LISTENER = "http";

/** `*.example.com` -> `wildcard-example-com`: a name part for listeners and Secrets. */
function hostSlug(host: string): string {
    return host.replace(/^\*\./, "wildcard.").replace(/\./g, "-");
}

export const httpsListenerName = (host: string) => `https-${hostSlug(host)}`;
export const certificateSecretName = (host: string) => `${hostSlug(host)}-tls`;

export function buildGatewayClass(plan: StackGatewayPlan): Obj {
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: "GatewayClass",
        metadata: { name: plan.className },
        spec: { controllerName: TRAEFIK_CONTROLLER_NAME, description: "Traefik, installed by agent-platform (addons.traefik)." },
    };
}

/**
 * cert-manager's gateway-shim reads the issuer from the Gateway's annotations and creates one
 * Certificate per Secret named in the HTTPS listeners' certificateRefs, for the listener's
 * hostname (cert-manager.io/docs/usage/gateway).
 */
export function buildGatewayAnnotations(plan: StackGatewayPlan): Record<string, string> {
    return plan.issuer ? { "cert-manager.io/cluster-issuer": plan.issuer.name } : {};
}

export function buildGatewaySpec(plan: StackGatewayPlan): Obj {
    const routeKinds = [{ group: GATEWAY_GROUP, kind: "HTTPRoute" }];
    return {
        gatewayClassName: plan.className,
        listeners: [
            // Plain HTTP: only the redirect route and cert-manager's HTTP-01 solver routes, both
            // in this namespace, attach here.
            { name: HTTP_LISTENER, protocol: "HTTP", port: ENTRYPOINT_PORTS.web, allowedRoutes: { namespaces: { from: "Same" }, kinds: routeKinds } },
            ...plan.hosts.map((host) => ({
                name: httpsListenerName(host),
                hostname: host,
                protocol: "HTTPS",
                port: ENTRYPOINT_PORTS.websecure,
                tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: certificateSecretName(host) }] },
                allowedRoutes: {
                    namespaces: { from: "Selector", selector: { matchLabels: { "kubernetes.io/metadata.name": plan.routeNamespace } } },
                    kinds: routeKinds,
                },
            })),
        ],
    };
}

/**
 * Every plain-HTTP request is answered with a 301 to https on the default port. With a
 * scheme and no port, RequestRedirect uses the scheme's well-known port (Gateway API v1,
 * HTTPRequestRedirectFilter.port). cert-manager's solver routes match
 * `/.well-known/acme-challenge/<token>` exactly, which outranks this route's implicit `/`
 * prefix (Gateway API v1, HTTPRouteRule precedence: exact path matches first).
 */
export function buildRedirectRouteSpec(plan: StackGatewayPlan): Obj {
    return {
        parentRefs: [{ group: GATEWAY_GROUP, kind: "Gateway", name: plan.name, sectionName: HTTP_LISTENER }],
        rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
    };
}

/**
 * The ACME ClusterIssuer: HTTP-01 answered through the Gateway's HTTP listener. cert-manager
 * creates the solver HTTPRoute (and pod) in the Certificate's namespace, which is the
 * Gateway's, so the listener's `from: Same` admits it (cert-manager.io/docs/configuration/acme/http01,
 * "Configuring the HTTP-01 Gateway API solver").
 */
export function buildClusterIssuer(plan: StackGatewayPlan): Obj | undefined {
    if (!plan.issuer) return undefined;
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: plan.issuer.name },
        spec: {
            acme: {
                email: plan.issuer.email,
                server: plan.issuer.server,
                privateKeySecretRef: { name: `${plan.issuer.name}-account-key` },
                solvers: [
                    {
                        http01: {
                            gatewayHTTPRoute: {
                                parentRefs: [{ group: GATEWAY_GROUP, kind: "Gateway", name: plan.name, namespace: plan.namespace, sectionName: HTTP_LISTENER }],
                            },
                        },
                    },
                ],
            },
        },
    };
}

export interface TraefikSettings {
    replicas: number;
    resources: { requests: { cpu: string; memory: string }; limits: { memory: string } };
    dnsLabel?: string;
}

/**
 * Values of the traefik/traefik chart (41.3.0, values.yaml):
 * - Gateway API provider on; the Ingress provider and the chart's IngressClass, Gateway and
 *   GatewayClass off (the stack renders its own GatewayClass and Gateway); the CRD provider
 *   stays on for forward-auth Middlewares referenced by HTTPRoute ExtensionRef filters.
 * - Pod hardening: the chart's defaults already run as UID 65532 non-root with seccomp
 *   RuntimeDefault, a read-only root FS, no privilege escalation and every capability dropped
 *   (values.yaml `securityContext`, `podSecurityContext`); they are restated here so a chart
 *   upgrade cannot loosen them. The token stays mounted: Traefik watches the API
 *   (_podtemplate.tpl sets `automountServiceAccountToken: true`). Resources are set; the
 *   chart's /ping readiness and liveness probes stay.
 * - Streams: Traefik accepts HTTPRoute `timeouts` but does not apply them
 *   (github.com/traefik/traefik/issues/11902, open; PR #13537 maps `timeouts.request` to a
 *   router option). Until then the websecure entrypoint's writeTimeout, which bounds a whole
 *   response, is the longest route timeout on the Gateway, so no stream is cut before its
 *   route allows (Traefik v3 default: 0, no limit).
 * - `instanceLabelOverride` makes the pods' instance label the release name, so the
 *   services' NetworkPolicies can select them (resolve.ts, TRAEFIK_POD_LABELS).
 */
export function buildTraefikValues(plan: StackGatewayPlan, settings: TraefikSettings): Obj {
    const websecureTransport = plan.longestTimeoutSeconds ? { transport: { respondingTimeouts: { writeTimeout: `${plan.longestTimeoutSeconds}s` } } } : {};
    return {
        instanceLabelOverride: TRAEFIK_RELEASE,
        deployment: { replicas: settings.replicas },
        ...(settings.replicas > 1 ? { podDisruptionBudget: { enabled: true, minAvailable: 1 } } : {}),
        resources: settings.resources,
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true, runAsNonRoot: true },
        podSecurityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
        providers: {
            kubernetesGateway: { enabled: true },
            kubernetesIngress: { enabled: false },
            kubernetesCRD: { enabled: true, allowCrossNamespace: false },
        },
        gateway: { enabled: false },
        gatewayClass: { enabled: false },
        ingressClass: { enabled: false },
        api: { dashboard: false },
        ports: { websecure: websecureTransport },
        ...(settings.dnsLabel ? { service: { annotations: { "service.beta.kubernetes.io/azure-dns-label-name": settings.dnsLabel } } } : {}),
    };
}
