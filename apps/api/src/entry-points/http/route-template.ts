/**
 * The route template of a request path, e.g. `/api/v1/deposits/{id}` for `/api/v1/deposits/42`, from the
 * paths of the OpenAPI document (the contract is the list of routes). Metrics and logs label every answer
 * with it, errors and 401s included, which happen before Express has matched a route: so the template is
 * read from the path, not from Express's routing state. Anything else is `unmatched` (a 404 for a path
 * the API does not have), which keeps the label set bounded whatever clients send.
 */
export function routeTemplateMatcher(templates: readonly string[]): (path: string) => string {
  // Most requests hit a template without parameters (POST /api/v1/deposits): one map lookup, no regex.
  const literal = new Map(templates.filter((template) => parameterCount(template) === 0).map((t) => [t, t]));
  const patterns = [...templates]
    // Literal segments before parameters, so /health/live is never read as a template with a parameter.
    .sort((a, b) => parameterCount(a) - parameterCount(b) || b.length - a.length)
    .map((template) => ({ template, pattern: new RegExp(`^${template.split('/').map(segmentPattern).join('/')}/?$`) }));
  return (path) => {
    const found = literal.get(path);
    if (found !== undefined) return found;
    for (const { template, pattern } of patterns) if (pattern.test(path)) return template;
    if (path === '/docs' || path.startsWith('/docs/')) return '/docs';
    return 'unmatched';
  };
}

function segmentPattern(segment: string): string {
  return /^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parameterCount(template: string): number {
  return (template.match(/\{/g) ?? []).length;
}
