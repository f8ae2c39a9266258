/**
 * CronJobs: never overlapping, bounded history, hardened like every pod (tier 1 and 2), and
 * the cleanup script run for real by a POSIX shell against a workspace tree.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { lutimesSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AiAgentsCronJobs, buildCleanupCronJobSpec, buildTokenRefreshCronJobSpec, CLEANUP_SCRIPT } from "../../components/ai-agents/cronjobs";
import { checkObjects, parsePolicyConfig } from "../../policies/evaluate";
import { requireTool } from "../helpers/external-tools";
import { recordComponents } from "../helpers/record";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { resolvedPlatform } from "./fixtures";

describe("ai-agents CronJobs", () => {
    const resolved = resolvedPlatform();

    it("never overlap, keep a bounded history and give up on a run after its deadline", () => {
        for (const spec of [buildCleanupCronJobSpec(resolved), buildTokenRefreshCronJobSpec(resolved, "api-env")] as any[]) {
            expect(spec).to.include({
                concurrencyPolicy: "Forbid",
                startingDeadlineSeconds: 300,
                successfulJobsHistoryLimit: 1,
                failedJobsHistoryLimit: 3,
                timeZone: "Etc/UTC",
            });
            expect(spec.jobTemplate.spec).to.include({ backoffLimit: 2, activeDeadlineSeconds: 1800 });
            expect(spec.jobTemplate.spec.template.spec.restartPolicy).to.equal("OnFailure");
        }
    });

    it("cleanup: runs the script in the API image on the workspace, without an API token", () => {
        const spec: any = buildCleanupCronJobSpec(resolvedPlatform({ cronJobs: { cleanup: { schedule: "@hourly", maxAgeHours: 6 } } }));
        const pod = spec.jobTemplate.spec.template.spec;
        const container = pod.containers[0];
        expect(spec.schedule).to.equal("@hourly");
        expect(container.image).to.equal("ghcr.io/labrats-work/apps.ai-agents:1.4.2");
        expect(container.command).to.deep.equal(["/bin/sh", "-c", CLEANUP_SCRIPT]);
        expect(container.env).to.deep.equal([
            { name: "WORKSPACE_DIR", value: "/workspace/jobs" },
            { name: "MAX_AGE_MINUTES", value: "360" },
        ]);
        expect(pod).to.include({ serviceAccountName: "ai-agents-cleanup", automountServiceAccountToken: false });
        expect(container.volumeMounts.map((m: any) => m.mountPath)).to.deep.equal(["/tmp", "/workspace"]);
    });

    it("token-refresh: runs its command with the API's ConfigMap as the executor account", () => {
        const spec: any = buildTokenRefreshCronJobSpec(resolvedPlatform({ cronJobs: { tokenRefresh: { command: ["node", "refresh.js"] } } }), "api-env");
        const pod = spec.jobTemplate.spec.template.spec;
        expect(spec.schedule).to.equal("0 */6 * * *");
        expect(pod.containers[0]).to.deep.include({ command: ["node", "refresh.js"], envFrom: [{ configMapRef: { name: "api-env" } }] });
        expect(pod).to.include({ serviceAccountName: "ai-agents-executor", automountServiceAccountToken: true });
    });

    it("run next to the API pod when the workspace is ReadWriteOnce", () => {
        const pod = (buildCleanupCronJobSpec(resolvedPlatform({ storage: { workspace: { accessMode: "ReadWriteOnce" } } })) as any).jobTemplate.spec.template
            .spec;
        expect(pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution).to.deep.equal([
            {
                labelSelector: { matchLabels: { "app.kubernetes.io/name": "ai-agents", "app.kubernetes.io/instance": "ai-agents-api" } },
                topologyKey: "kubernetes.io/hostname",
            },
        ]);
        expect((buildCleanupCronJobSpec(resolved) as any).jobTemplate.spec.template.spec.affinity).to.equal(undefined);
    });

    it("are schema-valid and pass every policy as mandatory; either can be turned off", async () => {
        const r = await recordComponents((provider) => new AiAgentsCronJobs("cron", { resolved, apiConfigMapName: "api-env" }, { providers: [provider] }));
        expect(r.objects.map((o) => o.metadata.name)).to.have.members(["ai-agents-cleanup", "ai-agents-token-refresh"]);
        for (const object of r.objects) await validateAgainstSchema(object);
        expect(checkObjects(r.objects, parsePolicyConfig({ all: "mandatory" }))).to.deep.equal([]);
        const without = resolvedPlatform({ cronJobs: { tokenRefresh: { enabled: false } } });
        const one = await recordComponents(
            (provider) => new AiAgentsCronJobs("cron", { resolved: without, apiConfigMapName: "api-env" }, { providers: [provider] }),
        );
        expect(one.objects.map((o) => o.metadata.name)).to.deep.equal(["ai-agents-cleanup"]);
    });
});

describe("ai-agents cleanup script (POSIX sh, real files)", function () {
    let root: string;
    let jobs: string;
    const TWO_DAYS_AGO = Date.now() / 1000 - 48 * 3600;

    before(function () {
        requireTool(this, "find", "apt-get install findutils");
    });
    beforeEach(() => {
        root = mkdtempSync(join(tmpdir(), "cleanup-"));
        jobs = join(root, "jobs");
        mkdirSync(jobs);
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    /** A job workspace whose files (and the directories) were last changed `ageSeconds` ago. */
    function workspace(name: string, ageSeconds: number, nested = false): string {
        const dir = join(jobs, name);
        const file = nested ? join(dir, "src", "main.ts") : join(dir, "out.log");
        mkdirSync(join(file, ".."), { recursive: true });
        writeFileSync(file, "x");
        const at = Date.now() / 1000 - ageSeconds;
        for (const path of [file, join(file, ".."), dir]) utimesSync(path, at, at);
        return dir;
    }

    function run(env: Record<string, string>) {
        return spawnSync("/bin/sh", ["-c", CLEANUP_SCRIPT], { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...env }, encoding: "utf8" });
    }

    it("removes workspaces untouched for longer than the limit and keeps the rest", () => {
        const stale = workspace("job-stale", 48 * 3600);
        const fresh = workspace("job-fresh", 60);
        const run1 = run({ WORKSPACE_DIR: jobs, MAX_AGE_MINUTES: "1440" });
        expect(run1.status, run1.stderr).to.equal(0);
        expect(existsSync(stale)).to.equal(false);
        expect(existsSync(fresh)).to.equal(true);
        expect(run1.stdout).to.contain(`cleanup: removing ${stale}`).and.contain("removed 1 stale workspace(s)");
    });

    it("keeps an old workspace in which a job still writes deep down", () => {
        const active = workspace("job-active", 48 * 3600, true);
        writeFileSync(join(active, "src", "main.ts"), "still writing");
        expect(run({ WORKSPACE_DIR: jobs, MAX_AGE_MINUTES: "1440" }).status).to.equal(0);
        expect(existsSync(active)).to.equal(true);
    });

    it("never follows a symlink out of the workspace", () => {
        const outside = join(root, "precious");
        mkdirSync(outside);
        writeFileSync(join(outside, "keep"), "x");
        utimesSync(join(outside, "keep"), TWO_DAYS_AGO, TWO_DAYS_AGO);
        symlinkSync(outside, join(jobs, "link"));
        lutimesSync(join(jobs, "link"), TWO_DAYS_AGO, TWO_DAYS_AGO);
        expect(run({ WORKSPACE_DIR: jobs, MAX_AGE_MINUTES: "60" }).status).to.equal(0);
        expect(existsSync(join(outside, "keep"))).to.equal(true);
        expect(existsSync(join(jobs, "link"))).to.equal(true);
    });

    it("succeeds without doing anything when the workspace directory does not exist yet", () => {
        const missing = run({ WORKSPACE_DIR: join(root, "nope"), MAX_AGE_MINUTES: "60" });
        expect(missing.status).to.equal(0);
        expect(missing.stdout).to.contain("does not exist; nothing to do");
    });

    it("refuses to clean / or an unset directory (checked with a stand-in rm that only records)", () => {
        // A broken guard must not be able to delete anything here: `rm` and `find` are stubs.
        const bin = join(root, "bin");
        const calls = join(root, "rm-calls");
        mkdirSync(bin);
        writeFileSync(join(bin, "rm"), `#!/bin/sh\necho "$@" >> '${calls}'\n`, { mode: 0o755 });
        writeFileSync(join(bin, "find"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
        for (const dir of ["/", ""]) {
            const refused = spawnSync("/bin/sh", ["-c", CLEANUP_SCRIPT], {
                env: { PATH: `${bin}:/usr/bin:/bin`, WORKSPACE_DIR: dir, MAX_AGE_MINUTES: "60" },
                encoding: "utf8",
            });
            expect(refused.status, `'${dir}'`).to.equal(1);
            expect(refused.stderr).to.contain("refusing to clean");
        }
        expect(existsSync(calls)).to.equal(false);
    });
});
