/**
 * `npm run check:cycles`: the import graph of the project's own TypeScript (index.ts,
 * components/, tools/, policies/ by default) has no cycle, type-only imports included. Exit 1
 * listing each cycle, `a.ts -> b.ts -> a.ts`.
 *
 * The graph comes from the TypeScript compiler API: `preProcessFile` lists every module a file
 * names (`import`, `import type`, `export ... from`, `import()`, `require()`), and
 * `resolveModuleName` resolves it with the project's compiler options, as `tsc` does. Modules
 * outside the project (node_modules) are not followed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import ts from "typescript";

/** What the project checks: the program and its tools, not the tests. */
export const DEFAULT_ROOTS = ["index.ts", "components/**/*.ts", "tools/**/*.ts", "policies/**/*.ts"];

/** File -> the project files it imports, all relative to `projectDir`, sorted. */
export type ImportGraph = Map<string, string[]>;

export function importGraph(projectDir: string, patterns: readonly string[] = DEFAULT_ROOTS): ImportGraph {
    const tsconfig = path.join(projectDir, "tsconfig.json");
    const options: ts.CompilerOptions = fs.existsSync(tsconfig)
        ? ts.parseJsonConfigFileContent(ts.readConfigFile(tsconfig, ts.sys.readFile).config, ts.sys, projectDir).options
        : { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };
    const files = fs
        .globSync([...patterns], { cwd: projectDir, exclude: (name) => path.basename(name) === "node_modules" })
        .map((file) => file.split(path.sep).join("/"));
    const inProject = new Set(files);
    const graph: ImportGraph = new Map();
    for (const file of files.sort()) {
        const absolute = path.join(projectDir, file);
        const { importedFiles } = ts.preProcessFile(fs.readFileSync(absolute, "utf8"), true, true);
        const targets = new Set<string>();
        for (const imported of importedFiles) {
            const resolved = ts.resolveModuleName(imported.fileName, absolute, options, ts.sys).resolvedModule;
            if (!resolved || resolved.isExternalLibraryImport) continue;
            const target = path.relative(projectDir, resolved.resolvedFileName).split(path.sep).join("/");
            if (inProject.has(target)) targets.add(target);
        }
        graph.set(file, [...targets].sort());
    }
    return graph;
}

/** Each cycle of the graph, one per strongly connected component, as a path that returns to its first file. */
export function findCycles(graph: ImportGraph): string[][] {
    // Tarjan's strongly connected components (recursive: import chains stay far below the stack limit).
    let counter = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const components: string[][] = [];
    const visit = (node: string): void => {
        index.set(node, counter);
        low.set(node, counter);
        counter++;
        stack.push(node);
        onStack.add(node);
        for (const next of graph.get(node) ?? []) {
            if (!index.has(next)) {
                visit(next);
                low.set(node, Math.min(low.get(node)!, low.get(next)!));
            } else if (onStack.has(next)) {
                low.set(node, Math.min(low.get(node)!, index.get(next)!));
            }
        }
        if (low.get(node) === index.get(node)) {
            const component: string[] = [];
            let member: string;
            do {
                member = stack.pop()!;
                onStack.delete(member);
                component.push(member);
            } while (member !== node);
            if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component);
        }
    };
    for (const node of graph.keys()) if (!index.has(node)) visit(node);
    return components.map((component) => cycleThrough(graph, new Set(component)));
}

/** The shortest cycle from the component's first file (alphabetically) back to it, inside the component. */
function cycleThrough(graph: ImportGraph, component: Set<string>): string[] {
    const start = [...component].sort()[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
        const node = queue.shift()!;
        for (const next of graph.get(node) ?? []) {
            if (!component.has(next)) continue;
            if (next === start) {
                const cycle = [start];
                for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at)) cycle.splice(1, 0, at);
                return [...cycle, start];
            }
            if (!previous.has(next)) {
                previous.set(next, node);
                queue.push(next);
            }
        }
    }
    return [start, start];
}

const USAGE = "usage: npm run check:cycles [-- <glob>...]";

function main(argv: string[]): number {
    let parsed;
    try {
        parsed = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
    } catch (err) {
        console.error(`${(err as Error).message}\n${USAGE}`);
        return 2;
    }
    if (parsed.values.help) {
        console.log(
            `${USAGE}\n\nFails when the project's imports form a cycle (type-only imports count), listing each.\nDefault globs: ${DEFAULT_ROOTS.join(" ")}`,
        );
        return 0;
    }
    const graph = importGraph(path.resolve(__dirname, ".."), parsed.positionals.length > 0 ? parsed.positionals : DEFAULT_ROOTS);
    const cycles = findCycles(graph);
    if (cycles.length === 0) {
        console.log(`No import cycles in ${graph.size} files.`);
        return 0;
    }
    console.error(`${cycles.length} import cycle${cycles.length === 1 ? "" : "s"}:`);
    for (const cycle of cycles) console.error(`  ${cycle.join(" -> ")}`);
    return 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
