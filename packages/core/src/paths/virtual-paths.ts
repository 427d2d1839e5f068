/** The parent of a thread's own files inside every sandbox. */
export const VIRTUAL_USER_DATA = "/mnt/user-data";
/** The agent's working directory and the default `cwd` of `exec`. */
export const VIRTUAL_WORKSPACE = "/mnt/user-data/workspace";
/** Files the user uploaded into the thread. */
export const VIRTUAL_UPLOADS = "/mnt/user-data/uploads";
/** Files the agent produces for the user. */
export const VIRTUAL_OUTPUTS = "/mnt/user-data/outputs";
/** The thread's ACP (agent client protocol) workspace; read-only inside containers. */
export const VIRTUAL_ACP_WORKSPACE = "/mnt/acp-workspace";
/** Where the configured skills directory appears, always read-only. */
export const DEFAULT_SKILLS_PATH = "/mnt/skills";
