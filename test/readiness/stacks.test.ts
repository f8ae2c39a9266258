/**
 * Tier 3: each readiness rule fires on a stack file that breaks it, rendered through the real
 * program, and stays quiet on the same file fixed.
 */
import { expect } from "chai";
import type { RuleId } from "../../tools/readiness";
import { renderVariant } from "./render-variant";

const cases: { rule: RuleId; expect: RegExp }[] = [
    { rule: "routing", expect: /Ingress\/agent-platform\/agent-runtime: its class nginx is served by no controller/ },
    { rule: "crds", expect: /ServiceMonitor\/agent-platform\/agent-runtime: no CRD for monitoring.coreos.com\/v1 ServiceMonitor/ },
    { rule: "names", expect: /Deployment\/agent-platform\/agent-runtime: metadata label app.kubernetes.io\/version=".*": must be no more than 63 characters/ },
];

describe("readiness rules on real renders of broken and fixed stacks", () => {
    for (const { rule, expect: pattern } of cases) {
        it(`${rule}: fires on ${rule}-broken.yaml and stays quiet on ${rule}-fixed.yaml`, async () => {
            const broken = (await renderVariant(`${rule}-broken.yaml`)).readiness.filter((f) => f.rule === rule);
            expect(broken.map((f) => `${f.object}: ${f.message}`).join("\n")).to.match(pattern);
            expect(broken.every((f) => f.severity === "error")).to.equal(true);
            const fixed = (await renderVariant(`${rule}-fixed.yaml`)).readiness.filter((f) => f.rule === rule);
            expect(fixed).to.deep.equal([]);
        });
    }
});
