/**
 * Tier 3: the offline render through the CLI on stack files other than the project's: secure
 * values it cannot decrypt, a service turned off, and the ways it refuses (exit codes, messages,
 * nothing written). The project's stacks: render.integration.test.ts.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { objectsOf } from "../../../tools/render/render-stack";
import { knownStacks } from "../../../tools/render/stack-files";
import { validateAgainstSchema } from "../../helpers/kubernetes-schema";
import { renderedStack } from "../../helpers/render";
import { CliRun, filesUnder, objectsUnder, REDACTED, render, ROOT } from "./cli";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "render-variants-test-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("offline render of other stack files", () => {
    describe("secrets", () => {
        const ciphertext = "v1:AAAABBBBCCCCDDDDciphertextNEVERinOUTPUT";
        let run: CliRun;
        const out = path.join(tmp, "secure");
        before(() => {
            const stackFile = path.join(tmp, "Pulumi.secure.yaml");
            fs.writeFileSync(
                stackFile,
                [
                    "config:",
                    "  agent-platform:cluster:",
                    "    kubeconfig:",
                    `      secure: ${ciphertext}-kubeconfig`,
                    "  agent-platform:agentRuntime:",
                    "    secrets:",
                    "      supabaseKey:",
                    "        value:",
                    `          secure: ${ciphertext}-supabase`,
                    "      supabaseJwtSecret:",
                    "        value:",
                    `          secure: ${ciphertext}-jwt`,
                    "",
                ].join("\n"),
            );
            run = render("dev", "--config-file", stackFile, "--out", out);
        });

        it("renders a stack whose secure value cannot be decrypted", () => {
            expect(run.status, run.stderr).to.equal(0);
        });
        it("never writes the secure value to a file or stdout", () => {
            expect(run.stdout + run.stderr).not.to.contain("ciphertextNEVER");
            for (const file of filesUnder(out)) expect(fs.readFileSync(file, "utf8"), file).not.to.contain("ciphertextNEVER");
        });
        it("keeps the values secret on their way to the provider and the Secret, so only the redaction shows", async () => {
            const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"));
            const provider = plan.resources.find((r: any) => r.type === "pulumi:providers:kubernetes");
            expect(provider.inputs.kubeconfig).to.equal(REDACTED);
            const secret = objectsUnder(out).find((o) => o.kind === "Secret");
            expect(secret.stringData).to.deep.equal({ "supabase-jwt-secret": REDACTED, "supabase-key": REDACTED });
            await validateAgainstSchema(secret);
        });
    });

    describe("failures", () => {
        it("exits non-zero naming the bad key, without a stack trace, and writes nothing", () => {
            const stackFile = path.join(tmp, "Pulumi.bad.yaml");
            fs.writeFileSync(stackFile, "config:\n  agent-platform:cluster:\n    kubeconfigPath: /k\n  agent-platform:agentRuntime:\n    replicas: many\n");
            const out = path.join(tmp, "bad");
            const run = render("dev", "--config-file", stackFile, "--out", out);
            expect(run.status).to.equal(1);
            expect(run.stderr).to.contain("agent-platform:agentRuntime.replicas: expected number, got string");
            expect(run.stderr).not.to.match(/^\s+at /m);
            expect(fs.existsSync(out)).to.equal(false);
        });

        it("exits non-zero on an unknown stack, listing the known ones", () => {
            const run = render("qa");
            expect(run.status).to.equal(1);
            expect(run.stderr).to.contain("unknown stack 'qa'");
            expect(run.stderr).to.contain(`known stacks: ${knownStacks(ROOT).join(", ")}`);
        });

        it("exits 2 with the usage on bad arguments", () => {
            const run = render("dev", "--bogus");
            expect(run.status).to.equal(2);
            expect(run.stderr).to.contain("usage: npm run render");
        });

        it("names a missing --config-file as a missing file, not an unknown stack (exit 2)", () => {
            const missing = path.join(tmp, "Pulumi.mytest.yaml");
            const run = render("mytest", "--config-file", missing);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.contain(`--config-file ${missing}: no such file`);
            expect(run.stderr).not.to.contain("unknown stack");
        });

        it("refuses an --out directory holding other files, with exit 2, and leaves them alone", () => {
            const out = path.join(tmp, "users-own");
            fs.mkdirSync(out);
            fs.writeFileSync(path.join(out, "notes.txt"), "mine");
            const run = render("dev", "--out", out);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.contain(`refusing to write the render to ${out}: it holds files that are not a render (notes.txt)`);
            expect(fs.readdirSync(out)).to.deep.equal(["notes.txt"]);
        });
    });

    describe("a stack whose agent runtime is off", () => {
        it("renders without the runtime's secrets, and without the runtime", async () => {
            const stackFile = path.join(tmp, "Pulumi.noruntime.yaml");
            fs.writeFileSync(
                stackFile,
                "config:\n  agent-platform:cluster:\n    kubeconfigPath: ~/.kube/config\n  agent-platform:agentRuntime:\n    enabled: false\n",
            );
            const kinds = objectsOf(await renderedStack("noruntime", stackFile)).map((o) => `${o.kind}/${o.metadata.name}`);
            expect(kinds).to.include("Namespace/agent-platform");
            expect(kinds.filter((k) => k.includes("agent-runtime"))).to.deep.equal([]);
        });
    });
});
