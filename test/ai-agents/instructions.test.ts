/**
 * The shipped AiInstructions: the data files match the seed's table, each object is valid
 * against the AiInstruction CRD's own schema (and its CEL rule), the loader refuses bad files
 * (tier 1); the component under mocks waits for the CRD (tier 2).
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { AI_INSTRUCTION_RULE, AiAgentsCrds, buildCrd, CRD_DEFINITIONS } from "../../components/ai-agents/crds";
import { AiAgentsInstructions, buildInstructions, INSTRUCTIONS_DIR, loadInstructions } from "../../components/ai-agents/instructions";
import { AppIdentity } from "../../components/pod";
import { SHIPPED_INSTRUCTIONS } from "../../components/ai-agents/schema";
import { recordComponents } from "../helpers/record";
import { customResourceValidator } from "./crd-schema";

const IDENTITY: AppIdentity = { name: "ai-agents", instance: "ai-agents", component: "instructions", version: "1.4.2" };
const instructionCrd = buildCrd(
    CRD_DEFINITIONS.find((d) => d.kind === "AiInstruction")!,
    IDENTITY,
);

/** The CRD's CEL rule, in TypeScript: `self.type == 'global' ? has(self.priority) : has(self.targetRoles)`. */
const satisfiesRule = (spec: { type: string; priority?: number; targetRoles?: string[] }) =>
    spec.type === "global" ? spec.priority !== undefined : spec.targetRoles !== undefined;

describe("shipped AiInstructions", () => {
    const instructions = loadInstructions();

    it("are the seed's 14, in its order", () => {
        expect(instructions.map((i) => i.metadata.name)).to.deep.equal([...SHIPPED_INSTRUCTIONS]);
    });

    it("give the global ones the seed's priorities and focus", () => {
        const globals = instructions.filter((i) => i.spec.type === "global").map((i) => [i.metadata.name, i.spec.priority, i.spec.focus]);
        expect(globals).to.deep.equal([
            ["global-code-quality", 10, "Naming, clean code, TS patterns"],
            ["global-commit-format", 20, "Commit conventions"],
            ["global-security", 30, "Security best practices"],
            ["global-documentation", 40, "Documentation requirements"],
            ["global-testing", 50, "Testing standards"],
            ["global-repo-compliance", 60, "Repository structure"],
        ]);
    });

    it("target the local ones at the seed's roles", () => {
        const locals = Object.fromEntries(instructions.filter((i) => i.spec.type === "local").map((i) => [i.metadata.name, i.spec.targetRoles]));
        expect(locals).to.deep.equal({
            "local-developer-workflow": ["developer", "codex-developer"],
            "local-reviewer-checklist": ["reviewer", "codex-reviewer"],
            "local-docs-standards": ["docs"],
            "local-architect-design": ["architect"],
            "local-ops-runbook": ["ops"],
            "local-security-audit": ["security"],
            "local-triage-process": ["triage"],
            "local-testing-strategy": ["testing"],
        });
    });

    it("are valid against the AiInstruction CRD's schema and satisfy its CEL rule", () => {
        const validate = customResourceValidator(instructionCrd);
        for (const object of buildInstructions(instructions, { namespace: "ai-agents", identity: IDENTITY, exclude: [] })) {
            expect(validate(object), object.metadata.name).to.deep.equal([]);
            expect(satisfiesRule(object.spec), object.metadata.name).to.equal(true);
        }
    });

    it("mirror the CRD's CEL rule exactly (the rule a test checks is the rule the CRD carries)", () => {
        expect(AI_INSTRUCTION_RULE).to.equal("self.type == 'global' ? has(self.priority) : has(self.targetRoles)");
        expect(satisfiesRule({ type: "global" })).to.equal(false);
        expect(satisfiesRule({ type: "local", priority: 1 })).to.equal(false);
    });

    it("are created in the platform's namespace with its labels, minus the excluded", () => {
        const objects = buildInstructions(instructions, { namespace: "ai-agents", identity: IDENTITY, exclude: ["global-testing", "local-ops-runbook"] });
        expect(objects).to.have.length(12);
        expect(objects.map((o) => o.metadata.name)).not.to.include.members(["global-testing", "local-ops-runbook"]);
        expect(objects[0]!.metadata).to.deep.include({ namespace: "ai-agents" });
        expect(objects[0]!.metadata.labels).to.include({ "app.kubernetes.io/name": "ai-agents", "app.kubernetes.io/component": "instructions" });
    });
});

describe("instruction loader", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "instructions-"));
        for (const object of loadInstructions()) writeFileSync(join(dir, `${object.metadata.name}.yaml`), stringify(object));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("reads the same objects from a copy of the data directory", () => {
        expect(loadInstructions(dir)).to.deep.equal(loadInstructions(INSTRUCTIONS_DIR));
    });

    it("refuses a file whose object is named differently", () => {
        const object = loadInstructions(dir)[0]!;
        writeFileSync(join(dir, "global-code-quality.yaml"), stringify({ ...object, metadata: { name: "other" } }));
        expect(() => loadInstructions(dir)).to.throw(/global-code-quality\.yaml: must be a labrats\.work\/v1alpha1 AiInstruction named 'global-code-quality'/);
    });

    it("refuses a data directory that does not hold exactly the shipped list", () => {
        rmSync(join(dir, "local-testing-strategy.yaml"));
        writeFileSync(
            join(dir, "local-extra.yaml"),
            stringify({ apiVersion: "labrats.work/v1alpha1", kind: "AiInstruction", metadata: { name: "local-extra" }, spec: {} }),
        );
        expect(() => loadInstructions(dir)).to.throw(/missing: local-testing-strategy; unexpected: local-extra/);
    });
});

describe("AiAgentsInstructions component", () => {
    it("creates every shipped instruction as a custom resource that waits for the CRDs", async () => {
        const r = await recordComponents((provider) => {
            const crds = new AiAgentsCrds("crds", { identity: IDENTITY }, { providers: [provider] });
            return new AiAgentsInstructions("instructions", { namespace: "ai-agents", identity: IDENTITY, crds: crds.ready }, { providers: [provider] });
        });
        const created = r.recording.resources.filter((res) => res.type === "kubernetes:labrats.work/v1alpha1:AiInstruction");
        expect(created.map((res) => res.inputs["metadata"] && (res.inputs["metadata"] as any).name)).to.have.members([...SHIPPED_INSTRUCTIONS]);
        const crdUrns = r.recording.resources.filter((res) => res.type === "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition").map((res) => res.urn);
        expect(crdUrns).to.have.length(6);
        for (const res of created) expect(res.dependsOn, res.name).to.include.members(crdUrns);
    });
});
