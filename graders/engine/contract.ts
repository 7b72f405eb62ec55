/**
 * What an exercise is documented to return, as its stub in exercises/ declares it, for the
 * message of a check that could not use what a student returned ("invalid output: expected
 * { out: Vector; cache: ForwardCache }, received null"). Read from the stub's source with the
 * TypeScript parser (no type checking); a named type declared in the same file is shown by its
 * members. Only called when a check fails that way; so are the parameter names, for "modified its
 * argument g in place".
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inPackage } from '../root.ts';
import type ts from 'typescript';

/** The TypeScript parser, loaded (≈ 1 s) only when a message needs it. */
let typescript: typeof ts | null = null;
const parser = (): typeof ts => (typescript ??= createRequire(import.meta.url)('typescript') as typeof ts);

const EXERCISES = inPackage('exercises') + path.sep;

const cache = new Map<string, ts.SourceFile | null>();

function stub(module: string): ts.SourceFile | null {
  if (!cache.has(module)) {
    const file = `${EXERCISES}${module}.ts`;
    const t = parser();
    cache.set(module, existsSync(file) ? t.createSourceFile(file, readFileSync(file, 'utf8'), t.ScriptTarget.ES2022, true) : null);
  }
  return cache.get(module)!;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The members of a type alias or interface named `name` in `source`, as "{ a: A; b: B }". */
function declared(source: ts.SourceFile, name: string): string | undefined {
  const ts = parser();
  for (const s of source.statements) {
    if (ts.isInterfaceDeclaration(s) && s.name.text === name) return `{ ${s.members.map((m) => oneLine(m.getText(source)).replace(/;$/, '')).join('; ')} }`;
    if (ts.isTypeAliasDeclaration(s) && s.name.text === name) return oneLine(s.type.getText(source));
  }
  return undefined;
}

/** "{ dW: Matrix; db: Vector }" for `export function layerGradients(…): { dW: Matrix; db: Vector }`. */
export function returnType(module: string, exercise: string): string | undefined {
  const source = stub(module);
  if (!source) return undefined;
  const ts = parser();
  for (const s of source.statements) {
    if (!ts.isFunctionDeclaration(s) || s.name?.text !== exercise || !s.type) continue;
    const text = oneLine(s.type.getText(source));
    return ts.isTypeReferenceNode(s.type) ? (declared(source, text) ?? text) : text;
  }
  return undefined;
}

/** ["theta", "g", "state", "hyper"] for `export function sgdStep(theta, g, state, hyper)`: the stub's parameter names. */
export function parameterNames(module: string, exercise: string): string[] | undefined {
  const source = stub(module);
  if (!source) return undefined;
  const ts = parser();
  const f = source.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === exercise);
  return f?.parameters.map((p) => oneLine(p.name.getText(source)));
}
