/**
 * Mocha global fixtures (required by .mocharc.js; they run once, in mocha's own process): a
 * directory where the test files of one run share their whole-stack renders across worker
 * processes (test/helpers/render.ts), removed when the run ends. Every run renders afresh.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const SHARED_RENDERS = "AGENT_PLATFORM_TEST_RENDERS";

export function mochaGlobalSetup(): void {
    // Workers are forked after this and inherit the variable.
    process.env[SHARED_RENDERS] = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-test-renders-"));
}

export function mochaGlobalTeardown(): void {
    const dir = process.env[SHARED_RENDERS];
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
