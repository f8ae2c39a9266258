// Preloaded by tools/bench-policy.ts into the policy:check process it measures:
// reports the process's peak resident memory on stderr when it exits.
process.on("exit", () => {
    process.stderr.write(`max-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
