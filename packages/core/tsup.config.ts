import { packageBuild } from "../../tsup.shared.js";

// import-meta-resolve ships ESM only; bundling it keeps the CJS build loadable on every Node 20.
export default packageBuild({ noExternal: ["import-meta-resolve"] });
