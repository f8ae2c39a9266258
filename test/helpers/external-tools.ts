/**
 * Tests that need a real tool users have (promtool, a MariaDB server) call `requireTool` in a
 * `before` hook. Locally a missing tool is a clearly reported skip; in CI (`CI=true`) it is a
 * failure, so a green CI run always means the tool really ran.
 */
import { spawnSync } from "node:child_process";

/** Absolute path of `command` on PATH (or in the usual sbin dirs), or undefined. */
export function findTool(command: string): string | undefined {
    const dirs = [...(process.env["PATH"] ?? "").split(":"), "/usr/sbin", "/usr/local/sbin", "/sbin"];
    const found = spawnSync("sh", ["-c", `PATH='${dirs.join(":")}' command -v ${command}`], { encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
}

/**
 * Returns the tool's path, or skips the suite (locally) / throws (in CI).
 * `install` tells the reader how to get it, e.g. "apt-get install prometheus".
 */
export function requireTool(context: Mocha.Context, command: string, install: string): string {
    const path = findTool(command);
    if (path) return path;
    const message = `${command} not found (install: ${install})`;
    if (process.env["CI"] === "true") throw new Error(`${message}; CI does not allow skipping this test`);
    console.warn(`      SKIPPED: ${message}`);
    context.skip();
}
