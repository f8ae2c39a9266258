/**
 * `npm run bench`: how long an offline render takes next to the floor every Pulumi program
 * pays (a Node process that only loads @pulumi/pulumi and @pulumi/kubernetes), then the
 * policy checker's throughput. A benchmark, not a test: it prints numbers, it asserts nothing.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { runPolicyBench } from "./bench-policy";
import { knownStacks } from "./render/stack-files";

const ROOT = path.resolve(__dirname, "..");
const RUNS = 5;
const TS_REGISTER = path.join(ROOT, "tools/ts-register.js");
const MAX_RSS_PRELOAD = path.join(ROOT, "tools/max-rss.cjs");

interface Sample {
    ms: number;
    maxRssMb: number;
}

/** Runs `node <args>` once; wall time from spawn to exit, peak RSS reported by the child. */
function runOnce(args: string[], env: NodeJS.ProcessEnv = {}): Sample {
    const start = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
    const ms = performance.now() - start;
    if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed:\n${result.stderr}`);
    const rssKb = Number(/max-rss-kb=(\d+)/.exec(result.stderr)?.[1] ?? NaN);
    return { ms, maxRssMb: rssKb / 1024 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function measure(args: string[], env: NodeJS.ProcessEnv = {}): Sample {
    runOnce(args, env); // warm the file system cache (and any compile cache); not counted
    const samples = Array.from({ length: RUNS }, () => runOnce(args, env));
    return { ms: median(samples.map((s) => s.ms)), maxRssMb: Math.max(...samples.map((s) => s.maxRssMb)) };
}

async function main(): Promise<void> {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-render-"));
    try {
        // The floor has no TypeScript loader: it is what any Pulumi program pays, ours or not.
        const floorArgs = ["--require", MAX_RSS_PRELOAD, "-e", "require('@pulumi/pulumi'); require('@pulumi/kubernetes')"];
        const floor = measure(floorArgs);
        // Our loader turns on Node's compile cache; the same cache for the floor shows our own share.
        const floorCached = measure(floorArgs, { NODE_COMPILE_CACHE: path.join(out, "floor-compile-cache") });
        console.log(`Offline render, median of ${RUNS} runs (node ${process.version}, ${os.cpus().length} cores):`);
        console.log("| stack | render (ms) | floor (ms) | ratio | floor with compile cache (ms) | ratio | peak RSS render / floor (MB) |");
        console.log("| --- | --- | --- | --- | --- | --- | --- |");
        for (const stack of knownStacks(ROOT)) {
            const render = measure(["--require", TS_REGISTER, "--require", MAX_RSS_PRELOAD, "tools/render.ts", stack, "--out", path.join(out, stack)]);
            const ratio = (floorMs: number) => `${(render.ms / floorMs).toFixed(2)}x`;
            console.log(
                `| ${stack} | ${render.ms.toFixed(0)} | ${floor.ms.toFixed(0)} | ${ratio(floor.ms)} | ${floorCached.ms.toFixed(0)} | ${ratio(floorCached.ms)} | ${render.maxRssMb.toFixed(0)} / ${floor.maxRssMb.toFixed(0)} |`,
            );
        }
        console.log(
            "\nFloor: a plain Node process that only loads @pulumi/pulumi and @pulumi/kubernetes. The render also loads tools/ts-register.js, which caches transpiled TypeScript and turns on Node's compile cache (warm here: one unmeasured run first).\n",
        );
    } finally {
        fs.rmSync(out, { recursive: true, force: true });
    }
    console.log(await runPolicyBench());
}

const USAGE = "usage: npm run bench [-- --help]";
const HELP = `${USAGE}

Renders every stack ${RUNS} times (each in a fresh Node process, into a temporary directory) and
prints the median wall time and peak memory next to the floor every Pulumi program pays (a
Node process that only loads @pulumi/pulumi and @pulumi/kubernetes), then the policy
checker's throughput on 1,000 to 50,000 generated objects. Prints numbers; asserts nothing.

  -h, --help  this text`;

/** The benchmark takes no arguments: --help, or run. */
function wantsHelp(argv: string[]): boolean {
    try {
        return parseArgs({ args: argv, options: { help: { type: "boolean", short: "h" } } }).values.help === true;
    } catch (err) {
        console.error(`${(err as Error).message.split(". To specify")[0]}\n${USAGE}`);
        process.exit(2);
    }
}

if (wantsHelp(process.argv.slice(2))) {
    console.log(HELP);
} else {
    main().catch((err: Error) => {
        console.error(`bench failed: ${err.message}`);
        process.exit(1);
    });
}
