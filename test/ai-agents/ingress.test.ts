/**
 * The split ingress: the public paths without auth, the protected ones behind the Traefik
 * forward-auth middleware, one certificate for the host (tier 1); both Ingresses under mocks,
 * schema-valid (tier 2).
 */
import { expect } from "chai";
import { AiAgentsIngress, platformIngressConfig, protectedRoutes, publicRoutes } from "../../components/ai-agents/ingress";
import { recordComponents } from "../helpers/record";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { aiAgentsBlock } from "../../components/ai-agents/schema";
import { ENABLED_BLOCK, merge, resolvedPlatform } from "./fixtures";

const INGRESS = {
    ingress: { enabled: true, host: "agents.{domain}", entrypoints: ["websecure"], tls: { enabled: true, issuer: { name: "letsencrypt-prod" } } },
};
const MIDDLEWARE = "traefik.ingress.kubernetes.io/router.middlewares";

async function ingresses(overrides: Record<string, unknown> = {}) {
    const resolved = resolvedPlatform({ ...INGRESS, ...overrides });
    const r = await recordComponents((provider) => {
        new AiAgentsIngress("ingress", { resolved, platformDomain: "example.com" }, { providers: [provider] });
    });
    for (const object of r.objects) await validateAgainstSchema(object);
    return { public: r.object("Ingress", "ai-agents-public") as any, protected: r.object("Ingress", "ai-agents-protected") as any };
}

const routes = (ingress: any) => ingress.spec.rules[0].http.paths.map((p: any) => `${p.path} -> ${p.backend.service.name}:${p.backend.service.port.number}`);

describe("ai-agents ingress: routes", () => {
    it("sends the seed's public paths to the API", () => {
        expect(publicRoutes(resolvedPlatform(INGRESS)).map((r) => `${r.path} -> ${r.serviceName}:${r.port}`)).to.deep.equal([
            "/api/jobs/submit -> ai-agents-api:3001",
            "/api/events/ingest -> ai-agents-api:3001",
            "/api/webhooks -> ai-agents-api:3001",
            "/health -> ai-agents-api:3001",
            "/ready -> ai-agents-api:3001",
            "/metrics -> ai-agents-api:3001",
        ]);
    });

    it("keeps /metrics in-cluster when public metrics are off", () => {
        expect(publicRoutes(resolvedPlatform({ ingress: { ...INGRESS.ingress, publicMetrics: false } })).map((r) => r.path)).not.to.include("/metrics");
    });

    it("sends /api to the API and everything else to the App behind auth", () => {
        expect(protectedRoutes(resolvedPlatform(INGRESS)).map((r) => `${r.path} -> ${r.serviceName}:${r.port}`)).to.deep.equal([
            "/api -> ai-agents-api:3001",
            "/ -> ai-agents-app:3000",
        ]);
    });

    it("builds a valid ingress-block config with the middleware only when authenticated", () => {
        const resolved = resolvedPlatform(INGRESS);
        const routes = protectedRoutes(resolved);
        expect(platformIngressConfig(resolved, routes, { authenticated: true }).traefik.middlewares).to.deep.equal(["authelia-authelia@kubernetescrd"]);
        expect(platformIngressConfig(resolved, routes, { authenticated: false }).traefik.middlewares).to.deep.equal([]);
    });
});

describe("AiAgentsIngress component", () => {
    it("protects the App and API on ingress-nginx with the auth-url annotations instead of the middleware", async () => {
        const nginx = {
            className: "nginx",
            nginxAuth: { url: "http://authelia.authelia.svc.cluster.local/api/authz/auth-request", signinUrl: "https://auth.example.com/" },
        };
        const { public: pub, protected: prot } = await ingresses({ ingress: { ...INGRESS.ingress, entrypoints: [], ...nginx } });
        expect(prot.metadata.annotations).to.include({
            "nginx.ingress.kubernetes.io/auth-method": "GET",
            "nginx.ingress.kubernetes.io/auth-url": "http://authelia.authelia.svc.cluster.local/api/authz/auth-request",
            "nginx.ingress.kubernetes.io/auth-signin": "https://auth.example.com/",
            "nginx.ingress.kubernetes.io/auth-response-headers": "Remote-User,Remote-Name,Remote-Groups,Remote-Email",
        });
        expect(prot.metadata.annotations).not.to.have.property(MIDDLEWARE);
        expect(Object.keys(pub.metadata.annotations).filter((key) => key.includes("/auth-"))).to.deep.equal([]);
    });

    it("refuses, in code, a protected Ingress it cannot protect", () => {
        const resolved = resolvedPlatform(INGRESS);
        const unprotected = { ...resolved, config: { ...resolved.config, ingress: { ...resolved.config.ingress, className: "nginx" } } };
        expect(() => platformIngressConfig(unprotected, protectedRoutes(unprotected), { authenticated: true })).to.throw(
            /needs forward auth: class 'nginx' is not Traefik/,
        );
    });

    it("serves both Ingresses on the resolved host with the Traefik class and entrypoints", async () => {
        const { public: pub, protected: prot } = await ingresses();
        for (const ingress of [pub, prot]) {
            expect(ingress.spec.ingressClassName).to.equal("traefik");
            expect(ingress.spec.rules.map((r: any) => r.host)).to.deep.equal(["agents.example.com"]);
            expect(ingress.metadata.annotations["traefik.ingress.kubernetes.io/router.entrypoints"]).to.equal("websecure");
        }
        expect(routes(pub)).to.have.length(6);
        expect(routes(prot)).to.deep.equal(["/api -> ai-agents-api:3001", "/ -> ai-agents-app:3000"]);
    });

    it("puts the Authelia forward-auth middleware on the protected Ingress only", async () => {
        const { public: pub, protected: prot } = await ingresses();
        expect(prot.metadata.annotations[MIDDLEWARE]).to.equal("authelia-authelia@kubernetescrd");
        expect(pub.metadata.annotations).not.to.have.property(MIDDLEWARE);
    });

    it("takes another middleware reference from the config", async () => {
        const { protected: prot } = await ingresses({ ingress: { ...INGRESS.ingress, authMiddleware: "auth-forward@kubernetescrd" } });
        expect(prot.metadata.annotations[MIDDLEWARE]).to.equal("auth-forward@kubernetescrd");
    });

    it("shares one TLS Secret and lets only the protected Ingress request the certificate", async () => {
        const { public: pub, protected: prot } = await ingresses();
        expect(pub.spec.tls).to.deep.equal([{ hosts: ["agents.example.com"], secretName: "ai-agents-tls" }]);
        expect(prot.spec.tls).to.deep.equal(pub.spec.tls);
        expect(prot.metadata.annotations["cert-manager.io/cluster-issuer"]).to.equal("letsencrypt-prod");
        expect(pub.metadata.annotations).not.to.have.property("cert-manager.io/cluster-issuer");
    });
});

describe("AiAgentsIngress on Gateway API (the stack's Traefik Gateway)", () => {
    const GATEWAY = {
        ingress: {
            enabled: true,
            mode: "gatewayApi",
            host: "agents.{domain}",
            gateway: { name: "public", namespace: "traefik" },
            tls: { enabled: true },
            forwardAuth: { url: "http://authelia.authelia.svc.cluster.local/api/authz/forward-auth" },
        },
    };

    async function routes() {
        const resolved = resolvedPlatform(GATEWAY);
        const r = await recordComponents((provider) => {
            new AiAgentsIngress("ingress", { resolved, platformDomain: "example.com" }, { providers: [provider] });
        });
        for (const object of r.objects) await validateAgainstSchema(object);
        return r;
    }

    it("routes the public paths without auth and the protected ones through a forward-auth Middleware in the route's namespace", async () => {
        const r = await routes();
        expect(r.objects.filter((o) => o.kind === "Ingress")).to.deep.equal([]);
        const pub = r.object("HTTPRoute", "ai-agents-public") as any;
        const prot = r.object("HTTPRoute", "ai-agents-protected") as any;
        const middleware = r.object("Middleware", "ai-agents-forward-auth") as any;
        expect(middleware.metadata.namespace).to.equal(prot.metadata.namespace);
        expect(middleware.spec.forwardAuth).to.deep.include({
            address: "http://authelia.authelia.svc.cluster.local/api/authz/forward-auth",
            trustForwardHeader: true,
        });
        for (const rule of prot.spec.rules) {
            expect(rule.filters).to.deep.equal([
                { type: "ExtensionRef", extensionRef: { group: "traefik.io", kind: "Middleware", name: "ai-agents-forward-auth" } },
            ]);
        }
        expect(pub.spec.rules.every((rule: any) => rule.filters === undefined)).to.equal(true);
        for (const route of [pub, prot]) {
            expect(route.spec.hostnames).to.deep.equal(["agents.example.com"]);
            expect(route.spec.parentRefs).to.deep.equal([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "public", namespace: "traefik" }]);
        }
        // Gateway API picks the longest matching prefix across routes: the public paths are longer than /api.
        const publicPaths = pub.spec.rules.flatMap((rule: any) => rule.matches.map((m: any) => m.path.value));
        expect(publicPaths).to.include.members(["/api/jobs/submit", "/api/webhooks", "/health"]);
    });

    it("creates the protected route only after its Middleware, so it is never served unprotected", async () => {
        const r = await routes();
        const middleware = r.recording.resources.find((x) => x.type === "kubernetes:traefik.io/v1alpha1:Middleware")!;
        const prot = r.recording.resources.find(
            (x) => x.type === "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute" && (x.inputs as any).metadata.name === "ai-agents-protected",
        )!;
        const protectedComponent = r.recording.resources.find((x) => x.urn === prot.parent)!;
        expect(protectedComponent.dependsOn).to.include(middleware.urn);
    });

    it("refuses gatewayApi without forward auth, and the Ingress-only TLS settings", () => {
        expect(aiAgentsBlockProblems({ ingress: { ...GATEWAY.ingress, forwardAuth: undefined } })).to.include("ingress.forwardAuth");
        expect(aiAgentsBlockProblems({ ingress: { ...GATEWAY.ingress, tls: { enabled: true, issuer: { name: "letsencrypt" } } } })).to.include(
            "ingress.tls.issuer",
        );
        expect(aiAgentsBlockProblems({ ingress: { ...GATEWAY.ingress, nginxAuth: { url: "http://authelia/api/authz/auth-request" } } })).to.include(
            "ingress.nginxAuth",
        );
        expect(aiAgentsBlockProblems({ ingress: { ...INGRESS.ingress, forwardAuth: GATEWAY.ingress.forwardAuth } })).to.include("ingress.forwardAuth");
    });
});

/** The key paths an ai-agents block is refused at. */
function aiAgentsBlockProblems(overrides: Record<string, unknown>): string[] {
    const result = aiAgentsBlock.safeParse(merge(ENABLED_BLOCK, overrides));
    return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
}
