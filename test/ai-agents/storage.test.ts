/**
 * Storage: the workspace, uploads and models-cache claims (tier 1) and the component under
 * mocks, schema-valid (tier 2).
 */
import { expect } from "chai";
import { AiAgentsStorage, buildClaimSpec, claimSpecs } from "../../components/ai-agents/storage";
import { recordComponents } from "../helpers/record";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { resolvedPlatform } from "./fixtures";

describe("ai-agents storage", () => {
    it("shares the workspace and uploads ReadWriteMany by default", () => {
        expect(claimSpecs(resolvedPlatform())).to.deep.equal([
            { role: "workspace", claimName: "ai-agents-workspace", size: "20Gi", accessMode: "ReadWriteMany" },
            { role: "uploads", claimName: "ai-agents-uploads", size: "10Gi", accessMode: "ReadWriteMany" },
        ]);
    });

    it("uses ReadWriteOnce and the StorageClass when a single-replica stack asks for them", () => {
        const [workspace] = claimSpecs(
            resolvedPlatform({ storage: { workspace: { accessMode: "ReadWriteOnce", storageClassName: "longhorn", size: "5Gi" } } }),
        );
        expect(buildClaimSpec(workspace!)).to.deep.equal({
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: "5Gi" } },
            storageClassName: "longhorn",
        });
    });

    it("adds the models cache under its configured name, and drops uploads when turned off", () => {
        const claims = claimSpecs(resolvedPlatform({ storage: { uploads: { enabled: false }, modelsCache: { enabled: true } } }));
        expect(claims.map((c) => c.claimName)).to.deep.equal(["ai-agents-workspace", "models-cache"]);
    });

    it("creates schema-valid claims in the platform's namespace", async () => {
        const resolved = resolvedPlatform({ storage: { modelsCache: { enabled: true } } });
        const r = await recordComponents((provider) => new AiAgentsStorage("storage", { resolved }, { providers: [provider] }));
        expect(r.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).to.have.members([
            "PersistentVolumeClaim/ai-agents/ai-agents-workspace",
            "PersistentVolumeClaim/ai-agents/ai-agents-uploads",
            "PersistentVolumeClaim/ai-agents/models-cache",
        ]);
        for (const object of r.objects) await validateAgainstSchema(object);
    });
});
