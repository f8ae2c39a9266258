/**
 * The two trees of a diff: the base as a temporary `git worktree` of a ref (with this
 * checkout's node_modules when package-lock.json is identical, else its own `npm ci`), and
 * the working tree; each stack rendered by that tree's own `tools/render.ts` in a process
 * of its own, so the base is rendered exactly as its code did it.
 */
import { execFile, spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readRenderDir, type RenderSet } from "./render-set";

export class TreeError extends Error {}

export type Log = (line: string) => void;

function run(command: string, args: readonly string[], cwd: string, timeoutMs = 600_000): SpawnSyncReturns<string> {
    return spawnSync(command, args, { cwd, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
}

function git(cwd: string, ...args: string[]): string {
    const result = run("git", args, cwd);
    if (result.status !== 0) throw new TreeError(`git ${args.join(" ")}: ${(result.stderr || result.error?.message || "failed").trim()}`);
    return result.stdout.trim();
}

export interface BaseTree {
    /** The project directory inside the worktree. */
    projectDir: string;
    sha: string;
    /** How node_modules was provided. */
    dependencies: "shared" | "npm ci";
    remove(): void;
}

function sameFile(a: string, b: string): boolean {
    return fs.existsSync(a) && fs.existsSync(b) && fs.readFileSync(a).equals(fs.readFileSync(b));
}

/** Checks `ref` out into a temporary worktree ready to render. */
export function checkoutBase(projectDir: string, ref: string, log: Log): BaseTree {
    const top = git(projectDir, "rev-parse", "--show-toplevel");
    let sha: string;
    try {
        sha = git(projectDir, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
    } catch {
        throw new TreeError(`unknown git ref '${ref}' (is it fetched? CI checkouts are shallow)`);
    }
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "render-diff-"));
    const worktree = path.join(scratch, "base");
    const baseProject = path.join(worktree, path.relative(top, projectDir));
    const remove = (): void => {
        // Links first, so removing the worktree can never reach into the shared node_modules.
        for (const link of ["node_modules", "policies/node_modules"]) {
            const at = path.join(baseProject, link);
            if (fs.lstatSync(at, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(at);
        }
        run("git", ["worktree", "remove", "--force", worktree], top);
        fs.rmSync(scratch, { recursive: true, force: true });
        run("git", ["worktree", "prune"], top);
    };
    try {
        git(top, "worktree", "add", "--detach", "--quiet", worktree, sha);
        let dependencies: BaseTree["dependencies"] = "shared";
        if (sameFile(path.join(projectDir, "package-lock.json"), path.join(baseProject, "package-lock.json"))) {
            for (const link of ["node_modules", "policies/node_modules"]) {
                const target = path.join(projectDir, link);
                const at = path.join(baseProject, link);
                const free = fs.existsSync(path.dirname(at)) && !fs.lstatSync(at, { throwIfNoEntry: false });
                if (fs.existsSync(target) && free) fs.symlinkSync(target, at, "dir");
            }
            log(`base ${ref} (${sha.slice(0, 7)}): same package-lock.json, sharing node_modules`);
        } else {
            dependencies = "npm ci";
            log(`base ${ref} (${sha.slice(0, 7)}): package-lock.json differs, running npm ci there`);
            const npm = run("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], baseProject);
            if (npm.status !== 0)
                throw new TreeError(`npm ci at base ${ref} failed: ${(npm.stderr || npm.error?.message || "").trim().split("\n").slice(-5).join("\n")}`);
        }
        return { projectDir: baseProject, sha, dependencies, remove };
    } catch (err) {
        remove();
        throw err;
    }
}

export type Side = { state: "rendered"; render: RenderSet } | { state: "absent" } | { state: "failed"; error: string };

/** Runs a command to its end without throwing on a non-zero exit: its status and output. */
function runAsync(
    command: string,
    args: readonly string[],
    cwd: string,
    timeoutMs = 600_000,
): Promise<{ status: number | null; stdout: string; stderr: string; error?: string }> {
    return new Promise((resolve) => {
        execFile(command, args, { cwd, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            const status = error === null ? 0 : typeof error.code === "number" ? error.code : null;
            resolve({ status, stdout, stderr, ...(error !== null && status === null ? { error: error.message } : {}) });
        });
    });
}

/** Renders `stack` with the `tools/render.ts` of `projectDir` into `outDir`, in a process of its own. */
export async function renderSide(projectDir: string, stack: string, outDir: string): Promise<Side> {
    if (!fs.existsSync(path.join(projectDir, `Pulumi.${stack}.yaml`))) return { state: "absent" };
    const cli = path.join(projectDir, "tools", "render.ts");
    if (!fs.existsSync(cli)) return { state: "failed", error: "this tree has no offline render (tools/render.ts)" };
    fs.rmSync(outDir, { recursive: true, force: true });
    const result = await runAsync(process.execPath, ["--require", path.join(projectDir, "tools", "ts-register.js"), cli, stack, "--out", outDir], projectDir);
    // Exit 1 with a plan.json is a render with mandatory policy violations: still a render to compare.
    if (fs.existsSync(path.join(outDir, "plan.json"))) return { state: "rendered", render: readRenderDir(outDir) };
    const why = (result.stderr || result.stdout || result.error || `exit ${result.status}`)
        .trim()
        .split("\n")
        .filter((line) => !line.startsWith("warning:"));
    return { state: "failed", error: why.slice(-3).join(" ") || `exit ${result.status}` };
}

/** A stack as a previous render left it (`<root>/<stack>`), for diffing two render directories. */
export function readSide(root: string, stack: string): Side {
    const dir = path.join(root, stack);
    if (!fs.existsSync(dir)) return { state: "absent" };
    try {
        return { state: "rendered", render: readRenderDir(dir) };
    } catch (err) {
        return { state: "failed", error: (err as Error).message };
    }
}

/** `abc1234`, with `+ uncommitted changes` when the working tree differs from HEAD. */
export function describeWorkingTree(projectDir: string): string {
    try {
        const sha = git(projectDir, "rev-parse", "--short=7", "HEAD");
        const dirty = git(projectDir, "status", "--porcelain", "--untracked-files=no", "--", ".").length > 0;
        return dirty ? `${sha} + uncommitted changes` : sha;
    } catch {
        return "working tree";
    }
}
