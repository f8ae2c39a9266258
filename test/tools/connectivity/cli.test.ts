/** npm run connectivity: arguments, input handling, exit codes; in process and as a real process. */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { runConnectivity } from "../../../tools/connectivity";
import { deployment, networkPolicy } from "./fixtures";

const ROOT = path.resolve(__dirname, "../../..");
const LOADER = path.join(ROOT, "tools/ts-register.js");

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "connectivity-cli-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(relative: string, text: string): string {
    const file = path.join(tmp, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
}

const manifests = (...objects: unknown[]): string => objects.map((object) => stringify(object)).join("---\n");

function run(args: string[], stdin = ""): { code: number; stdout: string; stderr: string } {
    let stdout = "";
    let stderr = "";
    const code = runConnectivity(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) }, () => stdin);
    return { code, stdout, stderr };
}

const good = write(
    "good/app.yaml",
    manifests(
        deployment("a", "web", { app: "web" }),
        deployment("a", "api", { app: "api" }),
        networkPolicy("a", "deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
        networkPolicy("a", "web-to-api", {
            podSelector: { matchLabels: { app: "web" } },
            policyTypes: ["Egress"],
            egress: [{ to: [{ podSelector: { matchLabels: { app: "api" } } }], ports: [{ port: 8080 }] }],
        }),
        networkPolicy("a", "api-from-web", {
            podSelector: { matchLabels: { app: "api" } },
            ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }] }],
        }),
    ),
);
const expectedLine = "a/web[Deployment] => a/api[Deployment] : TCP 8080\n";

describe("connectivity CLI", () => {
    it("lists a directory's connections and exits 0", () => {
        const result = run([path.dirname(good)]);
        expect(result.code).to.equal(0);
        expect(result.stdout).to.equal(expectedLine);
        expect(result.stderr).to.contain("2 workloads, 3 policies from 1 files: 1 connections");
    });

    it("prints json with --json", () => {
        const result = run(["--json", good]);
        expect(result.code).to.equal(0);
        expect(JSON.parse(result.stdout)).to.deep.equal([{ src: "a/web[Deployment]", dst: "a/api[Deployment]", conn: "TCP 8080" }]);
    });

    it("reports a malformed file with its line, still lists the other files, and exits 2", () => {
        const broken = write("mixed/broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: indentation\n");
        fs.copyFileSync(good, path.join(tmp, "mixed", "good.yaml"));
        const result = run([path.join(tmp, "mixed")]);
        expect(result.code).to.equal(2);
        expect(result.stdout).to.equal(expectedLine);
        expect(result.stderr).to.match(new RegExp(`${broken.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: invalid YAML at line \\d+`));
    });

    it("reports a policy the API server would reject with its file, and exits 2", () => {
        const file = write(
            "invalid/policy.yaml",
            manifests(networkPolicy("a", "bad", { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "not-a-cidr" } }] }] })),
        );
        const result = run([good, file]);
        expect(result.code).to.equal(2);
        expect(result.stdout).to.equal(expectedLine);
        expect(result.stderr).to.contain(`${file}: NetworkPolicy a/bad: spec.ingress[0].from[0].ipBlock.cidr must be a CIDR`);
    });

    it("exits 2 for a path that does not exist, listing the others", () => {
        const result = run([path.join(tmp, "missing"), good]);
        expect(result.code).to.equal(2);
        expect(result.stdout).to.equal(expectedLine);
        expect(result.stderr).to.contain("no such file or directory");
    });

    it("reads standard input for '-'", () => {
        const result = run(["-"], fs.readFileSync(good, "utf8"));
        expect(result.code).to.equal(0);
        expect(result.stdout).to.equal(expectedLine);
    });

    it("reads typed lists whose items have no kind (API dumps such as PodList)", () => {
        const list = {
            apiVersion: "v1",
            kind: "PodList",
            items: [
                { metadata: { name: "p1", namespace: "n", labels: { app: "p1" } }, spec: {} },
                { metadata: { name: "p2", namespace: "n" }, spec: {} },
            ],
        };
        const result = run([write("dump/pods.json", JSON.stringify(list))]);
        expect(result.code).to.equal(0);
        expect(result.stdout).to.contain("n/p1[Pod] => n/p2[Pod] : All Connections\n");
    });

    it("prints usage and exits 0 for --help; exits 2 for an unknown option or no path", () => {
        const help = run(["--help"]);
        expect(help.code).to.equal(0);
        expect(help.stdout).to.contain("usage: npm run connectivity");
        expect(run(["--frobnicate", good]).code).to.equal(2);
        expect(run([]).code).to.equal(2);
        expect(run(["--cni", "calico", good]).code).to.equal(2);
    });
});

describe("connectivity CLI entry point", () => {
    it("only re-exports the library when imported: the importer's arguments are not parsed", () => {
        const before = process.exitCode;
        const written: string[] = [];
        const write = process.stderr.write.bind(process.stderr);
        process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stderr.write;
        let entry: Record<string, unknown>;
        try {
            // require, not import: the module must be evaluated here, inside the spy.
            delete require.cache[require.resolve("../../../tools/connectivity")];
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- evaluated here, inside the spy.
            entry = require("../../../tools/connectivity") as Record<string, unknown>;
        } finally {
            process.stderr.write = write;
        }
        expect(typeof entry["buildNetwork"]).to.equal("function");
        expect(written.join("")).to.equal("");
        expect(process.exitCode).to.equal(before);
    });
});

describe("connectivity CLI as a process", () => {
    const cli = (args: string[], input = "") =>
        spawnSync(process.execPath, ["--require", LOADER, path.join(ROOT, "tools/connectivity.ts"), ...args], {
            encoding: "utf8",
            input,
            env: { ...process.env, npm_lifecycle_event: "" },
        });

    it("sets the exit code: 0 listed, 2 unusable input, 0 for --help", () => {
        const ok = cli([good]);
        expect(ok.status).to.equal(0);
        expect(ok.stdout).to.equal(expectedLine);
        const broken = write("process/broken.json", "{ not json");
        const bad = cli([broken, good]);
        expect(bad.status).to.equal(2);
        expect(bad.stdout).to.equal(expectedLine);
        expect(bad.stderr).to.contain(`${broken}: invalid JSON`);
        expect(cli(["--help"]).status).to.equal(0);
    });

    it("reads standard input for '-'", () => {
        const piped = cli(["-"], fs.readFileSync(good, "utf8"));
        expect(piped.status).to.equal(0);
        expect(piped.stdout).to.equal(expectedLine);
    });
});
