/**
 * A block that is off (`enabled: false`, set or by default) is checked for its types only: what
 * it would need when on (a required field, a cross-field rule) is not demanded, so
 * `agentRuntime: { enabled: false }` is a complete block.
 *
 * `isWaived` tells which issues of a full parse such a block excuses. When those are the only
 * ones, `relaxedSchema` parses the config once more for its value: the same schema with every
 * cross-field rule dropped and every field without a default optional, so defaults and
 * transforms still apply (the full parse has already checked everything that matters).
 */
import { z } from "zod";
import { schemaAtPath, unwrap } from "./introspect";

type Schema = z.core.$ZodType;
type Def = Record<string, unknown> & { type: string; checks?: z.core.$ZodCheck[] };

function defaultOf(schema: Schema): unknown {
    const { hasDefault, defaultValue } = unwrap(schema);
    if (!hasDefault) return undefined;
    return typeof defaultValue === "function" ? (defaultValue as () => unknown)() : defaultValue;
}

/** Whether `issue` demands something of a block that is off, at its path or above. */
export function isWaived(issue: z.core.$ZodIssue, values: Record<string, unknown>, root: Schema): boolean {
    const demand = issue.code === "custom" || (issue.code === "invalid_type" && issue.input === undefined);
    if (!demand) return false;
    let node: unknown = values;
    for (let depth = 1; depth <= issue.path.length; depth++) {
        node = node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[issue.path[depth - 1]!] : undefined;
        if (Array.isArray(node)) continue;
        if (node !== undefined && (node === null || typeof node !== "object")) return false;
        const enabled = (node as Record<string, unknown> | undefined)?.["enabled"];
        if (enabled === false) return true;
        if (enabled === undefined) {
            const field = schemaAtPath(root, [...issue.path.slice(0, depth), "enabled"]);
            if (field && defaultOf(field) === false) return true;
        }
    }
    return false;
}

// eslint-disable-next-line no-restricted-syntax -- a memo of a pure function of the schema object, the same for every render.
const relaxed = new WeakMap<Schema, Schema>();

function clone(schema: Schema, def: Def): Schema {
    return (schema as unknown as { clone(def: Def): Schema }).clone(def);
}

/** The schema without cross-field rules (custom checks), its fields without a default optional. */
export function relaxedSchema(schema: Schema): z.ZodType {
    const known = relaxed.get(schema);
    if (known) return known as z.ZodType;
    const def = schema._zod.def as unknown as Def;
    const checks = def.checks?.filter((check) => (check._zod.def as { check: string }).check !== "custom");
    const base: Def = checks ? { ...def, checks } : { ...def };
    let result: Schema;
    switch (def.type) {
        case "object": {
            const shape: Record<string, Schema> = {};
            for (const [key, child] of Object.entries(def["shape"] as Record<string, Schema>)) {
                const loose = relaxedSchema(child);
                const { optional, hasDefault } = unwrap(child);
                shape[key] = optional || hasDefault ? loose : z.optional(loose);
            }
            result = clone(schema, { ...base, shape });
            break;
        }
        case "optional":
        case "nullable":
        case "default":
        case "prefault":
        case "nonoptional":
        case "readonly":
        case "catch":
            result = clone(schema, { ...base, innerType: relaxedSchema(def["innerType"] as Schema) });
            break;
        case "pipe":
            result = clone(schema, { ...base, in: relaxedSchema(def["in"] as Schema), out: relaxedSchema(def["out"] as Schema) });
            break;
        case "array":
            result = clone(schema, { ...base, element: relaxedSchema(def["element"] as Schema) });
            break;
        case "record":
            result = clone(schema, { ...base, valueType: relaxedSchema(def["valueType"] as Schema) });
            break;
        case "union":
            result = clone(schema, { ...base, options: (def["options"] as Schema[]).map(relaxedSchema) });
            break;
        default:
            result = checks && checks.length !== def.checks!.length ? clone(schema, base) : schema;
    }
    relaxed.set(schema, result);
    return result as z.ZodType;
}
