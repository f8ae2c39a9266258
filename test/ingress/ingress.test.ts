/**
 * Ingress building block: the config fragment and the pure resolve/build functions (tier 1),
 * and the component under mocks (tier 2) for Ingress (nginx, Traefik, AKS application
 * routing) and Gateway API HTTPRoute modes. Every rendered object is schema-validated.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { referenceRows, undescribedFields } from "../../components/config/introspect";
import {
    buildControllerAnnotations,
    buildIngressAnnotations,
    gatewayDuration,
    IngressArgs,
    resolveIngressArgs,
    ServiceIngress,
} from "../../components/ingress";
import { IngressConfigInput, ingressConfigSchema, isHostTemplate } from "../../components/ingress/schema";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { recordComponents } from "../helpers/record";

const identity = { name: "fractal-agents-runtime", instance: "agent-runtime", component: "runtime", version: "0.0.3" };

function ingressArgs(block: IngressConfigInput = {}, overrides: Partial<IngressArgs> = {}): IngressArgs {
    return {
        config: ingressConfigSchema.parse({ enabled: true, host: "agent-api.example.com", ...block }),
        identity,
        namespace: "agents",
        backend: { serviceName: "agent-runtime", port: 80 },
        ...overrides,
    };
}

function problems(schema: z.ZodType, value: unknown): string[] {
    const result = schema.safeParse(value);
    expect(result.success, "parse should fail").to.equal(false);
    return result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

const undescribed = undescribedFields;

async function render(args: IngressArgs) {
    const r = await recordComponents((provider) => new ServiceIngress("rt-ingress", args, { providers: [provider] }));
    for (const object of r.objects) await validateAgainstSchema(object);
    return r;
}

describe("ingress config fragment", () => {
    it("defaults: off, an nginx Ingress on / (Prefix), SSE-ready with one-hour timeouts, no TLS", () => {
        const config = ingressConfigSchema.parse({});
        expect(config).to.deep.include({ enabled: false, mode: "ingress", className: "nginx", pathType: "Prefix", maxBodySize: "10m", extraHosts: [] });
        expect(config.paths).to.deep.equal([{ path: "/" }]);
        expect(config.streaming).to.deep.equal({ enabled: true, readTimeoutSeconds: 3600, sendTimeoutSeconds: 3600, connectTimeoutSeconds: 10 });
        expect(config.tls).to.deep.equal({ enabled: false });
    });

    it("reports unknown keys when embedded in a strict service block, at every level", () => {
        const service = z.strictObject({ ingress: ingressConfigSchema.prefault({}) });
        expect(problems(service, { ingress: { hosts: [] } })).to.deep.equal(['ingress: Unrecognized key: "hosts"']);
        expect(problems(service, { ingress: { tls: { isuer: {} } } })).to.deep.equal(['ingress.tls: Unrecognized key: "isuer"']);
        expect(problems(service, { ingress: { extraHosts: [{ host: "a.example.com", pth: "/" }] } })).to.deep.equal([
            'ingress.extraHosts.0: Unrecognized key: "pth"',
        ]);
    });

    it("accepts DNS names, wildcards and {domain} templates; rejects anything else", () => {
        for (const ok of ["ai.example.com", "*.example.com", "ai.{domain}", "*.{domain}", "{domain}", "a-b.c1.example.com"])
            expect(isHostTemplate(ok), ok).to.equal(true);
        for (const bad of [
            "Ai.example.com",
            "ai.{domian}",
            "ai.{domain",
            "10.0.0.1",
            "ai..example.com",
            "foo.*.example.com",
            "-ai.example.com",
            "ai.example.com.",
            "ai example.com",
            "",
        ]) {
            expect(isHostTemplate(bad), bad).to.equal(false);
        }
        expect(problems(ingressConfigSchema, { host: "ai.{domian}" })[0]).to.match(/^host: must be a DNS name/);
    });

    it("needs a host when enabled", () => {
        expect(problems(ingressConfigSchema, { enabled: true })).to.deep.equal(["host: `host` is required when `enabled` is true (e.g. `ai.{domain}`)"]);
    });

    it("paths start with '/', timeouts are positive whole seconds", () => {
        expect(problems(ingressConfigSchema, { paths: [{ path: "api" }] })[0]).to.match(/^paths\.0\.path: must start with '\/'/);
        expect(problems(ingressConfigSchema, { paths: [] })[0]).to.match(/^paths: needs at least one path/);
        expect(problems(ingressConfigSchema, { streaming: { readTimeoutSeconds: 0 } })[0]).to.match(
            /^streaming\.readTimeoutSeconds: must be a positive number of seconds/,
        );
        expect(problems(ingressConfigSchema, { streaming: { sendTimeoutSeconds: -1 } })[0]).to.match(/^streaming\.sendTimeoutSeconds/);
        expect(problems(ingressConfigSchema, { streaming: { connectTimeoutSeconds: 1.5 } })[0]).to.match(/^streaming\.connectTimeoutSeconds/);
        expect(problems(ingressConfigSchema, { maxBodySize: "10 MB" })[0]).to.match(/^maxBodySize: must be a size/);
    });

    it("refuses an issuer without TLS, a duplicate host and a duplicate path", () => {
        expect(problems(ingressConfigSchema, { tls: { issuer: { name: "letsencrypt-prod" } } })[0]).to.match(
            /^tls\.issuer: `tls\.issuer` needs `tls\.enabled: true`/,
        );
        expect(problems(ingressConfigSchema, { host: "ai.{domain}", extraHosts: [{ host: "mcp.{domain}" }, { host: "ai.{domain}" }] })).to.deep.equal([
            "extraHosts.1.host: host 'ai.{domain}' is listed twice",
        ]);
        expect(problems(ingressConfigSchema, { paths: [{ path: "/" }, { path: "/", pathType: "Prefix" }] })).to.deep.equal([
            "paths.1.path: path '/' (Prefix) is listed twice for the same host",
        ]);
    });

    it("asks for `controller` when the class is not one it knows", () => {
        expect(problems(ingressConfigSchema, { className: "nginx-internal" })[0]).to.match(
            /^controller: `className` 'nginx-internal' is not one of nginx, traefik, webapprouting\.kubernetes\.azure\.com/,
        );
        expect(ingressConfigSchema.parse({ className: "nginx-internal", controller: "nginx" }).controller).to.equal("nginx");
        expect(problems(ingressConfigSchema, { className: "constructor" })[0]).to.match(/^controller: /);
    });

    it("gatewayApi: leaves the Gateway to the stack, keeps certificates on the Gateway, and refuses what an HTTPRoute cannot express", () => {
        const gw = { mode: "gatewayApi", enabled: true, host: "ai.example.com" } as const;
        // Without `gateway` the route attaches to the stack's Gateway; the stack-level rule asks for one when there is none.
        expect(ingressConfigSchema.safeParse(gw).success).to.equal(true);
        const withGateway = { ...gw, gateway: { name: "public" } };
        expect(ingressConfigSchema.safeParse({ ...withGateway, tls: { enabled: true } }).success).to.equal(true);
        expect(problems(ingressConfigSchema, { ...withGateway, tls: { enabled: true, secretName: "x-tls" } })).to.deep.equal([
            "tls.secretName: is for `mode: ingress`: with `mode: gatewayApi` the Gateway's listener holds the certificate (allowed: remove it)",
        ]);
        expect(problems(ingressConfigSchema, { ...withGateway, tls: { enabled: true, issuer: { name: "letsencrypt" } } })[0]).to.match(
            /^tls\.issuer: is for `mode: ingress`/,
        );
        expect(problems(ingressConfigSchema, { ...withGateway, defaultBackend: { serviceName: "x", port: 80 } })[0]).to.match(/^defaultBackend: /);
        expect(problems(ingressConfigSchema, { ...withGateway, pathType: "ImplementationSpecific" })[0]).to.match(
            /^pathType: Gateway API has no `ImplementationSpecific`/,
        );
        expect(problems(ingressConfigSchema, { ...withGateway, extraHosts: [{ host: "b.example.com", paths: [{ path: "/a//b" }] }] })[0]).to.match(
            /^extraHosts\.0\.paths\.0\.path: Gateway API paths must not contain/,
        );
        expect(ingressConfigSchema.safeParse(withGateway).success).to.equal(true);
    });

    it("describes every field, including list elements and map values", () => {
        expect(undescribed(ingressConfigSchema, "")).to.deep.equal([]);
    });

    it("docs/ingress.md documents every config key, list elements included", () => {
        const doc = readFileSync(join(__dirname, "..", "..", "docs", "ingress.md"), "utf8");
        const keys = [
            ...referenceRows(ingressConfigSchema)
                .filter((row) => row.type !== "object")
                .map((row) => row.key),
            "paths[].path",
            "paths[].pathType",
            "paths[].backend",
            "extraHosts[].host",
            "extraHosts[].paths",
        ];
        expect(keys.filter((key) => !doc.includes(`| \`${key}\` |`))).to.deep.equal([]);
    });
});

describe("ingress resolve and builders", () => {
    it("fills {domain} templates from the platform domain", () => {
        const resolved = resolveIngressArgs(
            ingressArgs({ host: "ai.{domain}", extraHosts: [{ host: "mcp.{domain}" }, { host: "*.apps.{domain}" }] }, { platformDomain: "seqera.example.org" }),
        );
        expect(resolved.hosts.map((h) => h.host)).to.deep.equal(["ai.seqera.example.org", "mcp.seqera.example.org", "*.apps.seqera.example.org"]);
        expect(resolved.hosts.map((h) => h.slug)).to.deep.equal(["ai", "mcp", "wildcard-apps"]);
    });

    it("a template without a platform domain is an error naming its key", () => {
        const args = ingressArgs({ host: "ai.example.com", extraHosts: [{ host: "mcp.{domain}" }] }, { configPath: "agentBackend.ingress" });
        expect(() => resolveIngressArgs(args)).to.throw(
            "`agentBackend.ingress.extraHosts[0].host` is 'mcp.{domain}', which needs the platform domain for {domain}, but no platform domain is set",
        );
        expect(resolveIngressArgs(ingressArgs({ host: "ai.example.com" })).hosts[0]!.host).to.equal("ai.example.com");
    });

    it("refuses a platform domain that is not a DNS name, and two templates resolving to one host", () => {
        expect(() => resolveIngressArgs(ingressArgs({ host: "ai.{domain}" }, { platformDomain: "Example.com" }))).to.throw(
            /platform domain 'Example.com' is not a DNS name/,
        );
        expect(() =>
            resolveIngressArgs(ingressArgs({ host: "ai.{domain}", extraHosts: [{ host: "ai.example.com" }] }, { platformDomain: "example.com" })),
        ).to.throw(/`ingress\.extraHosts\[0\]\.host` resolves to 'ai\.example\.com', which is already routed/);
    });

    it("derives the controller from the class name", () => {
        expect(resolveIngressArgs(ingressArgs()).controller).to.equal("nginx");
        expect(resolveIngressArgs(ingressArgs({ className: "traefik" })).controller).to.equal("traefik");
        expect(resolveIngressArgs(ingressArgs({ className: "webapprouting.kubernetes.azure.com" })).controller).to.equal("azureAppRouting");
        expect(resolveIngressArgs(ingressArgs({ className: "internal", controller: "other" })).controller).to.equal("other");
    });

    it("nginx: buffering off both ways, read/send timeouts, connect timeout and body size", () => {
        expect(buildControllerAnnotations(ingressConfigSchema.parse({}), "nginx")).to.deep.equal({
            "nginx.ingress.kubernetes.io/proxy-body-size": "10m",
            "nginx.ingress.kubernetes.io/proxy-buffering": "off",
            "nginx.ingress.kubernetes.io/proxy-request-buffering": "off",
            "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
            "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
            "nginx.ingress.kubernetes.io/proxy-connect-timeout": "10",
        });
    });

    it("AKS application routing takes the nginx annotations (it is a managed ingress-nginx)", () => {
        const config = ingressConfigSchema.parse({ streaming: { readTimeoutSeconds: 7200 } });
        expect(buildControllerAnnotations(config, "azureAppRouting")).to.deep.equal(buildControllerAnnotations(config, "nginx"));
        expect(buildControllerAnnotations(config, "azureAppRouting")["nginx.ingress.kubernetes.io/proxy-read-timeout"]).to.equal("7200");
    });

    it("Traefik gets its router settings and no nginx annotations; `other` gets none", () => {
        const config = ingressConfigSchema.parse({
            className: "traefik",
            traefik: { entrypoints: ["websecure"], middlewares: ["authelia-authelia@kubernetescrd"] },
        });
        expect(buildControllerAnnotations(config, "traefik")).to.deep.equal({
            "traefik.ingress.kubernetes.io/router.entrypoints": "websecure",
            "traefik.ingress.kubernetes.io/router.middlewares": "authelia-authelia@kubernetescrd",
        });
        expect(buildControllerAnnotations(config, "other")).to.deep.equal({});
    });

    it("streaming off leaves the controller's buffering and timeouts alone", () => {
        expect(buildControllerAnnotations(ingressConfigSchema.parse({ streaming: { enabled: false } }), "nginx")).to.deep.equal({
            "nginx.ingress.kubernetes.io/proxy-body-size": "10m",
        });
    });

    it("cert-manager: ClusterIssuer or Issuer annotation; the user's annotations override generated ones", () => {
        const cluster = ingressArgs({ tls: { enabled: true, issuer: { name: "letsencrypt-prod" } } });
        expect(buildIngressAnnotations(cluster.config, resolveIngressArgs(cluster))).to.include({ "cert-manager.io/cluster-issuer": "letsencrypt-prod" });
        const namespaced = ingressArgs({
            tls: { enabled: true, issuer: { kind: "Issuer", name: "team-ca" } },
            annotations: { "nginx.ingress.kubernetes.io/proxy-body-size": "50m" },
        });
        const annotations = buildIngressAnnotations(namespaced.config, resolveIngressArgs(namespaced));
        expect(annotations).to.include({ "cert-manager.io/issuer": "team-ca", "nginx.ingress.kubernetes.io/proxy-body-size": "50m" });
        expect(annotations).not.to.have.property("cert-manager.io/cluster-issuer");
    });

    it("writes Gateway API durations in GEP-2257 form", () => {
        expect([3600, 5400, 600, 61, 45, 86400].map(gatewayDuration)).to.deep.equal(["1h", "1h30m", "10m", "1m1s", "45s", "24h"]);
    });
});

describe("ServiceIngress component", () => {
    it("creates nothing when disabled", async () => {
        const r = await render({ ...ingressArgs(), config: ingressConfigSchema.parse({}) });
        expect(r.objects).to.deep.equal([]);
    });

    it("nginx with cert-manager TLS: the Ingress the seed's prod values meant, with 600 s streams", async () => {
        const r = await render(
            ingressArgs({
                tls: { enabled: true, secretName: "fractal-agents-runtime-prod-tls", issuer: { name: "letsencrypt-prod" } },
                streaming: { readTimeoutSeconds: 600, sendTimeoutSeconds: 600 },
            }),
        );
        const ingress: any = r.object("Ingress");
        expect(ingress.apiVersion).to.equal("networking.k8s.io/v1");
        expect(ingress.metadata).to.deep.include({ name: "agent-runtime", namespace: "agents" });
        expect(ingress.metadata.labels).to.include({ "app.kubernetes.io/name": "fractal-agents-runtime", "app.kubernetes.io/instance": "agent-runtime" });
        expect(ingress.metadata.annotations).to.deep.equal({
            "cert-manager.io/cluster-issuer": "letsencrypt-prod",
            "nginx.ingress.kubernetes.io/proxy-body-size": "10m",
            "nginx.ingress.kubernetes.io/proxy-buffering": "off",
            "nginx.ingress.kubernetes.io/proxy-request-buffering": "off",
            "nginx.ingress.kubernetes.io/proxy-read-timeout": "600",
            "nginx.ingress.kubernetes.io/proxy-send-timeout": "600",
            "nginx.ingress.kubernetes.io/proxy-connect-timeout": "10",
        });
        expect(ingress.spec).to.deep.equal({
            ingressClassName: "nginx",
            tls: [{ hosts: ["agent-api.example.com"], secretName: "fractal-agents-runtime-prod-tls" }],
            rules: [
                {
                    host: "agent-api.example.com",
                    http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "agent-runtime", port: { number: 80 } } } }] },
                },
            ],
        });
    });

    it("Seqera-style: templated ai/mcp hosts, extra paths to another backend, default backend, one TLS entry for every host", async () => {
        const r = await render(
            ingressArgs(
                {
                    host: "ai.{domain}",
                    pathType: "ImplementationSpecific",
                    extraHosts: [{ host: "mcp.{domain}", paths: [{ path: "/mcp", pathType: "Prefix", backend: { serviceName: "seqera-mcp", port: 8080 } }] }],
                    defaultBackend: { serviceName: "default-http-backend", port: 80 },
                    tls: { enabled: true },
                    labels: { team: "ai" },
                    className: "webapprouting.kubernetes.azure.com",
                },
                { platformDomain: "example.com", backend: { serviceName: "agent-backend", port: 80 } },
            ),
        );
        const ingress: any = r.object("Ingress");
        expect(ingress.metadata.labels).to.include({ team: "ai" });
        expect(ingress.metadata.annotations["nginx.ingress.kubernetes.io/proxy-buffering"]).to.equal("off");
        expect(ingress.spec.ingressClassName).to.equal("webapprouting.kubernetes.azure.com");
        expect(ingress.spec.defaultBackend).to.deep.equal({ service: { name: "default-http-backend", port: { number: 80 } } });
        expect(ingress.spec.tls).to.deep.equal([{ hosts: ["ai.example.com", "mcp.example.com"], secretName: "agent-runtime-tls" }]);
        expect(ingress.spec.rules).to.deep.equal([
            {
                host: "ai.example.com",
                http: { paths: [{ path: "/", pathType: "ImplementationSpecific", backend: { service: { name: "agent-backend", port: { number: 80 } } } }] },
            },
            {
                host: "mcp.example.com",
                http: { paths: [{ path: "/mcp", pathType: "Prefix", backend: { service: { name: "seqera-mcp", port: { number: 8080 } } } }] },
            },
        ]);
    });

    it("Traefik: the Ingress carries router annotations and no nginx ones", async () => {
        const r = await render(ingressArgs({ className: "traefik", traefik: { middlewares: ["authelia-authelia@kubernetescrd"] } }));
        const annotations = r.object("Ingress").metadata.annotations!;
        expect(annotations).to.deep.equal({ "traefik.ingress.kubernetes.io/router.middlewares": "authelia-authelia@kubernetescrd" });
    });

    it("gatewayApi: an HTTPRoute attached to the named Gateway listener, with the stream timeout, and no Ingress", async () => {
        const r = await render(
            ingressArgs(
                {
                    mode: "gatewayApi",
                    host: "ai.{domain}",
                    extraHosts: [{ host: "api.{domain}" }],
                    gateway: { name: "public", namespace: "gateways", sectionName: "https" },
                },
                { platformDomain: "example.com" },
            ),
        );
        expect(r.objects.map((o) => o.kind)).to.deep.equal(["HTTPRoute"]);
        const route: any = r.object("HTTPRoute");
        expect(route.apiVersion).to.equal("gateway.networking.k8s.io/v1");
        expect(route.metadata).to.deep.include({ name: "agent-runtime", namespace: "agents" });
        expect(route.spec).to.deep.equal({
            parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "public", namespace: "gateways", sectionName: "https" }],
            hostnames: ["ai.example.com", "api.example.com"],
            rules: [
                {
                    matches: [{ path: { type: "PathPrefix", value: "/" } }],
                    backendRefs: [{ group: "", kind: "Service", name: "agent-runtime", port: 80 }],
                    timeouts: { request: "1h", backendRequest: "1h" },
                },
            ],
        });
    });

    it("gatewayApi: a host with its own paths gets its own route; one rule per backend", async () => {
        const r = await render(
            ingressArgs(
                {
                    mode: "gatewayApi",
                    host: "ai.{domain}",
                    paths: [{ path: "/" }, { path: "/health", pathType: "Exact" }, { path: "/mcp", backend: { serviceName: "seqera-mcp", port: 8080 } }],
                    extraHosts: [{ host: "mcp.{domain}", paths: [{ path: "/", backend: { serviceName: "seqera-mcp", port: 8080 } }] }],
                    gateway: { name: "public" },
                    streaming: { enabled: false },
                },
                { platformDomain: "example.com" },
            ),
        );
        const main: any = r.object("HTTPRoute", "agent-runtime");
        expect(main.spec.hostnames).to.deep.equal(["ai.example.com"]);
        expect(main.spec.parentRefs).to.deep.equal([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "public" }]);
        expect(main.spec.rules).to.deep.equal([
            {
                matches: [{ path: { type: "PathPrefix", value: "/" } }, { path: { type: "Exact", value: "/health" } }],
                backendRefs: [{ group: "", kind: "Service", name: "agent-runtime", port: 80 }],
            },
            { matches: [{ path: { type: "PathPrefix", value: "/mcp" } }], backendRefs: [{ group: "", kind: "Service", name: "seqera-mcp", port: 8080 }] },
        ]);
        const mcp: any = r.object("HTTPRoute", "agent-runtime-mcp");
        expect(mcp.spec.hostnames).to.deep.equal(["mcp.example.com"]);
        expect(
            r.recording.resources
                .filter((x) => x.type.startsWith("kubernetes:"))
                .map((x) => x.name)
                .sort(),
        ).to.deep.equal(["rt-ingress-httproute", "rt-ingress-httproute-mcp"]);
    });

    it("children are named after the component, parented to it and use the provider", async () => {
        const r = await render(ingressArgs());
        const component = r.recording.resources.find((x) => x.type === "agent-platform:ingress:ServiceIngress")!;
        const children = r.recording.resources.filter((x) => x.type.startsWith("kubernetes:"));
        expect(children.map((c) => c.name)).to.deep.equal(["rt-ingress-ingress"]);
        for (const child of children) {
            expect(child.parent).to.equal(component.urn);
            expect(child.provider).to.match(/::test-k8s::/);
        }
    });

    it("fails before creating anything when a template has no domain", async () => {
        let error: Error | undefined;
        try {
            await recordComponents((provider) => new ServiceIngress("i", ingressArgs({ host: "ai.{domain}" }), { providers: [provider] }));
        } catch (err) {
            error = err as Error;
        }
        expect(error?.message).to.contain("`ingress.host` is 'ai.{domain}', which needs the platform domain");
    });
});

describe("ServiceIngress URLs", () => {
    it("gives https URLs with TLS and http URLs without, one per host", async () => {
        let plain: ServiceIngress | undefined;
        let secure: ServiceIngress | undefined;
        await recordComponents((provider) => {
            plain = new ServiceIngress("plain", ingressArgs({ extraHosts: [{ host: "mcp.example.com" }] }), { providers: [provider] });
            secure = new ServiceIngress("secure", ingressArgs({ tls: { enabled: true } }, { objectName: "secure" }), { providers: [provider] });
        });
        expect(plain!.urls).to.deep.equal(["http://agent-api.example.com", "http://mcp.example.com"]);
        expect(secure!.urls).to.deep.equal(["https://agent-api.example.com"]);
    });
});
