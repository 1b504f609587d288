/**
 * The segments of a Pulumi property path: `a.b[0]["c.d"]` -> `['a', 'b', 0, 'c.d']`.
 *
 * @example
 * propertyPathSegments('tags["team.name"]'); // ['tags', 'team.name']
 */
export function propertyPathSegments(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  for (const match of path.matchAll(pattern)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(match[3].replace(/\\(.)/g, '$1'));
  }
  return segments;
}
