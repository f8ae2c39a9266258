/**
 * Namespace exemptions: the shared parser (config file and pack alike), the evaluator's split of
 * violations and exempted findings, and the JSON schema the Pulumi engine checks the file with.
 */
import { expect } from "chai";
import { Ajv } from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exemptionsConfigSchema, parseExemptionSettings } from "../../policies/exemptions";
import { checkObjects, EXEMPTIONS_POLICY, evaluateObjects, exemptionsOf, parsePolicyConfig, policyNames } from "../../policies/evaluate";
import { workloadWith, type Json } from "./support/fixtures";

const reason = "chart-owned workloads";

/** Breaks no-privileged-containers (mandatory) and pinned-image (advisory). */
function broken(namespace: string): Json {
    const object = workloadWith("Deployment", (spec) => {
        spec.containers[0].securityContext.privileged = true;
        spec.containers[0].image = "nginx:latest";
    });
    object.metadata.namespace = namespace;
    return object;
}

const configWith = (exemptions: unknown, rest: Record<string, unknown> = { all: "mandatory" }) =>
    parsePolicyConfig({ ...rest, [EXEMPTIONS_POLICY]: { exemptions } });

describe("namespace exemptions", () => {
    describe("evaluation", () => {
        it("an exempted namespace passes: its findings come back as exempted, with the exemption", () => {
            const config = configWith([{ namespace: "cert-manager", reason }]);
            const evaluation = evaluateObjects([broken("cert-manager")], config);
            expect(evaluation.violations).to.deep.equal([]);
            expect(evaluation.exempted.map((finding) => [finding.policy, finding.enforcementLevel, finding.exemption.reason])).to.deep.equal([
                ["no-privileged-containers", "mandatory", reason],
                ["pinned-image", "mandatory", reason],
            ]);
            expect(checkObjects([broken("cert-manager")], config)).to.deep.equal([]);
        });

        it("the same object in any other namespace fails", () => {
            const config = configWith([{ namespace: "cert-manager", reason }]);
            expect(checkObjects([broken("cert-manager-2")], config).map((violation) => violation.policy)).to.deep.equal([
                "no-privileged-containers",
                "pinned-image",
            ]);
            const unnamespaced = broken("x");
            delete unnamespaced.metadata.namespace;
            expect(checkObjects([unnamespaced], config)).to.have.length(2);
        });

        it("an exemption limited to one policy still reports the others", () => {
            const config = configWith([{ namespace: "cert-manager", policies: ["pinned-image"], reason }]);
            const evaluation = evaluateObjects([broken("cert-manager")], config);
            expect(evaluation.violations.map((violation) => violation.policy)).to.deep.equal(["no-privileged-containers"]);
            expect(evaluation.exempted.map((finding) => finding.policy)).to.deep.equal(["pinned-image"]);
        });

        it("a disabled policy yields nothing, not even an exempted finding", () => {
            const config = configWith([{ namespace: "cert-manager", reason }], { all: "mandatory", "pinned-image": "disabled" });
            expect(evaluateObjects([broken("cert-manager")], config).exempted.map((finding) => finding.policy)).to.deep.equal(["no-privileged-containers"]);
        });

        it("the default config exempts nothing", () => {
            expect(exemptionsOf(parsePolicyConfig({}))).to.deep.equal([]);
            expect(checkObjects([broken("cert-manager")])).to.have.length(2);
        });
    });

    describe("the config", () => {
        it("keeps the levels as before and the exemptions apart (a config without exemptions equals the plain levels)", () => {
            const config = configWith([{ namespace: "cert-manager", policies: ["health-probes"], reason: `  ${reason} ` }]);
            expect(Object.keys(config)).to.deep.equal([...policyNames]);
            for (const name of policyNames) expect(config[name], name).to.equal("mandatory");
            expect(exemptionsOf(config)).to.deep.equal([{ namespace: "cert-manager", policies: ["health-probes"], reason }]);
            expect(parsePolicyConfig({ all: "mandatory", [EXEMPTIONS_POLICY]: { exemptions: [] } })).to.deep.equal(parsePolicyConfig({ all: "mandatory" }));
        });

        const refusals: Array<[string, unknown, string]> = [
            [
                "no reason",
                [{ namespace: "cert-manager" }],
                'policy config "namespace-exemptions": exemptions[0] (namespace "cert-manager"): "reason" is required: say why the namespace is exempt',
            ],
            [
                "a blank reason",
                [
                    { namespace: "a", reason },
                    { namespace: "b", reason: "   " },
                ],
                'exemptions[1] (namespace "b"): "reason" is required',
            ],
            ["an empty namespace", [{ namespace: "", reason }], 'exemptions[0]: "namespace" must be a non-empty namespace name'],
            ["no namespace", [{ reason }], 'exemptions[0]: "namespace" must be a non-empty namespace name'],
            ["a namespace pattern", [{ namespace: "cert-*", reason }], 'exemptions[0] (namespace "cert-*"): "namespace" "cert-*" is not a namespace name'],
            [
                "an unknown policy name",
                [{ namespace: "cert-manager", policies: ["health-probe"], reason }],
                'exemptions[0] (namespace "cert-manager"): "policies" names "health-probe", which is not a policy of the pack; allowed: run-as-non-root,',
            ],
            [
                "the carrier as a policy",
                [{ namespace: "cert-manager", policies: [EXEMPTIONS_POLICY], reason }],
                '"policies" names "namespace-exemptions", which is not a policy of the pack',
            ],
            [
                "an empty policy list",
                [{ namespace: "cert-manager", policies: [], reason }],
                '"policies" must be a non-empty list of policy names (omit it to exempt every policy)',
            ],
            [
                "a policy listed twice",
                [{ namespace: "cert-manager", policies: ["pinned-image", "pinned-image"], reason }],
                '"policies" lists "pinned-image" twice',
            ],
            [
                "an unknown setting",
                [{ namespace: "cert-manager", reason, expires: "2027-01-01" }],
                'exemptions[0] (namespace "cert-manager"): unknown setting "expires"',
            ],
            ["an entry that is not an object", ["cert-manager"], "exemptions[0] must be an object"],
            [
                "the same policy exempted twice in a namespace",
                [
                    { namespace: "a", policies: ["pinned-image"], reason },
                    { namespace: "a", reason },
                ],
                'exemptions[1] (namespace "a") exempts "pinned-image" in namespace "a" again (already exemptions[0])',
            ],
            ["a list that is not a list", "cert-manager", '"exemptions" must be a list'],
        ];
        for (const [what, exemptions, message] of refusals) {
            it(`refuses ${what}, naming the entry`, () => {
                expect(() => configWith(exemptions)).to.throw(message);
                // The pack reads the same settings (without the level) through the same parser.
                expect(() => parseExemptionSettings({ exemptions })).to.throw(message);
            });
        }

        it("accepts two entries for one namespace that lift different policies", () => {
            const config = configWith([
                { namespace: "a", policies: ["pinned-image"], reason },
                { namespace: "a", policies: ["health-probes"], reason: "other" },
            ]);
            expect(exemptionsOf(config)).to.have.length(2);
        });

        it("refuses an unknown setting of the carrier", () => {
            expect(() => parsePolicyConfig({ [EXEMPTIONS_POLICY]: { exemption: [] } })).to.throw(
                'policy config "namespace-exemptions": unknown setting "exemption"; the settings are "exemptions" and "enforcementLevel"',
            );
        });

        it("refuses exemptions the pack would never read, because the carrier is disabled", () => {
            const exemptions = [{ namespace: "a", reason }];
            expect(() => parsePolicyConfig({ [EXEMPTIONS_POLICY]: { enforcementLevel: "disabled", exemptions } })).to.throw(
                /the policy that carries the exemptions is disabled/,
            );
            expect(() => parsePolicyConfig({ all: "disabled", [EXEMPTIONS_POLICY]: { exemptions } })).to.throw(/is disabled/);
            expect(exemptionsOf(parsePolicyConfig({ all: "disabled", [EXEMPTIONS_POLICY]: { enforcementLevel: "advisory", exemptions } }))).to.have.length(1);
        });

        it("checks the carrier's own level like any other", () => {
            expect(() => parsePolicyConfig({ [EXEMPTIONS_POLICY]: "warn" })).to.throw(
                'policy config "namespace-exemptions": enforcement level "warn" is not one of mandatory, advisory, disabled',
            );
            expect(exemptionsOf(parsePolicyConfig({ [EXEMPTIONS_POLICY]: "advisory" }))).to.deep.equal([]);
        });
    });

    describe("the JSON schema the Pulumi engine validates the carrier's config with", () => {
        // The engine wraps a policy's schema properties in {"type": "object", "properties": ...}
        // (pkg/resource/analyzer/config.go, convertSchema) and validates with gojsonschema; ajv reads the same keywords.
        const validate = new Ajv({ strict: true }).compile({ type: "object", properties: exemptionsConfigSchema.properties });

        it("accepts the CI config's exemptions", () => {
            const ci = JSON.parse(readFileSync(join(__dirname, "../../policies/config/all-mandatory.json"), "utf8")) as Record<
                string,
                { exemptions: unknown[] }
            >;
            expect(validate(ci[EXEMPTIONS_POLICY]), JSON.stringify(validate.errors)).to.equal(true);
        });

        const bad: Array<[string, unknown]> = [
            ["no reason", { namespace: "a" }],
            ["a blank reason", { namespace: "a", reason: " " }],
            ["an empty namespace", { namespace: "", reason }],
            ["an unknown policy", { namespace: "a", policies: ["nope"], reason }],
            ["an empty policy list", { namespace: "a", policies: [], reason }],
            ["an unknown setting", { namespace: "a", reason, until: "never" }],
        ];
        for (const [what, entry] of bad) {
            it(`refuses ${what} before the pack runs`, () => {
                expect(validate({ exemptions: [entry] })).to.equal(false);
                expect(() => parseExemptionSettings({ exemptions: [entry] })).to.throw();
            });
        }
    });
});
