/** The Tier-2 recorder helper itself: quiet, and faithful about stack outputs. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { recordComponents } from "./record";

class Optional extends pulumi.ComponentResource {
    readonly present: pulumi.Output<string>;
    readonly absent: pulumi.Output<string> | undefined;
    constructor(name: string, provider: k8s.Provider) {
        super("agent-platform:test:Optional", name, {}, {});
        const map = new k8s.core.v1.ConfigMap(`${name}-settings`, { metadata: { name: "settings" }, data: { a: "1" } }, { parent: this, provider });
        this.present = map.metadata.name;
        this.absent = undefined;
        this.registerOutputs({ present: this.present });
    }
}

/** Runs `action` and returns every console.warn line it caused. */
async function warningsOf(action: () => Promise<unknown>): Promise<string[]> {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(" "));
    try {
        await action();
    } finally {
        console.warn = original;
    }
    return warnings;
}

describe("recordComponents", () => {
    it("returns a component without the SDK warning about its undefined fields as stack outputs", async () => {
        const warnings = await warningsOf(() => recordComponents((provider) => new Optional("opt", provider)));
        expect(warnings.filter((line) => line.includes("will not show as a stack output"))).to.deep.equal([]);
    });

    it("keeps a plain object's defined values as the stack outputs, quietly", async () => {
        let outputs: Record<string, unknown> = {};
        const warnings = await warningsOf(async () => {
            outputs = (await recordComponents(() => ({ url: "http://x", none: undefined }))).recording.stackOutputs;
        });
        expect(outputs).to.deep.equal({ url: "http://x" });
        expect(warnings).to.deep.equal([]);
    });
});
