import { packageBuild } from "../../tsup.shared.js";

// import-meta-resolve ships ESM only; bundling it keeps the CJS build loadable on Node 22 releases
// before 22.12, which cannot require() an ES module.
export default packageBuild({ noExternal: ["import-meta-resolve"] });
