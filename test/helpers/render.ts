/**
 * Tier 3 helper: the real program for a whole stack rendered in this process, as
 * `npm run render` runs it (tools/render/render-stack.ts). index.ts runs once per require, so it
 * is dropped from Node's module cache first (the Pulumi SDK and its mocks support one run after
 * another). The components stay loaded: they keep no module-level state (a lint rule in
 * eslint.config.mjs), and loading them again took about half of each later render's time.
 *
 * Each stack (and stack file) is rendered once per test run and shared by every test that reads
 * it, across mocha's worker processes: the first worker to ask renders it and leaves it as JSON in
 * the run's directory (test/helpers/shared-renders.ts); the others wait for that file. Tests must
 * not change what they get.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { renderStack, type StackRender } from "../../tools/render/render-stack";
import { SHARED_RENDERS } from "./shared-renders";

export const ROOT = path.resolve(__dirname, "../..");

/** How long a worker waits for another's render before it renders the stack itself. */
const WAIT_MS = 120_000;

const renders = new Map<string, Promise<StackRender>>();
let queue: Promise<unknown> = Promise.resolve();

function forgetProgram(): void {
    delete require.cache[path.join(ROOT, "index.ts")];
}

/** One render at a time in a process: each sets the engine's config and runs index.ts afresh. */
function renderHere(stack: string, configFile: string | undefined): Promise<StackRender> {
    const next = queue.then(() => {
        forgetProgram();
        return renderStack(ROOT, stack, configFile);
    });
    queue = next.catch(() => undefined);
    return next;
}

/** The render from the run's shared directory: written by this process, or by another that got there first. */
async function sharedRender(dir: string, stack: string, configFile: string | undefined): Promise<StackRender> {
    const key = createHash("sha256")
        .update(`${stack}\0${configFile ?? ""}\0${configFile ? fs.readFileSync(configFile, "utf8") : ""}`)
        .digest("hex")
        .slice(0, 16);
    const file = path.join(dir, `${stack}-${key}.json`);
    const lock = `${file}.lock`;
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
        if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as StackRender;
        try {
            fs.mkdirSync(lock);
        } catch {
            // Another worker renders it.
            if (Date.now() < deadline) {
                await sleep(100);
                continue;
            }
            return renderHere(stack, configFile);
        }
        try {
            const render = await renderHere(stack, configFile);
            fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(render));
            fs.renameSync(`${file}.${process.pid}`, file);
            return render;
        } finally {
            fs.rmSync(lock, { recursive: true, force: true });
        }
    }
}

/** `stack` rendered from Pulumi.<stack>.yaml, or from `configFile` in its place. */
export function renderedStack(stack: string, configFile?: string): Promise<StackRender> {
    const key = `${stack}\0${configFile ?? ""}`;
    let render = renders.get(key);
    if (!render) {
        const dir = process.env[SHARED_RENDERS];
        render = dir && fs.existsSync(dir) ? sharedRender(dir, stack, configFile) : renderHere(stack, configFile);
        renders.set(key, render);
    }
    return render;
}
