/**
 * Helpers for reading untyped Kubernetes objects. Manifests come from YAML files and
 * Pulumi inputs, so nothing is trusted to have the shape the API schema promises.
 */

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value as an object, or undefined when it is absent, null or not an object. */
export function objectAt(value: unknown): PlainObject | undefined {
    return isPlainObject(value) ? value : undefined;
}

/** The value as an array; anything else (absent, null, wrong type) reads as empty. */
export function arrayAt(value: unknown): readonly unknown[] {
    return Array.isArray(value) ? value : [];
}

/** The value as a string, or undefined. */
export function stringAt(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/**
 * Go decodes JSON null and a missing key alike into a nil pointer, and the admission
 * code only ever asks "is the pointer nil": both count as unset.
 */
export function isUnset(value: unknown): value is null | undefined {
    return value === undefined || value === null;
}

/** Renders a value for a violation message: strings quoted, the rest as JSON. */
export function show(value: unknown): string {
    if (value === undefined) {
        return "unset";
    }
    return JSON.stringify(value) ?? String(value);
}
