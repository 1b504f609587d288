import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** A path a test file reads, found in its source. */
export interface TestRead {
  /** The test source that reads it, relative to the workspace. */
  source: string;
  /** 1-based line of the expression. */
  line: number;
  /** Relative to the workspace, `/`-separated; `''` is the workspace root. */
  path: string;
  /**
   * `exact`: the whole path is known (a file or a folder). `prefix`: the path ends in a computed part, so anything under
   * `path` may be read; `tail` then holds the literal segments after the computed one (`join(ROOT, project, 'project.json')`
   * reads `**\/project.json` under `path`).
   */
  kind: 'exact' | 'prefix';
  tail: string[];
}

/** A path expression evaluated as far as its literal parts go. */
interface PathValue {
  text: string;
  complete: boolean;
  tail: string[];
}

const PATH_CALLS = new Set(['join', 'resolve']);
/** `fs` functions whose first argument is a path that is read (`readFileSync`, `existsSync`, `cpSync`, ...). */
const FS_READS = /^(read|exists|stat|lstat|cp|copy|open|access|realpath)/;
/** Calls whose argument array is a command line: a workspace path in it is read by the child. */
const SPAWNS = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork']);
/** Top-level folders of the workspace whose relative paths (e.g. `'apps/tap-stack/manifests'`) a test may name. */
const WORKSPACE_FOLDERS = /^(apps|packages|tools|\.github)\/[^\s*?{}]+$/;
const SOURCE_EXTENSIONS = ['', '.ts', '.js', '.json', '/index.ts', '/index.js'];

/**
 * The workspace paths a test source reads, found statically: `join`/`resolve` calls whose first arguments evaluate to a
 * path in the workspace (`__dirname`, string literals and constants, also constants imported from relative modules, such
 * as `ROOT` of a test helper); workspace-relative string literals (`'apps/tap-stack/manifests'`) given to an `fs` read or
 * on a child's command line; relative imports or `require`s of files. A path computed otherwise (a loop variable, an
 * `it.each` row) is not seen; a literal that is only data (a file name in a table) is not taken for a read.
 *
 * @example
 * testReads('/repo/apps/tap-stack/tests/unit/driftGateApprovals.test.ts', '/repo');
 * // [{ path: 'packages/manifest/tests/fixtures/synth', kind: 'exact', ... }, ...]
 */
export function testReads(file: string, workspaceRoot: string): TestRead[] {
  const root = resolve(workspaceRoot);
  const source = parse(file);
  const reads: TestRead[] = [];
  const record = (node: ts.Node, absolute: string, kind: TestRead['kind'], tail: string[] = []) => {
    const path = relative(root, absolute).split(sep).join('/');
    if (path.startsWith('..') || isAbsolute(path)) return;
    reads.push({ source: relative(root, file).split(sep).join('/'), line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, path, kind, tail });
  };
  const visit = (node: ts.Node, insidePathCall: boolean): void => {
    const pathCall = isPathCall(node);
    if (pathCall && !insidePathCall) {
      const value = evaluate(node, file, new Set());
      if (value !== undefined && isAbsolute(value.text)) record(node, value.text, value.complete ? 'exact' : 'prefix', value.tail);
    } else if (ts.isStringLiteralLike(node) && WORKSPACE_FOLDERS.test(node.text) && isReadArgument(node) && existsSync(join(root, node.text))) {
      record(node, join(root, node.text), 'exact');
    } else if (ts.isStringLiteralLike(node) && isModuleSpecifier(node) && node.text.startsWith('.')) {
      const imported = resolveModule(dirname(file), node.text);
      if (imported) record(node, imported, 'exact');
    }
    ts.forEachChild(node, (child) => visit(child, insidePathCall || pathCall));
  };
  visit(source, false);
  return reads;
}

const parsed = new Map<string, ts.SourceFile>();

function parse(file: string): ts.SourceFile {
  let source = parsed.get(file);
  if (!source) {
    source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    parsed.set(file, source);
  }
  return source;
}

function isPathCall(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return PATH_CALLS.has(callee.text);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'path' && PATH_CALLS.has(callee.name.text);
}

/** `import … from '<x>'`, `export … from '<x>'`, `require('<x>')`, `jest.mock('<x>')`. */
function isModuleSpecifier(node: ts.StringLiteralLike): boolean {
  const parent = node.parent;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) return parent.moduleSpecifier === node;
  if (ts.isExternalModuleReference(parent)) return true;
  if (!ts.isCallExpression(parent) || parent.arguments[0] !== node) return false;
  const callee = parent.expression;
  if (ts.isIdentifier(callee)) return callee.text === 'require';
  return ts.isPropertyAccessExpression(callee) && ['mock', 'requireActual', 'doMock'].includes(callee.name.text);
}

/** A path literal that is read: the first argument of an `fs` read, or in the argument array of a spawned command. */
function isReadArgument(node: ts.StringLiteralLike): boolean {
  const parent = node.parent;
  if (ts.isCallExpression(parent) && parent.arguments[0] === node) return FS_READS.test(calleeName(parent) ?? '');
  if (!ts.isArrayLiteralExpression(parent) || !ts.isCallExpression(parent.parent)) return false;
  return SPAWNS.has(calleeName(parent.parent) ?? '');
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

function resolveModule(fromDir: string, specifier: string): string | undefined {
  return SOURCE_EXTENSIONS.map((ext) => resolve(fromDir, specifier + ext)).find((candidate) => existsSync(candidate) && !candidate.endsWith(sep));
}

/** Evaluates a path expression of `file`; `seen` stops cycles between constants. */
function evaluate(node: ts.Node, file: string, seen: Set<string>): PathValue | undefined {
  if (ts.isStringLiteralLike(node)) return { text: node.text, complete: true, tail: [] };
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return evaluate(node.expression, file, seen);
  if (ts.isIdentifier(node)) {
    if (node.text === '__dirname') return { text: dirname(file), complete: true, tail: [] };
    const key = `${file}#${node.text}`;
    if (seen.has(key)) return undefined;
    const found = constantOf(node.text, file);
    return found && evaluate(found.initializer, found.file, new Set([...seen, key]));
  }
  if (isPathCall(node)) {
    const callee = node.expression;
    const resolving = (ts.isIdentifier(callee) ? callee.text : (callee as ts.PropertyAccessExpression).name.text) === 'resolve';
    let text: string | undefined;
    for (const [index, arg] of node.arguments.entries()) {
      const value = ts.isSpreadElement(arg) ? undefined : evaluate(arg, file, seen);
      if (value === undefined || !value.complete) {
        if (text === undefined) return undefined;
        const prefix = value && value.text !== '' ? (resolving ? resolve(text, value.text) : join(text, value.text)) : text;
        const tail = node.arguments.slice(index + 1).map((a) => (ts.isStringLiteralLike(a) ? a.text : undefined));
        // Literal segments after the computed one narrow what is read; a second computed one widens it to everything.
        return { text: prefix, complete: false, tail: tail.includes(undefined) ? [] : (tail as string[]) };
      }
      text = text === undefined ? value.text : resolving ? resolve(text, value.text) : join(text, value.text);
    }
    return text === undefined ? undefined : { text, complete: true, tail: [] };
  }
  if (ts.isTemplateExpression(node)) {
    // `${a}/b`: the literal head is a prefix of the path.
    const head = node.head.text;
    return head === '' ? undefined : { text: head, complete: false, tail: [] };
  }
  return undefined;
}

/** The initializer of the one `const <name> = …` of `file`, or of the constant it imports under `name`. */
function constantOf(name: string, file: string): { initializer: ts.Expression; file: string } | undefined {
  const source = parse(file);
  const declarations: ts.VariableDeclaration[] = [];
  let imported: { from: string; name: string } | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) {
      const list = node.parent;
      if (ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const) declarations.push(node);
    }
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.importClause?.namedBindings && ts.isNamedImports(node.importClause.namedBindings)) {
      for (const element of node.importClause.namedBindings.elements) {
        if (element.name.text === name) imported = { from: node.moduleSpecifier.text, name: (element.propertyName ?? element.name).text };
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  // A name declared twice (e.g. in two functions) has no single value.
  if (declarations.length === 1) return { initializer: declarations[0].initializer as ts.Expression, file };
  if (declarations.length === 0 && imported?.from.startsWith('.')) {
    const module = resolveModule(dirname(file), imported.from);
    if (module?.endsWith('.ts')) return constantOf(imported.name, module);
  }
  return undefined;
}
