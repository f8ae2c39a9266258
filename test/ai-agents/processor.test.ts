/**
 * The processor part: operator only, its own ConfigMap (what launching executor Jobs needs),
 * independent replicas, the workspace mounted (tier 1); under mocks, schema-valid (tier 2).
 */
import { expect } from "chai";
import { AiAgentsProcessor, buildProcessorConfigMap, buildProcessorDeploymentSpec } from "../../components/ai-agents/processor";
import { recordComponents } from "../helpers/record";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { resolvedPlatform } from "./fixtures";

describe("ai-agents processor", () => {
    const resolved = resolvedPlatform({ processor: { enabled: true, replicas: 3 } });

    it("reads only its rows of the env table", () => {
        expect(buildProcessorConfigMap(resolved).data).to.deep.equal({
            PORT: "3001",
            LOG_LEVEL: "info",
            WORKER_CONCURRENCY: "5",
            UPLOADS_DIR: "/workspace/uploads",
            UPLOADS_PVC_NAME: "ai-agents-uploads",
            EXECUTOR_IMAGE: "ghcr.io/labrats-work/apps.ai-agents/executor-claude:1.4.2",
            EXECUTOR_SERVICE_ACCOUNT: "ai-agents-executor",
        });
    });

    it("scales on its own, runs its image with a token, and mounts the workspace", () => {
        const spec: any = buildProcessorDeploymentSpec(resolved, "cm");
        const pod = spec.template.spec;
        expect(spec.replicas).to.equal(3);
        expect(pod.containers[0].image).to.equal("ghcr.io/labrats-work/apps.ai-agents/processor:1.4.2");
        expect(pod).to.include({ serviceAccountName: "ai-agents-processor", automountServiceAccountToken: true });
        expect(pod.containers[0].volumeMounts.map((m: any) => m.mountPath)).to.deep.equal(["/tmp", "/workspace", "/workspace/uploads"]);
        expect(pod.containers[0].readinessProbe.httpGet.path).to.equal("/ready");
    });

    it("creates its ConfigMap and a schema-valid Deployment, and no Service (nothing calls it)", async () => {
        const r = await recordComponents((provider) => new AiAgentsProcessor("processor", { resolved }, { providers: [provider] }));
        expect(r.objects.map((o) => o.kind).sort()).to.deep.equal(["ConfigMap", "Deployment"]);
        for (const object of r.objects) await validateAgainstSchema(object);
    });
});
