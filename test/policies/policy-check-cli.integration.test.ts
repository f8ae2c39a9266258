/** policy:check end to end: the real CLI process on temporary manifest files. */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import jsyaml from "js-yaml";
import { workloadWith, type Json } from "./support/fixtures";

const cli = join(__dirname, "../../tools/policy-check.ts");
// By absolute path, so the loader resolves from any working directory.
const tsLoader = join(__dirname, "../../tools/ts-register.js");

interface CliResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, input = ""): CliResult {
    const result = spawnSync(process.execPath, ["--require", tsLoader, cli, ...args], {
        cwd,
        encoding: "utf8",
        input,
        env: { ...process.env, npm_lifecycle_event: "", ...env },
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(root: string, relative: string, content: string): string {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
}

function yamlStream(...documents: unknown[]): string {
    return documents.map((document) => jsyaml.dump(document)).join("---\n");
}

/** Breaks exactly one mandatory policy. */
function privilegedPod(): Json {
    const pod = workloadWith("Pod", (spec) => {
        spec.containers[0].securityContext.privileged = true;
    });
    delete pod.metadata.namespace;
    pod.metadata.name = "priv";
    return pod;
}

/** Breaks exactly one advisory policy. */
function latestImageDeployment(): Json {
    return workloadWith("Deployment", (spec) => {
        spec.containers[0].image = "nginx:latest";
    });
}

const service = { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "team-a" }, spec: { ports: [{ port: 80 }] } };

/** A bad input: its line on stderr, then the summary; exit 2, nothing on stdout. */
function expectInputError(result: CliResult, pattern: RegExp): void {
    expect(result.code).to.equal(2);
    expect(result.stdout).to.equal("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines, result.stderr).to.have.length(2);
    expect(lines[0]).to.match(pattern);
    expect(lines[1]).to.match(/^policy:check: 0 objects in \d+ files? \(1 input could not be read\): /);
    expect(result.stderr).to.not.match(/\n\s+at /);
}

function expectOneLineError(result: CliResult, pattern: RegExp): void {
    expect(result.code).to.equal(2);
    expect(result.stdout).to.equal("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines, result.stderr).to.have.length(1);
    expect(lines[0]).to.match(pattern);
    expect(result.stderr).to.not.match(/\n\s+at /);
}

describe("policy:check CLI (end to end)", function () {
    this.timeout(60_000);
    const root = mkdtempSync(join(tmpdir(), "policy-check-cli-"));

    it("exits 0 with no output lines on a clean multi-document file, skipping empty documents and non-workload kinds", () => {
        write(root, "clean/all.yaml", `${yamlStream(workloadWith("Deployment"), service, workloadWith("CronJob"))}---\n# only a comment\n---\n`);
        const result = runCli(["clean/all.yaml"], root);
        expect(result.code).to.equal(0);
        expect(result.stdout).to.equal("");
        expect(result.stderr).to.contain("3 objects in 1 file: 0 mandatory, 0 advisory violations");
    });

    it("exits 1 on a mandatory violation inside a kind: List and prints one line per violation", () => {
        write(root, "list/list.yaml", jsyaml.dump({ apiVersion: "v1", kind: "List", items: [service, privilegedPod()] }));
        const result = runCli(["list/list.yaml"], root);
        expect(result.code).to.equal(1);
        expect(result.stdout).to.equal(
            'list/list.yaml: Pod/-/priv: no-privileged-containers [mandatory]: Pod "priv", container "app": spec.containers[0].securityContext.privileged is true; remove it or set it to false\n',
        );
    });

    it("exits 0 when only advisory violations are found, still printing them", () => {
        write(root, "advisory/deploy.json", JSON.stringify(latestImageDeployment()));
        const result = runCli(["advisory"], root);
        expect(result.code).to.equal(0);
        expect(result.stdout).to.match(
            /^advisory\/deploy\.json: Deployment\/team-a\/demo: pinned-image \[advisory\]: .*containers\[0\]\.image "nginx:latest" uses the latest tag/,
        );
        expect(result.stdout.trimEnd().split("\n")).to.have.length(1);
    });

    it("--json prints an array of {file, kind, namespace, name, policy, enforcementLevel, message}", () => {
        write(root, "json/both.yaml", yamlStream(privilegedPod(), latestImageDeployment()));
        const result = runCli(["--json", "json/both.yaml"], root);
        expect(result.code).to.equal(1);
        const rows = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
        expect(rows.map((row) => Object.keys(row))).to.deep.equal([
            ["file", "kind", "namespace", "name", "policy", "enforcementLevel", "message"],
            ["file", "kind", "namespace", "name", "policy", "enforcementLevel", "message"],
        ]);
        expect(rows.map(({ message: _message, ...rest }) => rest)).to.deep.equal([
            { file: "json/both.yaml", kind: "Pod", namespace: null, name: "priv", policy: "no-privileged-containers", enforcementLevel: "mandatory" },
            { file: "json/both.yaml", kind: "Deployment", namespace: "team-a", name: "demo", policy: "pinned-image", enforcementLevel: "advisory" },
        ]);
    });

    it('--config {"all": "mandatory"} turns an advisory violation into exit 1', () => {
        const config = write(root, "config/all-mandatory.json", JSON.stringify({ all: "mandatory" }));
        const result = runCli(["--config", config, "advisory"], root);
        expect(result.code).to.equal(1);
        expect(result.stdout).to.contain("pinned-image [mandatory]");
    });

    it("--config can disable a mandatory policy (exit 0, nothing printed)", () => {
        write(root, "config/relaxed.json", JSON.stringify({ "no-privileged-containers": { enforcementLevel: "disabled" } }));
        const result = runCli(["--config=config/relaxed.json", "list/list.yaml"], root);
        expect(result.code).to.equal(0);
        expect(result.stdout).to.equal("");
    });

    it("exits 2 with a one-line reason on an invalid policy config", () => {
        write(root, "config/typo.json", JSON.stringify({ "no-priviliged-containers": "disabled" }));
        expectOneLineError(
            runCli(["--config", "config/typo.json", "list"], root),
            /^policy:check: config\/typo\.json: policy config "no-priviliged-containers": unknown policy; allowed keys are "all", /,
        );
    });

    describe("--config with namespace exemptions", () => {
        /** privilegedPod (mandatory) and latestImageDeployment (advisory), both in namespace addons. */
        const inAddons = () => {
            const pod = privilegedPod();
            pod.metadata.namespace = "addons";
            const deployment = latestImageDeployment();
            deployment.metadata.namespace = "addons";
            return yamlStream(pod, deployment, latestImageDeployment());
        };
        const reason = "the chart's own workloads";

        it("prints exempted findings as [exempted] with the reason after the violations, counts them apart, and exits 0 when only they would fail", () => {
            write(root, "exempt/objects.yaml", inAddons());
            write(root, "config/exempt.json", JSON.stringify({ all: "mandatory", "namespace-exemptions": { exemptions: [{ namespace: "addons", reason }] } }));
            const result = runCli(["--config", "config/exempt.json", "exempt/objects.yaml"], root);
            const lines = result.stdout.trimEnd().split("\n");
            expect(lines.map((line) => line.split(": ").slice(0, 3).join(": "))).to.deep.equal([
                "exempt/objects.yaml: Deployment/team-a/demo: pinned-image [mandatory]",
                "exempt/objects.yaml: Pod/addons/priv: no-privileged-containers [exempted]",
                "exempt/objects.yaml: Deployment/addons/demo: pinned-image [exempted]",
            ]);
            expect(lines[1]).to.match(/privileged is true; remove it or set it to false \(exempt in namespace "addons": the chart's own workloads\)$/);
            expect(result.stderr).to.equal("policy:check: 3 objects in 1 file: 1 mandatory, 0 advisory violations; 2 exempted\n");
            expect(result.code).to.equal(1);

            write(root, "exempt-only/objects.yaml", inAddons().split("---\n").slice(0, 2).join("---\n"));
            const onlyExempted = runCli(["--config", "config/exempt.json", "exempt-only"], root);
            expect(onlyExempted.code).to.equal(0);
            expect(onlyExempted.stderr).to.contain(": 0 mandatory, 0 advisory violations; 2 exempted");
        });

        it("an exemption limited to one policy still reports the others", () => {
            write(
                root,
                "config/exempt-one.json",
                JSON.stringify({ all: "mandatory", "namespace-exemptions": { exemptions: [{ namespace: "addons", policies: ["pinned-image"], reason }] } }),
            );
            const result = runCli(["--config", "config/exempt-one.json", "exempt/objects.yaml"], root);
            expect(result.code).to.equal(1);
            expect(result.stdout).to.contain("Pod/addons/priv: no-privileged-containers [mandatory]");
            expect(result.stdout).to.contain("Deployment/addons/demo: pinned-image [exempted]");
        });

        it('--json adds the exempted findings after the violations, with enforcementLevel "exempted" and the reason', () => {
            const result = runCli(["--json", "--config", "config/exempt.json", "exempt/objects.yaml"], root);
            const rows = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
            expect(rows.map(({ message: _message, ...rest }) => rest)).to.deep.equal([
                { file: "exempt/objects.yaml", kind: "Deployment", namespace: "team-a", name: "demo", policy: "pinned-image", enforcementLevel: "mandatory" },
                {
                    file: "exempt/objects.yaml",
                    kind: "Pod",
                    namespace: "addons",
                    name: "priv",
                    policy: "no-privileged-containers",
                    enforcementLevel: "exempted",
                    reason,
                },
                {
                    file: "exempt/objects.yaml",
                    kind: "Deployment",
                    namespace: "addons",
                    name: "demo",
                    policy: "pinned-image",
                    enforcementLevel: "exempted",
                    reason,
                },
            ]);
        });

        it("exits 2, naming the entry, on an exemption without a reason", () => {
            write(
                root,
                "config/no-reason.json",
                JSON.stringify({ all: "mandatory", "namespace-exemptions": { exemptions: [{ namespace: "addons", reason }, { namespace: "cert-manager" }] } }),
            );
            expectOneLineError(
                runCli(["--config", "config/no-reason.json", "exempt"], root),
                /^policy:check: config\/no-reason\.json: policy config "namespace-exemptions": exemptions\[1\] \(namespace "cert-manager"\): "reason" is required: say why the namespace is exempt$/,
            );
        });

        it("exits 2 on an exemption that names an unknown policy or an empty namespace", () => {
            write(
                root,
                "config/typo-policy.json",
                JSON.stringify({ "namespace-exemptions": { exemptions: [{ namespace: "addons", policies: ["health-probe"], reason }] } }),
            );
            expectOneLineError(
                runCli(["--config", "config/typo-policy.json", "exempt"], root),
                /exemptions\[0\] \(namespace "addons"\): "policies" names "health-probe", which is not a policy of the pack/,
            );
            write(root, "config/empty-namespace.json", JSON.stringify({ "namespace-exemptions": { exemptions: [{ namespace: "", reason }] } }));
            expectOneLineError(
                runCli(["--config", "config/empty-namespace.json", "exempt"], root),
                /exemptions\[0\]: "namespace" must be a non-empty namespace name$/,
            );
        });
    });

    it("exits 2 on bad YAML with the file and line, never a stack trace", () => {
        write(root, "bad/broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\nspec: {}\n");
        expectInputError(runCli(["bad/broken.yaml"], root), /^policy:check: bad\/broken\.yaml: invalid YAML at line \d+, column \d+: /);
    });

    it("exits 2 on bad JSON", () => {
        write(root, "badjson/x.json", '{"apiVersion": "v1",');
        expectInputError(runCli(["badjson"], root), /^policy:check: badjson\/x\.json: invalid JSON: /);
    });

    it("exits 2 when a named file is not a Kubernetes manifest", () => {
        write(root, "notk8s/values.yaml", "replicas: 3\nimage: nginx\n");
        expectInputError(
            runCli(["notk8s/values.yaml"], root),
            /^policy:check: notk8s\/values\.yaml: document 1 is not a Kubernetes object \(it needs apiVersion and kind\)$/,
        );
    });

    it("exits 2 on a missing path and on no arguments", () => {
        expectInputError(runCli(["does/not/exist.yaml"], root), /^policy:check: cannot read does\/not\/exist\.yaml: no such file or directory$/);
        expectOneLineError(runCli([], root), /^policy:check: no files or directories given; usage: npm run policy:check -- /);
    });

    it("walks directories recursively for *.yaml, *.yml and *.json, skipping other files, node_modules and non-manifests", () => {
        write(root, "tree/a/deep/pod.yml", yamlStream(privilegedPod()));
        write(root, "tree/b/deploy.JSON", JSON.stringify(latestImageDeployment()));
        write(root, "tree/b/notes.txt", "apiVersion: v1\nkind: Pod\n");
        write(root, "tree/b/package.json", JSON.stringify({ name: "x", version: "1.0.0" }));
        write(root, "tree/node_modules/dep/pod.yaml", yamlStream(privilegedPod()));
        const result = runCli(["tree"], root);
        expect(result.code).to.equal(1);
        expect(
            result.stdout
                .trimEnd()
                .split("\n")
                .map((line) => line.split(":")[0]),
        ).to.deep.equal(["tree/a/deep/pod.yml", "tree/b/deploy.JSON"]);
        expect(result.stderr).to.contain("tree/b/package.json: skipped, not a Kubernetes manifest");
    });

    it("under `npm run policy:check`, resolves relative paths from where npm was invoked (INIT_CWD), not the package root", () => {
        const result = runCli(["list/list.yaml"], tmpdir(), { npm_lifecycle_event: "policy:check", INIT_CWD: root });
        expect(result.code).to.equal(1);
        expect(result.stdout).to.match(/^list\/list\.yaml: Pod\/-\/priv: /);
    });

    it("exits 2 on a directory without manifests", () => {
        write(root, "empty/readme.txt", "nothing here");
        expectInputError(runCli(["empty"], root), /^policy:check: no \*\.yaml, \*\.yml or \*\.json files under empty$/);
    });

    it("reports a malformed file with its line and still checks and prints every other file (exit 2)", () => {
        write(root, "mixed/a-broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n");
        write(root, "mixed/b-priv.yaml", yamlStream(privilegedPod()));
        write(root, "mixed/c-latest.json", JSON.stringify(latestImageDeployment()));
        const result = runCli(["mixed", "does/not/exist.yaml"], root);
        expect(result.code).to.equal(2);
        expect(
            result.stdout
                .trimEnd()
                .split("\n")
                .map((line) => line.split(": ").slice(0, 3).join(": ")),
        ).to.deep.equal([
            "mixed/b-priv.yaml: Pod/-/priv: no-privileged-containers [mandatory]",
            "mixed/c-latest.json: Deployment/team-a/demo: pinned-image [advisory]",
        ]);
        const errors = result.stderr.trimEnd().split("\n");
        expect(errors[0]).to.match(/^policy:check: mixed\/a-broken\.yaml: invalid YAML at line \d+, column \d+: /);
        expect(errors[1]).to.equal("policy:check: cannot read does/not/exist.yaml: no such file or directory");
        expect(errors[2]).to.equal("policy:check: 2 objects in 3 files (2 inputs could not be read): 1 mandatory, 1 advisory violation");
    });

    it('reads standard input for "-", next to files', () => {
        write(root, "stdin/deploy.json", JSON.stringify(latestImageDeployment()));
        const result = runCli(["-", "stdin"], root, {}, yamlStream(privilegedPod(), service));
        expect(result.code).to.equal(1);
        expect(result.stdout).to.match(/^<stdin>: Pod\/-\/priv: no-privileged-containers \[mandatory\]/);
        expect(result.stdout).to.match(/^stdin\/deploy\.json: Deployment\/team-a\/demo: pinned-image \[advisory\]/m);
        expect(result.stderr).to.contain("3 objects in 2 files: 1 mandatory, 1 advisory violation\n");
    });

    it("reports bad YAML on standard input as <stdin> with its line (exit 2)", () => {
        const result = runCli(["-"], root, {}, "apiVersion: v1\nkind: [\n");
        expect(result.code).to.equal(2);
        expect(result.stderr).to.match(/^policy:check: <stdin>: invalid YAML at line \d+/);
    });

    it("says 1 object in 1 file", () => {
        write(root, "one/svc.yaml", yamlStream(service));
        expect(runCli(["one"], root).stderr).to.equal("policy:check: 1 object in 1 file: 0 mandatory, 0 advisory violations\n");
    });

    it("answers --help and -h with the usage on stdout, exit 0", () => {
        for (const flag of ["--help", "-h"]) {
            const result = runCli([flag], root);
            expect(result.code).to.equal(0);
            expect(result.stdout).to.contain("usage: npm run policy:check -- [--json] [--config FILE] <file-or-dir | ->...");
            expect(result.stdout).to.contain("Exit codes:");
        }
    });
});
