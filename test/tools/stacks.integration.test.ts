/**
 * A new stack is one file: the stack list comes from the Pulumi.<stack>.yaml files everywhere
 * (tests, .ci/run, the workflows through `npm run -s stacks`), never from a list kept by hand.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { knownStacks } from "../../tools/render/stack-files";
import { stackEntries } from "../../tools/stacks/entries";

const ROOT = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-test-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function stacksCli(...args: string[]) {
    return spawnSync(process.execPath, ["--require", path.join(ROOT, "tools/ts-register.js"), path.join(ROOT, "tools/stacks.ts"), ...args], {
        encoding: "utf8",
    });
}

describe("the stack list", () => {
    it("is every Pulumi.<stack>.yaml: adding one adds its stack, with its cluster target", () => {
        const project = path.join(tmp, "project");
        const added = ["mytest", "mytest2", "mytest3"].find((stack) => !knownStacks(ROOT).includes(stack))!;
        fs.mkdirSync(project);
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
        for (const stack of knownStacks(ROOT)) fs.copyFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), path.join(project, `Pulumi.${stack}.yaml`));
        fs.writeFileSync(path.join(project, `Pulumi.${added}.yaml`), "config:\n  agent-platform:cluster:\n    kubeconfigPath: ~/.kube/config\n");
        fs.writeFileSync(path.join(project, "Pulumi.yaml.bak"), "");
        expect(knownStacks(project)).to.deep.equal([...knownStacks(ROOT), added].sort());
        expect(stackEntries(project).find((entry) => entry.stack === added)).to.deep.equal({ stack: added, clusterTarget: "kubeconfig" });
    });

    it("`npm run -s stacks` prints one stack per line, `--json` the entries for a workflow matrix", () => {
        const plain = stacksCli();
        expect(plain.status, plain.stderr).to.equal(0);
        expect(plain.stdout).to.equal(
            knownStacks(ROOT)
                .map((stack) => `${stack}\n`)
                .join(""),
        );
        const json = stacksCli("--json");
        expect(json.status, json.stderr).to.equal(0);
        expect(JSON.parse(json.stdout)).to.deep.equal(stackEntries(ROOT));
        expect(json.stdout.trimEnd().split("\n")).to.have.length(1);
    });

    it("is written out nowhere: no test, workflow, CI script or tool lists the stacks by hand", () => {
        const files = [
            ...fs
                .readdirSync(path.join(ROOT, "test"), { recursive: true, encoding: "utf8" })
                .filter((f) => f.endsWith(".ts"))
                .map((f) => path.join("test", f)),
            ...fs
                .readdirSync(path.join(ROOT, "tools"), { recursive: true, encoding: "utf8" })
                .filter((f) => f.endsWith(".ts"))
                .map((f) => path.join("tools", f)),
            ...fs.readdirSync(path.join(ROOT, ".github/workflows")).map((f) => path.join(".github/workflows", f)),
            ".ci/run",
        ];
        // Three (or all, when fewer) of the stack names side by side, as in a list written by hand.
        const stacks = knownStacks(ROOT);
        const name = `(?:${stacks.join("|")})`;
        const list = new RegExp(`(?:^|[\\[(\\s"'=])${name}(?:["'\\s,]+${name}){${Math.min(3, stacks.length) - 1}}\\b`, "m");
        expect(list.test(`for stack in ${stacks.slice(0, 3).join(" ")}; do`), "the pattern finds a list").to.equal(true);
        expect(list.test(`[["${stacks[0]}", x]]`), "the pattern ignores a single name").to.equal(stacks.length < 2);
        const offenders = files.filter((file) => file !== path.join("test", "stacks.test.ts") && list.test(fs.readFileSync(path.join(ROOT, file), "utf8")));
        expect(offenders).to.deep.equal([]);
    });
});
