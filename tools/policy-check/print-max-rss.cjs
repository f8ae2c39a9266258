// Preloaded (--require) by tools/bench-policy.ts into the policy:check process it
// measures: reports the process's peak resident memory on stderr when it exits.
// Plain JavaScript so it loads before, and independently of, any TypeScript loader.
"use strict";
process.on("exit", () => {
    process.stderr.write(`max-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
