/**
 * Validation of custom resources against their own CRD's `openAPIV3Schema`, with ajv (JSON
 * Schema) plus the two things the API server adds that JSON Schema does not say:
 * - unknown fields: the API server drops them, and kubectl's default strict field validation
 *   rejects them, so here an object schema that does not preserve unknown fields gets
 *   `additionalProperties: false`;
 * - structural schemas: every node has a type unless it preserves unknown fields, and no node
 *   has both `properties` and `additionalProperties` (checked by `structuralProblems`).
 * The `x-kubernetes-*` extensions are annotations for ajv; CEL rules are mirrored in the tests.
 */
import { Ajv } from "ajv";
import { buildCrd, CRD_API_VERSION, CRD_DEFINITIONS } from "../../components/ai-agents/crds";

type Schema = Record<string, unknown>;

const EXTENSIONS = [
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-validations",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-int-or-string",
    "x-kubernetes-embedded-resource",
];

const PRESERVE = "x-kubernetes-preserve-unknown-fields";

/** A copy in which objects that do not preserve unknown fields reject them. */
export function withStrictObjects(schema: Schema): Schema {
    const out: Schema = { ...schema };
    if (out["properties"]) {
        out["properties"] = Object.fromEntries(
            Object.entries(out["properties"] as Record<string, Schema>).map(([key, child]) => [key, withStrictObjects(child)]),
        );
        if (out[PRESERVE] !== true && out["additionalProperties"] === undefined) out["additionalProperties"] = false;
    }
    if (out["items"]) out["items"] = withStrictObjects(out["items"] as Schema);
    if (out["additionalProperties"] && typeof out["additionalProperties"] === "object")
        out["additionalProperties"] = withStrictObjects(out["additionalProperties"] as Schema);
    return out;
}

/** Where a schema is not structural, as `path: problem`. */
export function structuralProblems(schema: Schema, path = "openAPIV3Schema"): string[] {
    const problems: string[] = [];
    if (schema["type"] === undefined && schema[PRESERVE] !== true && schema["x-kubernetes-int-or-string"] !== true) problems.push(`${path}: has no type`);
    if (schema["properties"] && schema["additionalProperties"] !== undefined) problems.push(`${path}: has both properties and additionalProperties`);
    for (const [key, child] of Object.entries((schema["properties"] as Record<string, Schema>) ?? {}))
        problems.push(...structuralProblems(child, `${path}.properties.${key}`));
    if (schema["items"]) problems.push(...structuralProblems(schema["items"] as Schema, `${path}.items`));
    if (schema["additionalProperties"] && typeof schema["additionalProperties"] === "object") {
        problems.push(...structuralProblems(schema["additionalProperties"] as Schema, `${path}.additionalProperties`));
    }
    return problems;
}

/** A validator for objects of one CRD version: returns every problem as `path: message`, or none. */
export function customResourceValidator(crd: { spec: Schema }, version?: string): (object: unknown) => string[] {
    const versions = (crd.spec["versions"] as { name: string; schema: { openAPIV3Schema: Schema } }[]) ?? [];
    const entry = version ? versions.find((v) => v.name === version) : versions[0];
    if (!entry) throw new Error(`CRD has no version ${version ?? ""}`);
    const ajv = new Ajv({ allErrors: true, strict: true });
    for (const keyword of EXTENSIONS) ajv.addKeyword(keyword);
    const validate = ajv.compile(withStrictObjects(entry.schema.openAPIV3Schema));
    return (object) =>
        validate(object)
            ? []
            : (validate.errors ?? []).map(
                  (e) =>
                      `${e.instancePath || "/"}: ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params["additionalProperty"])})` : ""}`,
              );
}

let shipped: Map<string, (object: unknown) => string[]> | undefined;

/**
 * Validates a labrats.work object against the CRD this program ships for its kind (whether or
 * not the stack installs it); throws with every problem. For validators of whole renders.
 */
export function validateAiAgentsCustomResource(object: { apiVersion: string; kind: string; metadata?: { name?: string } }): void {
    shipped ??= new Map(
        CRD_DEFINITIONS.map((d) => [d.kind, customResourceValidator(buildCrd(d, { name: "ai-agents", instance: "ai-agents", component: "crds" }))]),
    );
    const validate = object.apiVersion === CRD_API_VERSION ? shipped.get(object.kind) : undefined;
    if (!validate) throw new Error(`no CRD of ours for ${object.apiVersion} ${object.kind}`);
    const problems = validate(object);
    if (problems.length > 0) throw new Error(`${object.kind}/${object.metadata?.name}: ${problems.join("; ")}`);
}
