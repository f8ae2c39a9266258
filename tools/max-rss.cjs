// Preloaded (--require) by the benchmarks (tools/bench.ts, tools/bench-policy.ts) into the process they
// measure: reports the process's peak resident memory on stderr when it exits.
// Plain JavaScript so it loads before, and independently of, any TypeScript loader.
"use strict";
process.on("exit", () => {
    process.stderr.write(`max-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
