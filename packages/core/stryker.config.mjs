// Mutation testing (`pnpm mutate`): the modules and their settings are in
// scripts/mutation/modules.mjs; docs/testing.md has the scores and the review of the survivors.
import { strykerConfig } from "../../scripts/mutation/stryker-config.mjs";

export default strykerConfig("packages/core");
