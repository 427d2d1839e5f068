// Stryker's mutation score, from the `files` of a mutation-testing JSON report: killed and
// timed-out mutants over every valid one (survived and uncovered count against it; ignored,
// compile errors and runtime errors not at all).

/** @param {{ mutants: { status: string }[] }[]} files */
export function scoreOf(files) {
  const count = { detected: 0, survived: 0, noCoverage: 0, ignored: 0, invalid: 0 };
  for (const file of files) {
    for (const { status } of file.mutants) {
      if (status === "Killed" || status === "Timeout") count.detected += 1;
      else if (status === "Survived") count.survived += 1;
      else if (status === "NoCoverage") count.noCoverage += 1;
      else if (status === "Ignored") count.ignored += 1;
      else count.invalid += 1;
    }
  }
  const valid = count.detected + count.survived + count.noCoverage;
  return { ...count, valid, score: valid === 0 ? 100 : (100 * count.detected) / valid };
}
