/**
 * The App part (Next.js): port 3000, no API token, writable /tmp and Next.js cache only,
 * extra plain env (tier 1); Deployment and Service under mocks, schema-valid (tier 2).
 */
import { expect } from "chai";
import { AiAgentsApp, buildAppDeploymentSpec } from "../../components/ai-agents/app";
import { recordComponents } from "../helpers/record";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { resolvedPlatform } from "./fixtures";

describe("ai-agents App", () => {
    it("runs the App image on port 3000 with PORT and the extra env", () => {
        const spec: any = buildAppDeploymentSpec(resolvedPlatform({ app: { env: { NEXT_PUBLIC_TITLE: "Agents" } } }));
        const container = spec.template.spec.containers[0];
        expect(container.image).to.equal("ghcr.io/labrats-work/apps.ai-agents/app:1.4.2");
        expect(container.ports).to.deep.equal([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
        expect(container.env).to.deep.equal([
            { name: "PORT", value: "3000" },
            { name: "NEXT_PUBLIC_TITLE", value: "Agents" },
        ]);
    });

    it("never mounts an API token and writes only /tmp and the Next.js cache", () => {
        const pod = (buildAppDeploymentSpec(resolvedPlatform()) as any).template.spec;
        expect(pod).to.include({ serviceAccountName: "ai-agents-app", automountServiceAccountToken: false });
        expect(pod.containers[0].volumeMounts).to.deep.equal([
            { name: "tmp", mountPath: "/tmp" },
            { name: "next-cache", mountPath: "/app/.next/cache" },
        ]);
        expect(pod.volumes.every((v: any) => v.emptyDir)).to.equal(true);
    });

    it("probes /health and /ready like every process", () => {
        const container = (buildAppDeploymentSpec(resolvedPlatform()) as any).template.spec.containers[0];
        expect([container.livenessProbe.httpGet.path, container.readinessProbe.httpGet.path]).to.deep.equal(["/health", "/ready"]);
    });

    it("creates a schema-valid Deployment and a Service on port 3000", async () => {
        const resolved = resolvedPlatform({ app: { replicas: 3 } });
        const r = await recordComponents((provider) => new AiAgentsApp("app", { resolved }, { providers: [provider] }));
        for (const object of r.objects) await validateAgainstSchema(object);
        expect((r.object("Deployment", "ai-agents-app") as any).spec.replicas).to.equal(3);
        expect((r.object("Service", "ai-agents-app") as any).spec).to.deep.include({
            selector: { "app.kubernetes.io/name": "ai-agents", "app.kubernetes.io/instance": "ai-agents-app" },
            ports: [{ name: "http", port: 3000, targetPort: "http", protocol: "TCP" }],
        });
    });
});
