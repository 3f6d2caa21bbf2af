// Evaluates kz_multiplier.squiggle with a given sample count and seed and prints one JSON object
// (tool, draws, outputs: mean, sd and quantiles of each output) on stdout.
//
//   node bench/peers/squiggle/run.mjs [DRAWS] [SEED]
import { readFile } from "node:fs/promises";

import { run } from "@quri/squiggle-lang";

const draws = process.argv[2] ? Number(process.argv[2]) : 100_000;
const seed = process.argv[3] ?? "2023";
const programUrl = new URL("./kz_multiplier.squiggle", import.meta.url);
const packageUrl = new URL("./node_modules/@quri/squiggle-lang/package.json", import.meta.url);

const code = await readFile(programUrl, "utf8");
const { version } = JSON.parse(await readFile(packageUrl, "utf8"));
const output = await run(code, {
  environment: { sampleCount: draws, xyPointLength: 1000, seed },
});
if (!output.result.ok) {
  console.error(output.result.value.toString());
  process.exit(1);
}

const { levels, outputs } = output.result.value.result.asJS().value;
const summaries = {};
for (const [name, { value: summary }] of Object.entries(outputs.value)) {
  summaries[name] = {
    mean: summary.mean,
    sd: summary.sd,
    quantiles: Object.fromEntries(levels.map((level, i) => [String(level), summary.quantiles[i]])),
  };
}
console.log(JSON.stringify({ tool: "squiggle", version, draws, outputs: summaries }));
