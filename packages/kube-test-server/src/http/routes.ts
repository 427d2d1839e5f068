/** A request path resolved to the resource it names. */
export interface ResourcePath {
  group: string;
  namespace: string;
  resource: string;
  name: string | undefined;
  subresource: string | undefined;
}

const CORE = /^\/api\/v1\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?\/?$/;
const GROUPED =
  /^\/apis\/([^/]+)\/v1\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?\/?$/;

/** Parses `/api/v1/namespaces/{ns}/{resource}[/{name}[/{sub}]]` and its `/apis/{group}/v1` twin. */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const core = CORE.exec(pathname);
  if (core) {
    return {
      group: "",
      namespace: decodeURIComponent(core[1] as string),
      resource: core[2] as string,
      name: core[3] === undefined ? undefined : decodeURIComponent(core[3]),
      subresource: core[4],
    };
  }
  const grouped = GROUPED.exec(pathname);
  if (grouped) {
    return {
      group: grouped[1] as string,
      namespace: decodeURIComponent(grouped[2] as string),
      resource: grouped[3] as string,
      name: grouped[4] === undefined ? undefined : decodeURIComponent(grouped[4]),
      subresource: grouped[5],
    };
  }
  return undefined;
}
