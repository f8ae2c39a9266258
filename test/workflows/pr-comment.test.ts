/** .github/scripts/pr-comment.cjs against a fake Octokit: one comment per marker, edited in place. */
import { expect } from "chai";
import * as path from "node:path";
import { ROOT } from "./support";

interface Comment {
    id: number;
    body: string;
    user: { login: string };
}

interface PullRequest {
    number: number;
    head: { sha: string };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS script actions/github-script loads.
const helper = require(path.join(ROOT, ".github/scripts/pr-comment.cjs")) as {
    upsertComment(args: { github: unknown; owner: string; repo: string; issueNumber: number; body: string; createIfMissing?: boolean }): Promise<string>;
    findPullRequest(args: { github: unknown; owner: string; repo: string; run: unknown }): Promise<number | undefined>;
    MAX_BODY: number;
};

/** Just the Octokit calls the helper makes, recording writes. */
function fakeGithub(comments: Comment[], pulls: PullRequest[] = []) {
    const calls: Array<{ call: string; args: Record<string, unknown> }> = [];
    let nextId = 1000;
    const listComments = async () => ({ data: comments });
    const listPulls = async () => ({ data: pulls });
    const github = {
        paginate: async (method: unknown, args: Record<string, unknown>) => {
            calls.push({ call: method === listComments ? "listComments" : "pulls.list", args });
            return method === listComments ? comments : pulls;
        },
        rest: {
            issues: {
                listComments,
                updateComment: async (args: Record<string, unknown>) => {
                    calls.push({ call: "updateComment", args });
                    comments.find((c) => c.id === args["comment_id"])!.body = String(args["body"]);
                },
                createComment: async (args: Record<string, unknown>) => {
                    calls.push({ call: "createComment", args });
                    comments.push({ id: nextId++, body: String(args["body"]), user: { login: "github-actions[bot]" } });
                },
            },
            pulls: { list: listPulls },
        },
    };
    return { github, calls, comments };
}

const MARKER = "<!-- agent-platform:render-diff -->";
const base = { owner: "o", repo: "r", issueNumber: 7 };

describe("pr-comment helper: upsertComment", () => {
    it("creates the comment when the pull request has none with the marker", async () => {
        const { github, calls, comments } = fakeGithub([]);
        expect(await helper.upsertComment({ github, ...base, body: `${MARKER}\nfirst` })).to.equal("created");
        expect(calls.map((c) => c.call)).to.deep.equal(["listComments", "createComment"]);
        expect(calls[1]!.args).to.include({ owner: "o", repo: "r", issue_number: 7 });
        expect(comments).to.have.length(1);
    });

    it("edits the bot's own comment with the same marker instead of adding another", async () => {
        const { github, calls, comments } = fakeGithub([
            { id: 1, body: `${MARKER}\nold`, user: { login: "github-actions[bot]" } },
            { id: 2, body: "<!-- agent-platform:policy-violations:dev -->\nx", user: { login: "github-actions[bot]" } },
        ]);
        expect(await helper.upsertComment({ github, ...base, body: `${MARKER}\nnew` })).to.equal("updated");
        expect(calls.map((c) => c.call)).to.deep.equal(["listComments", "updateComment"]);
        expect(comments.map((c) => c.body)).to.deep.equal([`${MARKER}\nnew`, "<!-- agent-platform:policy-violations:dev -->\nx"]);
    });

    it("never edits a person's comment that happens to quote the marker", async () => {
        const { github, calls } = fakeGithub([{ id: 1, body: `${MARKER}\nquoted`, user: { login: "someone" } }]);
        expect(await helper.upsertComment({ github, ...base, body: `${MARKER}\nnew` })).to.equal("created");
        expect(calls.map((c) => c.call)).to.deep.equal(["listComments", "createComment"]);
    });

    it("only updates when asked not to create (a 'fixed now' note with no earlier failure)", async () => {
        const { github, calls } = fakeGithub([]);
        expect(await helper.upsertComment({ github, ...base, body: `${MARKER}\nfixed`, createIfMissing: false })).to.equal("skipped");
        expect(calls.map((c) => c.call)).to.deep.equal(["listComments"]);
    });

    it("refuses a body without a marker line, which could never be found again", async () => {
        const { github } = fakeGithub([]);
        let error: Error | undefined;
        await helper.upsertComment({ github, ...base, body: "no marker" }).catch((e: Error) => (error = e));
        expect(error?.message).to.match(/must start with a marker line/);
    });

    it("cuts a body over GitHub's size limit", async () => {
        const { github, comments } = fakeGithub([]);
        await helper.upsertComment({ github, ...base, body: `${MARKER}\n${"x".repeat(70_000)}` });
        expect(comments[0]!.body.length).to.be.below(65_536);
        expect(comments[0]!.body).to.match(/cut to GitHub's comment size limit/);
    });
});

describe("pr-comment helper: findPullRequest", () => {
    const run = { head_sha: "abc", head_branch: "feature", head_repository: { owner: { login: "forker" } }, pull_requests: [] };

    it("finds a fork's pull request by head branch and the exact commit that ran", async () => {
        const { github, calls } = fakeGithub(
            [],
            [
                { number: 3, head: { sha: "old" } },
                { number: 4, head: { sha: "abc" } },
            ],
        );
        expect(await helper.findPullRequest({ github, owner: "o", repo: "r", run })).to.equal(4);
        expect(calls[0]!.args).to.include({ state: "open", head: "forker:feature" });
    });

    it("finds nothing when the pull request has moved on to another commit", async () => {
        const { github } = fakeGithub([], [{ number: 4, head: { sha: "newer" } }]);
        expect(await helper.findPullRequest({ github, owner: "o", repo: "r", run })).to.equal(undefined);
    });

    it("uses the event's own pull request list when GitHub fills it (same-repository branches)", async () => {
        const { github, calls } = fakeGithub([]);
        expect(await helper.findPullRequest({ github, owner: "o", repo: "r", run: { ...run, pull_requests: [{ number: 9, head: { sha: "abc" } }] } })).to.equal(
            9,
        );
        expect(calls).to.deep.equal([]);
    });
});
