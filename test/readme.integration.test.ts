/**
 * The README is what an adopter reads first: short, its links and commands real, and its
 * quickstart stack file renders as it says (written to a temporary directory, rendered with
 * --config-file).
 */
import { expect } from "chai";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "readme-test-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The fenced YAML block whose first line is `# <file>`. */
function yamlBlock(file: string): string {
    const block = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((text) => text.startsWith(`# ${file}`));
    if (block === undefined) throw new Error(`README has no yaml block starting with "# ${file}"`);
    return block;
}

describe("README", () => {
    it("is at most 400 lines, with the config reference in docs/ and a readiness section pointing at its doc", () => {
        expect(README.split("\n").length).to.be.at.most(400);
        expect(README).not.to.contain("config-reference:start");
        expect(README).to.contain("[docs/config-reference.md](docs/config-reference.md)");
        const readiness = README.split(/^## Readiness analysis\n/m)[1]?.split(/^## /m)[0];
        expect(readiness, "a Readiness analysis section").to.be.a("string");
        expect(readiness).to.contain("docs/readiness.md");
    });

    it("links only to files that exist", () => {
        const links = [...README.matchAll(/\]\(((?:docs\/)?[\w./-]+?)(?:#[\w-]+)?\)/g)].map((m) => m[1]!).filter((link) => !link.startsWith("http"));
        expect(links.length).to.be.greaterThan(10);
        for (const link of links) expect(fs.existsSync(path.join(ROOT, link)), link).to.equal(true);
    });

    it("names only npm scripts that exist", () => {
        const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts as object);
        const named = [...README.matchAll(/npm run (?:-s )?([\w:]+)/g)].map((m) => m[1]!);
        expect(named).to.include.members(["render", "policy:check", "render:diff", "docs:config", "stacks"]);
        for (const script of named) expect(scripts, script).to.include(script);
    });

    it("shows how to get Node 22 and the set-up commands", () => {
        expect(README).to.contain("### Getting Node 22");
        expect(README).to.match(/npm ci\s+#[^\n]*\nnpm test\s+#[^\n]*\nnpm run render -- dev\s+#/);
    });

    describe("quickstart: Pulumi.mytest.yaml on an existing cluster", function () {
        this.timeout(120_000);
        const stackFile = path.join(tmp, "Pulumi.mytest.yaml");
        const out = path.join(tmp, "out");
        let run: SpawnSyncReturns<string>;
        before(() => {
            fs.writeFileSync(stackFile, yamlBlock("Pulumi.mytest.yaml"));
            run = spawnSync(
                process.execPath,
                ["--require", path.join(ROOT, "tools/ts-register.js"), path.join(ROOT, "tools/render.ts"), "mytest", "--config-file", stackFile, "--out", out],
                {
                    cwd: ROOT,
                    encoding: "utf8",
                },
            );
        });

        it("is a complete stack file: it renders with exit 0 and passes the policy pack", () => {
            expect(run.status, run.stderr).to.equal(0);
            expect(run.stdout).to.contain("Policy check: 0 mandatory");
        });

        it("creates what the README says, and ends with the output it quotes", () => {
            const config = parse(fs.readFileSync(stackFile, "utf8")).config;
            const namespace = config["agent-platform:namespace"].name;
            const quoted = /`agentRuntimeUrl\s+(http:\/\/[^`]+)`/.exec(README)?.[1];
            expect(quoted).to.equal(`http://agent-runtime.${namespace}.svc.cluster.local`);
            expect(run.stdout).to.match(new RegExp(`^  agentRuntimeUrl +${quoted!.replace(/\./g, "\\.")}$`, "m"));
            const kinds = fs.readdirSync(path.join(out, "kubernetes", namespace)).sort();
            expect(kinds).to.include.members(["deployment-agent-runtime.yaml", "service-agent-runtime.yaml", "networkpolicy-agent-runtime.yaml"]);
        });

        it("keeps its secure values secret: the placeholder is never written", () => {
            const written = fs.readdirSync(out, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml") || f.endsWith(".json"));
            for (const file of written) expect(fs.readFileSync(path.join(out, file), "utf8"), file).not.to.contain("offline-placeholder");
            expect(run.stdout).not.to.contain("offline-placeholder");
        });
    });
});
