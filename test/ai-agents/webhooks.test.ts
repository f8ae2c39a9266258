/**
 * The webhook part: one receiver per static WebhookSource with WEBHOOK_SOURCE_NAME, on the
 * API's release tag, its Service and its Ingress path (tier 1 and 2).
 */
import { expect } from "chai";
import { AiAgentsWebhook, buildWebhookConfigMap, buildWebhookDeploymentSpec } from "../../components/ai-agents/webhooks";
import { recordComponents } from "../helpers/record";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { renderPlatform, resolvedPlatform } from "./fixtures";

const STATIC = { webhooks: { provisioning: "static", sources: ["github", "gitlab"] } };

describe("ai-agents webhook receivers", () => {
    it("tell each receiver its WebhookSource", () => {
        expect(buildWebhookConfigMap(resolvedPlatform(STATIC), "github").data).to.deep.equal({
            PORT: "3001",
            LOG_LEVEL: "info",
            WEBHOOK_SOURCE_NAME: "github",
        });
    });

    it("run the webhook image on the API's tag, with a token (it reads its WebhookSource)", () => {
        const pod = (buildWebhookDeploymentSpec(resolvedPlatform({ ...STATIC, image: { tag: "3.1.0" } }), "github", "cm") as any).template.spec;
        expect(pod.containers[0].image).to.equal("ghcr.io/labrats-work/apps.ai-agents/webhook:3.1.0");
        expect(pod).to.include({ serviceAccountName: "ai-agents-webhook-github", automountServiceAccountToken: true });
        expect(pod.containers[0].livenessProbe.httpGet.path).to.equal("/health");
    });

    it("create ConfigMap, Deployment, Service and an Ingress for /api/webhooks/<source>, all schema-valid", async () => {
        const resolved = resolvedPlatform({ ...STATIC, ingress: { enabled: true, host: "agents.{domain}" } });
        const r = await recordComponents(
            (provider) => new AiAgentsWebhook("wh", { resolved, source: "github", platformDomain: "example.com" }, { providers: [provider] }),
        );
        expect(r.objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).to.deep.equal([
            `ConfigMap/${r.object("ConfigMap").metadata.name}`,
            "Deployment/ai-agents-webhook-github",
            "Ingress/ai-agents-webhook-github",
            "Service/ai-agents-webhook-github",
        ]);
        for (const object of r.objects) await validateAgainstSchema(object);
        const rule = (r.object("Ingress") as any).spec.rules[0];
        expect(rule.host).to.equal("agents.example.com");
        expect(rule.http.paths).to.deep.equal([
            { path: "/api/webhooks/github", pathType: "Prefix", backend: { service: { name: "ai-agents-webhook-github", port: { number: 3001 } } } },
        ]);
        expect((r.object("Ingress") as any).metadata.annotations ?? {}).not.to.have.property("traefik.ingress.kubernetes.io/router.middlewares");
    });

    it("are one set per source with static provisioning, and none when the API provisions them", async () => {
        const statics = await renderPlatform(STATIC);
        expect(statics.objects.filter((o) => o.kind === "Deployment").map((o) => o.metadata.name)).to.include.members([
            "ai-agents-webhook-github",
            "ai-agents-webhook-gitlab",
        ]);
        const api = await renderPlatform();
        expect(api.objects.filter((o) => o.metadata.name.startsWith("ai-agents-webhook"))).to.deep.equal([]);
    });
});
