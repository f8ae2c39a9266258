/**
 * The stack's own ingress path: Traefik (add-on `addons.traefik`) serving one shared Gateway API
 * Gateway, with certificates from an ACME ClusterIssuer (`addons.certManager.acme`). Here: its
 * fixed names and ports, and `StackGatewayPlan`, what the Gateway is. The config layer derives
 * the plan from the whole stack (components/config/gateway.ts: hosts, timeouts, issuer, the
 * cross-block rules, and the services' config with the Gateway filled in).
 */

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

/** The NetworkPolicy peer of the stack's controller: its namespace and pod labels. */
export function stackControllerPeer(): { namespaceSelector: Record<string, string>; podSelector: Record<string, string> } {
    return { namespaceSelector: { "kubernetes.io/metadata.name": CONTROLLER_NAMESPACE }, podSelector: { ...TRAEFIK_POD_LABELS } };
}
