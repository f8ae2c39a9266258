/**
 * Throughput of policy:check: N generated workload objects of mixed kinds (N = 1,000,
 * 10,000, 50,000), written as multi-document YAML files, checked by the real CLI in a
 * child process (pinned to one core when taskset exists). Also compares js-yaml with
 * `yaml` on the same text, since parsing dominates.
 *
 *   node --require ./tools/ts-register.js tools/bench-policy.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import jsyaml from "js-yaml";
import YAML from "yaml";
import { checkObjects } from "../policies/evaluate";
import { kubernetesYamlSchema } from "./policy-check/yaml";

const sizes = [1_000, 10_000, 50_000] as const;
const documentsPerFile = 500;
const repoRoot = join(__dirname, "..");

function hardenedContainer(name: string, image: string): Record<string, unknown> {
    return {
        name,
        image,
        ports: [{ name: "http", containerPort: 8080 }],
        env: [
            { name: "LOG_LEVEL", value: "info" },
            { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
        ],
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        readinessProbe: { httpGet: { path: "/ready", port: "http" } },
        livenessProbe: { httpGet: { path: "/live", port: "http" } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    };
}

function podTemplate(index: number): Record<string, unknown> {
    const app = hardenedContainer("app", `registry.example.com/app:1.${index % 50}.0`);
    // Every tenth object breaks a mandatory rule, every seventh an advisory one.
    if (index % 10 === 0) {
        (app["securityContext"] as Record<string, unknown>)["readOnlyRootFilesystem"] = false;
    }
    if (index % 7 === 0) {
        app["image"] = "registry.example.com/app:latest";
    }
    return {
        metadata: { labels: { app: `app-${index}` }, annotations: { "checksum/config": `c${index}` } },
        spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
            initContainers: [hardenedContainer("migrate", "registry.example.com/migrate:2.0.0")],
            containers: [app],
            volumes: [{ name: "tmp", emptyDir: {} }],
        },
    };
}

const kinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "Pod", "PodTemplate"] as const;
const apiVersions: Record<(typeof kinds)[number], string> = {
    Deployment: "apps/v1",
    StatefulSet: "apps/v1",
    DaemonSet: "apps/v1",
    ReplicaSet: "apps/v1",
    ReplicationController: "v1",
    Job: "batch/v1",
    CronJob: "batch/v1",
    Pod: "v1",
    PodTemplate: "v1",
};

/** One workload object; the kind cycles so every extractor path is exercised. */
export function generateWorkload(index: number): Record<string, unknown> {
    const kind = kinds[index % kinds.length]!;
    const metadata = { name: `app-${index}`, namespace: `team-${index % 13}` };
    const template = podTemplate(index);
    const base = { apiVersion: apiVersions[kind], kind, metadata };
    switch (kind) {
        case "Pod":
            return { ...base, ...template };
        case "PodTemplate":
            return { ...base, template };
        case "CronJob":
            return { ...base, spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template } } } };
        default:
            return { ...base, spec: { selector: { matchLabels: { app: `app-${index}` } }, template } };
    }
}

function writeManifests(directory: string, count: number): string[] {
    const texts: string[] = [];
    for (let start = 0; start < count; start += documentsPerFile) {
        const documents: string[] = [];
        for (let index = start; index < Math.min(count, start + documentsPerFile); index++) {
            documents.push(jsyaml.dump(generateWorkload(index)));
        }
        const text = documents.join("---\n");
        writeFileSync(join(directory, `manifests-${String(start / documentsPerFile).padStart(4, "0")}.yaml`), text);
        texts.push(text);
    }
    return texts;
}

interface CliRun {
    seconds: number;
    maxRssMb: number;
    exitCode: number | null;
    pinned: boolean;
}

/**
 * The node arguments of the `policy:check` npm script, so the benchmark measures the
 * loader users get.
 */
function policyCheckNodeArgs(): string[] {
    const scripts = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};
    const words = (scripts["policy:check"] ?? "").trim().split(/\s+/);
    if (words[0] !== "node") throw new Error(`the policy:check script is not a plain node command: ${scripts["policy:check"]}`);
    return words.slice(1);
}

function runCli(directory: string): CliRun {
    const pinned = existsSync("/usr/bin/taskset");
    const nodeArgs = ["--require", join(repoRoot, "tools/max-rss.cjs"), ...policyCheckNodeArgs(), directory];
    const command = pinned ? "/usr/bin/taskset" : process.execPath;
    const args = pinned ? ["-c", "0", process.execPath, ...nodeArgs] : nodeArgs;
    const started = performance.now();
    const result = spawnSync(command, args, { cwd: repoRoot, encoding: "utf8", maxBuffer: 1 << 30 });
    const seconds = (performance.now() - started) / 1000;
    const rss = /max-rss-kb=(\d+)/.exec(result.stderr ?? "");
    if (result.status === 2 || rss === null) {
        throw new Error(`policy:check failed in the benchmark: ${result.stderr}`);
    }
    return { seconds, maxRssMb: Number(rss[1]) / 1024, exitCode: result.status, pinned };
}

function timeIt(action: () => void): number {
    const started = performance.now();
    action();
    return (performance.now() - started) / 1000;
}

function pad(value: string, width: number): string {
    return value.padStart(width);
}

export async function runPolicyBench(): Promise<string> {
    const lines: string[] = [];
    const cliRows: string[] = [];
    const parserRows: string[] = [];
    let pinned = false;
    for (const size of sizes) {
        const directory = mkdtempSync(join(tmpdir(), `policy-bench-${size}-`));
        try {
            const texts = writeManifests(directory, size);
            const run = runCli(directory);
            pinned = run.pinned;
            cliRows.push(
                `${pad(size.toLocaleString("en-US"), 8)} | ${pad(run.seconds.toFixed(2), 7)} | ${pad(Math.round(size / run.seconds).toLocaleString("en-US"), 10)} | ${pad(run.maxRssMb.toFixed(0), 7)}`,
            );
            if (size <= 10_000) {
                let objects: unknown[] = [];
                const jsYamlSeconds = timeIt(() => {
                    objects = texts.flatMap((text) => jsyaml.loadAll(text, null, { schema: kubernetesYamlSchema }));
                });
                const yamlSeconds = timeIt(() => {
                    for (const text of texts) {
                        YAML.parseAllDocuments(text, { version: "1.1" }).map((document) => document.toJS());
                    }
                });
                const checkSeconds = timeIt(() => checkObjects(objects));
                parserRows.push(
                    `${pad(size.toLocaleString("en-US"), 8)} | ${pad(jsYamlSeconds.toFixed(2), 12)} | ${pad(yamlSeconds.toFixed(2), 9)} | ${pad((yamlSeconds / jsYamlSeconds).toFixed(1), 6)}x | ${pad(checkSeconds.toFixed(3), 8)}`,
                );
            }
        } finally {
            rmSync(directory, { recursive: true, force: true });
        }
    }
    lines.push(
        `policy:check throughput (the npm script's command, ${pinned ? "pinned to one core with taskset" : "not pinned"}; wall time includes Node start-up)`,
    );
    lines.push(" objects |  wall s |  objects/s | peak MB");
    lines.push(...cliRows);
    lines.push("");
    lines.push("YAML parsers on the same manifests, in-process (seconds), and the rule check alone");
    lines.push(" objects | js-yaml (1.1) | yaml (1.1) | ratio | check s");
    lines.push(...parserRows);
    return `${lines.join("\n")}\n`;
}

const USAGE = "usage: node --require ./tools/ts-register.js tools/bench-policy.ts [--help]";

if (require.main === module) {
    let help = false;
    try {
        help = parseArgs({ args: process.argv.slice(2), options: { help: { type: "boolean", short: "h" } } }).values.help === true;
    } catch (error) {
        process.stderr.write(`${(error as Error).message.split(". To specify")[0]}\n${USAGE}\n`);
        process.exit(2);
    }
    if (help) {
        process.stdout.write(`${USAGE}\n\npolicy:check throughput on generated manifests (also part of \`npm run bench\`). Takes no options.\n`);
        process.exit(0);
    }
    runPolicyBench().then(
        (table) => process.stdout.write(table),
        (error: unknown) => {
            process.stderr.write(`bench-policy: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exitCode = 1;
        },
    );
}
