// Turns the bim-pack deploy --json result into step outputs and a job summary (written by bim-pack init).
import { appendFileSync, readFileSync } from "node:fs";
const file = process.argv[process.argv.length - 1];
let doc = null;
try { doc = JSON.parse(readFileSync(file, "utf8")); } catch { doc = null; }
const oneLine = (value) => String(value ?? "").replace(/[\r\n]+/g, " ").trim();
const outputs = {
  url: doc?.url, digest: doc?.image?.digest ?? doc?.error?.digest, revision: doc?.deployment?.revision ?? doc?.error?.revision,
  "error-code": doc?.ok === false ? doc?.error?.code : undefined,
};
const lines = Object.entries(outputs).filter(([, v]) => v).map(([k, v]) => k + "=" + oneLine(v));
if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, lines.map((l) => l + "\n").join(""));
let md;
if (doc?.ok === true) {
  md = ["### Deployed " + oneLine(doc.app), "", "| | |", "| --- | --- |", "| URL | " + oneLine(doc.url) + " |",
    "| Image | `" + oneLine(doc.image?.ref) + "` |", "| Revision | " + oneLine(doc.deployment?.revision) + " |", ""];
  for (const stage of doc.stages ?? []) md.push("- " + oneLine(stage.name) + ": " + oneLine(stage.status) + " in " + (stage.durationMs / 1000).toFixed(1) + " s");
} else if (doc?.ok === false) {
  const error = doc.error ?? {};
  md = ["### Deploy failed: " + oneLine(error.code), "", oneLine(error.message)];
  if (error.hint) md.push("", "hint: " + oneLine(error.hint));
  console.log("::error title=bim-pack " + oneLine(error.code) + "::" + oneLine(error.message));
} else {
  md = ["### Deploy failed", "", "bim-pack printed no JSON result (see the step log)."];
  console.log("::error title=bim-pack::no JSON result");
}
if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, md.join("\n") + "\n");
