/**
 * Field-level diff of two JSON values (rendered objects, plan inputs). Paths are JSON-pointer
 * like: `/spec/replicas`, keys escaped as in RFC 6901 (`~1` for `/`, `~0` for `~`), so a label
 * such as `app.kubernetes.io/name` stays one segment. Lists whose items all carry a unique
 * `name` (containers, env, volumes, ports) are matched by name and written `[name=app]`, so
 * inserting one env var shows one change rather than every later item shifting; other lists
 * of objects are compared index by index, and lists of scalars as a whole value.
 */

export type FieldChangeKind = "added" | "removed" | "changed";

export interface FieldChange {
    /** Pointer-like path; "" is the whole value. */
    path: string;
    kind: FieldChangeKind;
    /** Absent when kind is "added". */
    before?: unknown;
    /** Absent when kind is "removed". */
    after?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isScalar(value: unknown): boolean {
    return value === null || (typeof value !== "object" && typeof value !== "function");
}

export function escapeSegment(key: string): string {
    return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Items addressable by name: every item an object with a distinct string `name`. */
function namedItems(list: readonly unknown[]): Map<string, unknown> | undefined {
    const byName = new Map<string, unknown>();
    for (const item of list) {
        const name = isRecord(item) ? item["name"] : undefined;
        if (typeof name !== "string" || byName.has(name)) return undefined;
        byName.set(name, item);
    }
    return byName;
}

/** Deep equality of JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
    if (isRecord(a) && isRecord(b)) {
        const keys = Object.keys(a);
        return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
    }
    return false;
}

function diffLists(before: unknown[], after: unknown[], path: string, out: FieldChange[]): void {
    if (before.every(isScalar) && after.every(isScalar)) {
        out.push({ path, kind: "changed", before, after });
        return;
    }
    const beforeNamed = namedItems(before);
    const afterNamed = namedItems(after);
    if (beforeNamed && afterNamed && before.length > 0 && after.length > 0) {
        for (const [name, item] of beforeNamed) {
            const at = `${path}[name=${name}]`;
            if (afterNamed.has(name)) diffInto(item, afterNamed.get(name), at, out);
            else out.push({ path: at, kind: "removed", before: item });
        }
        for (const [name, item] of afterNamed) {
            if (!beforeNamed.has(name)) out.push({ path: `${path}[name=${name}]`, kind: "added", after: item });
        }
        // Same items in another order: the order itself matters (e.g. init containers run in order).
        const order = (named: Map<string, unknown>) => [...named.keys()].filter((name) => beforeNamed.has(name) && afterNamed.has(name));
        const beforeOrder = order(beforeNamed);
        const afterOrder = order(afterNamed);
        if (!jsonEqual(beforeOrder, afterOrder)) out.push({ path: `${path}[*].name`, kind: "changed", before: beforeOrder, after: afterOrder });
        return;
    }
    const shared = Math.min(before.length, after.length);
    for (let i = 0; i < shared; i++) diffInto(before[i], after[i], `${path}/${i}`, out);
    for (let i = shared; i < before.length; i++) out.push({ path: `${path}/${i}`, kind: "removed", before: before[i] });
    for (let i = shared; i < after.length; i++) out.push({ path: `${path}/${i}`, kind: "added", after: after[i] });
}

function diffInto(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
    if (jsonEqual(before, after)) return;
    if (isRecord(before) && isRecord(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        for (const key of keys) {
            const at = `${path}/${escapeSegment(key)}`;
            const inBefore = Object.hasOwn(before, key) && before[key] !== undefined;
            const inAfter = Object.hasOwn(after, key) && after[key] !== undefined;
            if (inBefore && inAfter) diffInto(before[key], after[key], at, out);
            else if (inBefore) out.push({ path: at, kind: "removed", before: before[key] });
            else if (inAfter) out.push({ path: at, kind: "added", after: after[key] });
        }
        return;
    }
    if (Array.isArray(before) && Array.isArray(after)) {
        diffLists(before, after, path, out);
        return;
    }
    out.push({ path, kind: "changed", before, after });
}

/** Every leaf-most difference between `before` and `after`, in a stable order. */
export function diffFields(before: unknown, after: unknown, basePath = ""): FieldChange[] {
    const out: FieldChange[] = [];
    diffInto(before, after, basePath, out);
    return out;
}
