import { packageBuild } from "../../tsup.shared.js";

// One entry per subpath export; the framework adapters import their framework, which stays
// external (an optional peer dependency), so `@sandbox/tools` alone never loads it.
export default packageBuild({
  entry: {
    index: "src/index.ts",
    ai: "src/adapters/ai.ts",
    openai: "src/adapters/openai.ts",
    langchain: "src/adapters/langchain.ts",
    "openai-agents": "src/adapters/openai-agents.ts",
  },
});
