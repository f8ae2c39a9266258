/**
 * Tier 1 for what the render writes: which output directories it may empty (temporary
 * directories only, never the checkout), YAML that YAML 1.1 and 1.2 readers read alike (PyYAML:
 * output.integration.test.ts), and a summary whose counts add up and that ends with the stack outputs.
 */
import { expect } from "chai";
import yaml from "js-yaml";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import type { RenderedObject } from "../../../tools/render/manifests";
import { checkOutDir, OutDirError, RENDER_MARKER, summarize, writeRender, type Plan, type PlanEntry } from "../../../tools/render/output";
import { isAmbiguousPlainScalar, toPortableYaml } from "../../../tools/render/yaml";
import { kubernetesYamlSchema } from "../../../tools/policy-check/yaml";
import { ingress, plain, tricky } from "./yaml-fixtures";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "render-output-test-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let counter = 0;
function dir(files: Record<string, string> = {}): string {
    const root = path.join(tmp, `d${++counter}`);
    fs.mkdirSync(root, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
        fs.writeFileSync(path.join(root, name), content);
    }
    return root;
}

function listing(root: string): string[] {
    return fs.readdirSync(root, { recursive: true, encoding: "utf8" }).sort();
}

const plan: Plan = { project: "agent-platform", stack: "t", resources: [], outputs: {} };
const configMap: RenderedObject = {
    object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "ns" }, data: { mode: "off" } },
    urn: "urn:pulumi:t::agent-platform::kubernetes:core/v1:ConfigMap::c",
    autoNamed: false,
};

describe("render output directory", () => {
    // A stand-in project: the checks never look at the real checkout.
    const project = dir({ "Pulumi.yaml": "name: agent-platform\n", "index.ts": "" });

    function refusal(out: string): string {
        try {
            checkOutDir(out, project);
        } catch (err) {
            expect(err).to.be.instanceOf(OutDirError);
            return (err as Error).message;
        }
        throw new Error(`${out} was accepted`);
    }

    it("accepts a directory that does not exist yet, or an empty one", () => {
        expect(() => checkOutDir(path.join(tmp, "new", "deeper"), project)).not.to.throw();
        expect(() => checkOutDir(dir(), project)).not.to.throw();
    });

    it("refuses the project directory and any directory that contains it, even with a marker", () => {
        fs.writeFileSync(path.join(project, RENDER_MARKER), "");
        try {
            expect(refusal(project)).to.contain("it is the project directory");
            expect(refusal(path.dirname(project))).to.contain("it contains the project directory");
            expect(refusal(path.relative(process.cwd(), project) || ".")).to.contain("project directory");
        } finally {
            fs.rmSync(path.join(project, RENDER_MARKER));
        }
    });

    it("refuses a directory with files of its own, naming them, and touches nothing", () => {
        const mine = dir({ "notes.txt": "mine", "src/app.ts": "x", "plan.json": "{}" });
        const before = listing(mine);
        expect(refusal(mine)).to.match(/holds files that are not a render \(notes\.txt, plan\.json, src\)/);
        expect(() => writeRender(mine, plan, [configMap], project)).to.throw(OutDirError);
        expect(listing(mine)).to.deep.equal(before);
        expect(fs.readFileSync(path.join(mine, "notes.txt"), "utf8")).to.equal("mine");
    });

    it("refuses a file and a symbolic link", () => {
        const file = path.join(dir({ f: "x" }), "f");
        expect(refusal(file)).to.contain("not a directory");
        const link = path.join(tmp, "link");
        fs.symlinkSync(dir({ "keep.txt": "x" }), link);
        expect(refusal(link)).to.contain("symbolic link");
    });

    it("empties a directory an earlier render wrote (it holds the marker), and leaves the marker again", () => {
        const out = dir();
        writeRender(out, plan, [configMap], project);
        expect(fs.existsSync(path.join(out, RENDER_MARKER))).to.equal(true);
        fs.writeFileSync(path.join(out, "kubernetes", "stale.yaml"), "x");
        writeRender(out, plan, [], project);
        expect(listing(out)).to.deep.equal([RENDER_MARKER, "plan.json"]);
    });

    it("takes a render written before the marker existed (plan.json and our YAML files only)", () => {
        const legacy = dir({
            "plan.json": JSON.stringify(plan),
            "kubernetes/ns/configmap-c.yaml": "# Rendered by agent-platform from urn:x\nkind: ConfigMap\n",
        });
        expect(() => checkOutDir(legacy, project)).not.to.throw();
        const tampered = dir({ "plan.json": JSON.stringify(plan), "kubernetes/ns/mine.yaml": "kind: ConfigMap\n" });
        expect(refusal(tampered)).to.contain("not a render");
    });
});

describe("rendered YAML under YAML 1.1 and 1.2", () => {
    it("quotes exactly the strings a YAML 1.1 or 1.2 reader would read as something else", () => {
        for (const text of tricky) expect(isAmbiguousPlainScalar(text), text).to.equal(true);
        for (const text of plain) expect(isAmbiguousPlainScalar(text), text).to.equal(false);
        const text = toPortableYaml(ingress);
        expect(text).to.contain('nginx.ingress.kubernetes.io/proxy-buffering: "off"');
        expect(text).to.contain('"<<": "<<"');
        expect(text).to.match(/^ {2}k\d+: nginx$/m);
        expect(text).not.to.contain("%YAML");
    });

    it("reads the same with yaml (1.2 and 1.1) and with js-yaml as policy:check reads manifests", () => {
        const text = toPortableYaml(ingress);
        expect(parse(text)).to.deep.equal(ingress);
        expect(parse(text, { version: "1.1", merge: false })).to.deep.equal(ingress);
        expect(yaml.load(text, { schema: kubernetesYamlSchema })).to.deep.equal(ingress);
    });
});

describe("render summary", () => {
    const stack = "urn:pulumi:t::agent-platform::pulumi:pulumi:Stack::agent-platform-t";
    const entry = (type: string, name: string, custom: boolean, parent = stack): PlanEntry => ({
        type,
        name,
        urn: `urn:pulumi:t::agent-platform::${type}::${name}`,
        parent,
        custom,
    });
    const runtime = entry("agent-platform:agent-runtime:AgentRuntime", "agent-runtime", false);
    const secrets = entry("agent-platform:secrets:Secrets", "agent-runtime-secrets", false, runtime.urn);
    const summaryPlan: Plan = {
        project: "agent-platform",
        stack: "t",
        resources: [
            { type: "pulumi:pulumi:Stack", name: "agent-platform-t", urn: stack, custom: false },
            entry("pulumi:providers:kubernetes", "k8s", true),
            runtime,
            secrets,
            entry("kubernetes:apps/v1:Deployment", "agent-runtime", true, runtime.urn),
            entry("kubernetes:core/v1:Secret", "agent-runtime-secrets", true, secrets.urn),
            entry("agent-platform:namespace:PlatformNamespace", "platform", false),
        ],
        outputs: { namespace: "agents", kubeconfig: "[secret: redacted]", agentRuntimeExternalUrls: ["https://a.example.com"] },
    };

    it("counts resources per component, nested components included, plus those outside any, to the total", () => {
        const text = summarize(summaryPlan, []);
        expect(text).to.match(/^Rendered stack 't': 0 Kubernetes objects, 3 resources in all\.$/m);
        expect(text).to.match(/^ {2}agent-runtime +agent-platform:agent-runtime:AgentRuntime +2$/m);
        expect(text).to.match(/^ {2}platform +agent-platform:namespace:PlatformNamespace +0$/m);
        expect(text).to.match(/^ {2}\(outside components\) +1$/m);
        expect(text).to.match(/^ {2}total +3$/m);
    });

    it("ends with the stack outputs, sorted, secrets as redacted", () => {
        const text = summarize(summaryPlan, []);
        expect(text.split("Stack outputs:\n")[1]).to.equal(
            [
                '  agentRuntimeExternalUrls  ["https://a.example.com"]',
                "  kubeconfig                [secret: redacted]",
                "  namespace                 agents",
            ].join("\n"),
        );
    });

    it("uses the singular for one", () => {
        expect(summarize({ ...summaryPlan, resources: summaryPlan.resources.slice(0, 2) }, [configMap])).to.contain("1 Kubernetes object, 1 resource in all");
    });
});
