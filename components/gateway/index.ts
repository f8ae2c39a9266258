/**
 * StackGateway: the stack's shared entry point, rendered by the stack in the Traefik add-on's
 * namespace: the `traefik` GatewayClass, one Gateway (an HTTP listener that redirects to
 * HTTPS, one HTTPS listener per routed host with its certificate Secret), the redirect
 * HTTPRoute, and the ACME ClusterIssuer that issues the listeners' certificates through
 * cert-manager's gateway-shim. Services attach their HTTPRoutes to it (ServiceIngress,
 * `mode: gatewayApi`). Every object needs CRDs (Gateway API, cert-manager), so each takes the
 * add-ons' `crdsReady` in its `dependsOn`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GATEWAY_API_VERSION } from "../ingress";
import { MANAGED_BY, PART_OF } from "../pod";
import { buildClusterIssuer, buildGatewayAnnotations, buildGatewayClass, buildGatewaySpec, buildRedirectRouteSpec } from "./build";
import type { StackGatewayPlan } from "./plan";

export * from "./plan";

export interface StackGatewayArgs {
    plan: StackGatewayPlan;
    /** What installs the Gateway API and cert-manager CRDs (the add-ons); every object waits for it. */
    crdsReady: pulumi.Resource[];
}

const labels = { "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/managed-by": MANAGED_BY, "app.kubernetes.io/component": "gateway" };

export class StackGateway extends pulumi.ComponentResource {
    /** `<namespace>/<name>` of the Gateway. */
    readonly gateway: string;
    /** The hosts the Gateway serves over HTTPS. */
    readonly hosts: string[];
    /** What the hosts' DNS records point at, when known before deploy (AKS with `addons.traefik.dnsLabel`). */
    readonly address?: string;

    constructor(name: string, args: StackGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:gateway:StackGateway", name, {}, opts);
        const { plan } = args;
        // Each object depends on the CRDs itself: a component's dependsOn does not reach its children.
        const child = { parent: this, dependsOn: args.crdsReady };
        const cr = (role: string, object: Record<string, unknown>) =>
            new k8s.apiextensions.CustomResource(`${name}-${role}`, object as k8s.apiextensions.CustomResourceArgs, child);

        cr("gatewayclass", buildGatewayClass(plan));
        const annotations = buildGatewayAnnotations(plan);
        cr("gateway", {
            apiVersion: GATEWAY_API_VERSION,
            kind: "Gateway",
            metadata: { name: plan.name, namespace: plan.namespace, labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
            spec: buildGatewaySpec(plan),
        });
        cr("https-redirect", {
            apiVersion: GATEWAY_API_VERSION,
            kind: "HTTPRoute",
            metadata: { name: `${plan.name}-https-redirect`, namespace: plan.namespace, labels },
            spec: buildRedirectRouteSpec(plan),
        });
        const issuer = buildClusterIssuer(plan);
        if (issuer) cr("cluster-issuer", { ...issuer, metadata: { ...(issuer["metadata"] as object), labels } });

        this.gateway = `${plan.namespace}/${plan.name}`;
        this.hosts = plan.hosts;
        this.address = plan.address;
        this.registerOutputs({ gateway: this.gateway, hosts: this.hosts, ...(this.address ? { address: this.address } : {}) });
    }
}
