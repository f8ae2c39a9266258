import { expect } from "chai";
import type { InstalledChart } from "../../../tools/readiness/charts";
import { routingFindings } from "../../../tools/readiness/routing";
import { container, deployment, facts, namespace, object } from "./fixtures";

const NS = "apps";
const app = deployment("web", NS, { containers: [container("web", { ports: [{ name: "http", containerPort: 8080 }] })] }, { app: "web" });
const service = (targetPort: number | string = "http", selector: Record<string, string> = { app: "web" }) =>
    object("v1", "Service", "web", NS, { spec: { selector, ports: [{ name: "http", port: 80, targetPort }] } });
const ingress = (className: string, annotations: Record<string, string> = {}) => ({
    ...object("networking.k8s.io/v1", "Ingress", "web", NS, {
        spec: {
            ingressClassName: className,
            rules: [
                { host: "web.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } },
            ],
        },
    }),
    metadata: { name: "web", namespace: NS, annotations },
});
const traefik: InstalledChart = { chart: "traefik", urn: "urn:chart", crdGroups: ["traefik.io"], ingressClasses: ["traefik"], gatewayClasses: ["traefik"] };

const gateway = (from = "All", hostname = "*.example.com") =>
    object("gateway.networking.k8s.io/v1", "Gateway", "shared", "gateway", {
        spec: {
            gatewayClassName: "traefik",
            listeners: [
                {
                    name: "https",
                    protocol: "HTTPS",
                    port: 443,
                    hostname,
                    allowedRoutes: { namespaces: { from } },
                    tls: { certificateRefs: [{ name: "shared-tls" }] },
                },
            ],
        },
    });
const route = (parent: Record<string, unknown>, hostnames = ["web.example.com"]) =>
    object("gateway.networking.k8s.io/v1", "HTTPRoute", "web", NS, {
        spec: { parentRefs: [parent], hostnames, rules: [{ backendRefs: [{ name: "web", port: 80 }] }] },
    });

describe("readiness rule routing", () => {
    it("reports an Ingress class no controller serves, and accepts one a chart installs or the config declares", () => {
        const objects = [namespace(NS), app, service(), ingress("nginx")];
        expect(routingFindings(objects, [], facts()).map((f) => f.message)).to.deep.equal([
            "its class nginx is served by no controller the stack installs or `preinstalled.ingressClasses` declares; it never gets an address and `pulumi up` fails after waiting 10 minutes for its load balancer.",
        ]);
        expect(routingFindings([namespace(NS), app, service(), ingress("traefik")], [traefik], facts())).to.deep.equal([]);
        const declared = facts();
        declared.declared.ingressClasses.push("nginx");
        expect(routingFindings(objects, [], declared)).to.deep.equal([]);
    });

    it("does not accept a declared class on a cluster the stack creates", () => {
        const aks = facts({ clusterCreatedByStack: true });
        aks.declared.ingressClasses.push("nginx");
        expect(routingFindings([namespace(NS), app, service(), ingress("nginx")], [], aks)).to.have.length(1);
    });

    it("reports an issuer named in a cert-manager annotation that nothing creates", () => {
        const objects = [namespace(NS), app, service(), ingress("traefik", { "cert-manager.io/cluster-issuer": "letsencrypt" })];
        expect(routingFindings(objects, [traefik], facts()).map((f) => f.message)).to.deep.equal([
            "its cert-manager annotation names ClusterIssuer letsencrypt, which the stack does not create and `preinstalled.issuers` does not declare; no certificate is issued and TLS fails.",
        ]);
        const withIssuer = [...objects, object("cert-manager.io/v1", "ClusterIssuer", "letsencrypt", undefined, { spec: { acme: {} } })];
        expect(routingFindings(withIssuer, [traefik], facts())).to.deep.equal([]);
    });

    it("reports a routed Service that selects no pod, or whose named targetPort no container declares", () => {
        expect(routingFindings([namespace(NS), app, service("http", { app: "other" }), ingress("traefik")], [traefik], facts())[0]!.message).to.contain(
            "matches no pod",
        );
        const wrongPort = routingFindings([namespace(NS), app, service("metrics"), ingress("traefik")], [traefik], facts());
        expect(wrongPort.map((f) => [f.severity, f.message.includes("no endpoints")])).to.deep.equal([["error", true]]);
        const numeric = routingFindings([namespace(NS), app, service(9090), ingress("traefik")], [traefik], facts());
        expect(numeric.map((f) => f.severity)).to.deep.equal(["warning"]);
    });

    it("attaches an HTTPRoute only to a rendered Gateway whose listener accepts its namespace and host", () => {
        const base = [namespace(NS), namespace("gateway"), app, service()];
        const parent = { name: "shared", namespace: "gateway", sectionName: "https" };
        expect(routingFindings([...base, gateway(), route(parent)], [traefik], facts())).to.deep.equal([
            {
                severity: "error",
                rule: "routing",
                object: "Gateway/gateway/shared",
                message:
                    "listener https serves the certificate in Secret gateway/shared-tls, which nothing creates (no cert-manager annotation on the Gateway, no Certificate, no Secret); HTTPS fails.",
            },
        ]);
        expect(routingFindings([...base, route(parent)], [traefik], facts())[0]!.message).to.contain("parent Gateway gateway/shared is not rendered");
        expect(routingFindings([...base, gateway("Same"), route(parent)], [traefik], facts()).map((f) => f.object)).to.include("HTTPRoute/apps/web");
        expect(routingFindings([...base, gateway("All", "*.other.org"), route(parent)], [traefik], facts()).map((f) => f.object)).to.include(
            "HTTPRoute/apps/web",
        );
        expect(
            routingFindings([...base, gateway(), route({ ...parent, sectionName: "http" })], [traefik], facts())
                .map((f) => f.message)
                .join(),
        ).to.contain("no such listener");
    });

    it("reports a Gateway whose class no controller serves", () => {
        const findings = routingFindings([namespace("gateway"), gateway()], [], facts());
        expect(findings.map((f) => f.message).join("\n")).to.contain("GatewayClass traefik is served by no controller");
    });
});
