/**
 * The `platform` block: the domain that `{domain}` in ingress hosts resolves against.
 */
import { expect } from "chai";
import { configProblems, testConfig } from "../helpers/stack-config";

describe("platform block", () => {
    it("has no domain unless the stack sets one", () => {
        expect(testConfig().platform.domain).to.equal(undefined);
        expect(testConfig({ platform: { domain: "agents.example.com" } }).platform.domain).to.equal("agents.example.com");
    });

    it("refuses a domain that is no DNS domain, saying what is allowed", () => {
        for (const domain of ["Example.com", "localhost", "https://example.com", "example..com"]) {
            expect(configProblems({ platform: { domain } }), domain).to.deep.equal([
                "agent-platform:platform.domain: must be a DNS domain (allowed: a DNS domain such as example.com)",
            ]);
        }
    });
});
