/**
 * Writes a render: one YAML document per Kubernetes object under `kubernetes/<namespace>/`,
 * `plan.json` with every resource of every provider and the stack outputs, and a marker file
 * that says the directory holds a render. The output directory is emptied first so no stale
 * file survives, but only when it is empty or holds an earlier render: any other directory
 * (the checkout, a folder of the user's own files) is refused before anything is touched.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { RenderedObject } from "./manifests";
import type { Recording } from "./recorder";
import { toPortableYaml } from "./yaml";

/** The file a render leaves in its output directory; the next render may empty a directory holding it. */
export const RENDER_MARKER = ".agent-platform-render";
const URN_HEADER = "# Rendered by agent-platform from ";

export interface PlanEntry {
    type: string;
    name: string;
    urn: string;
    parent?: string;
    provider?: string;
    custom: boolean;
    inputs?: Record<string, unknown>;
}

export interface Plan {
    project: string;
    stack: string;
    resources: PlanEntry[];
    outputs: Record<string, unknown>;
}

export function buildPlan(project: string, stack: string, recording: Recording): Plan {
    return {
        project,
        stack,
        resources: recording.resources.map((r) => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            ...(r.parent ? { parent: r.parent } : {}),
            ...(r.provider ? { provider: r.provider.split("::").slice(0, -1).join("::") } : {}),
            custom: r.custom,
            ...(Object.keys(r.inputs).length ? { inputs: r.inputs } : {}),
        })),
        outputs: recording.stackOutputs,
    };
}

function fileName(rendered: RenderedObject): string {
    const { kind, metadata } = rendered.object;
    return path.join("kubernetes", metadata.namespace ?? "_cluster", `${kind.toLowerCase()}-${metadata.name}.yaml`);
}

/** An output directory a render must not write to; the message says why and what to do. */
export class OutDirError extends Error {}

function isInside(child: string, parent: string): boolean {
    const relative = path.relative(parent, child);
    return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** A render written before the marker existed: only plan.json and kubernetes/ with our YAML files. */
function isUnmarkedRender(dir: string, entries: readonly string[]): boolean {
    if (!entries.includes("plan.json") || entries.some((entry) => entry !== "plan.json" && entry !== "kubernetes")) return false;
    try {
        const plan = JSON.parse(fs.readFileSync(path.join(dir, "plan.json"), "utf8")) as Partial<Plan>;
        if (typeof plan.stack !== "string" || !Array.isArray(plan.resources)) return false;
        if (!entries.includes("kubernetes")) return true;
        return fs
            .readdirSync(path.join(dir, "kubernetes"), { recursive: true, withFileTypes: true })
            .every(
                (entry) =>
                    entry.isDirectory() ||
                    (entry.isFile() && entry.name.endsWith(".yaml") && fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8").startsWith(URN_HEADER)),
            );
    } catch {
        return false;
    }
}

/**
 * Refuses an output directory the render must not empty: anything but a new or empty directory
 * or one holding an earlier render, and never the project or a directory that contains it.
 * Reads only; throws OutDirError.
 */
export function checkOutDir(outDir: string, projectDir: string): void {
    const out = path.resolve(outDir);
    const refuse = (why: string) =>
        new OutDirError(
            `refusing to write the render to ${outDir}: ${why}. Give --out a new or empty directory, or one an earlier render wrote (it holds ${RENDER_MARKER}).`,
        );
    if (isInside(path.resolve(projectDir), out))
        throw refuse(out === path.resolve(projectDir) ? "it is the project directory" : "it contains the project directory");
    let stats: fs.Stats;
    try {
        stats = fs.lstatSync(out);
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
        throw refuse(`it cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    if (stats.isSymbolicLink()) throw refuse("it is a symbolic link");
    if (!stats.isDirectory()) throw refuse("it is not a directory");
    const entries = fs.readdirSync(out);
    if (entries.length === 0 || entries.includes(RENDER_MARKER) || isUnmarkedRender(out, entries)) return;
    const shown = entries.sort().slice(0, 5).join(", ") + (entries.length > 5 ? `, ... (${entries.length} entries)` : "");
    throw refuse(`it holds files that are not a render (${shown})`);
}

/** Empties (after checkOutDir) and fills `outDir`; returns the object files written, relative to it. */
export function writeRender(outDir: string, plan: Plan, objects: readonly RenderedObject[], projectDir: string): string[] {
    checkOutDir(outDir, projectDir);
    fs.mkdirSync(outDir, { recursive: true });
    for (const entry of fs.readdirSync(outDir)) fs.rmSync(path.join(outDir, entry), { recursive: true, force: true });
    fs.writeFileSync(
        path.join(outDir, RENDER_MARKER),
        `An offline render of agent-platform stack '${plan.stack}' (npm run render). The next render to this directory empties it first.\n`,
    );
    const written: string[] = [];
    for (const rendered of objects) {
        const relative = fileName(rendered);
        if (written.includes(relative)) throw new Error(`two objects render to ${relative}: ${rendered.urn}`);
        const header = [`${URN_HEADER}${rendered.urn}`];
        if (rendered.autoNamed) header.push("# metadata.name is generated by Pulumi at deploy time; the suffix shown here is a stand-in.");
        fs.mkdirSync(path.join(outDir, path.dirname(relative)), { recursive: true });
        fs.writeFileSync(path.join(outDir, relative), `${header.join("\n")}\n${toPortableYaml(rendered.object)}`);
        written.push(relative);
    }
    fs.writeFileSync(path.join(outDir, "plan.json"), `${JSON.stringify(plan, null, 2)}\n`);
    return written.sort();
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

function outputValue(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Objects by kind; the resources the engine would create, per top-level component and outside
 * any (together the total); then the stack outputs, secrets redacted as in plan.json.
 */
export function summarize(plan: Plan, objects: readonly RenderedObject[]): string {
    const byKind = new Map<string, number>();
    for (const { object } of objects) byKind.set(object.kind, (byKind.get(object.kind) ?? 0) + 1);
    const isStack = (urn: string | undefined) => urn?.split("::")[2] === "pulumi:pulumi:Stack";
    const created = plan.resources.filter((r) => r.custom);
    const components = plan.resources.filter((r) => !r.custom && !isStack(r.urn) && (r.parent === undefined || isStack(r.parent)));
    const parentOf = new Map(plan.resources.map((r) => [r.urn, r.parent]));
    const topComponent = new Map<string, string | undefined>();
    const componentUrns = new Set(components.map((c) => c.urn));
    for (const resource of created) {
        let top: string | undefined;
        for (let p = parentOf.get(resource.urn); p; p = parentOf.get(p)) if (componentUrns.has(p)) top = p;
        topComponent.set(resource.urn, top);
    }
    const countUnder = (urn: string | undefined) => created.filter((r) => topComponent.get(r.urn) === urn).length;

    const lines = [
        `Rendered stack '${plan.stack}': ${plural(objects.length, "Kubernetes object")}, ${plural(created.length, "resource")} in all.`,
        "",
        "Objects by kind:",
    ];
    for (const [kind, count] of [...byKind].sort()) lines.push(`  ${kind.padEnd(32)} ${count}`);
    lines.push("", "Resources per component:");
    for (const component of components) lines.push(`  ${component.name.padEnd(24)} ${component.type.padEnd(48)} ${countUnder(component.urn)}`);
    lines.push(`  ${"(outside components)".padEnd(24)} ${"".padEnd(48)} ${countUnder(undefined)}`);
    lines.push(`  ${"total".padEnd(24)} ${"".padEnd(48)} ${created.length}`);
    lines.push("", "Stack outputs:");
    const outputs = Object.entries(plan.outputs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (outputs.length === 0) lines.push("  (none)");
    const width = Math.max(0, ...outputs.map(([name]) => name.length));
    for (const [name, value] of outputs) lines.push(`  ${name.padEnd(width)}  ${outputValue(value)}`);
    return lines.join("\n");
}
