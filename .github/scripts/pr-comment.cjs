// Pull request comments that CI keeps one of per marker and edits in place, for
// actions/github-script steps (`github` is its authenticated Octokit). Plain CommonJS so
// the steps can require it without installing anything; tested in test/workflows.
"use strict";

/** GitHub refuses comment bodies over 65,536 characters. */
const MAX_BODY = 65_000;

/** The login of the GITHUB_TOKEN's app: only its own comments are ever edited. */
const BOT = "github-actions[bot]";

/**
 * Updates the bot's comment whose first line is `body`'s first line (its marker), or creates
 * one. With `createIfMissing: false` it only updates (e.g. "fixed now" after a failure).
 * Returns what it did: "created", "updated" or "skipped".
 */
async function upsertComment({ github, owner, repo, issueNumber, body, createIfMissing = true, author = BOT }) {
    const marker = body.split("\n", 1)[0];
    if (!/^<!-- [\w:.-]+ -->$/.test(marker))
        throw new Error(`comment body must start with a marker line like <!-- name -->, not ${JSON.stringify(marker.slice(0, 80))}`);
    const text = body.length > MAX_BODY ? `${body.slice(0, MAX_BODY)}\n\n_(cut to GitHub's comment size limit)_\n` : body;
    const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
    const existing = comments.find(
        (comment) => comment.user && comment.user.login === author && typeof comment.body === "string" && comment.body.split("\n", 1)[0] === marker,
    );
    if (existing) {
        if (existing.body !== text) await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: text });
        return "updated";
    }
    if (!createIfMissing) return "skipped";
    await github.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: text });
    return "created";
}

/**
 * The open pull request a `workflow_run` event belongs to. The event's own `pull_requests`
 * list is empty for forks, so the PR is looked up by its head branch and must point at the
 * exact commit that ran: nothing from the (untrusted) run's artifacts decides where to comment.
 */
async function findPullRequest({ github, owner, repo, run }) {
    const listed = (run.pull_requests || []).find((pr) => pr.head && pr.head.sha === run.head_sha);
    if (listed) return listed.number;
    const headOwner = run.head_repository && run.head_repository.owner && run.head_repository.owner.login;
    if (!headOwner || !run.head_branch) return undefined;
    const pulls = await github.paginate(github.rest.pulls.list, { owner, repo, state: "open", head: `${headOwner}:${run.head_branch}`, per_page: 100 });
    const match = pulls.find((pr) => pr.head && pr.head.sha === run.head_sha);
    return match ? match.number : undefined;
}

module.exports = { upsertComment, findPullRequest, MAX_BODY, BOT };
