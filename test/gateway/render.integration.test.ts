/**
 * Tier 3 of the ingress path: staging and prod rendered through the real program. No Ingress
 * (nothing serves one on a cluster the stack creates); every HTTPRoute's parent is a Gateway
 * the stack renders, of a GatewayClass the Traefik it installs serves, with a listener that
 * admits the route; every issuer named is created; the services' NetworkPolicies admit the
 * Traefik pods and nothing else; the objects are schema-valid.
 */
import { expect } from "chai";
import { CONTROLLER_NAMESPACE, TRAEFIK_CONTROLLER_NAME, TRAEFIK_POD_LABELS } from "../../components/gateway/plan";
import { buildNetwork, ingressAllowed, type Endpoint } from "../../tools/connectivity/index";
import type { KubernetesObject } from "../../tools/render/manifests";
import { objectsOf, type StackRender } from "../../tools/render/render-stack";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { renderedStack } from "../helpers/render";

const hostMatches = (listener: string | undefined, host: string) =>
    !listener || listener === host || (listener.startsWith("*.") && host.endsWith(listener.slice(1)));

for (const stack of ["staging", "prod"]) {
    describe(`AKS stack ${stack}: the ingress path, rendered`, () => {
        let render: StackRender;
        let objects: KubernetesObject[];
        const ofKind = (kind: string) => objects.filter((o) => o.kind === kind) as any[];
        before(async () => {
            render = await renderedStack(stack);
            objects = objectsOf(render);
        });

        it("has no Ingress, so nothing waits for a load balancer no controller will give it", () => {
            expect(ofKind("Ingress").map((i) => `${i.metadata.name} (${i.spec.ingressClassName})`)).to.deep.equal([]);
        });

        it("attaches every HTTPRoute to a rendered Gateway, of a class the stack's Traefik serves, through a listener that admits it", () => {
            const routes = ofKind("HTTPRoute");
            expect(routes.length).to.be.greaterThan(2);
            const traefik = render.recording.resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.inputs["chart"] === "traefik");
            expect(traefik, "the Traefik chart").not.to.equal(undefined);
            for (const route of routes) {
                for (const parent of route.spec.parentRefs) {
                    const namespace = parent.namespace ?? route.metadata.namespace;
                    const gateway = ofKind("Gateway").find((g) => g.metadata.name === parent.name && g.metadata.namespace === namespace);
                    expect(gateway, `${route.metadata.name} -> ${namespace}/${parent.name}`).not.to.equal(undefined);
                    const gatewayClass = ofKind("GatewayClass").find((c) => c.metadata.name === gateway.spec.gatewayClassName);
                    expect(gatewayClass?.spec.controllerName).to.equal(TRAEFIK_CONTROLLER_NAME);
                    const admits = gateway.spec.listeners.filter((l: any) => {
                        if (parent.sectionName && l.name !== parent.sectionName) return false;
                        const from = l.allowedRoutes.namespaces;
                        const nsOk =
                            from.from === "Same"
                                ? route.metadata.namespace === gateway.metadata.namespace
                                : from.selector.matchLabels["kubernetes.io/metadata.name"] === route.metadata.namespace;
                        return nsOk && (!route.spec.hostnames || route.spec.hostnames.some((h: string) => hostMatches(l.hostname, h)));
                    });
                    expect(admits.length, `a listener of ${gateway.metadata.name} admits ${route.metadata.name}`).to.be.greaterThan(0);
                }
            }
        });

        it("serves every routed host over HTTPS with a certificate from an issuer the stack creates", () => {
            const [gateway] = ofKind("Gateway");
            const issuer = gateway.metadata.annotations["cert-manager.io/cluster-issuer"];
            expect(ofKind("ClusterIssuer").map((i) => i.metadata.name)).to.deep.equal([issuer]);
            const serviceHosts = ofKind("HTTPRoute")
                .filter((r) => r.metadata.namespace !== CONTROLLER_NAMESPACE)
                .flatMap((r) => r.spec.hostnames);
            const https = gateway.spec.listeners.filter((l: any) => l.protocol === "HTTPS");
            expect(https.map((l: any) => l.hostname).sort()).to.deep.equal([...new Set(serviceHosts)].sort());
            for (const listener of https) expect(listener.tls.certificateRefs).to.have.length(1);
            const redirect = ofKind("HTTPRoute").find((r) => r.metadata.namespace === CONTROLLER_NAMESPACE);
            expect(redirect.spec.rules[0].filters[0].requestRedirect).to.deep.equal({ scheme: "https", statusCode: 301 });
            expect(render.plan.outputs["gatewayAddress"]).to.equal(`agent-platform-${stack}.westeurope.cloudapp.azure.com`);
        });

        it("lets the Traefik pods, and no other, reach every routed service's pods", () => {
            const net = buildNetwork(objects as any, { cni: "cilium" });
            const traefik: Endpoint = { pod: { namespace: CONTROLLER_NAMESPACE, labels: { ...TRAEFIK_POD_LABELS } } };
            const solver: Endpoint = { pod: { namespace: CONTROLLER_NAMESPACE, labels: { "acme.cert-manager.io/http01-solver": "true" } } };
            const nginx: Endpoint = { pod: { namespace: "ingress-nginx", labels: { "app.kubernetes.io/name": "ingress-nginx" } } };
            const services = ofKind("Service").filter((s) =>
                ofKind("HTTPRoute").some((r) => r.spec.rules.some((rule: any) => rule.backendRefs?.some((b: any) => b.name === s.metadata.name))),
            );
            expect(services.length).to.equal(2);
            for (const service of services) {
                const deployment = ofKind("Deployment").find((d) =>
                    Object.entries(service.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
                );
                const to: Endpoint = { pod: { namespace: service.metadata.namespace, labels: deployment.spec.template.metadata.labels } };
                const port = deployment.spec.template.spec.containers[0].ports[0].containerPort;
                expect(ingressAllowed(net, traefik, to).allows("TCP", port), `traefik -> ${service.metadata.name}:${port}`).to.equal(true);
                expect(ingressAllowed(net, solver, to).allows("TCP", port), "another pod of the traefik namespace").to.equal(false);
                expect(ingressAllowed(net, nginx, to).allows("TCP", port), "the retired ingress-nginx").to.equal(false);
            }
        });

        it("gives the runtime's streams their route timeout, and Traefik an entrypoint bound no shorter than any route's", () => {
            const runtime = ofKind("HTTPRoute").find((r) => r.metadata.name === "agent-runtime");
            expect(runtime.spec.rules[0].timeouts).to.deep.equal(
                stack === "prod" ? { request: "10m", backendRequest: "10m" } : { request: "1h", backendRequest: "1h" },
            );
            const traefik = render.recording.resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.inputs["chart"] === "traefik")!;
            expect((traefik.inputs["values"] as any).ports.websecure.transport.respondingTimeouts.writeTimeout).to.equal("3600s");
        });

        it("renders Gateway API and cert-manager objects that their schemas accept", async () => {
            for (const object of objects.filter((o) => /gateway\.networking\.k8s\.io|cert-manager\.io/.test(o.apiVersion))) await validateAgainstSchema(object);
        });
    });
}
