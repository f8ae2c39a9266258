/**
 * The labrats.work CRDs: valid CustomResourceDefinitions (Kubernetes API schema), structural
 * schemas with the fields the seed names, and custom resources checked against their own
 * CRD's schema (tier 1); the component under mocks (tier 2).
 */
import { expect } from "chai";
import { AiAgentsCrds, buildCrd, CRD_API_VERSION, CRD_DEFINITIONS, CrdDefinition, crdName } from "../../components/ai-agents/crds";
import { AppIdentity } from "../../components/pod";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { recordComponents } from "../helpers/record";
import { customResourceValidator, structuralProblems, validateAiAgentsCustomResource } from "./crd-schema";

const IDENTITY: AppIdentity = { name: "ai-agents", instance: "ai-agents", component: "crds", version: "1.4.2" };
const crds = CRD_DEFINITIONS.map((d) => buildCrd(d, IDENTITY));
const crdOf = (kind: string) => crds.find((c) => c.spec["names"] && (c.spec["names"] as { kind: string }).kind === kind)!;
const schemaOf = (kind: string) => (crdOf(kind).spec["versions"] as any[])[0].schema.openAPIV3Schema;
const validatorOf = (kind: string) => customResourceValidator(crdOf(kind));
const resource = (kind: string, spec: Record<string, unknown>) => ({
    apiVersion: CRD_API_VERSION,
    kind,
    metadata: { name: "x", namespace: "ai-agents" },
    spec,
});

/** Paths of the schema nodes that keep unknown fields. */
function preservingPaths(schema: Record<string, any>, path = ""): string[] {
    const here = schema["x-kubernetes-preserve-unknown-fields"] === true ? [path || "."] : [];
    const props = Object.entries((schema["properties"] as Record<string, any>) ?? {}).flatMap(([key, child]) => preservingPaths(child, `${path}.${key}`));
    const extra =
        schema["additionalProperties"] && typeof schema["additionalProperties"] === "object"
            ? preservingPaths(schema["additionalProperties"], `${path}.*`)
            : [];
    return [...here, ...props, ...extra];
}

describe("ai-agents CRDs", () => {
    it("defines the six kinds of labrats.work/v1alpha1, namespaced, named <plural>.labrats.work", () => {
        expect(CRD_DEFINITIONS.map((d) => d.kind)).to.deep.equal(["InferenceRequest", "AiModel", "AiAgent", "AiConfig", "AiInstruction", "WebhookSource"]);
        for (const crd of crds) {
            const spec = crd.spec as any;
            expect(crd.metadata.name).to.equal(`${spec.names.plural}.labrats.work`);
            expect(spec).to.include({ group: "labrats.work", scope: "Namespaced" });
            expect(spec.names).to.include({ singular: spec.names.kind.toLowerCase(), listKind: `${spec.names.kind}List` });
            expect(spec.names.categories).to.deep.equal(["ai-agents"]);
            expect(spec.versions.map((v: any) => [v.name, v.served, v.storage])).to.deep.equal([["v1alpha1", true, true]]);
        }
    });

    it("are valid CustomResourceDefinitions for the Kubernetes API", async () => {
        for (const crd of crds) await validateAgainstSchema(crd);
    });

    it("have structural schemas", () => {
        for (const crd of crds) expect(structuralProblems(schemaOf((crd.spec as any).names.kind)), crd.metadata.name).to.deep.equal([]);
    });

    it("catch a schema that is not structural (the check itself works)", () => {
        expect(structuralProblems({ type: "object", properties: { spec: { properties: {} } } })).to.deep.equal([
            "openAPIV3Schema.properties.spec: has no type",
        ]);
    });

    it("type the fields the seed names", () => {
        expect(schemaOf("InferenceRequest").properties.spec.properties.apiKeyRef).to.deep.include({ type: "object", required: ["name"] });
        expect(schemaOf("AiModel").properties.spec.properties.credentialsRef).to.deep.include({ type: "object", required: ["name"] });
        expect(schemaOf("AiConfig").properties.spec.properties.providers.additionalProperties.properties.modelUrl).to.include({ type: "string" });
        const instruction = schemaOf("AiInstruction").properties.spec;
        expect(Object.keys(instruction.properties)).to.deep.equal(["type", "priority", "focus", "targetRoles", "content"]);
        expect(instruction.properties.type.enum).to.deep.equal(["global", "local"]);
    });

    it("keep unknown fields only where the seed says nothing: never in AiInstruction", () => {
        const byKind = Object.fromEntries(CRD_DEFINITIONS.map((d) => [d.kind, preservingPaths(schemaOf(d.kind)).filter((p) => p !== ".status")]));
        expect(byKind).to.deep.equal({
            InferenceRequest: [".spec"],
            AiModel: [".spec"],
            AiAgent: [".spec"],
            AiConfig: [".spec", ".spec.providers.*"],
            AiInstruction: [],
            WebhookSource: [".spec"],
        });
    });

    it("give the operator a status subresource (not for AiInstruction, which is static data) and an Age column everywhere", () => {
        for (const crd of crds) {
            const version = (crd.spec as any).versions[0];
            const kind = (crd.spec as any).names.kind;
            expect(version.subresources, kind).to.deep.equal(kind === "AiInstruction" ? undefined : { status: {} });
            expect(version.additionalPrinterColumns.at(-1), kind).to.include({ name: "Age", jsonPath: ".metadata.creationTimestamp" });
        }
        const columns = (crdOf("AiInstruction").spec as any).versions[0].additionalPrinterColumns.map((c: any) => c.jsonPath);
        expect(columns).to.deep.equal([".spec.type", ".spec.priority", ".spec.focus", ".metadata.creationTimestamp"]);
    });
});

describe("ai-agents custom resources against their CRD", () => {
    it("accept an InferenceRequest with an apiKeyRef and fields the seed does not describe", () => {
        expect(
            validatorOf("InferenceRequest")(
                resource("InferenceRequest", { apiKeyRef: { name: "caller-key", key: "api-key" }, agent: "developer", prompt: "fix it" }),
            ),
        ).to.deep.equal([]);
    });

    it("reject an apiKeyRef without a Secret name, and an object without spec", () => {
        expect(validatorOf("InferenceRequest")(resource("InferenceRequest", { apiKeyRef: { key: "api-key" } }))).to.deep.equal([
            "/spec/apiKeyRef: must have required property 'name'",
        ]);
        const { spec: _spec, ...withoutSpec } = resource("AiAgent", {});
        expect(validatorOf("AiAgent")(withoutSpec)).to.deep.equal(["/: must have required property 'spec'"]);
    });

    it("check AiConfig.spec.providers[provider].modelUrl and keep the provider's other settings", () => {
        const validate = validatorOf("AiConfig");
        expect(validate(resource("AiConfig", { providers: { llama: { modelUrl: "https://huggingface.co/m.gguf", threads: 8 } } }))).to.deep.equal([]);
        expect(validate(resource("AiConfig", { providers: { llama: { modelUrl: "ftp://host/m.gguf" } } }))).to.deep.equal([
            '/spec/providers/llama/modelUrl: must match pattern "^https?://"',
        ]);
    });

    it("are checked by kind for whole renders, and an unknown kind or a bad object throws", () => {
        expect(() => validateAiAgentsCustomResource(resource("AiModel", { credentialsRef: { name: "claude" } }))).not.to.throw();
        expect(() => validateAiAgentsCustomResource(resource("AiModel", { credentialsRef: {} }))).to.throw(
            /^AiModel\/x: \/spec\/credentialsRef: must have required property 'name'$/,
        );
        expect(() => validateAiAgentsCustomResource(resource("AiAccount", {}))).to.throw(/no CRD of ours for labrats\.work\/v1alpha1 AiAccount/);
    });

    it("reject an AiInstruction with an unknown type, an unknown field or no content", () => {
        const validate = validatorOf("AiInstruction");
        expect(validate(resource("AiInstruction", { type: "team", priority: 1, content: "x" }))).to.deep.equal([
            "/spec/type: must be equal to one of the allowed values",
        ]);
        expect(validate(resource("AiInstruction", { type: "global", priority: 1, content: "x", weight: 2 }))).to.deep.equal([
            "/spec: must NOT have additional properties (weight)",
        ]);
        expect(validate(resource("AiInstruction", { type: "local", targetRoles: ["ops"] }))).to.deep.equal(["/spec: must have required property 'content'"]);
    });
});

describe("AiAgentsCrds component", () => {
    it("creates the six CRDs cluster-scoped, with the wire names of the schema extensions", async () => {
        const r = await recordComponents((provider) => new AiAgentsCrds("crds", { identity: IDENTITY }, { providers: [provider] }));
        expect(r.objects.map((o) => o.metadata.name)).to.have.members(CRD_DEFINITIONS.map((d: CrdDefinition) => crdName(d)));
        for (const object of r.objects) {
            expect(object.kind).to.equal("CustomResourceDefinition");
            expect(object.metadata.namespace).to.equal(undefined);
            await validateAgainstSchema(object);
        }
        const text = JSON.stringify(r.objects);
        expect(text).to.contain('"x-kubernetes-preserve-unknown-fields":true');
        expect(text).not.to.contain("x_kubernetes");
    });
});
