import { packageTestConfig } from "../../vitest.shared.js";

// One TypeScript program over every code block in the docs takes a few seconds on a loaded
// machine; the shared 30 s test timeout is plenty, the hook that builds it gets more.
export default packageTestConfig({ hookTimeout: 180_000 });
