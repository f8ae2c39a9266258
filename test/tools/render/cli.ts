/** `npm run render` as a process, for the tests of its command line, and what it wrote. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export const ROOT = path.resolve(__dirname, "../../..");
export const REDACTED = "[secret: redacted]";

export interface CliRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

export function render(...args: string[]): CliRun {
    const run = spawnSync(process.execPath, ["--require", path.join(ROOT, "tools/ts-register.js"), path.join(ROOT, "tools/render.ts"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function filesUnder(dir: string): string[] {
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath, e.name));
}

export function objectsUnder(dir: string): any[] {
    return filesUnder(dir)
        .filter((f) => f.endsWith(".yaml"))
        .map((f) => parse(fs.readFileSync(f, "utf8")));
}
