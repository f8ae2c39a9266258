/** The comment for a failed preview, from a Pulumi engine event log (tools/preview-violations). */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { failureComment, resolvedComment, violationsMarker } from "../../tools/preview-violations/comment";
import { describeUrn, parseEventLog } from "../../tools/preview-violations/events";
import { projectStacks, ROOT } from "./support";

const DEPLOYMENT_URN = "urn:pulumi:prod::agent-platform::agent-platform:agent-runtime:AgentRuntime$kubernetes:apps/v1:Deployment::agent-runtime-deployment";

/** Engine events as `pulumi preview --event-log` writes them, one JSON object per line. */
const EVENT_LOG = [
    { sequence: 0, timestamp: 1, preludeEvent: { config: {} } },
    {
        sequence: 1,
        timestamp: 1,
        policyEvent: {
            resourceUrn: DEPLOYMENT_URN,
            message: 'Deployment "agents/agent-runtime", container "runtime": privileged is true | remove it',
            color: "never",
            policyName: "no-privileged-containers",
            policyPackName: "agent-platform",
            policyPackVersion: "0.1.0",
            policyPackVersionTag: "0.1.0",
            enforcementLevel: "mandatory",
        },
    },
    {
        sequence: 2,
        timestamp: 1,
        policyEvent: {
            resourceUrn: DEPLOYMENT_URN,
            message: "image tag latest",
            color: "never",
            policyName: "pinned-image",
            policyPackName: "agent-platform",
            policyPackVersion: "0.1.0",
            policyPackVersionTag: "0.1.0",
            enforcementLevel: "warning",
        },
    },
    { sequence: 3, timestamp: 1, diagnosticEvent: { message: "<{%fg 1%}>preview failed: policy violations\n", color: "never", severity: "error" } },
    { sequence: 4, timestamp: 1, diagnosticEvent: { message: "progress...", color: "never", severity: "error", ephemeral: true } },
    { sequence: 5, timestamp: 1, summaryEvent: { maybeCorrupt: false, durationSeconds: 3, resourceChanges: {}, PolicyPacks: {}, isPreview: true } },
]
    .map((event) => JSON.stringify(event))
    .join("\n");

describe("preview violations: event log", () => {
    it("reads policy violations and non-ephemeral error diagnostics, colour codes stripped", () => {
        const events = parseEventLog(`${EVENT_LOG}\n{"sequence": 6, "cut sho`);
        expect(events.finished).to.equal(true);
        expect(events.violations.map((v) => [v.policy, v.level])).to.deep.equal([
            ["no-privileged-containers", "mandatory"],
            ["pinned-image", "warning"],
        ]);
        expect(events.errors).to.deep.equal(["preview failed: policy violations"]);
    });

    it("names a resource by its type and name from the URN", () => {
        expect(describeUrn(DEPLOYMENT_URN)).to.equal("kubernetes:apps/v1:Deployment agent-runtime-deployment");
        expect(describeUrn(undefined)).to.equal("(stack)");
    });

    it("knows an event log that stopped before the summary", () => {
        expect(parseEventLog("").finished).to.equal(false);
    });
});

describe("preview violations: comment", () => {
    const context = { stack: "prod", runUrl: "https://example.invalid/run/1", sha: "0123456789abcdef" };

    it("starts with the stack's own marker and lists mandatory violations first in a table", () => {
        const comment = failureComment(parseEventLog(EVENT_LOG), context);
        const lines = comment.split("\n");
        expect(lines[0]).to.equal(violationsMarker("prod"));
        expect(lines[1]).to.equal("### `pulumi preview` of `prod` failed: 1 mandatory policy violation");
        const rows = lines.filter((line) => line.startsWith("| mandatory") || line.startsWith("| advisory"));
        expect(rows[0]).to.equal(
            '| mandatory | `no-privileged-containers` | `kubernetes:apps/v1:Deployment agent-runtime-deployment` | Deployment "agents/agent-runtime", container "runtime": privileged is true \\| remove it |',
        );
        expect(rows[1]).to.match(/^\| advisory \| `pinned-image` /);
        expect(comment).to.contain("commit `0123456`").and.contain("[workflow run](https://example.invalid/run/1)");
    });

    it("shows the errors when the preview failed for a reason other than policy", () => {
        const log = JSON.stringify({
            sequence: 1,
            timestamp: 1,
            diagnosticEvent: { message: "error: configured Kubernetes cluster is unreachable", color: "never", severity: "error" },
        });
        const comment = failureComment(parseEventLog(log), context);
        expect(comment).to.contain("### `pulumi preview` of `prod` failed\n");
        expect(comment).to.contain("No policy was violated; the preview stopped on these errors:");
        expect(comment).to.contain("```text\nerror: configured Kubernetes cluster is unreachable\n```");
    });

    it("keeps one marker per stack, so the stacks' comments never overwrite each other", () => {
        expect(new Set(projectStacks().map(violationsMarker)).size).to.equal(projectStacks().length);
        expect(resolvedComment(context).split("\n")[0]).to.equal(violationsMarker("prod"));
    });

    it("runs as a CLI: failure comment from an event log file, --resolved note, and usage errors", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-violations-"));
        try {
            const file = path.join(dir, "events.jsonl");
            fs.writeFileSync(file, EVENT_LOG);
            const cli = (...args: string[]) =>
                spawnSync(process.execPath, ["--require", path.join(ROOT, "tools/ts-register.js"), path.join(ROOT, "tools/preview-violations.ts"), ...args], {
                    encoding: "utf8",
                });
            const failed = cli("--stack", "dev", "--events", file);
            expect(failed.status).to.equal(0);
            expect(failed.stdout).to.contain("`no-privileged-containers`");
            const missing = cli("--stack", "dev", "--events", path.join(dir, "missing.jsonl"));
            expect(missing.stdout).to.contain("the event log names no error");
            expect(cli("--stack", "dev", "--resolved").stdout).to.contain("passes the policy pack again");
            expect(cli("--stack", "dev").status).to.equal(2);
            expect(cli("--stack", "dev", "--resolved", "--events", file).status).to.equal(2);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
