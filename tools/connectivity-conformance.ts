/**
 * npm run connectivity:conformance -- [corpus-dir] [--verbose]
 * Runs the connectivity listing over every scenario of a netpol-analyzer corpus
 * (<scenario>/manifests/, <scenario>/expected.txt, optional expected.json; default
 * ../shared/conformance/netpol next to the project) and prints agreed/total with the
 * differing lines. Holds no corpus data: the corpus is read where it lies.
 */
import { existsSync, globSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildNetwork, formatJson, formatTxt, listConnections, readManifests } from "./connectivity/index";

const maxShownLines = 10;

function normalise(text: string): string {
    return text.replace(/\r\n/g, "\n");
}

/** Lines of `a` missing from `b` (a multiset difference). */
function missing(a: readonly string[], b: readonly string[]): string[] {
    const counts = new Map<string, number>();
    for (const line of b) counts.set(line, (counts.get(line) ?? 0) + 1);
    const out: string[] = [];
    for (const line of a) {
        const count = counts.get(line) ?? 0;
        if (count > 0) counts.set(line, count - 1);
        else out.push(line);
    }
    return out;
}

function show(label: string, lines: readonly string[]): string {
    if (lines.length === 0) return "";
    const shown = lines
        .slice(0, maxShownLines)
        .map((line) => `    ${label} ${line}\n`)
        .join("");
    return shown + (lines.length > maxShownLines ? `    ... and ${lines.length - maxShownLines} more\n` : "");
}

interface ScenarioResult {
    readonly name: string;
    readonly agreed: boolean;
    readonly report: string;
}

function runScenario(directory: string, name: string): ScenarioResult {
    const read = readManifests([join(directory, "manifests")], () => "");
    const net = buildNetwork(read.objects.map((entry) => entry.object));
    const lines = listConnections(net);
    let report = "";
    for (const error of [...read.errors, ...net.problems.map((problem) => `${problem.kind} ${problem.name}: ${problem.message}`)])
        report += `    input: ${error}\n`;
    const actual = formatTxt(lines);
    const expected = normalise(readFileSync(join(directory, "expected.txt"), "utf8"));
    let agreed = actual === expected && report === "";
    if (actual !== expected) {
        const actualLines = actual.split("\n").filter((line) => line !== "");
        const expectedLines = expected.split("\n").filter((line) => line !== "");
        const extra = missing(actualLines, expectedLines);
        const absent = missing(expectedLines, actualLines);
        report += `    txt differs (${actualLines.length} lines, expected ${expectedLines.length})\n${show("-", absent)}${show("+", extra)}`;
        if (extra.length === 0 && absent.length === 0) report += "    same lines, different order or line endings\n";
    }
    const expectedJsonPath = join(directory, "expected.json");
    if (existsSync(expectedJsonPath)) {
        const expectedJson = readFileSync(expectedJsonPath, "utf8");
        // Upstream compares with every \n and \r removed; the byte-exact result is reported too.
        const strip = (text: string): string => text.replace(/[\r\n]/g, "");
        const json = formatJson(lines);
        if (strip(json) !== strip(expectedJson)) {
            agreed = false;
            report += "    json differs\n";
        } else if (json !== normalise(expectedJson)) {
            report += "    json agrees up to line breaks (upstream's comparison)\n";
        }
    }
    return { name, agreed, report };
}

const USAGE = "usage: npm run connectivity:conformance -- [corpus-dir] [--verbose]";

function main(argv: string[]): number {
    let parsed;
    try {
        parsed = parseArgs({ args: argv, allowPositionals: true, options: { verbose: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (parsed.values.help) {
        process.stdout.write(
            `${USAGE}\n\nRuns the connectivity listing over every scenario of a netpol-analyzer corpus (default\n../shared/conformance/netpol) and prints agreed/total with the differing lines.\n`,
        );
        return 0;
    }
    if (parsed.positionals.length > 1) {
        process.stderr.write(`name at most one corpus directory\n${USAGE}\n`);
        return 2;
    }
    const verbose = parsed.values.verbose === true;
    const corpus = resolve(parsed.positionals[0] ?? join(__dirname, "..", "..", "shared", "conformance", "netpol"));
    if (!existsSync(corpus)) {
        process.stderr.write(`connectivity:conformance: no corpus at ${corpus}\n`);
        return 2;
    }
    // A scenario is a directory with its expected listing.
    const scenarios = globSync("*/expected.txt", { cwd: corpus }).map(dirname).sort();
    let agreed = 0;
    for (const name of scenarios) {
        const started = performance.now();
        const result = runScenario(join(corpus, name), name);
        const ms = (performance.now() - started).toFixed(0);
        if (result.agreed) agreed++;
        if (!result.agreed || verbose || result.report !== "")
            process.stdout.write(`${result.agreed ? "agree" : "DIFFER"} ${name} (${ms} ms)\n${result.report}`);
    }
    process.stdout.write(`connectivity:conformance: ${agreed}/${scenarios.length} scenarios agree (${corpus})\n`);
    return agreed === scenarios.length ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
