/**
 * One side of a diff: what `npm run render` wrote for a stack (`kubernetes/**.yaml`, one
 * object per file with its URN in the header comment, and `plan.json`), read back as plain
 * objects keyed by kind, namespace and name.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { Plan } from "../render/output";

export interface ObjectRef {
    kind: string;
    namespace?: string;
    name: string;
}

export interface RenderedEntry {
    ref: ObjectRef;
    object: Record<string, unknown>;
    /** The Pulumi URN of the resource that creates the object, from the file header. */
    urn?: string;
}

export interface RenderSet {
    objects: RenderedEntry[];
    plan?: Plan;
}

/** `Deployment agents/api`, or `Namespace agents` for a cluster-scoped object. */
export function describeRef(ref: ObjectRef): string {
    return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

export function refKey(ref: ObjectRef): string {
    return `${ref.kind}\u0000${ref.namespace ?? ""}\u0000${ref.name}`;
}

/** Sorts by kind, then namespace (cluster-scoped first), then name. */
export function compareRefs(a: ObjectRef, b: ObjectRef): number {
    const order = (ref: ObjectRef) => [ref.kind, ref.namespace ?? "", ref.name];
    const [x, y] = [order(a), order(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
}

export function entryOf(object: Record<string, unknown>, urn?: string): RenderedEntry {
    const metadata = (object["metadata"] ?? {}) as Record<string, unknown>;
    const kind = object["kind"];
    const name = metadata["name"];
    if (typeof kind !== "string" || typeof name !== "string") throw new Error("a rendered object needs kind and metadata.name");
    const namespace = typeof metadata["namespace"] === "string" ? metadata["namespace"] : undefined;
    return { ref: { kind, name, ...(namespace ? { namespace } : {}) }, object, ...(urn ? { urn } : {}) };
}

const URN_HEADER = /^# Rendered by agent-platform from (\S+)$/m;

function yamlFiles(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith(".yaml"))
        .map((entry) => path.join(entry.parentPath, entry.name))
        .sort();
}

/** Reads a render directory (`rendered/<stack>`); throws when it holds no plan.json. */
export function readRenderDir(dir: string): RenderSet {
    const planFile = path.join(dir, "plan.json");
    if (!fs.existsSync(planFile)) throw new Error(`${dir} is not a render: it has no plan.json`);
    const plan = JSON.parse(fs.readFileSync(planFile, "utf8")) as Plan;
    const objects = yamlFiles(path.join(dir, "kubernetes")).map((file) => {
        const text = fs.readFileSync(file, "utf8");
        try {
            return entryOf(parse(text) as Record<string, unknown>, URN_HEADER.exec(text)?.[1]);
        } catch (err) {
            throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
        }
    });
    return { objects, plan };
}
