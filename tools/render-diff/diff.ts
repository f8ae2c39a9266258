/**
 * The diff of two renders of one stack, as pure data: Kubernetes objects added, changed
 * (with their changed fields) and removed; the other resources of plan.json (Azure, Helm
 * charts, providers, random) likewise; and the stack outputs.
 */
import type { Plan, PlanEntry } from "../render/output";
import { diffFields, type FieldChange } from "./fields";
import { compareRefs, refKey, type ObjectRef, type RenderedEntry, type RenderSet } from "./render-set";

export type ChangeKind = "added" | "changed" | "removed";

export interface ObjectChange {
    kind: ChangeKind;
    ref: ObjectRef;
    /** Changed fields; empty for added and removed objects. */
    fields: FieldChange[];
    /**
     * Set when the same object comes from another Pulumi resource (a renamed or re-parented
     * resource): Pulumi deletes and recreates it unless the resource carries an alias.
     */
    urn?: { before: string; after: string };
}

export interface ResourceChange {
    kind: ChangeKind;
    type: string;
    name: string;
    urn: string;
    /** Changed `/inputs/...` and `/provider` fields; empty for added and removed resources. */
    fields: FieldChange[];
}

export interface StackDiff {
    objects: ObjectChange[];
    resources: ResourceChange[];
    outputs: FieldChange[];
}

const ORDER: Record<ChangeKind, number> = { added: 0, changed: 1, removed: 2 };

export function diffObjects(base: readonly RenderedEntry[], head: readonly RenderedEntry[]): ObjectChange[] {
    const before = new Map(base.map((entry) => [refKey(entry.ref), entry]));
    const after = new Map(head.map((entry) => [refKey(entry.ref), entry]));
    const changes: ObjectChange[] = [];
    for (const [key, old] of before) {
        const now = after.get(key);
        if (!now) {
            changes.push({ kind: "removed", ref: old.ref, fields: [] });
            continue;
        }
        const fields = diffFields(old.object, now.object);
        const urnMoved = old.urn !== undefined && now.urn !== undefined && old.urn !== now.urn;
        if (fields.length > 0 || urnMoved) {
            changes.push({ kind: "changed", ref: now.ref, fields, ...(urnMoved ? { urn: { before: old.urn!, after: now.urn! } } : {}) });
        }
    }
    for (const [key, now] of after) if (!before.has(key)) changes.push({ kind: "added", ref: now.ref, fields: [] });
    return changes.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || compareRefs(a.ref, b.ref));
}

/** Resources the object diff does not already cover: not the stack, not a Kubernetes object, not an input-less component. */
export function isOtherResource(entry: PlanEntry): boolean {
    if (entry.type === "pulumi:pulumi:Stack") return false;
    const inputs = entry.inputs ?? {};
    const isObject = entry.type.startsWith("kubernetes:") && typeof inputs["apiVersion"] === "string" && typeof inputs["kind"] === "string";
    return !isObject && (entry.custom || Object.keys(inputs).length > 0);
}

function comparable(entry: PlanEntry): Record<string, unknown> {
    return { inputs: entry.inputs ?? {}, ...(entry.provider ? { provider: entry.provider } : {}) };
}

export function diffPlanResources(base: readonly PlanEntry[], head: readonly PlanEntry[]): ResourceChange[] {
    const before = new Map(base.filter(isOtherResource).map((entry) => [entry.urn, entry]));
    const after = new Map(head.filter(isOtherResource).map((entry) => [entry.urn, entry]));
    const changes: ResourceChange[] = [];
    const change = (kind: ChangeKind, entry: PlanEntry, fields: FieldChange[] = []): ResourceChange => ({
        kind,
        type: entry.type,
        name: entry.name,
        urn: entry.urn,
        fields,
    });
    for (const [urn, old] of before) {
        const now = after.get(urn);
        if (!now) changes.push(change("removed", old));
        else {
            const fields = diffFields(comparable(old), comparable(now));
            if (fields.length > 0) changes.push(change("changed", now, fields));
        }
    }
    for (const [urn, now] of after) if (!before.has(urn)) changes.push(change("added", now));
    return changes.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || (a.type === b.type ? (a.name < b.name ? -1 : 1) : a.type < b.type ? -1 : 1));
}

function outputsOf(plan: Plan | undefined): Record<string, unknown> {
    return plan?.outputs ?? {};
}

/** The diff from `base` to `head`; an empty side (a stack that exists on one side only) is `{ objects: [] }`. */
export function diffRenders(base: RenderSet, head: RenderSet): StackDiff {
    return {
        objects: diffObjects(base.objects, head.objects),
        resources: diffPlanResources(base.plan?.resources ?? [], head.plan?.resources ?? []),
        outputs: diffFields(outputsOf(base.plan), outputsOf(head.plan)),
    };
}

export function isEmptyDiff(diff: StackDiff): boolean {
    return diff.objects.length === 0 && diff.resources.length === 0 && diff.outputs.length === 0;
}

export function countByKind<T extends { kind: ChangeKind }>(changes: readonly T[]): Record<ChangeKind, number> {
    const counts: Record<ChangeKind, number> = { added: 0, changed: 0, removed: 0 };
    for (const change of changes) counts[change.kind]++;
    return counts;
}
