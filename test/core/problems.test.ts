/**
 * The one problem type and its key-path formatter, which every config message goes through.
 */
import { expect } from "chai";
import { keyPath, throwProblems, under } from "../../components/core/problems";

describe("config problems", () => {
    it("spells key paths as stack files and `pulumi config set --path` do", () => {
        expect(keyPath(["agentRuntime", "env", 0, "name"])).to.equal("agentRuntime.env[0].name");
        expect(keyPath([])).to.equal("");
        expect(keyPath([2, "name"])).to.equal("[2].name");
    });

    it("puts a block's prefix before its problems' paths", () => {
        expect(under(["hyphaWorker", "jobs"], [{ path: ["namespace"], message: "m" }])).to.deep.equal([
            { path: ["hyphaWorker", "jobs", "namespace"], message: "m" },
        ]);
    });

    it("throws every problem in one error, one line each, and nothing when there are none", () => {
        expect(() => throwProblems([])).not.to.throw();
        expect(() =>
            throwProblems([
                { path: ["a", 0], message: "first" },
                { path: ["b"], message: "second" },
            ]),
        ).to.throw("a[0]: first\nb: second");
    });
});
