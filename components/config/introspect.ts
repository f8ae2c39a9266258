/**
 * Reads the config schema itself: what is allowed at a key path, which keys an object
 * accepts, which fields are sensitive, and the rows of the README's config reference.
 * Error messages and docs are derived from the schema so they can never drift from it.
 */
import { z } from "zod";

type Schema = z.core.$ZodType;

interface FieldMeta {
    description?: string;
    /** Human wording of the allowed values, where the type alone does not say it. */
    allowed?: string;
    sensitive?: boolean;
}

export interface Unwrapped {
    /** The schema under optional/default/prefault/pipe wrappers. */
    core: Schema;
    optional: boolean;
    hasDefault: boolean;
    defaultValue?: unknown;
    meta: FieldMeta;
}

function defOf(schema: Schema): Record<string, unknown> & { type: string } {
    return schema._zod.def as unknown as Record<string, unknown> & { type: string };
}

/** Peels wrappers off a schema, collecting defaults and metadata (outer layers win). */
export function unwrap(schema: Schema): Unwrapped {
    const result: Unwrapped = { core: schema, optional: false, hasDefault: false, meta: {} };
    let current: Schema | undefined = schema;
    while (current) {
        const meta = z.globalRegistry.get(current) as FieldMeta | undefined;
        if (meta) result.meta = { ...meta, ...result.meta };
        const def = defOf(current);
        result.core = current;
        if (def.type === "optional" || def.type === "nullable") {
            result.optional = true;
            current = def.innerType as Schema;
        } else if (def.type === "default" || def.type === "prefault") {
            if (!result.hasDefault) {
                result.hasDefault = true;
                result.defaultValue = def.defaultValue;
            }
            current = def.innerType as Schema;
        } else if (def.type === "pipe") {
            current = def.in as Schema;
        } else {
            current = undefined;
        }
    }
    return result;
}

/** The keys an object schema accepts, or [] when the schema is not an object. */
export function objectKeys(schema: Schema): string[] {
    const def = defOf(unwrap(schema).core);
    if (def.type === "object") return Object.keys(def.shape as object);
    if (def.type === "union") {
        const keys = new Set<string>();
        for (const option of def.options as Schema[]) objectKeys(option).forEach((k) => keys.add(k));
        return [...keys];
    }
    return [];
}

/** The schema of a child at `key`, looking through wrappers, arrays, records and unions. */
export function childSchema(schema: Schema, key: string | number): Schema | undefined {
    const def = defOf(unwrap(schema).core);
    switch (def.type) {
        case "object":
            return (def.shape as Record<string, Schema>)[String(key)];
        case "array":
            return def.element as Schema;
        case "record":
            return def.valueType as Schema;
        case "union":
            for (const option of def.options as Schema[]) {
                const child = childSchema(option, key);
                if (child) return child;
            }
            return undefined;
        default:
            return undefined;
    }
}

export function schemaAtPath(root: Schema, path: readonly PropertyKey[]): Schema | undefined {
    let current: Schema | undefined = root;
    for (const key of path) {
        if (!current) return undefined;
        current = childSchema(current, key as string | number);
    }
    return current;
}

/** Human wording of what a schema accepts, e.g. "python, ts" or "whole numbers from 0 to 100". */
export function describeAllowed(schema: Schema): string {
    const { core, meta } = unwrap(schema);
    if (meta.allowed) return meta.allowed;
    const def = defOf(core);
    switch (def.type) {
        case "enum":
            return Object.values(def.entries as Record<string, string>).join(", ");
        case "literal":
            return (def.values as unknown[]).map(String).join(", ");
        case "boolean":
            return "true, false";
        case "number": {
            const num = core as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean };
            const kind = num.isInt ? "whole numbers" : "numbers";
            const min = num.minValue !== null && Number.isFinite(num.minValue) ? num.minValue : undefined;
            const max = num.maxValue !== null && Number.isFinite(num.maxValue) ? num.maxValue : undefined;
            if (min !== undefined && max !== undefined && Math.abs(max) < Number.MAX_SAFE_INTEGER) return `${kind} from ${min} to ${max}`;
            if (min !== undefined) return `${kind} >= ${min}`;
            return kind;
        }
        case "string":
            return def.format === "url" ? "an http(s) URL" : "a non-empty string";
        case "object":
            return `an object with keys ${objectKeys(core).join(", ")}`;
        case "array":
            return `a list of ${describeAllowed(def.element as Schema)}`;
        case "record":
            return `a map of names to ${describeAllowed(def.valueType as Schema)}`;
        case "union":
            return (def.options as Schema[]).map(describeAllowed).join(" | ");
        default:
            return def.type;
    }
}

/** Short type name for the reference table. */
export function typeName(schema: Schema): string {
    const { core } = unwrap(schema);
    const def = defOf(core);
    switch (def.type) {
        case "enum":
        case "literal":
            return "enum";
        case "number":
            return (core as unknown as { isInt: boolean }).isInt ? "integer" : "number";
        case "array":
            return `list<${typeName(def.element as Schema)}>`;
        case "record":
            return `map<string, ${typeName(def.valueType as Schema)}>`;
        default:
            return def.type;
    }
}

/** Dotted paths of sensitive fields that have a value in `value` (which is raw, unparsed config). */
export function sensitivePathsIn(schema: Schema, value: unknown, prefix: string): string[] {
    if (unwrap(schema).meta.sensitive) return value === undefined ? [] : [prefix];
    if (value === null || typeof value !== "object") return [];
    const found: string[] = [];
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const childSchemaAtKey = childSchema(schema, Array.isArray(value) ? Number(key) : key);
        // Pulumi's `--path` syntax: `block.list[0].field`.
        const childPath = Array.isArray(value) ? `${prefix}[${key}]` : `${prefix}.${key}`;
        if (childSchemaAtKey) found.push(...sensitivePathsIn(childSchemaAtKey, child, childPath));
    }
    return found;
}

/** Dotted paths of fields without a description, through objects, lists and maps (the docs need one everywhere). */
export function undescribedFields(schema: Schema, path = ""): string[] {
    const { core, meta } = unwrap(schema);
    const def = defOf(core);
    const missing = path && !meta.description ? [path] : [];
    const join = (key: string) => (path ? `${path}.${key}` : key);
    if (def.type === "object")
        return [...missing, ...Object.entries(def.shape as Record<string, Schema>).flatMap(([key, child]) => undescribedFields(child, join(key)))];
    if (def.type === "array") return [...missing, ...undescribedFields(def.element as Schema, `${path}[]`)];
    if (def.type === "record") return [...missing, ...undescribedFields(def.valueType as Schema, `${path}.<key>`)];
    return missing;
}

export interface ReferenceRow {
    key: string;
    type: string;
    default: string;
    description: string;
}

function isEmptyObject(value: unknown): boolean {
    return value !== null && typeof value === "object" && Object.keys(value).length === 0;
}

function formatDefault(u: Unwrapped): string {
    if (!u.hasDefault) return u.optional ? "unset" : "required";
    const value = typeof u.defaultValue === "function" ? (u.defaultValue as () => unknown)() : u.defaultValue;
    return "`" + JSON.stringify(value) + "`";
}

/** One row per leaf (and per object block) of the schema, in declaration order. */
export function referenceRows(schema: Schema, prefix = ""): ReferenceRow[] {
    const rows: ReferenceRow[] = [];
    const def = defOf(unwrap(schema).core);
    if (def.type !== "object") return rows;
    for (const [key, child] of Object.entries(def.shape as Record<string, Schema>)) {
        const path = prefix ? `${prefix}.${key}` : key;
        const u = unwrap(child);
        const isBlock = defOf(u.core).type === "object";
        const description = [u.meta.description ?? "", u.meta.sensitive ? "**Secret**: set with `pulumi config set --secret`." : ""].filter(Boolean).join(" ");
        const allowed = isBlock ? "" : describeAllowed(child);
        rows.push({
            key: path,
            type: isBlock ? "object" : typeName(child),
            // A block whose default is `{}` takes its fields' defaults; show only real block defaults.
            default: isBlock && !(u.hasDefault && !isEmptyObject(u.defaultValue)) ? "" : formatDefault(u),
            description: allowed && typeName(child) === "enum" ? `${description} One of: ${allowed}.` : description,
        });
        if (isBlock) rows.push(...referenceRows(child, path));
    }
    return rows;
}
